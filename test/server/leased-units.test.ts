// The lease bucket behind the gate's quota and run caps: what it promises callers about waiting,
// sharing one refill and never spending what the counter did not grant. The database side (the
// conditional upserts, crashes, replicas) is exercised in gate-leases.test.ts.
import { describe, expect, it } from 'vitest';
import { LeasedUnits } from '../../server/modules/gate/leased-units.js';

/** A counter with `left` units, handing out up to `block` per lease; leases resolve when released. */
function counter(left: number, block: number) {
  const pending: (() => void)[] = [];
  const state = { left, leases: 0, auto: true };
  const lease = () =>
    new Promise<number>((resolve) => {
      state.leases++;
      const grant = () => {
        const n = state.left >= block ? block : state.left >= 1 ? 1 : 0;
        state.left -= n;
        resolve(n);
      };
      if (state.auto) queueMicrotask(grant);
      else pending.push(grant);
    });
  return { state, lease, release: () => pending.splice(0).forEach((g) => g()) };
}

describe('LeasedUnits', () => {
  it('asks for the next block while a quarter of the current one is left, so takers do not wait for it', async () => {
    const c = counter(1_000, 100);
    const bucket = new LeasedUnits(c.lease, 100);
    expect(await bucket.take()).toBe(true);
    expect(c.state.leases).toBe(1);
    c.state.auto = false;
    for (let i = 0; i < 73; i++) expect(await bucket.take()).toBe(true);
    expect(c.state.leases).toBe(1);
    expect(await bucket.take()).toBe(true); // 25 left: a quarter of the block
    expect(c.state.leases).toBe(2);
    // The refill has not answered, yet the remaining units are served at once.
    for (let i = 0; i < 25; i++) expect(await bucket.take()).toBe(true);
    expect(bucket.units).toBe(0);
    c.release();
    await bucket.settled();
    expect(bucket.units).toBe(100);
  });

  it('concurrent takers that run out share one refill and each gets a unit or a refusal, never more than granted', async () => {
    const c = counter(7, 5);
    const bucket = new LeasedUnits(c.lease, 5);
    const results = await Promise.all(Array.from({ length: 12 }, () => bucket.take()));
    expect(results.filter(Boolean)).toHaveLength(7);
    expect(c.state.left).toBe(0);
    expect(await bucket.take()).toBe(false);
  });

  it('near the end of the counter it fetches one unit at a time, stops fetching ahead once the counter is dry, and spends exactly what it got', async () => {
    const c = counter(12, 10);
    const bucket = new LeasedUnits(c.lease, 10);
    let allowed = 0;
    for (let i = 0; i < 8; i++) if (await bucket.take()) allowed++;
    await bucket.settled();
    for (let i = 0; i < 2; i++) {
      if (await bucket.take()) allowed++;
      await bucket.settled();
    }
    expect(c.state.left).toBe(0);
    const leases = c.state.leases;
    while (bucket.units > 0) if (await bucket.take()) allowed++;
    expect(c.state.leases).toBeLessThanOrEqual(leases + 1); // at most the one refill that finds it dry
    expect(await bucket.take()).toBe(false);
    expect(allowed).toBe(12);
  });

  it('drain takes every unspent unit out: the next take leases afresh', async () => {
    const c = counter(100, 10);
    const bucket = new LeasedUnits(c.lease, 10);
    expect(await bucket.take()).toBe(true);
    expect(bucket.drain()).toBe(9);
    expect(bucket.units).toBe(0);
    expect(await bucket.take()).toBe(true);
    expect(c.state.leases).toBe(2);
  });

  it('a failed refill reaches the taker that waits for it; a background one does not throw', async () => {
    let fail = false;
    let n = 0;
    const bucket = new LeasedUnits(async () => {
      n++;
      if (fail) throw new Error('database down');
      return 4;
    }, 4);
    expect(await bucket.take()).toBe(true); // 3 left; low water is 1
    fail = true;
    expect(await bucket.take()).toBe(true);
    expect(await bucket.take()).toBe(true); // 1 left: a background refill starts and fails
    await bucket.settled();
    expect(await bucket.take()).toBe(true); // the last unit
    await expect(bucket.take()).rejects.toThrow('database down');
    expect(n).toBeGreaterThanOrEqual(3);
  });
});
