// The hot path of every authenticated request: who is this key, and is it over its limit?
//
// Asking the database on every request would cap the whole server at the database's round-trip
// rate (about 1 ms on PGlite, which runs on this thread). So each replica:
//   - caches a key's row for a few seconds (AUTH_TTL_MS). Revoking or rotating on this replica
//     drops the entry at once; other replicas notice within the TTL.
//   - counts requests locally and adds them to the database's per-minute counter every second
//     (FLUSH_MS) and on shutdown. The decision uses the database's count (which includes every
//     replica's flushed requests) plus this replica's unflushed ones, so one replica is exact and N
//     replicas can overshoot by at most what they receive within one flush interval.
// The first request of a key in a minute (or after the TTL) is one round trip (admitKey) that
// authenticates, refreshes last_used_at and reads both minutes' counts.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { admitKey, epochMinute, type AdmittedKey } from '../limits/service.js';

export const AUTH_TTL_MS = 5_000;
export const FLUSH_MS = 1_000;

interface Entry {
  row: AdmittedKey;
  fetchedAt: number;
  minute: number;
  /** This minute's count in the database as last seen (all replicas). */
  dbCount: number;
  /** The previous minute's final count. */
  dbPrev: number;
  /** Counted here, not yet in the database. */
  pending: number;
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

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush().catch(() => {}), FLUSH_MS).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flushing?.catch(() => {});
    await this.flush();
  }

  /** Counts this request and returns the key (undefined: no such key) with the window counts. */
  async admit(keyHash: string): Promise<Admission | undefined> {
    const t = this.now();
    const minute = epochMinute(t);
    let e = this.byHash.get(keyHash);
    // Unknown keys are remembered briefly too, so guessing does not turn into database load.
    // Safe: a key created later is a fresh random secret nobody could have presented before.
    if (e === null && Date.now() - (this.negativeAt.get(keyHash) ?? 0) < AUTH_TTL_MS) return undefined;
    if (!e || Date.now() - e.fetchedAt >= AUTH_TTL_MS || e.minute !== minute) {
      const fresh = await this.refresh(keyHash, t, minute);
      if (!fresh) return undefined;
      // Revoked or expired: refused before any counting, and never cached.
      if (!fresh.row.valid) return { row: fresh.row, current: 0, previous: 0 };
      e = fresh;
    }
    e.pending++;
    return { row: e.row, current: e.dbCount + e.pending, previous: e.dbPrev };
  }

  /** One round trip per key at a time: concurrent requests for the same key share it. */
  private refresh(keyHash: string, t: number, minute: number): Promise<Entry | null> {
    let p = this.inflight.get(keyHash);
    if (!p) {
      p = (async () => {
        const old = this.byHash.get(keyHash);
        if (old && old.pending > 0) await this.flushBatch([old]);
        const row = await admitKey(this.db, keyHash, t, 0);
        if (!row) {
          this.byHash.set(keyHash, null);
          this.negativeAt.set(keyHash, Date.now());
          return null;
        }
        const entry: Entry = { row, fetchedAt: Date.now(), minute, dbCount: row.current_count ?? 0, dbPrev: row.previous_count ?? 0, pending: 0 };
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
    for (const [hash, e] of this.byHash) {
      if (keyId === undefined || e?.row.id === keyId) {
        if (e && e.pending > 0) void this.flushBatch([e]).catch(() => {});
        this.byHash.delete(hash);
      }
    }
  }

  /** Adds every unflushed count to the database in one statement and learns the totals. */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const batch = [...this.byHash.values()].filter((e): e is Entry => !!e && e.pending > 0);
    const stale = epochMinute(this.now()) - 1;
    for (const [hash, e] of this.byHash) if (e && e.minute < stale && e.pending === 0) this.byHash.delete(hash);
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
      await sql`UPDATE api_keys SET last_used_at = now()
                 WHERE id IN (${sql.join(batch.map((e) => e.row.id))})
                   AND (last_used_at IS NULL OR last_used_at < now() - interval '10 seconds')`.execute(this.db);
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
}
