// Rate limits and quotas, counted in the database so they hold across restarts and replicas.
//
// Per-minute limit: a sliding-window counter. Each key has a count per epoch minute; the window
// "now minus 60 s" is estimated as this minute's count plus the previous minute's count weighted by
// how much of it still lies inside the window. Two rows per key, one upsert per request, and no
// burst of 2x at a minute boundary the way a fixed window allows.
import { sql, type Kysely } from 'kysely';
import type { Database, Plan, QuotaMetric } from '../db/schema.js';
import type { PlanLimits } from './plans.js';

export interface WindowState {
  limit: number;
  remaining: number;
  /** Seconds until the current minute ends and the estimate next falls. */
  resetSeconds: number;
  /** Seconds until a request would be allowed again; 0 when allowed. */
  retryAfter: number;
  allowed: boolean;
}

export function epochMinute(nowMs: number): number {
  return Math.floor(nowMs / 60_000);
}

/** The sliding-window decision from the two counters (the current request already counted). */
export function slidingWindow(current: number, previous: number, limit: number, nowMs: number): WindowState {
  const elapsed = (nowMs % 60_000) / 60_000;
  const weightPrev = 1 - elapsed;
  const estimate = previous * weightPrev + current;
  const resetSeconds = Math.max(1, Math.ceil((60_000 - (nowMs % 60_000)) / 1000));
  const allowed = estimate <= limit;
  let retryAfter = 0;
  if (!allowed) {
    // When does previous*(1-t) + current drop to the limit (with no further requests)? Within this
    // minute if the previous minute's share is enough; otherwise once this minute becomes the
    // previous one and decays in turn.
    // The next request adds one, hence the +1.
    const excess = estimate + 1 - limit;
    if (previous > 0 && excess <= previous * weightPrev) {
      retryAfter = Math.ceil(((excess / previous) * 60_000) / 1000);
    } else {
      const afterBoundary = current; // becomes `previous` at the boundary, weight 1 then decaying
      const needed = afterBoundary + 1 > limit ? ((afterBoundary + 1 - limit) / afterBoundary) * 60 : 0;
      retryAfter = resetSeconds + Math.ceil(needed);
    }
    retryAfter = Math.max(1, retryAfter);
  }
  return { limit, remaining: Math.max(0, Math.floor(limit - estimate)), resetSeconds, retryAfter, allowed };
}

export interface AdmittedKey {
  id: string;
  account_id: string;
  prefix: string;
  scopes: string[];
  rate_limit_per_minute: number | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  plan: Plan;
  is_operator: boolean;
  valid: boolean;
  current_count: number | null;
  previous_count: number | null;
}

/**
 * One round trip: find the key, refresh `last_used_at` (at most every 10 s, to spare writes), add
 * `increment` requests to this minute's window and read the previous one. The Gatekeeper calls
 * it on a key's first request in a minute (or after its cache TTL).
 * Data-modifying CTEs run exactly once whether or not the outer query reads them.
 */
export async function admitKey(db: Kysely<Database>, keyHash: string, nowMs: number, increment = 1): Promise<AdmittedKey | undefined> {
  const minute = epochMinute(nowMs);
  const { rows } = await sql<AdmittedKey>`
    WITH k AS (
      SELECT k.id, k.account_id, k.prefix, k.scopes, k.rate_limit_per_minute, k.expires_at, k.revoked_at,
             a.plan, a.is_operator,
             ((k.revoked_at IS NULL OR k.revoked_at > now()) AND (k.expires_at IS NULL OR k.expires_at > now())) AS valid
        FROM api_keys k JOIN accounts a ON a.id = k.account_id
       WHERE k.key_hash = ${keyHash}
    ), touch AS (
      UPDATE api_keys SET last_used_at = now()
       WHERE id IN (SELECT id FROM k WHERE valid)
         AND (last_used_at IS NULL OR last_used_at < now() - interval '10 seconds')
      RETURNING 1
    ), bump AS (
      INSERT INTO rate_windows (key_id, window_start, count)
      SELECT id, ${minute}::integer, ${increment}::integer FROM k WHERE valid
      ON CONFLICT (key_id, window_start) DO UPDATE SET count = rate_windows.count + excluded.count
      RETURNING count
    )
    SELECT k.*,
           (SELECT count FROM bump) AS current_count,
           (SELECT w.count FROM rate_windows w WHERE w.key_id = k.id AND w.window_start = ${minute - 1}::integer) AS previous_count
      FROM k`.execute(db);
  return rows[0];
}

/** Drops window rows that can no longer matter (older than the previous minute). */
export async function pruneWindows(db: Kysely<Database>, nowMs: number): Promise<void> {
  await db.deleteFrom('rate_windows').where('window_start', '<', epochMinute(nowMs) - 1).execute();
}

export function utcDay(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}

export function secondsUntilUtcMidnight(nowMs: number): number {
  const next = new Date(nowMs);
  next.setUTCHours(24, 0, 0, 0);
  return Math.max(1, Math.ceil((next.getTime() - nowMs) / 1000));
}

export interface QuotaResult {
  allowed: boolean;
  limit: number | null;
  used: number;
  retryAfter: number;
}

export class QuotaService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly limits: Record<Plan, PlanLimits>,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Takes one unit of today's quota, atomically: the upsert only increments below the limit, so
   * concurrent requests on several replicas can never overshoot it.
   */
  async consume(accountId: string, plan: Plan, metric: QuotaMetric): Promise<QuotaResult> {
    const limit = this.limits[plan].daily[metric];
    const now = this.now();
    const day = utcDay(now);
    if (limit === null) {
      // Unlimited plans still count, for usage reports.
      const { rows } = await sql<{ count: number }>`
        INSERT INTO usage_daily (account_id, day, metric, count) VALUES (${accountId}, ${day}, ${metric}, 1)
        ON CONFLICT (account_id, day, metric) DO UPDATE SET count = usage_daily.count + 1
        RETURNING count`.execute(this.db);
      return { allowed: true, limit, used: rows[0]?.count ?? 1, retryAfter: 0 };
    }
    const { rows } = await sql<{ count: number }>`
      INSERT INTO usage_daily (account_id, day, metric, count)
      SELECT ${accountId}, ${day}, ${metric}, 1 WHERE ${limit} >= 1
      ON CONFLICT (account_id, day, metric) DO UPDATE SET count = usage_daily.count + 1
       WHERE usage_daily.count < ${limit}
      RETURNING count`.execute(this.db);
    if (rows[0]) return { allowed: true, limit, used: rows[0].count, retryAfter: 0 };
    return { allowed: false, limit, used: limit, retryAfter: secondsUntilUtcMidnight(now) };
  }

  /** Gives a unit back when the work it paid for failed. */
  async refund(accountId: string, metric: QuotaMetric): Promise<void> {
    await this.db
      .updateTable('usage_daily')
      .set({ count: sql`greatest(count - 1, 0)` })
      .where('account_id', '=', accountId)
      .where('day', '=', utcDay(this.now()))
      .where('metric', '=', metric)
      .execute();
  }

  async usageToday(accountId: string): Promise<Record<QuotaMetric, number>> {
    const rows = await this.db
      .selectFrom('usage_daily')
      .select(['metric', 'count'])
      .where('account_id', '=', accountId)
      .where('day', '=', utcDay(this.now()))
      .execute();
    const out: Record<QuotaMetric, number> = { scans: 0, gate_evaluations: 0, approval_requests: 0 };
    for (const r of rows) out[r.metric] = r.count;
    return out;
  }
}
