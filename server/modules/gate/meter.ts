// The daily gate-evaluation quota, leased from the database in blocks.
//
// An evaluation must not wait for a database write, and a crash must never hand out evaluations
// the database did not count. So a replica takes a block of units from the account's usage_daily
// row in one conditional update (the update only succeeds while the whole block fits under the
// limit) and serves evaluations from it in memory. The row therefore counts every unit any
// replica may still spend:
//   - a crash loses the unused units of its lease: they stay counted as spent (the quota errs on
//     denying, by at most one lease per replica per crash);
//   - a graceful stop gives the unused units back;
//   - the last units of the day are taken one at a time (when a whole block no longer fits), so
//     one replica is exact; N replicas can refuse early by at most what the others hold unused
//     (a block and a quarter each: the next block is leased ahead, see leased-units.ts).
// Unlimited plans lease too (the row is their usage report) and can never be refused.
import { sql, type Kysely } from 'kysely';
import type { Database, Plan } from '../../db/schema.js';
import type { PlanLimits } from '../../limits/plans.js';
import { secondsUntilUtcMidnight, utcDay } from '../../limits/service.js';
import { LeasedUnits } from './leased-units.js';

/** Units per lease: 1% of the daily limit, at least 1 and at most MAX_LEASE. */
export const MAX_LEASE = 100;
export const UNLIMITED_LEASE = 500;

export function leaseSize(limit: number | null): number {
  if (limit === null) return UNLIMITED_LEASE;
  return Math.max(1, Math.min(MAX_LEASE, Math.floor(limit / 100)));
}

interface Lease {
  accountId: string;
  day: string;
  /** The plan's limit as of the latest call: a refill leases under it (plans change). */
  limit: number | null;
  bucket: LeasedUnits;
}

export interface MeterResult {
  allowed: boolean;
  limit: number | null;
  retryAfter: number;
}

export class GateMeter {
  private readonly leases = new Map<string, Lease>();
  private readonly returning = new Set<Promise<void>>();
  private dayStart = 0;
  private dayEnd = 0;
  private dayName = '';

  constructor(
    private readonly db: Kysely<Database>,
    private readonly limits: Record<Plan, PlanLimits>,
    private readonly now: () => number,
  ) {}

  start(): void {}

  /** Gives every unused unit back: they were counted when leased. */
  async stop(): Promise<void> {
    const held = [...this.leases.values()];
    this.leases.clear();
    await Promise.all(held.map((l) => l.bucket.settled()));
    await Promise.all(this.returning);
    const back = held.map((l) => ({ l, n: l.bucket.drain() })).filter((b) => b.n > 0);
    if (back.length === 0) return;
    const values = sql.join(back.map(({ l, n }) => sql`(${l.accountId}, ${l.day}, ${n}::integer)`));
    await sql`UPDATE usage_daily u SET count = greatest(u.count - v.n, 0)
                FROM (VALUES ${values}) AS v(account_id, day, n)
               WHERE u.account_id = v.account_id AND u.day = v.day AND u.metric = 'gate_evaluations'`.execute(this.db);
  }

  /** Spends one evaluation; `allowed` false once today's quota is spent. */
  async take(accountId: string, plan: Plan): Promise<MeterResult> {
    const limit = this.limits[plan].daily.gate_evaluations;
    const t = this.now();
    const day = this.day(t);
    let lease = this.leases.get(accountId);
    if (lease && lease.day !== day) {
      // Yesterday's leftovers are worthless today: hand them back, start afresh.
      this.leases.delete(accountId);
      const old = lease;
      this.background(old.bucket.settled().then(() => this.giveBack(old, old.bucket.drain())));
      lease = undefined;
    }
    if (!lease) {
      const l: Lease = { accountId, day, limit, bucket: new LeasedUnits(() => this.lease(accountId, day, l.limit), leaseSize(limit)) };
      this.leases.set(accountId, (lease = l));
    }
    lease.limit = limit;
    if (await lease.bucket.take()) return { allowed: true, limit, retryAfter: 0 };
    return { allowed: false, limit, retryAfter: secondsUntilUtcMidnight(t) };
  }

  /** One conditional upsert: a whole block if it fits under the limit, else one unit, else none. */
  private async lease(accountId: string, day: string, limit: number | null): Promise<number> {
    const size = leaseSize(limit);
    for (const n of size > 1 ? [size, 1] : [1]) {
      if (limit !== null && n > limit) continue;
      const { rows } = await sql<{ count: number }>`
        INSERT INTO usage_daily (account_id, day, metric, count) VALUES (${accountId}, ${day}, 'gate_evaluations', ${n}::integer)
        ON CONFLICT (account_id, day, metric) DO UPDATE SET count = usage_daily.count + excluded.count
         WHERE ${limit}::integer IS NULL OR usage_daily.count + excluded.count <= ${limit}::integer
        RETURNING count`.execute(this.db);
      if (rows.length > 0) return n;
    }
    return 0;
  }

  private async giveBack(lease: Lease, units: number): Promise<void> {
    if (units === 0) return;
    await sql`UPDATE usage_daily SET count = greatest(count - ${units}::integer, 0)
               WHERE account_id = ${lease.accountId} AND day = ${lease.day} AND metric = 'gate_evaluations'`.execute(this.db);
  }

  /** Gives back in the background; stop() waits for every one still running. */
  private background(p: Promise<void>): void {
    const tracked = p.catch(() => {}).finally(() => this.returning.delete(tracked));
    this.returning.add(tracked);
  }

  /** utcDay without formatting a date on every call. */
  private day(t: number): string {
    if (t < this.dayStart || t >= this.dayEnd) {
      this.dayName = utcDay(t);
      this.dayStart = Date.parse(`${this.dayName}T00:00:00.000Z`);
      this.dayEnd = this.dayStart + 86_400_000;
    }
    return this.dayName;
  }
}
