// The decision core: a pure function of a compiled snapshot (the agent's layer merged over the
// base layer, and its gate policy) and one tool call. No I/O, no clock: everything the database
// must settle (compute caps, approvals) is asked for in the result and done by the service.
import type { CompiledLayer, ComputeCaps } from '../permissions/model.js';
import { builtinChecks, clip, fieldsOf, pathsOf, urlsOf, type Effect, type Reason, type Severity } from './checks.js';
import { firstMatch, type CompiledPolicy } from './policy-doc.js';

export interface PolicyVersion {
  permissions: number | null;
  base: number | null;
  gate_policy: number | null;
}

/** Immutable once built: an evaluation holds the one it started with to the end. */
export interface Snapshot {
  accountId: string;
  agentId: string;
  version: PolicyVersion;
  /** Null: the agent has no permission layer. */
  layer: CompiledLayer | null;
  policy: CompiledPolicy | null;
}

export interface GateCall {
  tool_name: string;
  parameters: Record<string, unknown>;
}

export interface Verdict {
  decision: Effect;
  reason: string;
  reasons: Reason[];
  risk_score: number;
  /** The caps to take in the database when the call goes ahead. */
  caps: ComputeCaps | null;
}

const WEIGHT: Record<Severity, number> = { critical: 100, high: 80, medium: 50, low: 20 };
const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };

const WRITE_TOOLS = /write|save|create|delete|remove|unlink|rm\b|rmdir|mv\b|move|rename|copy|cp\b|upload|put|append|edit|update|patch|mkdir|touch|chmod|chown|truncate|overwrite|replace/i;

/** Highest severity first, then the order found. */
export function verdictOf(reasons: Reason[], caps: ComputeCaps | null): Verdict {
  const decision: Effect = reasons.some((r) => r.effect === 'block') ? 'block' : reasons.some((r) => r.effect === 'require_approval') ? 'require_approval' : 'allow';
  let lead: Reason | undefined;
  for (const r of reasons) if (r.effect === decision && (!lead || RANK[r.severity] > RANK[lead.severity])) lead = r;
  let risk = 0;
  for (const r of reasons) risk = Math.max(risk, WEIGHT[r.severity]);
  risk = Math.min(100, risk + Math.max(0, reasons.length - 1) * 5);
  return { decision, reason: lead?.code ?? 'allowed', reasons, risk_score: decision === 'allow' && reasons.length === 0 ? 0 : risk, caps };
}

const hasCaps = (c: ComputeCaps) => c.max_tool_calls_per_run !== null || c.max_tokens_per_run !== null || c.max_runtime_seconds !== null;

export function decide(snap: Snapshot, call: GateCall, runId: string | undefined): Verdict {
  const L = snap.layer;
  if (!L) {
    return verdictOf(
      [{ code: 'no_policy_found', severity: 'high', title: `agent ${snap.agentId} has no permission layer`, evidence: `PUT /permissions/${snap.agentId} to define what it may do`, effect: 'block' }],
      null,
    );
  }
  const tool = call.tool_name;
  const reasons: Reason[] = [];

  // Deny wins: a block pattern beats any allow pattern, wherever either came from.
  if (L.toolBlock(tool)) reasons.push({ code: 'tool_blocked', severity: 'high', title: `tool ${tool} is on the block list`, evidence: `tools.block matches ${clip(tool, 100)}`, effect: 'block' });
  else if (!L.toolAllow(tool)) reasons.push({ code: 'tool_not_allowed', severity: 'high', title: `tool ${tool} is not on the allow list`, evidence: `tools.allow has no pattern matching ${clip(tool, 100)}`, effect: 'block' });

  const fields = fieldsOf(call.parameters);
  const urls = urlsOf(fields);
  const paths = pathsOf(fields);
  for (const r of builtinChecks({ toolName: tool, fields, urls, paths })) reasons.push(r);

  const writes = WRITE_TOOLS.test(tool);
  for (const p of paths) {
    if (L.deny(p.path)) {
      reasons.push({ code: 'data_denied', severity: 'high', title: 'path is on the data deny list', evidence: `${p.field.at}: ${clip(p.raw)}`, effect: 'block' });
    } else if (!L.dataOpen) {
      const ok = writes ? L.write(p.path) : L.read(p.path) || L.write(p.path);
      if (!ok) {
        reasons.push({
          code: writes ? 'data_write_not_allowed' : 'data_read_not_allowed',
          severity: 'medium',
          title: `path is outside the data.${writes ? 'write' : 'read'} globs`,
          evidence: `${p.field.at}: ${clip(p.raw)}`,
          effect: 'block',
        });
      }
    }
  }

  for (const u of urls) {
    if (L.networkAllow(u.host)) continue;
    if (L.layer.network.block_outbound) {
      reasons.push({ code: 'network_blocked', severity: 'high', title: 'outbound network access is blocked for this agent', evidence: `${u.field.at}: ${clip(u.url)}`, effect: 'block' });
    } else if (L.hasNetworkAllow) {
      reasons.push({ code: 'network_not_allowed', severity: 'medium', title: `host ${u.host} is not on the network allow list`, evidence: `${u.field.at}: ${clip(u.url)}`, effect: 'block' });
    }
  }

  const P = snap.policy;
  if (P) {
    const blocked = firstMatch(P.block, tool, call.parameters);
    const approval = blocked ? undefined : firstMatch(P.require_approval, tool, call.parameters);
    const allowed = blocked || approval ? undefined : firstMatch(P.allow, tool, call.parameters);
    if (blocked) {
      reasons.push({ code: 'policy_block', severity: 'high', title: blocked.reason ?? `the gate policy blocks ${tool}`, evidence: `block rule: ${clip(blocked.label, 200)}`, effect: 'block' });
    } else if (approval) {
      reasons.push({ code: 'approval_required', severity: 'medium', title: approval.reason ?? `the gate policy requires approval for ${tool}`, evidence: `require_approval rule: ${clip(approval.label, 200)}`, effect: 'require_approval' });
    } else if (!allowed && P.policy.default !== 'allow') {
      reasons.push({
        code: P.policy.default === 'block' ? 'policy_default_block' : 'approval_required',
        severity: 'medium',
        title: `no gate policy rule matches ${tool}; the default is ${P.policy.default}`,
        evidence: 'default',
        effect: P.policy.default,
      });
    }
  }

  const caps = hasCaps(L.layer.compute) ? L.layer.compute : null;
  if (caps && !runId && !reasons.some((r) => r.effect === 'block')) {
    reasons.push({ code: 'run_id_required', severity: 'medium', title: 'this agent has compute caps per run; send context.run_id', evidence: 'context.run_id is missing', effect: 'block' });
  }
  return verdictOf(reasons, caps);
}
