// Leases of a run's tool-call cap (max_tool_calls_per_run), so most capped calls need no database
// round trip. Same idea as the quota meter (meter.ts): one conditional upsert takes a block of
// calls from the run's gate_runs row only while the whole block fits under the cap, and the calls
// are then allowed from memory. The row counts every call a replica may still allow, so:
//   - the cap can never be exceeded, by any number of replicas or restarts;
//   - a crash leaves its unused calls counted (the run is refused early, never late; by at most a
//     block and a quarter, as the next block is leased ahead: leased-units.ts);
//   - a graceful stop gives them back;
//   - the last calls under the cap are taken one at a time, so one replica refuses exactly at it.
// Only the calls-only cap is leased: token and runtime caps depend on each call (its tokens, the
// database's clock), so the service keeps those exact in SQL, per call.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { LeasedUnits } from './leased-units.js';

export const MAX_CAP_LEASE = 100;
const MAX_RUNS = 10_000;

/** A tenth of the cap, at least 1 (small caps are counted call by call) and at most MAX_CAP_LEASE. */
export function capLeaseSize(maxCalls: number): number {
  return Math.max(1, Math.min(MAX_CAP_LEASE, Math.floor(maxCalls / 10)));
}

interface RunLease {
  accountId: string;
  agentId: string;
  runId: string;
  /** The cap the units were leased under: a changed layer starts a fresh lease. */
  maxCalls: number;
  bucket: LeasedUnits;
}

export class CapLeases {
  private readonly runs = new Map<string, RunLease>();
  private readonly returning = new Set<Promise<void>>();

  constructor(private readonly db: Kysely<Database>) {}

  /** Spends one call of the run; false once the run has made `maxCalls` calls. */
  async take(accountId: string, agentId: string, runId: string, maxCalls: number): Promise<boolean> {
    const key = `${accountId}\u0000${agentId}\u0000${runId}`;
    let run = this.runs.get(key);
    if (run && run.maxCalls !== maxCalls) {
      this.runs.delete(key);
      const old = run;
      this.background(old.bucket.settled().then(() => this.giveBack([old])));
      run = undefined;
    }
    if (!run) {
      const r: RunLease = { accountId, agentId, runId, maxCalls, bucket: new LeasedUnits(() => this.lease(r), capLeaseSize(maxCalls)) };
      this.runs.set(key, (run = r));
      this.evict();
    }
    return run.bucket.take();
  }

  /** Gives every unused call back (a graceful stop). */
  async stop(): Promise<void> {
    const held = [...this.runs.values()];
    this.runs.clear();
    await Promise.all(held.map((r) => r.bucket.settled()));
    await this.giveBack(held);
    await Promise.all(this.returning);
  }

  /** Gives back in the background; stop() waits for every one still running. */
  private background(p: Promise<void>): void {
    const tracked = p.catch(() => {}).finally(() => this.returning.delete(tracked));
    this.returning.add(tracked);
  }

  private async lease(run: RunLease): Promise<number> {
    const size = capLeaseSize(run.maxCalls);
    for (const n of size > 1 ? [size, 1] : [1]) {
      if (n > run.maxCalls) continue;
      const { rows } = await sql<{ tool_calls: number }>`
        INSERT INTO gate_runs (account_id, agent_id, run_id, tool_calls, tokens)
        VALUES (${run.accountId}, ${run.agentId}, ${run.runId}, ${n}::integer, 0)
        ON CONFLICT (account_id, agent_id, run_id) DO UPDATE
           SET tool_calls = gate_runs.tool_calls + excluded.tool_calls, updated_at = now()
         WHERE gate_runs.tool_calls + excluded.tool_calls <= ${run.maxCalls}::integer
        RETURNING tool_calls`.execute(this.db);
      if (rows.length > 0) return n;
    }
    return 0;
  }

  private async giveBack(all: RunLease[]): Promise<void> {
    const runs = all.map((r) => ({ r, n: r.bucket.drain() })).filter((b) => b.n > 0);
    if (runs.length === 0) return;
    const values = sql.join(runs.map(({ r, n }) => sql`(${r.accountId}, ${r.agentId}, ${r.runId}, ${n}::integer)`));
    await sql`UPDATE gate_runs g SET tool_calls = greatest(g.tool_calls - v.n, 0)
                FROM (VALUES ${values}) AS v(account_id, agent_id, run_id, n)
               WHERE g.account_id = v.account_id AND g.agent_id = v.agent_id AND g.run_id = v.run_id`.execute(this.db);
  }

  /** Runs end without telling us: the oldest leases go (their unused calls back) past MAX_RUNS. */
  private evict(): void {
    if (this.runs.size <= MAX_RUNS) return;
    const out: RunLease[] = [];
    for (const [key, run] of this.runs) {
      if (this.runs.size <= MAX_RUNS) break;
      if (run.bucket.busy) continue;
      this.runs.delete(key);
      out.push(run);
    }
    this.background(this.giveBack(out));
  }
}
