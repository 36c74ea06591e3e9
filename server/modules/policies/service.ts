// Approval policies: priority-ordered rules that decide a new approval request before a person
// sees it. Lowest `priority` first (ties: oldest first); the first enabled policy whose match holds
// decides: auto_approve, auto_deny, or route_to_human (left pending). No match: pending.
// Applied inside createApproval, so every source (REST, the gate, the GitHub App) gets them.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Actor } from '../../actor.js';
import type { ApprovalPoliciesTable, ApprovalSource, Database, PolicyDecision } from '../../db/schema.js';
import { ApiError, notFound } from '../../errors.js';
import type { EventBus } from '../../events.js';
import { newId } from '../../ids.js';
import { toolMatcher, type NameTest } from '../permissions/model.js';
import { compileConditions, type Matcher } from './conditions.js';

export const POLICY_DECISIONS = ['auto_approve', 'auto_deny', 'route_to_human'] as const satisfies readonly PolicyDecision[];
export const MAX_POLICIES_PER_ACCOUNT = 200;

export interface PolicyMatch {
  /** Action (tool) name patterns with wildcards; absent: any action. */
  action?: string | string[];
  /** Agent id patterns; absent: any agent. */
  agent_id?: string | string[];
  /** Sources the policy applies to; absent: all. */
  source?: ApprovalSource[];
  /** Parameter conditions: `{ amount: { $lt: 50 } }` with $in $nin $lt $gt $lte $gte $eq $ne $regex $exists. */
  parameters?: Record<string, unknown>;
}

export interface PolicyView {
  id: string;
  name: string;
  description: string | null;
  priority: number;
  enabled: boolean;
  match: PolicyMatch;
  decision: PolicyDecision;
  created_at: string;
  updated_at: string;
}

export interface PolicyInput {
  name: string;
  description?: string | null;
  priority?: number;
  enabled?: boolean;
  match: PolicyMatch;
  decision: PolicyDecision;
}

export interface PolicyEvent {
  account_id: string;
  policy_id: string;
  name: string;
  decision: PolicyDecision;
  priority: number;
  enabled: boolean;
}

declare module '../../events.js' {
  interface AppEvents {
    'policy.created': PolicyEvent;
    'policy.updated': PolicyEvent;
    'policy.deleted': PolicyEvent;
  }
}

type Row = Selectable<ApprovalPoliciesTable>;

function toView(r: Row): PolicyView {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    priority: r.priority,
    enabled: r.enabled,
    match: r.match as PolicyMatch,
    decision: r.decision,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}

const eventOf = (accountId: string, v: PolicyView): PolicyEvent => ({ account_id: accountId, policy_id: v.id, name: v.name, decision: v.decision, priority: v.priority, enabled: v.enabled });

interface CompiledMatch {
  action: NameTest | null;
  agent: NameTest | null;
  sources: Set<string> | null;
  parameters: Matcher;
}

const list = (v: string | string[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

/** Throws 400 on a bad pattern, an unknown operator or an unsafe regex. */
export function compileMatch(m: PolicyMatch): CompiledMatch {
  const actions = list(m.action);
  const agents = list(m.agent_id);
  return {
    action: actions ? toolMatcher(actions, 'match.action') : null,
    agent: agents ? toolMatcher(agents, 'match.agent_id') : null,
    sources: m.source ? new Set(m.source) : null,
    parameters: compileConditions(m.parameters, 'match.parameters'),
  };
}

export interface ApprovalFacts {
  agent_id: string;
  action: string;
  source: ApprovalSource;
  parameters: Record<string, unknown>;
}

export function matches(c: CompiledMatch, a: ApprovalFacts): boolean {
  return (!c.action || c.action(a.action)) && (!c.agent || c.agent(a.agent_id)) && (!c.sources || c.sources.has(a.source)) && c.parameters(a.parameters);
}

/** The first enabled policy of the account that matches, in priority order. */
export async function matchPolicy(db: Kysely<Database>, accountId: string, facts: ApprovalFacts): Promise<PolicyView | undefined> {
  const rows = await db
    .selectFrom('approval_policies')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('enabled', '=', true)
    .orderBy('priority')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const r of rows) {
    let compiled: CompiledMatch;
    try {
      compiled = compileMatch(r.match as PolicyMatch);
    } catch {
      continue; // stored policies were checked on write; a later tightening must not break approvals
    }
    if (matches(compiled, facts)) return toView(r);
  }
  return undefined;
}

export class PolicyService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly events: EventBus,
  ) {}

  async create(actor: Actor, accountId: string, input: PolicyInput): Promise<PolicyView> {
    compileMatch(input.match);
    try {
      return await this.db.transaction().execute(async (trx) => {
        const n = await trx.selectFrom('approval_policies').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow();
        if (Number(n.n) >= MAX_POLICIES_PER_ACCOUNT) throw new ApiError(409, 'too_many_policies', `an account may have at most ${MAX_POLICIES_PER_ACCOUNT} policies`);
        const row = await trx
          .insertInto('approval_policies')
          .values({
            id: newId('pol'),
            account_id: accountId,
            name: input.name,
            description: input.description ?? null,
            priority: input.priority ?? 100,
            enabled: input.enabled ?? true,
            match: JSON.stringify(input.match),
            decision: input.decision,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        const view = toView(row);
        await this.events.emit('policy.created', eventOf(accountId, view), { db: trx, actor });
        return view;
      });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new ApiError(409, 'policy_name_taken', `a policy named ${JSON.stringify(input.name)} already exists`);
      throw err;
    }
  }

  async get(accountId: string, id: string): Promise<PolicyView> {
    const row = await this.db.selectFrom('approval_policies').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
    if (!row) throw notFound('policy');
    return toView(row);
  }

  /** In evaluation order. */
  async list(accountId: string, page: number, limit: number): Promise<{ data: PolicyView[]; total: number }> {
    const base = this.db.selectFrom('approval_policies').where('account_id', '=', accountId);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('priority').orderBy('created_at').orderBy('id').limit(limit).offset((page - 1) * limit).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { data: rows.map(toView), total: Number(count.n) };
  }

  async update(actor: Actor, accountId: string, id: string, patch: Partial<PolicyInput>): Promise<PolicyView> {
    if (patch.match) compileMatch(patch.match);
    try {
      return await this.db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('approval_policies')
          .set({
            ...(patch.name !== undefined ? { name: patch.name } : {}),
            ...(patch.description !== undefined ? { description: patch.description } : {}),
            ...(patch.priority !== undefined ? { priority: patch.priority } : {}),
            ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
            ...(patch.match !== undefined ? { match: JSON.stringify(patch.match) } : {}),
            ...(patch.decision !== undefined ? { decision: patch.decision } : {}),
            updated_at: sql<Date>`now()`,
          })
          .where('id', '=', id)
          .where('account_id', '=', accountId)
          .returningAll()
          .executeTakeFirst();
        if (!row) throw notFound('policy');
        const view = toView(row);
        await this.events.emit('policy.updated', eventOf(accountId, view), { db: trx, actor });
        return view;
      });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new ApiError(409, 'policy_name_taken', `a policy named ${JSON.stringify(patch.name)} already exists`);
      throw err;
    }
  }

  async delete(actor: Actor, accountId: string, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.deleteFrom('approval_policies').where('id', '=', id).where('account_id', '=', accountId).returningAll().executeTakeFirst();
      if (!row) throw notFound('policy');
      await this.events.emit('policy.deleted', eventOf(accountId, toView(row)), { db: trx, actor });
    });
  }
}
