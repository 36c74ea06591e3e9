// Approval requests: an agent (or the gate, or a GitHub PR) asks, a person decides, the agent
// confirms what it did. One table and one service for every source.
//
// The rules that matter are enforced in SQL, not in memory, so they hold across concurrent requests
// and replicas:
// - A decision is one conditional UPDATE (`status = 'pending' AND not past expires_at`): of two
//   concurrent decisions exactly one changes the row; the other finds nothing to change and is
//   answered 409.
// - A pending request past `expires_at` reads as `expired` at once (computed in every query) and is
//   persisted as `expired` by a periodic sweep, which also emits `approval.expired`.
import { sql, type Expression, type Kysely, type Selectable, type SqlBool } from 'kysely';
import { actorLabel, type Actor, type KeyActor } from '../../actor.js';
import type { ApprovalSource, ApprovalsTable, ApprovalStatus, ApprovalUrgency, Database } from '../../db/schema.js';
import { ApiError, notFound } from '../../errors.js';
import type { EventBus } from '../../events.js';
import { newId } from '../../ids.js';
import type { QuotaService } from '../../limits/service.js';
import type { AuditEntryView, AuditService } from '../audit/service.js';
import { matchPolicy } from '../policies/service.js';

export const APPROVAL_STATUSES = ['pending', 'approved', 'denied', 'expired'] as const satisfies readonly ApprovalStatus[];
export const APPROVAL_SOURCES = ['api', 'gate', 'github'] as const satisfies readonly ApprovalSource[];
export const URGENCIES = ['low', 'medium', 'high', 'critical'] as const satisfies readonly ApprovalUrgency[];

/** parameters and context together, as JSON. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
/** The furthest an expiry may lie ahead. */
export const MAX_EXPIRY_MS = 365 * 86_400_000;

export interface ApprovalView {
  id: string;
  agent_id: string;
  action: string;
  parameters: Record<string, unknown>;
  context: Record<string, unknown>;
  urgency: ApprovalUrgency;
  source: ApprovalSource;
  status: ApprovalStatus;
  requested_by: string;
  expires_at: string | null;
  approver: string | null;
  note: string | null;
  reason: string | null;
  decided_by: string | null;
  decided_at: string | null;
  result: unknown;
  confirmed_by: string | null;
  confirmed_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Every approval event carries the summary fields (audited) and the whole request (for webhooks). */
export interface ApprovalEvent {
  account_id: string;
  approval_id: string;
  agent_id: string;
  action: string;
  source: ApprovalSource;
  urgency: ApprovalUrgency;
  status: ApprovalStatus;
  approver?: string | null;
  note?: string | null;
  reason?: string | null;
  approval: ApprovalView;
}

declare module '../../events.js' {
  interface AppEvents {
    'approval.created': ApprovalEvent;
    /** Approved or denied: see `status`. */
    'approval.decided': ApprovalEvent;
    'approval.expired': ApprovalEvent;
    'approval.confirmed': ApprovalEvent;
  }
}

export interface CreateApprovalInput {
  agent_id: string;
  action: string;
  parameters?: Record<string, unknown>;
  context?: Record<string, unknown>;
  urgency?: ApprovalUrgency;
  /** When the request lapses; null or absent for never. */
  expires_at?: string | Date | null;
  /** Alternative to `expires_at`, relative to the server's clock (no client clock skew). */
  expires_in_seconds?: number;
}

export interface DecisionInput {
  decision: 'approved' | 'denied';
  /** Who decided, as a person or bot name; defaults to the actor's label. */
  approver?: string;
  note?: string;
  /** Required for a denial. */
  reason?: string;
}

export interface ApprovalListQuery {
  page: number;
  limit: number;
  status?: ApprovalStatus;
  agent_id?: string;
  source?: ApprovalSource;
  urgency?: ApprovalUrgency;
}

export interface ApprovalAuditQuery {
  page: number;
  limit: number;
  agent_id?: string;
  status?: ApprovalStatus;
  from?: Date;
  to?: Date;
}

export interface ApprovalAuditEntry {
  id: string;
  seq: number;
  approval_id: string;
  agent_id: string;
  action: string;
  event: string;
  status: ApprovalStatus;
  actor: string;
  approver: string | null;
  note: string | null;
  reason: string | null;
  created_at: string;
  hash: string;
}

type Row = Selectable<ApprovalsTable>;

/** Runs `fn` in `db` when it is already a transaction (a caller's), else in a new one. */
function inTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/** The status as it reads now: a pending request past its deadline is expired. */
const effectiveStatus = sql<ApprovalStatus>`CASE WHEN status = 'pending' AND expires_at IS NOT NULL AND expires_at <= now() THEN 'expired' ELSE status END`;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toApprovalView(row: Row): ApprovalView {
  // Reads select the effective status (see `effectiveStatus`): the database's clock decides
  // expiry everywhere, so a list filtered by status and the items in it always agree.
  return {
    id: row.id,
    agent_id: row.agent_id,
    action: row.action,
    parameters: row.parameters,
    context: row.context,
    urgency: row.urgency,
    source: row.source,
    status: row.status,
    requested_by: row.requested_by,
    expires_at: iso(row.expires_at),
    approver: row.approver,
    note: row.note,
    reason: row.reason,
    decided_by: row.decided_by,
    decided_at: iso(row.decided_at),
    result: row.result ?? null,
    confirmed_by: row.confirmed_by,
    confirmed_at: iso(row.confirmed_at),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

function eventOf(view: ApprovalView, accountId: string): ApprovalEvent {
  return {
    account_id: accountId,
    approval_id: view.id,
    agent_id: view.agent_id,
    action: view.action,
    source: view.source,
    urgency: view.urgency,
    status: view.status,
    ...(view.approver !== null ? { approver: view.approver } : {}),
    ...(view.note !== null ? { note: view.note } : {}),
    ...(view.reason !== null ? { reason: view.reason } : {}),
    approval: view,
  };
}

/** All columns, with `status` replaced by the effective status. */
function selectApproval(db: Kysely<Database>) {
  return db.selectFrom('approvals').selectAll().select(effectiveStatus.as('status'));
}

function resolveExpiry(input: CreateApprovalInput, nowMs: number): Date | null {
  if (input.expires_at != null && input.expires_in_seconds !== undefined) {
    throw new ApiError(400, 'validation_failed', 'send expires_at or expires_in_seconds, not both');
  }
  if (input.expires_in_seconds !== undefined) {
    if (!Number.isInteger(input.expires_in_seconds) || input.expires_in_seconds < 1) throw new ApiError(400, 'validation_failed', 'expires_in_seconds must be a positive integer');
    return new Date(nowMs + input.expires_in_seconds * 1000);
  }
  if (input.expires_at == null) return null;
  const at = input.expires_at instanceof Date ? input.expires_at : new Date(input.expires_at);
  if (Number.isNaN(at.getTime())) throw new ApiError(400, 'invalid_expires_at', 'expires_at must be an RFC 3339 date-time');
  if (at.getTime() <= nowMs) throw new ApiError(400, 'invalid_expires_at', `expires_at ${at.toISOString()} is in the past`);
  if (at.getTime() > nowMs + MAX_EXPIRY_MS) throw new ApiError(400, 'invalid_expires_at', 'expires_at may be at most one year ahead');
  return at;
}

/**
 * Creates a pending request and emits `approval.created` (webhooks, audit) in the same
 * transaction. For the GitHub App and the gate: pass their transaction as `db` to make the request
 * part of their own change, or the root handle. No quota is taken here (see ApprovalService.create).
 */
export async function createApproval(
  db: Kysely<Database>,
  events: EventBus,
  accountId: string,
  input: CreateApprovalInput,
  opts: { source: ApprovalSource; actor: Actor; callHash?: string },
): Promise<ApprovalView> {
  if (!db.isTransaction) return db.transaction().execute((trx) => createApproval(trx, events, accountId, input, opts));
  const parameters = input.parameters ?? {};
  const context = input.context ?? {};
  const parametersJson = JSON.stringify(parameters);
  const contextJson = JSON.stringify(context);
  const bytes = Buffer.byteLength(parametersJson) + Buffer.byteLength(contextJson);
  if (bytes > MAX_PAYLOAD_BYTES) {
    throw new ApiError(413, 'approval_too_large', `parameters and context are ${bytes} bytes of JSON together; the limit is ${MAX_PAYLOAD_BYTES}`);
  }
  if (!(APPROVAL_SOURCES as readonly string[]).includes(opts.source)) throw new Error(`unknown approval source ${opts.source}`);
  const expires_at = resolveExpiry(input, Date.now());
  const row = await db
    .insertInto('approvals')
    .values({
      id: newId('apr'),
      account_id: accountId,
      agent_id: input.agent_id,
      action: input.action,
      // jsonb refuses NUL in strings; nothing meaningful is lost.
      parameters: parametersJson.replace(/\\u0000/g, ''),
      context: contextJson.replace(/\\u0000/g, ''),
      urgency: input.urgency ?? 'medium',
      source: opts.source,
      requested_by: actorLabel(opts.actor),
      expires_at,
      gate_call_hash: opts.callHash ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const view = toApprovalView(row);
  await events.emit('approval.created', eventOf(view, accountId), { db, actor: opts.actor });
  // Approval policies decide before a person sees it; created and decided are both on record.
  const policy = await matchPolicy(db, accountId, { agent_id: view.agent_id, action: view.action, source: view.source, parameters: view.parameters });
  if (policy && policy.decision !== 'route_to_human') {
    const approve = policy.decision === 'auto_approve';
    return decideApproval(db, events, accountId, view.id, {
      decision: approve ? 'approved' : 'denied',
      approver: `policy:${policy.name}`,
      ...(approve ? { note: `auto-approved by policy ${policy.name} (${policy.id})` } : { reason: `auto-denied by policy ${policy.name} (${policy.id})` }),
    }, { actor: { kind: 'system', reason: `policy:${policy.id}` } });
  }
  return view;
}

/** Reads one request of this account (another account's id: 404). */
export async function getApproval(db: Kysely<Database>, accountId: string, id: string): Promise<ApprovalView> {
  const row = await selectApproval(db).where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
  if (!row) throw notFound('approval request');
  return toApprovalView(row);
}

/**
 * Approves or denies. Exactly one decision wins: the UPDATE only matches a request that is still
 * pending and not past its deadline. A losing or late decision gets 409 (`approval_already_decided`
 * or `approval_expired`), a missing or foreign id 404. Emits `approval.decided`.
 */
export async function decideApproval(
  db: Kysely<Database>,
  events: EventBus,
  accountId: string,
  id: string,
  input: DecisionInput,
  opts: { actor: Actor },
): Promise<ApprovalView> {
  const reason = input.reason?.trim();
  if (input.decision === 'denied' && !reason) throw new ApiError(400, 'reason_required', 'a denial needs a reason');
  const approver = input.approver?.trim() || actorLabel(opts.actor);
  const decided = await inTransaction(db, async (trx) => {
    const row = await trx
      .updateTable('approvals')
      .set({
        status: input.decision,
        approver,
        note: input.note?.trim() || null,
        reason: input.decision === 'denied' ? reason! : input.reason?.trim() || null,
        decided_by: actorLabel(opts.actor),
        decided_at: sql<Date>`now()`,
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]))
      .returningAll()
      .executeTakeFirst();
    if (!row) return undefined;
    const view = toApprovalView(row);
    await events.emit('approval.decided', eventOf(view, accountId), { db: trx, actor: opts.actor });
    return view;
  });
  if (decided) return decided;
  // Nothing changed: say why.
  const current = await getApproval(db, accountId, id);
  if (current.status === 'expired') {
    // Persist it now rather than at the next sweep, so its webhook and audit entry follow at once.
    await expireApprovals(db, events, { accountId, ids: [id] });
    throw new ApiError(409, 'approval_expired', `approval request ${id} expired at ${current.expires_at}; it can no longer be decided`, { status: 'expired', expires_at: current.expires_at });
  }
  throw new ApiError(409, 'approval_already_decided', `approval request ${id} was already ${current.status} by ${current.approver ?? 'someone'} at ${current.decided_at}`, {
    status: current.status,
    approver: current.approver,
    decided_at: current.decided_at,
  });
}

/**
 * The agent reports what it did with an approved request. Once only; only for approved requests.
 */
export async function confirmApproval(
  db: Kysely<Database>,
  events: EventBus,
  accountId: string,
  id: string,
  result: unknown,
  opts: { actor: Actor },
): Promise<ApprovalView> {
  const resultJson = JSON.stringify(result ?? null);
  if (Buffer.byteLength(resultJson) > MAX_PAYLOAD_BYTES) throw new ApiError(413, 'approval_too_large', `result is larger than ${MAX_PAYLOAD_BYTES} bytes of JSON`);
  const confirmed = await inTransaction(db, async (trx) => {
    const row = await trx
      .updateTable('approvals')
      .set({ result: resultJson.replace(/\\u0000/g, ''), confirmed_by: actorLabel(opts.actor), confirmed_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .where('status', '=', 'approved')
      .where('confirmed_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!row) return undefined;
    const view = toApprovalView(row);
    await events.emit('approval.confirmed', eventOf(view, accountId), { db: trx, actor: opts.actor });
    return view;
  });
  if (confirmed) return confirmed;
  const current = await getApproval(db, accountId, id);
  if (current.confirmed_at) throw new ApiError(409, 'approval_already_confirmed', `approval request ${id} was already confirmed at ${current.confirmed_at}`);
  throw new ApiError(409, 'approval_not_approved', `approval request ${id} is ${current.status}; only an approved request can be confirmed`, { status: current.status });
}

/**
 * Persists expiry: every pending request past its deadline becomes `expired`, with one
 * `approval.expired` event each, in batches. Safe to run on every replica at once (SKIP LOCKED,
 * and the status condition makes each expiry happen once). Returns how many expired.
 */
export async function expireApprovals(
  db: Kysely<Database>,
  events: EventBus,
  opts: { accountId?: string; ids?: string[]; batch?: number } = {},
): Promise<number> {
  const actor: Actor = { kind: 'system', reason: 'approval-expiry' };
  const batch = opts.batch ?? 200;
  let total = 0;
  for (;;) {
    const n = await inTransaction(db, async (trx) => {
      const due = trx
        .selectFrom('approvals')
        .select('id')
        .where('status', '=', 'pending')
        .where('expires_at', '<=', sql<Date>`now()`)
        .$if(opts.accountId !== undefined, (q) => q.where('account_id', '=', opts.accountId!))
        .$if(opts.ids !== undefined, (q) => q.where('id', 'in', opts.ids!))
        .orderBy('expires_at')
        .limit(batch)
        .forUpdate()
        .skipLocked();
      const rows = await trx
        .updateTable('approvals')
        .set({ status: 'expired', updated_at: sql<Date>`now()` })
        .where('id', 'in', due)
        .where('status', '=', 'pending')
        .returningAll()
        .execute();
      // Per account, in a stable order, so audit chains see a deterministic sequence.
      rows.sort((a, b) => a.account_id.localeCompare(b.account_id) || a.id.localeCompare(b.id));
      for (const row of rows) {
        const view = toApprovalView(row);
        await events.emit('approval.expired', eventOf(view, row.account_id), { db: trx, actor });
      }
      return rows.length;
    });
    total += n;
    if (n < batch || opts.ids) return total;
  }
}

export class ApprovalService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly events: EventBus,
    private readonly quotas: QuotaService,
    private readonly audit: AuditService,
  ) {}

  /** `POST /approvals` and other callers with a key: takes one unit of the daily quota. */
  async create(actor: KeyActor, input: CreateApprovalInput, source: ApprovalSource = 'api'): Promise<ApprovalView> {
    const q = await this.quotas.consume(actor.account_id, actor.plan, 'approval_requests');
    if (!q.allowed) {
      throw new ApiError(
        429,
        'quota_exceeded',
        `the ${actor.plan} plan allows ${q.limit} approval requests per day; the quota resets at 00:00 UTC`,
        { metric: 'approval_requests', limit: q.limit },
        { 'retry-after': String(q.retryAfter) },
      );
    }
    try {
      return await createApproval(this.db, this.events, actor.account_id, input, { source, actor });
    } catch (err) {
      await this.quotas.refund(actor.account_id, 'approval_requests');
      throw err;
    }
  }

  /** For the gate and the App, which act for an account without a key of their own. */
  createFor(accountId: string, input: CreateApprovalInput, opts: { source: ApprovalSource; actor: Actor }): Promise<ApprovalView> {
    return createApproval(this.db, this.events, accountId, input, opts);
  }

  get(accountId: string, id: string): Promise<ApprovalView> {
    return getApproval(this.db, accountId, id);
  }

  decide(actor: Actor, accountId: string, id: string, input: DecisionInput): Promise<ApprovalView> {
    return decideApproval(this.db, this.events, accountId, id, input, { actor });
  }

  confirm(actor: Actor, accountId: string, id: string, result: unknown): Promise<ApprovalView> {
    return confirmApproval(this.db, this.events, accountId, id, result, { actor });
  }

  expireDue(): Promise<number> {
    return expireApprovals(this.db, this.events);
  }

  async list(accountId: string, q: ApprovalListQuery): Promise<{ data: ApprovalView[]; total: number }> {
    let base = this.db.selectFrom('approvals').where('account_id', '=', accountId);
    if (q.agent_id !== undefined) base = base.where('agent_id', '=', q.agent_id);
    if (q.source !== undefined) base = base.where('source', '=', q.source);
    if (q.urgency !== undefined) base = base.where('urgency', '=', q.urgency);
    if (q.status !== undefined) base = base.where(statusFilter(q.status));
    const [rows, count] = await Promise.all([
      base
        .selectAll()
        .select(effectiveStatus.as('status'))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(q.limit)
        .offset((q.page - 1) * q.limit)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { data: rows.map(toApprovalView), total: Number(count.n) };
  }

  /** One request's trail from the audit log, oldest first. */
  async trail(accountId: string, id: string): Promise<{ approval: ApprovalView; entries: AuditEntryView[] }> {
    const approval = await this.get(accountId, id);
    return { approval, entries: await this.audit.forTarget(accountId, 'approval', id) };
  }

  /**
   * The account's approval history from the audit log: every creation, decision, expiry and
   * confirmation. `status` filters on the status each entry recorded (status=denied: the denials);
   * `agent_id` on the request's agent; `from`/`to` on the entry's time (inclusive).
   */
  async auditLog(accountId: string, q: ApprovalAuditQuery): Promise<{ data: ApprovalAuditEntry[]; total: number }> {
    let base = this.db
      .selectFrom('audit_log as l')
      .innerJoin('approvals as a', (j) => j.onRef('a.id', '=', 'l.target_id').on('a.account_id', '=', accountId))
      .where('l.account_id', '=', accountId)
      .where('l.target_type', '=', 'approval');
    if (q.agent_id !== undefined) base = base.where('a.agent_id', '=', q.agent_id);
    if (q.status !== undefined) base = base.where(sql<string>`l.details->>'status'`, '=', q.status);
    if (q.from) base = base.where('l.created_at', '>=', q.from);
    if (q.to) base = base.where('l.created_at', '<=', q.to);
    const [rows, count] = await Promise.all([
      base
        .select(['l.id', 'l.seq', 'l.action', 'l.actor', 'l.details', 'l.created_at', 'l.hash', 'a.id as approval_id', 'a.agent_id', 'a.action as requested_action'])
        .orderBy('l.seq', 'desc')
        .limit(q.limit)
        .offset((q.page - 1) * q.limit)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    return {
      data: rows.map((r) => ({
        id: r.id,
        seq: Number(r.seq),
        approval_id: r.approval_id,
        agent_id: r.agent_id,
        action: r.requested_action,
        event: r.action,
        status: (str(r.details.status) ?? 'pending') as ApprovalStatus,
        actor: r.actor,
        approver: str(r.details.approver),
        note: str(r.details.note),
        reason: str(r.details.reason),
        created_at: r.created_at.toISOString(),
        hash: r.hash,
      })),
      total: Number(count.n),
    };
  }
}

function statusFilter(status: ApprovalStatus): Expression<SqlBool> {
  switch (status) {
    case 'pending':
      return sql<SqlBool>`(status = 'pending' AND (expires_at IS NULL OR expires_at > now()))`;
    case 'expired':
      return sql<SqlBool>`(status = 'expired' OR (status = 'pending' AND expires_at <= now()))`;
    default:
      return sql<SqlBool>`status = ${status}`;
  }
}
