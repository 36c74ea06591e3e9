// The daily gate-evaluation quota, counted the way the Gatekeeper counts requests (see
// auth/gatekeeper.ts): the first evaluation of an account in a day (or after REFRESH_MS) is one
// round trip that adds this replica's pending count and reads the total; the others count in
// memory and are flushed every FLUSH_MS. One replica is exact; N replicas can overshoot the daily
// quota by what they evaluate within one flush interval. Quotas are billing, not safety: the
// safety limits (compute caps, approvals) are exact in SQL.
import { sql, type Kysely } from 'kysely';
import type { Database, Plan } from '../../db/schema.js';
import type { PlanLimits } from '../../limits/plans.js';
import { secondsUntilUtcMidnight, utcDay } from '../../limits/service.js';

export const FLUSH_MS = 1_000;
const REFRESH_MS = 5_000;

interface Entry {
  accountId: string;
  day: string;
  dbCount: number;
  pending: number;
  fetchedAt: number;
}

export interface MeterResult {
  allowed: boolean;
  limit: number | null;
  retryAfter: number;
}

export class GateMeter {
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly limits: Record<Plan, PlanLimits>,
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

  /** Counts one evaluation; `allowed` false once today's quota is spent. */
  async take(accountId: string, plan: Plan): Promise<MeterResult> {
    const limit = this.limits[plan].daily.gate_evaluations;
    const t = this.now();
    const day = utcDay(t);
    let e = this.entries.get(accountId);
    if (!e || e.day !== day || Date.now() - e.fetchedAt > REFRESH_MS) e = await this.refresh(accountId, day, e);
    if (limit !== null && e.dbCount + e.pending >= limit) return { allowed: false, limit, retryAfter: secondsUntilUtcMidnight(t) };
    e.pending++;
    return { allowed: true, limit, retryAfter: 0 };
  }

  private async refresh(accountId: string, day: string, old: Entry | undefined): Promise<Entry> {
    const carry = old && old.day === day ? old.pending : 0;
    if (old && old.day !== day && old.pending > 0) await this.flushBatch([old]);
    if (old) old.pending -= carry;
    const { rows } = await sql<{ count: number }>`
      INSERT INTO usage_daily (account_id, day, metric, count) VALUES (${accountId}, ${day}, 'gate_evaluations', ${carry}::integer)
      ON CONFLICT (account_id, day, metric) DO UPDATE SET count = usage_daily.count + excluded.count
      RETURNING count`.execute(this.db);
    const fresh: Entry = { accountId, day, dbCount: rows[0]?.count ?? carry, pending: old && old.day === day ? old.pending : 0, fetchedAt: Date.now() };
    this.entries.set(accountId, fresh);
    return fresh;
  }

  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const batch = [...this.entries.values()].filter((e) => e.pending > 0);
    if (batch.length === 0) return;
    this.flushing = this.flushBatch(batch).finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async flushBatch(batch: Entry[]): Promise<void> {
    const sent = batch.map((e) => e.pending);
    batch.forEach((e) => (e.pending = 0));
    try {
      const values = sql.join(batch.map((e, i) => sql`(${e.accountId}, ${e.day}, 'gate_evaluations', ${sent[i]}::integer)`));
      const { rows } = await sql<{ account_id: string; day: string; count: number }>`
        INSERT INTO usage_daily (account_id, day, metric, count) VALUES ${values}
        ON CONFLICT (account_id, day, metric) DO UPDATE SET count = usage_daily.count + excluded.count
        RETURNING account_id, day, count`.execute(this.db);
      for (const r of rows) {
        const e = batch.find((b) => b.accountId === r.account_id && b.day === r.day);
        if (e) e.dbCount = r.count;
      }
    } catch (err) {
      batch.forEach((e, i) => (e.pending += sent[i]));
      throw err;
    }
  }
}
