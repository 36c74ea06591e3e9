// The execution gate: POST /gate/evaluate, gate policies, the decision log.
//
// Hot path (an allowed call with a warm cache) touches no database: the snapshot (layer + base +
// gate policy, compiled) is cached per agent for SNAPSHOT_TTL_MS and dropped at once when this
// replica changes it; the daily quota and a run's tool-call cap are spent from blocks leased from
// the database (meter.ts, cap-lease.ts: never past the limit, even across a crash); allowed calls'
// log rows are buffered and written in batches every LOG_FLUSH_MS and on shutdown.
// What must be exact per call stays in SQL: token and runtime caps (one conditional upsert),
// approval consumption (one conditional update), and every block and require_approval, whose log
// row is written — with its gate.blocked webhook or its approval — before the answer is sent.
// Any exception anywhere answers `block` with reason `internal_error`: the gate never fails open.
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { actorLabel, type Actor, type KeyActor } from '../../actor.js';
import type { CopyRows } from '../../db/copy.js';
import type { Database, GatePoliciesTable, Plan } from '../../db/schema.js';
import { ApiError, notFound } from '../../errors.js';
import type { EventBus } from '../../events.js';
import { newSortableId } from '../../ids.js';
import type { PlanLimits } from '../../limits/plans.js';
import type { QuotaService } from '../../limits/service.js';
import { createApproval } from '../approvals/service.js';
import { compileLayer, mergeLayers, type PermissionLayer } from '../permissions/model.js';
import { loadLayers } from '../permissions/service.js';
import type { Reason } from './checks.js';
import { decide, verdictOf, type PolicyVersion, type Snapshot, type Verdict } from './decide.js';
import { CapLeases } from './cap-lease.js';
import { GateMeter } from './meter.js';
import { compilePolicy, parsePolicySource, type GatePolicy } from './policy-doc.js';

export const SNAPSHOT_TTL_MS = 2_000;
export const LOG_FLUSH_MS = 500;
const LOG_BATCH = 500;
const MAX_CACHED = 10_000;

export interface EvaluateInput {
  agent_id: string;
  tool_name: string;
  parameters?: Record<string, unknown>;
  context?: { run_id?: string; triggered_by?: string; tokens?: number; [k: string]: unknown };
  /** The approved request this call was waiting for (from an earlier require_approval). */
  approval_request_id?: string;
}

export interface GateResult {
  evaluation_id: string;
  decision: 'allow' | 'block' | 'require_approval';
  reason: string;
  reasons: Reason[];
  risk_score: number;
  approval_request_id: string | null;
  policy_version: PolicyVersion;
  evaluated_at: string;
}

export interface GateBlockedEvent {
  account_id: string;
  gate_id: string;
  agent_id: string;
  tool_name: string;
  reason: string;
  run_id: string | null;
  /** The whole result, for webhook receivers. */
  gate: GateResult & { agent_id: string; tool_name: string };
}

export interface GatePolicyEvent {
  account_id: string;
  gate_policy_id: string;
  agent_id: string;
  version: number;
}

declare module '../../events.js' {
  interface AppEvents {
    'gate.blocked': GateBlockedEvent;
    'gate_policy.changed': GatePolicyEvent;
  }
}

export interface GatePolicyView {
  agent_id: string;
  version: number;
  format: 'yaml' | 'json';
  source: string;
  policy: GatePolicy;
  changed_by: string;
  created_at: string;
}

export interface GateLogView {
  id: string;
  agent_id: string;
  tool_name: string;
  decision: string;
  reason: string;
  reasons: unknown[];
  risk_score: number;
  run_id: string | null;
  approval_request_id: string | null;
  policy_version: Record<string, number | null>;
  evaluated_at: string;
}

/** A gate_log row as JSON: batches go to the database as one jsonb parameter (see insertLog). */
interface LogRow {
  id: string;
  account_id: string;
  agent_id: string;
  tool_name: string;
  decision: GateResult['decision'];
  reason: string;
  reasons: Reason[];
  risk_score: number;
  run_id: string | null;
  approval_request_id: string | null;
  policy_version: PolicyVersion;
  evaluated_at: string;
}

const LOG_COLUMNS: readonly (keyof LogRow)[] = ['id', 'account_id', 'agent_id', 'tool_name', 'decision', 'reason', 'reasons', 'risk_score', 'run_id', 'approval_request_id', 'policy_version', 'evaluated_at'];

/** sha256 of the call's agent, tool and parameters, with object keys sorted: what an approval approves. */
export function callHash(agentId: string, toolName: string, parameters: Record<string, unknown>): string {
  return createHash('sha256').update(canonical({ agent_id: agentId, tool_name: toolName, parameters })).digest('hex');
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

const reason = (code: string, severity: Reason['severity'], title: string, evidence: string, effect: Reason['effect']): Reason => ({ code, severity, title, evidence, effect });

interface CacheEntry {
  snap: Snapshot;
  fetchedAt: number;
}

export interface GateServiceOptions {
  now?: () => number;
  log?: { error: (obj: unknown, msg: string) => void };
  /** The database's bulk path for the log's batches (COPY on PGlite), when it has one. */
  copyRows?: CopyRows;
}

export class GateService {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly loading = new Map<string, Promise<Snapshot>>();
  private readonly meter: GateMeter;
  private readonly capLeases: CapLeases;
  private logBuffer: LogRow[] = [];
  private logTimer: NodeJS.Timeout | undefined;
  private logFlushing: Promise<void> | undefined;
  /** Bumped by every local change: a load that started before it must not be cached. */
  private generation = 0;
  private readonly now: () => number;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly events: EventBus,
    private readonly quotas: QuotaService,
    limits: Record<Plan, PlanLimits>,
    private readonly opts: GateServiceOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.meter = new GateMeter(db, limits, this.now);
    this.capLeases = new CapLeases(db);
  }

  start(): void {
    this.meter.start();
    this.logTimer ??= setInterval(() => void this.flushLog().catch((err) => this.opts.log?.error({ err }, 'gate log flush failed')), LOG_FLUSH_MS).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.logTimer);
    this.logTimer = undefined;
    await this.logFlushing?.catch(() => {});
    await Promise.all([
      this.flushLog().catch((err) => this.opts.log?.error({ err }, 'gate log flush failed')),
      this.meter.stop().catch(() => {}),
      this.capLeases.stop().catch(() => {}),
    ]);
  }

  /** Drops cached snapshots of one agent, or every agent of the account (the base layer changed). */
  invalidate(accountId: string, agentId?: string): void {
    this.generation++;
    if (agentId !== undefined && agentId !== '_base') this.cache.delete(`${accountId}\u0000${agentId}`);
    else for (const key of this.cache.keys()) if (key.startsWith(`${accountId}\u0000`)) this.cache.delete(key);
  }

  // ---- snapshots --------------------------------------------------------------------------------

  /** The agent's compiled snapshot: cached, or loaded once for all concurrent callers. */
  async snapshot(accountId: string, agentId: string): Promise<Snapshot> {
    const key = `${accountId}\u0000${agentId}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.fetchedAt < SNAPSHOT_TTL_MS) return hit.snap;
    let p = this.loading.get(key);
    if (!p) {
      const gen = this.generation;
      p = this.load(accountId, agentId)
        .then((snap) => {
          if (gen === this.generation) {
            this.cache.delete(key);
            this.cache.set(key, { snap, fetchedAt: Date.now() });
            // Oldest first out: Map keeps insertion order.
            if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
          }
          return snap;
        })
        .finally(() => this.loading.delete(key));
      this.loading.set(key, p);
    }
    return p;
  }

  private async load(accountId: string, agentId: string): Promise<Snapshot> {
    const [{ own, base }, policyRow] = await Promise.all([loadLayers(this.db, accountId, agentId), this.currentPolicyRow(this.db, accountId, agentId)]);
    const ownLayer = own?.layer as unknown as PermissionLayer | undefined;
    const baseLayer = (base?.layer as unknown as PermissionLayer | undefined) ?? null;
    return Object.freeze({
      accountId,
      agentId,
      version: { permissions: own?.version ?? null, base: base?.version ?? null, gate_policy: policyRow?.version ?? null },
      layer: ownLayer ? compileLayer(mergeLayers(baseLayer, ownLayer)) : null,
      policy: policyRow ? compilePolicy(policyRow.policy as unknown as GatePolicy) : null,
    });
  }

  // ---- evaluation -------------------------------------------------------------------------------

  async evaluate(actor: KeyActor, input: EvaluateInput): Promise<GateResult> {
    let q: Awaited<ReturnType<GateMeter['take']>>;
    try {
      q = await this.meter.take(actor.account_id, actor.plan);
    } catch (err) {
      // The quota could not be read: not a reason to let the call through.
      this.opts.log?.error({ err }, 'gate quota check failed; answering block');
      return this.failed(actor, input, newSortableId('gte'), { permissions: null, base: null, gate_policy: null }, new Date(this.now()));
    }
    if (!q.allowed) {
      throw new ApiError(
        429,
        'quota_exceeded',
        `the ${actor.plan} plan allows ${q.limit} gate evaluations per day; the quota resets at 00:00 UTC`,
        { metric: 'gate_evaluations', limit: q.limit },
        { 'retry-after': String(q.retryAfter) },
      );
    }
    const evaluatedAt = new Date(this.now());
    const id = newSortableId('gte', evaluatedAt.getTime());
    let version: PolicyVersion = { permissions: null, base: null, gate_policy: null };
    try {
      const snap = await this.snapshot(actor.account_id, input.agent_id);
      version = snap.version;
      return await this.evaluateOn(snap, actor, input, id, evaluatedAt);
    } catch (err) {
      this.opts.log?.error({ err, agent_id: input.agent_id, tool_name: input.tool_name }, 'gate evaluation failed; answering block');
      return this.failed(actor, input, id, version, evaluatedAt);
    }
  }

  private failed(actor: KeyActor, input: EvaluateInput, id: string, version: PolicyVersion, at: Date): GateResult {
    const result = this.result(id, verdictOf([reason('internal_error', 'critical', 'the gate could not evaluate this call, so it is blocked', 'see the server log for this evaluation id', 'block')], null), null, version, at);
    // Best effort: the database may be what failed. The answer does not wait for it.
    void this.recordBlock(actor, input, result).catch(() => {});
    return result;
  }

  private result(id: string, v: Verdict, approvalId: string | null, version: PolicyVersion, at: Date): GateResult {
    return { evaluation_id: id, decision: v.decision, reason: v.reason, reasons: v.reasons, risk_score: v.risk_score, approval_request_id: approvalId, policy_version: version, evaluated_at: at.toISOString() };
  }

  private async evaluateOn(snap: Snapshot, actor: KeyActor, input: EvaluateInput, id: string, at: Date): Promise<GateResult> {
    const parameters = input.parameters ?? {};
    const runId = typeof input.context?.run_id === 'string' ? input.context.run_id : undefined;
    const verdict = decide(snap, { tool_name: input.tool_name, parameters }, runId);
    let approvalId: string | null = null;
    let final = verdict;

    if (verdict.decision === 'require_approval') {
      if (input.approval_request_id) {
        const outcome = await this.redeem(actor, input, parameters, verdict, runId);
        final = outcome.verdict;
        approvalId = input.approval_request_id;
      } else {
        const created = await this.requestApproval(actor, input, parameters, verdict, snap, id, at);
        return created;
      }
    } else if (verdict.decision === 'allow' && verdict.caps && runId) {
      const capReason = await this.spendCaps(actor.account_id, input.agent_id, runId, verdict.caps, tokensOf(input));
      if (capReason) final = verdictOf([...verdict.reasons, capReason], verdict.caps);
    }

    const result = this.result(id, final, approvalId, snap.version, at);
    if (result.decision === 'block') await this.recordBlock(actor, input, result);
    else this.bufferLog(actor.account_id, input, result);
    return result;
  }

  /**
   * A calls-only cap is spent from a lease (cap-lease.ts), which never lets a run past its cap.
   * Token and runtime caps, and a refused lease (for the reason's evidence, and because another
   * replica may have given calls back since), take the exact path.
   */
  private async spendCaps(accountId: string, agentId: string, runId: string, caps: NonNullable<Verdict['caps']>, tokens: number): Promise<Reason | null> {
    const maxCalls = caps.max_tool_calls_per_run;
    if (maxCalls !== null && caps.max_tokens_per_run === null && caps.max_runtime_seconds === null) {
      if (await this.capLeases.take(accountId, agentId, runId, maxCalls)) return null;
    }
    return this.takeCaps(this.db, accountId, agentId, runId, caps, tokens);
  }

  /** Exact in SQL: one conditional upsert per call; concurrent calls can never pass a cap together. */
  private async takeCaps(db: Kysely<Database>, accountId: string, agentId: string, runId: string, caps: NonNullable<Verdict['caps']>, tokens: number): Promise<Reason | null> {
    const maxCalls = caps.max_tool_calls_per_run;
    const maxTokens = caps.max_tokens_per_run;
    const maxSeconds = caps.max_runtime_seconds;
    const { rows } = await sql<{ tool_calls: number }>`
      INSERT INTO gate_runs (account_id, agent_id, run_id, tool_calls, tokens)
      SELECT ${accountId}, ${agentId}, ${runId}, 1, ${tokens}::bigint
       WHERE (${maxTokens}::bigint IS NULL OR ${tokens}::bigint <= ${maxTokens}::bigint)
      ON CONFLICT (account_id, agent_id, run_id) DO UPDATE
         SET tool_calls = gate_runs.tool_calls + 1, tokens = gate_runs.tokens + excluded.tokens, updated_at = now()
       WHERE (${maxCalls}::integer IS NULL OR gate_runs.tool_calls < ${maxCalls}::integer)
         AND (${maxTokens}::bigint IS NULL OR gate_runs.tokens + excluded.tokens <= ${maxTokens}::bigint)
         AND (${maxSeconds}::integer IS NULL OR gate_runs.started_at > now() - make_interval(secs => ${maxSeconds}::integer))
      RETURNING tool_calls`.execute(db);
    if (rows.length > 0) return null;
    const run = await db.selectFrom('gate_runs').select(['tool_calls', 'tokens', 'started_at']).where('account_id', '=', accountId).where('agent_id', '=', agentId).where('run_id', '=', runId).executeTakeFirst();
    let which: string;
    if (!run) which = `this call's ${tokens} tokens exceed max_tokens_per_run ${maxTokens}`;
    else if (maxCalls !== null && run.tool_calls >= maxCalls) which = `${run.tool_calls} tool calls already made; max_tool_calls_per_run is ${maxCalls}`;
    else if (maxTokens !== null && Number(run.tokens) + tokens > maxTokens) which = `${Number(run.tokens)} tokens used plus ${tokens} would exceed max_tokens_per_run ${maxTokens}`;
    else which = `the run started at ${run.started_at.toISOString()}; max_runtime_seconds is ${maxSeconds}`;
    return reason('compute_cap_exceeded', 'high', `compute cap exceeded for run ${runId}`, which, 'block');
  }

  /**
   * A call that needs approval, sent again with the approval's id: allowed once when that approval
   * is approved, not yet used, and for this very call (same agent, tool and parameters). The cap
   * and the consumption commit together or not at all.
   */
  private async redeem(actor: KeyActor, input: EvaluateInput, parameters: Record<string, unknown>, verdict: Verdict, runId: string | undefined): Promise<{ verdict: Verdict }> {
    const approvalId = input.approval_request_id!;
    const hash = callHash(input.agent_id, input.tool_name, parameters);
    const others = verdict.reasons.filter((r) => r.effect !== 'require_approval');
    const block = (code: string, title: string, evidence: string) => ({ verdict: verdictOf([...verdict.reasons, reason(code, 'high', title, evidence, 'block')], verdict.caps) });
    type Outcome = { ok: true } | { ok: false; cap: Reason };
    let outcome: Outcome | undefined;
    try {
      outcome = await this.db.transaction().execute(async (trx) => {
        const used = await trx
          .updateTable('approvals')
          .set({ consumed_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
          .where('id', '=', approvalId)
          .where('account_id', '=', actor.account_id)
          .where('source', '=', 'gate')
          .where('agent_id', '=', input.agent_id)
          .where('gate_call_hash', '=', hash)
          .where('status', '=', 'approved')
          .where('consumed_at', 'is', null)
          .returning('id')
          .executeTakeFirst();
        if (!used) return undefined;
        if (verdict.caps && runId) {
          const cap = await this.takeCaps(trx, actor.account_id, input.agent_id, runId, verdict.caps, tokensOf(input));
          if (cap) throw new CapRollback(cap);
        }
        return { ok: true } as const;
      });
    } catch (err) {
      if (err instanceof CapRollback) outcome = { ok: false, cap: err.reason };
      else throw err;
    }
    if (outcome?.ok) {
      return { verdict: verdictOf([...others, reason('approved', 'low', 'approved by a person; this approval is now spent', `approval ${approvalId}`, 'allow')], verdict.caps) };
    }
    if (outcome && !outcome.ok) return { verdict: verdictOf([...verdict.reasons, outcome.cap], verdict.caps) };

    const row = await this.db
      .selectFrom('approvals')
      .select(['status', 'consumed_at', 'gate_call_hash', 'agent_id', 'source', 'expires_at'])
      .select(sql<string>`CASE WHEN status = 'pending' AND expires_at IS NOT NULL AND expires_at <= now() THEN 'expired' ELSE status END`.as('effective'))
      .where('id', '=', approvalId)
      .where('account_id', '=', actor.account_id)
      .executeTakeFirst();
    if (!row || row.source !== 'gate' || row.agent_id !== input.agent_id || row.gate_call_hash !== hash) {
      return block('approval_mismatch', 'the approval does not belong to this call', `approval ${approvalId} was not issued by the gate for this agent, tool and parameters`);
    }
    if (row.consumed_at) return block('approval_already_used', 'the approval was already used', `approval ${approvalId} let its call through at ${row.consumed_at.toISOString()}`);
    if (row.effective === 'expired') return block('approval_expired', 'the approval request expired before anyone approved it', `approval ${approvalId} expired at ${row.expires_at?.toISOString()}`);
    if (row.effective === 'denied') return block('approval_denied', 'the approval request was denied', `approval ${approvalId}`);
    // Still pending: keep waiting on the same request.
    return { verdict };
  }

  private async requestApproval(actor: KeyActor, input: EvaluateInput, parameters: Record<string, unknown>, verdict: Verdict, snap: Snapshot, id: string, at: Date): Promise<GateResult> {
    const q = await this.quotas.consume(actor.account_id, actor.plan, 'approval_requests');
    if (!q.allowed) {
      const v = verdictOf([...verdict.reasons, reason('approval_quota_exceeded', 'medium', `the ${actor.plan} plan's daily approval-request quota is spent`, `limit ${q.limit}`, 'block')], verdict.caps);
      const result = this.result(id, v, null, snap.version, at);
      await this.recordBlock(actor, input, result);
      return result;
    }
    const gateActor: Actor = { kind: 'system', reason: 'gate' };
    const policy = snap.policy?.policy.approval ?? { expires_in_seconds: 3600, urgency: 'medium' as const };
    try {
      return await this.db.transaction().execute(async (trx) => {
        const approval = await createApproval(
          trx,
          this.events,
          actor.account_id,
          {
            agent_id: input.agent_id,
            action: input.tool_name,
            parameters,
            context: { ...(input.context ?? {}), gate_evaluation_id: id, reasons: verdict.reasons.map((r) => ({ code: r.code, title: r.title, evidence: r.evidence })) },
            urgency: policy.urgency,
            expires_in_seconds: policy.expires_in_seconds,
          },
          { source: 'gate', actor: gateActor, callHash: callHash(input.agent_id, input.tool_name, parameters) },
        );
        let result = this.result(id, verdict, approval.id, snap.version, at);
        // An approval policy may already have decided it (policies/service.ts).
        if (approval.status === 'denied') {
          result = this.result(id, verdictOf([...verdict.reasons, reason('approval_denied', 'high', 'an approval policy denied this call', `approval ${approval.id}: ${approval.reason ?? ''}`, 'block')], verdict.caps), approval.id, snap.version, at);
        } else if (approval.status === 'approved') {
          const redeemed = await this.redeemIn(trx, actor, input, approval.id, verdict);
          result = this.result(id, redeemed, approval.id, snap.version, at);
        }
        await this.insertLog(trx, [this.logRow(actor.account_id, input, result)]);
        if (result.decision === 'block') await this.emitBlocked(trx, actor, input, result);
        return result;
      });
    } catch (err) {
      await this.quotas.refund(actor.account_id, 'approval_requests').catch(() => {});
      throw err;
    }
  }

  /** An approval a policy approved at creation: spent at once by the call that asked for it. */
  private async redeemIn(trx: Kysely<Database>, actor: KeyActor, input: EvaluateInput, approvalId: string, verdict: Verdict): Promise<Verdict> {
    const runId = typeof input.context?.run_id === 'string' ? input.context.run_id : undefined;
    if (verdict.caps && runId) {
      const cap = await this.takeCaps(trx, actor.account_id, input.agent_id, runId, verdict.caps, tokensOf(input));
      if (cap) return verdictOf([...verdict.reasons, cap], verdict.caps);
    }
    await trx.updateTable('approvals').set({ consumed_at: sql<Date>`now()`, updated_at: sql<Date>`now()` }).where('id', '=', approvalId).where('consumed_at', 'is', null).execute();
    const others = verdict.reasons.filter((r) => r.effect !== 'require_approval');
    return verdictOf([...others, reason('auto_approved', 'low', 'an approval policy approved this call', `approval ${approvalId}`, 'allow')], verdict.caps);
  }

  // ---- the log ----------------------------------------------------------------------------------

  private logRow(accountId: string, input: EvaluateInput, r: GateResult): LogRow {
    return {
      id: r.evaluation_id,
      account_id: accountId,
      agent_id: input.agent_id,
      tool_name: input.tool_name,
      decision: r.decision,
      reason: r.reason,
      reasons: r.reasons,
      risk_score: r.risk_score,
      run_id: typeof input.context?.run_id === 'string' ? input.context.run_id : null,
      approval_request_id: r.approval_request_id,
      policy_version: r.policy_version,
      evaluated_at: r.evaluated_at,
    };
  }

  private bufferLog(accountId: string, input: EvaluateInput, r: GateResult): void {
    this.logBuffer.push(this.logRow(accountId, input, r));
    if (this.logBuffer.length >= LOG_BATCH) void this.flushLog().catch((err) => this.opts.log?.error({ err }, 'gate log flush failed'));
  }

  /**
   * One json parameter for the whole batch, expanded by the database: on PGlite (same thread) this
   * costs a fraction of binding twelve parameters per row, which is what the hot path pays for.
   * json, not jsonb: the document is read once, so converting all of it to jsonb first (only the
   * two jsonb columns need it) cost about 15% more per row on PGlite.
   */
  private async insertLog(db: Kysely<Database>, rows: LogRow[]): Promise<void> {
    if (rows.length === 0) return;
    if (this.opts.copyRows && db === this.db) return this.opts.copyRows('gate_log', LOG_COLUMNS, rows);
    await sql`INSERT INTO gate_log SELECT * FROM json_populate_recordset(NULL::gate_log, ${JSON.stringify(rows)}::json)`.execute(db);
  }

  /** Writes buffered log rows; on failure they go back for the next attempt. */
  async flushLog(): Promise<void> {
    if (this.logFlushing) await this.logFlushing.catch(() => {});
    if (this.logBuffer.length === 0) return;
    const batch = this.logBuffer;
    this.logBuffer = [];
    this.logFlushing = this.insertLog(this.db, batch)
      .catch((err) => {
        this.logBuffer = batch.concat(this.logBuffer).slice(-50_000);
        throw err;
      })
      .finally(() => (this.logFlushing = undefined));
    return this.logFlushing;
  }

  private async emitBlocked(db: Kysely<Database>, actor: KeyActor, input: EvaluateInput, r: GateResult): Promise<void> {
    await this.events.emit(
      'gate.blocked',
      {
        account_id: actor.account_id,
        gate_id: r.evaluation_id,
        agent_id: input.agent_id,
        tool_name: input.tool_name,
        reason: r.reason,
        run_id: typeof input.context?.run_id === 'string' ? input.context.run_id : null,
        gate: { ...r, agent_id: input.agent_id, tool_name: input.tool_name },
      },
      { db, actor },
    );
  }

  /** A block is logged and announced (gate.blocked) before it is answered. */
  private async recordBlock(actor: KeyActor, input: EvaluateInput, r: GateResult): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await this.insertLog(trx, [this.logRow(actor.account_id, input, r)]);
      await this.emitBlocked(trx, actor, input, r);
    });
  }

  async log(accountId: string, agentId: string, q: { page: number; limit: number; decision?: string; run_id?: string }): Promise<{ data: GateLogView[]; total: number }> {
    // This replica's buffered rows first, so a caller reads its own evaluations.
    await this.flushLog().catch((err) => this.opts.log?.error({ err }, 'gate log flush failed'));
    let base = this.db.selectFrom('gate_log').where('account_id', '=', accountId).where('agent_id', '=', agentId);
    if (q.decision) base = base.where('decision', '=', q.decision as 'allow');
    if (q.run_id) base = base.where('run_id', '=', q.run_id);
    // Ids are time-ordered (newSortableId, the evaluation's millisecond first), so id order is
    // newest first and the (account_id, agent_id, id DESC) index serves it.
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('id', 'desc').limit(q.limit).offset((q.page - 1) * q.limit).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      data: rows.map((r) => ({
        id: r.id,
        agent_id: r.agent_id,
        tool_name: r.tool_name,
        decision: r.decision,
        reason: r.reason,
        reasons: r.reasons,
        risk_score: r.risk_score,
        run_id: r.run_id,
        approval_request_id: r.approval_request_id,
        policy_version: r.policy_version,
        evaluated_at: r.evaluated_at.toISOString(),
      })),
      total: Number(count.n),
    };
  }

  // ---- gate policies ----------------------------------------------------------------------------

  private currentPolicyRow(db: Kysely<Database>, accountId: string, agentId: string): Promise<Selectable<GatePoliciesTable> | undefined> {
    return db
      .selectFrom('gate_policies')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('agent_id', '=', agentId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async getPolicy(accountId: string, agentId: string, version?: number): Promise<GatePolicyView> {
    const row = version === undefined
      ? await this.currentPolicyRow(this.db, accountId, agentId)
      : await this.db.selectFrom('gate_policies').selectAll().where('account_id', '=', accountId).where('agent_id', '=', agentId).where('version', '=', version).executeTakeFirst();
    if (!row) throw notFound(version === undefined ? `gate policy for agent ${agentId}` : `version ${version} of the gate policy for agent ${agentId}`);
    return toPolicyView(row);
  }

  async policyVersions(accountId: string, agentId: string, page: number, limit: number): Promise<{ data: GatePolicyView[]; total: number }> {
    const base = this.db.selectFrom('gate_policies').where('account_id', '=', accountId).where('agent_id', '=', agentId);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('version', 'desc').limit(limit).offset((page - 1) * limit).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    if (Number(count.n) === 0) throw notFound(`gate policy for agent ${agentId}`);
    return { data: rows.map(toPolicyView), total: Number(count.n) };
  }

  /** Stores a new version; `source` is YAML or JSON text as sent. */
  async putPolicy(actor: Actor, accountId: string, agentId: string, source: string, format: 'yaml' | 'json'): Promise<{ view: GatePolicyView; created: boolean }> {
    const policy = parsePolicySource(source);
    for (let attempt = 0; ; attempt++) {
      try {
        const out = await this.db.transaction().execute(async (trx) => {
          const head = await this.currentPolicyRow(trx, accountId, agentId);
          const row = await trx
            .insertInto('gate_policies')
            .values({ account_id: accountId, agent_id: agentId, version: (head?.version ?? 0) + 1, format, source, policy: JSON.stringify(policy), changed_by: actorLabel(actor) })
            .returningAll()
            .executeTakeFirstOrThrow();
          await this.events.emit('gate_policy.changed', { account_id: accountId, gate_policy_id: agentId, agent_id: agentId, version: row.version }, { db: trx, actor });
          return { view: toPolicyView(row), created: !head };
        });
        this.invalidate(accountId, agentId);
        return out;
      } catch (err) {
        if ((err as { code?: string }).code === '23505' && attempt < 5) continue;
        throw err;
      }
    }
  }
}

class CapRollback extends Error {
  constructor(readonly reason: Reason) {
    super('compute cap exceeded');
  }
}

function tokensOf(input: EvaluateInput): number {
  const t = input.context?.tokens;
  return typeof t === 'number' && Number.isInteger(t) && t > 0 ? t : 0;
}

function toPolicyView(row: Selectable<GatePoliciesTable>): GatePolicyView {
  return { agent_id: row.agent_id, version: row.version, format: row.format, source: row.source, policy: row.policy as unknown as GatePolicy, changed_by: row.changed_by, created_at: row.created_at.toISOString() };
}
