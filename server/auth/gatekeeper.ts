// The hot path of every authenticated request: who is this key, and is it over its limit?
//
// Asking the database on every request would cap the whole server at the database's round-trip
// rate (about 1 ms on PGlite, which runs on this thread). So each replica:
//   - caches a key's row for a few seconds (AUTH_TTL_MS). Revoking or rotating on this replica
//     drops the entry at once; other replicas notice within the TTL.
//   - leases the requests it lets through from the database's per-minute counter in blocks
//     (leaseSize: 1% of the limit, at most MAX_LEASE): one upsert adds the whole block to the
//     count before any of it is used, so the database always counts at least every request any
//     replica has let through. A crash therefore never lets a key past its limit after the restart
//     (its unused requests stay counted: the limit errs on refusing, by at most one lease); a
//     graceful stop gives them back. The decision uses the database's count minus what this
//     replica still holds unused: exact on one replica. The next block is leased in the
//     background once a quarter of the current one is left, if all of it still fits the window,
//     so a busy key does not wait on the upsert each time a block runs out.
//   - counts refused requests (they weigh in the window too, so a client that keeps hammering
//     keeps waiting) locally and adds them every second (FLUSH_MS) and on shutdown; a crash can
//     only lose refusals, never an allowed request.
// The first request of a key in a minute (or after the TTL) is one round trip (admitKey) that
// authenticates, refreshes last_used_at, takes the first lease and reads both minutes' counts.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { admitKey, epochMinute, slidingWindow, type AdmittedKey } from '../limits/service.js';

export const AUTH_TTL_MS = 5_000;
export const FLUSH_MS = 1_000;
export const MAX_LEASE = 1_000;

/** Requests leased per upsert: 1% of the per-minute limit, at least 1, at most MAX_LEASE. */
export function leaseSize(limit: number): number {
  return Math.max(1, Math.min(MAX_LEASE, Math.floor(limit / 100)));
}

interface Entry {
  row: AdmittedKey;
  fetchedAt: number;
  minute: number;
  /** This minute's count in the database as last seen (all replicas, leases included). */
  dbCount: number;
  /** The previous minute's final count. */
  dbPrev: number;
  /** Leased (already counted in the database), not yet used here. */
  unused: number;
  /** Refused requests counted here, not yet in the database. */
  pending: number;
  leasing: Promise<void> | undefined;
}

export interface Admission {
  row: AdmittedKey;
  current: number;
  previous: number;
}

export class Gatekeeper {
  private readonly byHash = new Map<string, Entry | null>();
  private readonly negativeAt = new Map<string, number>();
  private readonly inflight = new Map<string, Promise<Entry | null>>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly returning = new Set<Promise<void>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush().catch(() => {}), FLUSH_MS).unref();
  }

  /** Adds refused requests and gives unused leases back, before the database closes. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flushing?.catch(() => {});
    const entries = [...this.byHash.values()].filter((e): e is Entry => !!e);
    await Promise.all(entries.map((e) => e.leasing?.catch(() => {})));
    await this.flush();
    await this.giveBack(entries);
    await Promise.all(this.returning);
  }

  /** Gives back in the background; stop() waits for every one still running. */
  private background(p: Promise<void>): void {
    const tracked = p.catch(() => {}).finally(() => this.returning.delete(tracked));
    this.returning.add(tracked);
  }

  /**
   * Counts this request and returns the key (undefined: no such key) with the window counts.
   * `limitOf` is the key's per-minute limit; the request is allowed when the window says so.
   */
  async admit(keyHash: string, limitOf: (row: AdmittedKey) => number): Promise<Admission | undefined> {
    const t = this.now();
    const minute = epochMinute(t);
    let e = this.byHash.get(keyHash);
    // Unknown keys are remembered briefly too, so guessing does not turn into database load.
    // Safe: a key created later is a fresh random secret nobody could have presented before.
    if (e === null && Date.now() - (this.negativeAt.get(keyHash) ?? 0) < AUTH_TTL_MS) return undefined;
    if (!e || Date.now() - e.fetchedAt >= AUTH_TTL_MS || e.minute !== minute) {
      const fresh = await this.refresh(keyHash, t, minute, limitOf);
      if (!fresh) return undefined;
      // Revoked or expired: refused before any counting, and never cached.
      if (!fresh.row.valid) return { row: fresh.row, current: 0, previous: 0 };
      e = fresh;
    }
    const entry = e;
    const limit = limitOf(entry.row);
    for (;;) {
      if (entry.unused > 0) {
        entry.unused--;
        if (!entry.leasing) this.leaseAhead(entry, limit, t);
        return { row: entry.row, current: this.current(entry), previous: entry.dbPrev };
      }
      // Refused even if it were counted now: no lease needed, only the count.
      if (!slidingWindow(this.current(entry) + 1, entry.dbPrev, limit, t).allowed) {
        entry.pending++;
        return { row: entry.row, current: this.current(entry), previous: entry.dbPrev };
      }
      await (entry.leasing ??= this.lease(entry, leaseSize(limit)).finally(() => (entry.leasing = undefined)));
    }
  }

  /**
   * Leases the next block early, when a quarter of this one is left and every request of it would
   * still be allowed: near the limit, blocks are taken only when needed, so the window's count
   * never runs ahead of what this replica can use.
   */
  private leaseAhead(e: Entry, limit: number, t: number): void {
    const n = leaseSize(limit);
    if (n < 4 || e.unused > n / 4) return;
    if (!slidingWindow(this.current(e) + e.unused + n, e.dbPrev, limit, t).allowed) return;
    const p = this.lease(e, n).finally(() => {
      if (e.leasing === p) e.leasing = undefined;
    });
    e.leasing = p;
    // A failure reaches whoever next waits for this lease; nobody may be waiting now.
    p.catch(() => {});
  }

  /** Requests made in this minute as far as this replica knows: counted, minus leased but unused. */
  private current(e: Entry): number {
    return e.dbCount + e.pending - e.unused;
  }

  private async lease(e: Entry, n: number): Promise<void> {
    const { rows } = await sql<{ count: number }>`
      INSERT INTO rate_windows (key_id, window_start, count) VALUES (${e.row.id}, ${e.minute}::integer, ${n}::integer)
      ON CONFLICT (key_id, window_start) DO UPDATE SET count = rate_windows.count + excluded.count
      RETURNING count`.execute(this.db);
    e.dbCount = rows[0].count;
    e.unused += n;
  }

  /** One round trip per key at a time: concurrent requests for the same key share it. */
  private refresh(keyHash: string, t: number, minute: number, limitOf: (row: AdmittedKey) => number): Promise<Entry | null> {
    let p = this.inflight.get(keyHash);
    if (!p) {
      p = (async () => {
        const old = this.byHash.get(keyHash);
        if (old) {
          await old.leasing?.catch(() => {});
          if (old.pending > 0) await this.flushBatch([old]);
        }
        const carry = old && old.minute === minute ? old.unused : 0;
        // A lease of the last minute is worthless now: handed back. One of this minute is kept.
        if (old && old.minute !== minute && old.unused > 0) this.background(this.giveBack([old]));
        // The first lease comes with the authentication; its size needs the row, so it is a guess
        // from the last row seen (or 1, for a key seen for the first time).
        const increment = carry > 0 ? 0 : old ? leaseSize(limitOf(old.row)) : 1;
        const row = await admitKey(this.db, keyHash, t, increment);
        if (!row) {
          this.byHash.set(keyHash, null);
          this.negativeAt.set(keyHash, Date.now());
          return null;
        }
        const entry: Entry = {
          row,
          fetchedAt: Date.now(),
          minute,
          dbCount: row.current_count ?? 0,
          dbPrev: row.previous_count ?? 0,
          unused: row.valid ? carry + increment : 0,
          pending: 0,
          leasing: undefined,
        };
        if (old) old.unused = 0;
        if (row.valid) this.byHash.set(keyHash, entry);
        else this.byHash.delete(keyHash);
        return entry;
      })().finally(() => this.inflight.delete(keyHash));
      this.inflight.set(keyHash, p);
    }
    return p;
  }

  /** Drops cached rows of one key (revoked, rotated) or of everything (a plan changed). */
  invalidate(keyId?: string): void {
    const dropped: Entry[] = [];
    for (const [hash, e] of this.byHash) {
      if (keyId === undefined || e?.row.id === keyId) {
        if (e) dropped.push(e);
        this.byHash.delete(hash);
      }
    }
    if (dropped.length === 0) return;
    this.background(
      (async () => {
        await Promise.all(dropped.map((e) => e.leasing?.catch(() => {})));
        const counted = dropped.filter((e) => e.pending > 0);
        if (counted.length > 0) await this.flushBatch(counted);
        await this.giveBack(dropped);
      })(),
    );
  }

  /** Adds every refused request counted here to the database in one statement. */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const batch = [...this.byHash.values()].filter((e): e is Entry => !!e && e.pending > 0);
    const stale = epochMinute(this.now()) - 1;
    const idle: Entry[] = [];
    for (const [hash, e] of this.byHash) {
      if (e && e.minute < stale && e.pending === 0 && !e.leasing) {
        idle.push(e);
        this.byHash.delete(hash);
      }
    }
    if (idle.length > 0) this.background(this.giveBack(idle));
    for (const [hash, at] of this.negativeAt) if (Date.now() - at > AUTH_TTL_MS) (this.negativeAt.delete(hash), this.byHash.delete(hash));
    if (batch.length === 0) return;
    this.flushing = this.flushBatch(batch).finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async flushBatch(batch: Entry[]): Promise<void> {
    const sent = batch.map((e) => e.pending);
    batch.forEach((e) => (e.pending = 0));
    try {
      const values = sql.join(batch.map((e, i) => sql`(${e.row.id}, ${e.minute}::integer, ${sent[i]}::integer)`));
      const { rows } = await sql<{ key_id: string; window_start: number; count: number }>`
        INSERT INTO rate_windows (key_id, window_start, count) VALUES ${values}
        ON CONFLICT (key_id, window_start) DO UPDATE SET count = rate_windows.count + excluded.count
        RETURNING key_id, window_start, count`.execute(this.db);
      for (const r of rows) {
        const e = batch.find((b) => b.row.id === r.key_id && b.minute === r.window_start);
        if (e) e.dbCount = r.count;
      }
    } catch (err) {
      // Not lost: put the counts back for the next flush.
      batch.forEach((e, i) => (e.pending += sent[i]));
      throw err;
    }
  }

  /** Takes unused leases off the counts they were added to. */
  private async giveBack(entries: Entry[]): Promise<void> {
    const held = entries.filter((e) => e.unused > 0);
    if (held.length === 0) return;
    const values = sql.join(held.map((e) => sql`(${e.row.id}, ${e.minute}::integer, ${e.unused}::integer)`));
    held.forEach((e) => (e.unused = 0));
    await sql`UPDATE rate_windows w SET count = greatest(w.count - v.n, 0)
                FROM (VALUES ${values}) AS v(key_id, window_start, n)
               WHERE w.key_id = v.key_id AND w.window_start = v.window_start`.execute(this.db);
  }
}
