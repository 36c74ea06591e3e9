// Leased counters (gate/meter.ts, gate/cap-lease.ts, auth/gatekeeper.ts): the daily gate quota, a
// run's tool-call cap and a key's per-minute requests are taken from the database in blocks and
// spent in memory. Whatever happens to a replica — a
// crash (its object simply abandoned, nothing flushed), a graceful stop, a second replica racing
// it — no more is ever allowed than the limit, and a single replica stops exactly at it.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Gatekeeper, leaseSize as requestLeaseSize } from '../../server/auth/gatekeeper.js';
import { resolvePlanLimits } from '../../server/limits/plans.js';
import { slidingWindow } from '../../server/limits/service.js';
import { hashKey } from '../../server/modules/keys/service.js';
import { CapLeases } from '../../server/modules/gate/cap-lease.js';
import { GateMeter, leaseSize } from '../../server/modules/gate/meter.js';
import { createAccount, createKey, startServer, TARGETS, warnSkip, withKey, type TestServer } from './helpers.js';

const LIMIT = 1_000;
const limits = resolvePlanLimits({ free: { daily: { gate_evaluations: LIMIT } } });

async function takeUntilRefused(take: () => Promise<boolean>, max: number): Promise<number> {
  let allowed = 0;
  for (let i = 0; i < max; i++) {
    if (!(await take())) break;
    allowed++;
  }
  return allowed;
}

for (const target of TARGETS) {
  describe(`gate leases (${target.name})`, () => {
    if (!target.available) {
      warnSkip(`gate lease tests on ${target.name}`, target.reason!);
      it.skip(`${target.name}: ${target.reason}`, () => {});
      return;
    }
    let s: TestServer;
    beforeAll(async () => {
      s = await startServer(target, { approvalSweepMs: 0, webhooks: { worker: false } });
    }, 120_000);
    afterAll(async () => s?.close());

    const usage = async (accountId: string) =>
      (await s.app.db.selectFrom('usage_daily').select('count').where('account_id', '=', accountId).where('metric', '=', 'gate_evaluations').executeTakeFirst())?.count ?? 0;
    const meter = () => new GateMeter(s.app.db, limits, Date.now);

    it('a crashed replica’s unused quota stays spent: the restart can never over-allow', async () => {
      const { accountId } = await createAccount(s.app, s.key, 'crashy', 'free');
      expect(leaseSize(LIMIT)).toBeGreaterThan(1);
      const before = meter();
      for (let i = 0; i < 3; i++) expect((await before.take(accountId, 'free')).allowed).toBe(true);
      // Crash: `before` is dropped without stop(). Its lease is already counted.
      expect(await usage(accountId)).toBe(leaseSize(LIMIT));
      const after = meter();
      const allowed = await takeUntilRefused(async () => (await after.take(accountId, 'free')).allowed, 2 * LIMIT);
      expect(3 + allowed).toBeLessThanOrEqual(LIMIT);
      expect(allowed).toBe(LIMIT - leaseSize(LIMIT));
      expect(await usage(accountId)).toBe(LIMIT);
      const refused = await after.take(accountId, 'free');
      expect(refused).toMatchObject({ allowed: false, limit: LIMIT });
      expect(refused.retryAfter).toBeGreaterThan(0);
    });

    it('a graceful stop gives the unused quota back, and one replica stops exactly at the limit', async () => {
      const { accountId } = await createAccount(s.app, s.key, 'tidy', 'free');
      const first = meter();
      for (let i = 0; i < 3; i++) await first.take(accountId, 'free');
      await first.stop();
      expect(await usage(accountId)).toBe(3);
      const second = meter();
      // Concurrent evaluations share one lease at a time and stop at the limit, not past it.
      const results = await Promise.all(Array.from({ length: LIMIT }, () => second.take(accountId, 'free')));
      expect(results.filter((r) => r.allowed)).toHaveLength(LIMIT - 3);
      expect(await usage(accountId)).toBe(LIMIT);
    });

    it('two replicas racing for the last of the quota never pass it together', async () => {
      const { accountId } = await createAccount(s.app, s.key, 'racy', 'free');
      const [a, b] = [meter(), meter()];
      const results = await Promise.all(Array.from({ length: 700 }, (_, i) => (i % 2 ? a : b).take(accountId, 'free')).concat(Array.from({ length: 700 }, (_, i) => (i % 2 ? b : a).take(accountId, 'free'))));
      const allowed = results.filter((r) => r.allowed).length;
      expect(allowed).toBeLessThanOrEqual(LIMIT);
      // At most what one replica still held unused when the other was refused.
      expect(allowed).toBeGreaterThanOrEqual(LIMIT - leaseSize(LIMIT));
      expect(await usage(accountId)).toBe(LIMIT);
    });

    it('a run’s tool-call cap: never passed after a crash, exact on one replica, given back on stop', async () => {
      const { accountId } = await createAccount(s.app, s.key, 'capped', 'pro');
      const cap = 50;
      const crashed = new CapLeases(s.app.db);
      for (let i = 0; i < 3; i++) expect(await crashed.take(accountId, 'bot', 'run-1', cap)).toBe(true);
      const restarted = new CapLeases(s.app.db);
      const allowed = await takeUntilRefused(() => restarted.take(accountId, 'bot', 'run-1', cap), 2 * cap);
      expect(3 + allowed).toBeLessThanOrEqual(cap);
      const row = await s.app.db.selectFrom('gate_runs').select('tool_calls').where('account_id', '=', accountId).where('run_id', '=', 'run-1').executeTakeFirstOrThrow();
      expect(row.tool_calls).toBe(cap);
      // A lowered cap is honoured at once, leased calls or not.
      const other = new CapLeases(s.app.db);
      expect(await other.take(accountId, 'bot', 'run-2', cap)).toBe(true);
      expect(await other.take(accountId, 'bot', 'run-2', 1)).toBe(false);
      await other.stop();
      const run2 = await s.app.db.selectFrom('gate_runs').select('tool_calls').where('account_id', '=', accountId).where('run_id', '=', 'run-2').executeTakeFirstOrThrow();
      expect(run2.tool_calls).toBe(1);
    });

    it('over HTTP: concurrent capped calls are allowed exactly up to the cap, and the refusal says why', async () => {
      const t = await createAccount(s.app, s.key, 'http capped', 'pro');
      const put = await s.app.inject({ method: 'PUT', url: '/api/v1/permissions/bot', headers: withKey(t.key), payload: { tools: { allow: ['*'] }, compute: { max_tool_calls_per_run: 40 } } });
      expect(put.statusCode, put.body).toBe(201);
      const results = await Promise.all(
        Array.from({ length: 60 }, () => s.app.inject({ method: 'POST', url: '/api/v1/gate/evaluate', headers: withKey(t.key), payload: { agent_id: 'bot', tool_name: 'step', context: { run_id: 'burst' } } })),
      );
      const bodies = results.map((r) => r.json() as { decision: string; reason: string; reasons: { evidence: string }[] });
      expect(bodies.filter((b) => b.decision === 'allow')).toHaveLength(40);
      const refused = bodies.filter((b) => b.decision === 'block');
      expect(refused).toHaveLength(20);
      expect(refused[0].reason).toBe('compute_cap_exceeded');
      expect(refused[0].reasons.at(-1)?.evidence).toContain('max_tool_calls_per_run is 40');
      const row = await sql<{ tool_calls: number }>`SELECT tool_calls FROM gate_runs WHERE account_id = ${t.accountId} AND run_id = 'burst'`.execute(s.app.db);
      expect(row.rows[0].tool_calls).toBe(40);
    });

    it('per-minute requests: a crashed replica never lets a key past its limit, a stop gives the lease back', async () => {
      const perMinute = 500;
      const clock = Math.floor(Date.now() / 60_000) * 60_000 + 30_000;
      const k = await createKey(s.app, s.key, { name: 'leased', scopes: ['scan:read'], rate_limit_per_minute: perMinute });
      const hash = hashKey(k.key);
      const limitOf = () => perMinute;
      const allowedBy = async (g: Gatekeeper) => {
        const a = await g.admit(hash, limitOf);
        return slidingWindow(a!.current, a!.previous, perMinute, clock).allowed;
      };
      const windowCount = async () => (await s.app.db.selectFrom('rate_windows').select('count').where('key_id', '=', k.id).where('window_start', '=', Math.floor(clock / 60_000)).executeTakeFirst())?.count ?? 0;
      const lease = requestLeaseSize(perMinute);
      expect(lease).toBeGreaterThan(1);

      const crashed = new Gatekeeper(s.app.db, () => clock);
      // The first request authenticates with a lease of one; the next takes a whole block.
      for (let i = 0; i < 3; i++) expect(await allowedBy(crashed)).toBe(true);
      expect(await windowCount()).toBe(1 + lease);
      // Crash: never stopped. A second replica (the restart) goes on from the counted leases.
      const restarted = new Gatekeeper(s.app.db, () => clock);
      const results = await Promise.all(Array.from({ length: perMinute + 50 }, () => allowedBy(restarted)));
      const allowed = results.filter(Boolean).length;
      expect(3 + allowed).toBeLessThanOrEqual(perMinute);
      expect(allowed).toBe(perMinute - 1 - lease);
      // Refusals count too (a client that keeps hammering keeps waiting), flushed on stop.
      await restarted.stop();
      expect(await windowCount()).toBe(1 + lease + perMinute + 50);

      // A graceful stop hands the unused part of its lease back.
      const k2 = await createKey(s.app, s.key, { name: 'tidy', scopes: ['scan:read'], rate_limit_per_minute: perMinute });
      const tidy = new Gatekeeper(s.app.db, () => clock);
      for (let i = 0; i < 3; i++) await tidy.admit(hashKey(k2.key), limitOf);
      await tidy.stop();
      const row = await s.app.db.selectFrom('rate_windows').select('count').where('key_id', '=', k2.id).where('window_start', '=', Math.floor(clock / 60_000)).executeTakeFirstOrThrow();
      expect(row.count).toBe(3);
    });

    it('per-minute requests: the next block is leased before this one runs out, but never past the limit', async () => {
      const perMinute = 1_000;
      const clock = Math.floor(Date.now() / 60_000) * 60_000 + 30_000;
      const k = await createKey(s.app, s.key, { name: 'ahead', scopes: ['scan:read'], rate_limit_per_minute: perMinute });
      const hash = hashKey(k.key);
      const limitOf = () => perMinute;
      const windowCount = async () => (await s.app.db.selectFrom('rate_windows').select('count').where('key_id', '=', k.id).where('window_start', '=', Math.floor(clock / 60_000)).executeTakeFirst())?.count ?? 0;
      const lease = requestLeaseSize(perMinute);
      const g = new Gatekeeper(s.app.db, () => clock);
      const admitted = async () => slidingWindow((await g.admit(hash, limitOf))!.current, 0, perMinute, clock).allowed;
      // One request authenticates (a lease of one); the second leases a block and spends one of it.
      expect(await admitted()).toBe(true);
      expect(await admitted()).toBe(true);
      expect(await windowCount()).toBe(1 + lease);
      // Spend down to a quarter of the block: the next one is counted while units are still left.
      let requests = 2;
      for (let left = lease - 1; left > lease / 4; left--, requests++) expect(await admitted()).toBe(true);
      await vi.waitFor(async () => expect(await windowCount()).toBe(1 + 2 * lease));
      // stop() gives back the unspent units of both blocks: what stays counted is what was used.
      await g.stop();
      expect(await windowCount()).toBe(requests);

      // Near the limit nothing is leased ahead: one replica still stops exactly at the limit.
      const k2 = await createKey(s.app, s.key, { name: 'edge', scopes: ['scan:read'], rate_limit_per_minute: perMinute });
      const g2 = new Gatekeeper(s.app.db, () => clock);
      let allowed = 0;
      for (let i = 0; i < perMinute + 20; i++) {
        const a = (await g2.admit(hashKey(k2.key), limitOf))!;
        if (slidingWindow(a.current, a.previous, perMinute, clock).allowed) allowed++;
      }
      expect(allowed).toBe(perMinute);
      await g2.stop();
      const row = await s.app.db.selectFrom('rate_windows').select('count').where('key_id', '=', k2.id).where('window_start', '=', Math.floor(clock / 60_000)).executeTakeFirstOrThrow();
      expect(row.count).toBe(perMinute + 20);
    });
  });
}
