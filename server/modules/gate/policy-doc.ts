// The gate policy document of one agent, as YAML or JSON:
//
//   default: allow                # what happens when no rule matches: allow | require_approval | block
//   allow: [read_*, search]
//   require_approval:
//     - send_email
//     - tool: refund
//       when: { amount: { $gt: 100 } }
//   block:
//     - tool: http_*
//       when: { url: { $regex: "^http://" } }
//       reason: plain-text HTTP is not allowed
//   approval: { expires_in_seconds: 3600, urgency: high }
//
// Rules are tool wildcards, optionally with parameter conditions (policies/conditions.ts).
// Precedence: block, then require_approval, then allow, then `default`.
import { parse as parseYaml } from 'yaml';
import { ApiError } from '../../errors.js';
import { compileConditions, type Matcher } from '../policies/conditions.js';
import { toolMatcher, type NameTest } from '../permissions/model.js';
import type { Effect } from './checks.js';

export interface GatePolicyRule {
  tool: string | string[];
  when?: Record<string, unknown>;
  reason?: string;
}

export interface GatePolicy {
  default: Effect;
  allow: GatePolicyRule[];
  require_approval: GatePolicyRule[];
  block: GatePolicyRule[];
  approval: { expires_in_seconds: number; urgency: 'low' | 'medium' | 'high' | 'critical' };
}

export const MAX_POLICY_BYTES = 64 * 1024;
const MAX_RULES = 500;
const EFFECTS = ['allow', 'require_approval', 'block'] as const;
const URGENCIES = ['low', 'medium', 'high', 'critical'] as const;

const bad = (message: string) => new ApiError(400, 'invalid_gate_policy', message);

/** Parses YAML (a superset of JSON) into a checked, normalised policy. */
export function parsePolicySource(source: string): GatePolicy {
  if (Buffer.byteLength(source) > MAX_POLICY_BYTES) throw new ApiError(413, 'payload_too_large', `a gate policy is at most ${MAX_POLICY_BYTES} bytes`);
  let doc: unknown;
  try {
    // No custom tags, no aliases blow-up: plain data only.
    doc = parseYaml(source, { schema: 'core', maxAliasCount: 50, prettyErrors: true });
  } catch (err) {
    throw bad(`the policy is not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  return normalizePolicy(doc);
}

function rulesOf(v: unknown, where: string): GatePolicyRule[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw bad(`${where} must be a list of tool patterns or rules`);
  return v.map((r, i) => {
    const at = `${where}[${i}]`;
    if (typeof r === 'string') return { tool: r };
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw bad(`${at} must be a tool pattern or {tool, when, reason}`);
    const { tool, when, reason, ...rest } = r as Record<string, unknown>;
    if (Object.keys(rest).length) throw bad(`${at} has unknown field(s) ${Object.keys(rest).join(', ')}`);
    const tools = typeof tool === 'string' ? tool : Array.isArray(tool) && tool.length > 0 && tool.every((t) => typeof t === 'string') ? (tool as string[]) : null;
    if (tools === null) throw bad(`${at}.tool must be a tool pattern or a non-empty list of them`);
    if (when !== undefined && (typeof when !== 'object' || when === null || Array.isArray(when))) throw bad(`${at}.when must be an object of parameter conditions`);
    if (reason !== undefined && typeof reason !== 'string') throw bad(`${at}.reason must be text`);
    return { tool: tools, ...(when ? { when: when as Record<string, unknown> } : {}), ...(reason ? { reason: reason.slice(0, 500) } : {}) };
  });
}

export function normalizePolicy(doc: unknown): GatePolicy {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad('the policy must be a mapping with allow, require_approval, block and default');
  const { default: dflt, allow, require_approval, block, approval, version: _v, ...rest } = doc as Record<string, unknown>;
  if (Object.keys(rest).length) throw bad(`unknown field(s) ${Object.keys(rest).join(', ')}; expected default, allow, require_approval, block, approval`);
  if (dflt !== undefined && !(EFFECTS as readonly unknown[]).includes(dflt)) throw bad(`default must be one of ${EFFECTS.join(', ')}`);
  const ap = (approval ?? {}) as Record<string, unknown>;
  if (typeof ap !== 'object' || Array.isArray(ap)) throw bad('approval must be a mapping');
  const expires = ap.expires_in_seconds ?? 3600;
  if (!Number.isInteger(expires) || (expires as number) < 1 || (expires as number) > 30 * 86_400) throw bad('approval.expires_in_seconds must be an integer from 1 to 2592000');
  const urgency = ap.urgency ?? 'medium';
  if (!(URGENCIES as readonly unknown[]).includes(urgency)) throw bad(`approval.urgency must be one of ${URGENCIES.join(', ')}`);
  const policy: GatePolicy = {
    default: (dflt as Effect | undefined) ?? 'allow',
    allow: rulesOf(allow, 'allow'),
    require_approval: rulesOf(require_approval, 'require_approval'),
    block: rulesOf(block, 'block'),
    approval: { expires_in_seconds: expires as number, urgency: urgency as GatePolicy['approval']['urgency'] },
  };
  if (policy.allow.length + policy.require_approval.length + policy.block.length > MAX_RULES) throw bad(`at most ${MAX_RULES} rules`);
  compilePolicy(policy); // a bad pattern or condition is a 400 now, not a blocked agent later
  return policy;
}

export interface CompiledRule {
  tool: NameTest;
  when: Matcher;
  label: string;
  reason?: string;
}

export interface CompiledPolicy {
  policy: GatePolicy;
  allow: CompiledRule[];
  require_approval: CompiledRule[];
  block: CompiledRule[];
}

function compileRules(rules: GatePolicyRule[], where: string): CompiledRule[] {
  return rules.map((r, i) => {
    const tools = Array.isArray(r.tool) ? r.tool : [r.tool];
    return { tool: toolMatcher(tools, `${where}[${i}].tool`), when: compileConditions(r.when, `${where}[${i}].when`), label: tools.join(', '), reason: r.reason };
  });
}

export function compilePolicy(policy: GatePolicy): CompiledPolicy {
  return {
    policy,
    allow: compileRules(policy.allow, 'allow'),
    require_approval: compileRules(policy.require_approval, 'require_approval'),
    block: compileRules(policy.block, 'block'),
  };
}

/** The first matching rule in each list, by precedence. */
export function firstMatch(rules: CompiledRule[], toolName: string, params: Record<string, unknown>): CompiledRule | undefined {
  for (const r of rules) if (r.tool(toolName) && r.when(params)) return r;
  return undefined;
}
