import { snakeCase } from '../../flow/javascript.js';
import { JS_LANGUAGES } from '../types.js';
import type { AstNode } from '../../parse/index.js';
import { field } from '../../parse/index.js';
import type { CallFact, FunctionFact, IfFact, PyModel } from '../../flow/python.js';
import type { Rule } from '../types.js';
import { lastSegment } from '../helpers.js';
import { dangerousAction } from '../sinks.js';
import { isModelOutput, readsHuman, readsModel } from './model-derived.js';
import { callsIn, ifAt } from '../facts.js';

/** Actions with consequences for a person or an account that are hard to take back. */
export const PRIVILEGED = /^_?(approve|grant|refund|transfer|pay|payout|disburse|delete|ban|suspend|deploy|publish|diagnose|prescribe|authori[sz]e|unlock|promote|terminate|escalate_privileges?|set_role|assign_role|(add|give)_(roles?|permissions?|privileges?|access|admin|entitlements?|to_group|group_member)|make_admin|revoke|deactivate|close_account|reject|deny|decline|execute_(trade|order|payment|transfer)|send_(email|mail|payment|money|funds|wire|invoice|sms)|charge|issue_(refund|credit|payment|license|certificate)|release_(funds|payment|payout|hold|escrow)|merge(_pull_request|_pr|_branch|_request)?|apply_(credit|discount|refund|waiver)|waive|write_off|cancel_(order|subscription|account|policy|booking)|freeze_account|unfreeze|verify_(user|account|identity|kyc)|accept_(application|claim|offer|candidate)|settle|block_(card|account|payment|transaction|ip|user|customer|merchant)|freeze|lock_(account|card|user)|cancel|disable_(user|account|card)|enable_(user|account)|activate_(user|account|card)|void_|reverse_(payment|charge|transaction)|chargeback|rollback|revert_|demote|kick|mute_user|remove_(post|comment|user|member|listing|review|content)|hide_(post|comment|review|listing)|takedown|take_down|unpublish|shortlist|advance_candidate|reject_candidate|make_offer|extend_offer|pay_claim|approve_claim|deny_claim|close_(claim|case|ticket)|resolve_(claim|dispute)|place_order|submit_order|execute_order|buy|sell|trade|place_trade|rebalance|liquidate|(adjust|increase|raise|lower|decrease|set|update)_(credit_limit|limit|price|salary|premium|dosage|dose)|dispatch_(ambulance|unit|crew|technician)|schedule_(surgery|procedure)|sign_(contract|off)|submit_(filing|claim|payment)|file_(claim|report|return)|purchase|order_(parts|stock|supplies)|award|enroll|expel|evict|flag_(fraud|account|user|transaction)|mark_(fraud|fraudulent|paid|resolved|spam|verified)|quarantine|isolate_host|shutdown|hire|fire|admit|discharge|flag_as_fraud|block_user|remove_user|override)(_|$)/i;
/** Calls that put a person in the loop, or record the case for one. */
export const REVIEW = /(review|human|manual|request_approval|submit_for_approval|await_approval|pending_approval|approval_request|create_approval|queue|escalate_to|notify_(reviewer|approver|manager|analyst|clinician|doctor|lawyer|staff)|open_ticket|create_ticket|assign_to_(agent|human|analyst)|handoff|hand_off|second_opinion)/i;
/** Conditions that test the shape of a tool call rather than a decision. */
export const DISPATCH = /(tool_calls?|toolCalls?|function_call|functionCall|finish_reason|finishReason|stop_reason|stopReason|\.type\s*==|\.name\s*==|\["name"\]|\['name'\]|^\(?\s*(name|toolName|tool_name|functionName|fnName)\s*===?)/;
/** Record fields whose assignment grants something. */
export const GRANT_FIELD = /(^|\.|\[["'])(is_admin|is_superuser|is_staff|role|roles|approved|is_approved|is_verified|verified|access_level|permissions?|credit_limit|status|decision|eligible|is_eligible)(["']\])?$/;
const GRANT_VALUE = /^(True|["'](admin|approved|approve|granted|verified|active|superuser|owner|accepted|eligible|denied|rejected|banned|suspended)["'])$/i;
/** `LoanApplication.Status.APPROVED`: an enum member naming the decision. */
const GRANT_CONSTANT = /^[A-Za-z_][\w.]*\.(APPROVED|APPROVE|GRANTED|VERIFIED|ACTIVE|ADMIN|ACCEPTED|ELIGIBLE|PREQUALIFIED|QUALIFIED|DENIED|DECLINED|REJECTED|BANNED|SUSPENDED|BLOCKED|FRAUD|FROZEN|CLOSED|REFUNDED|PAID|RELEASED|MERGED|PUBLISHED)$/;
/** An entitlement flag or decision field written with a decisive value, as a JS object property. */
const JS_GRANT_FIELD = /\b((is_?)?(banned|suspended|blocked|disabled|frozen|admin|approved|verified|eligible|is_superuser)\s*:\s*true|(role|status|kycStatus|kyc_status|verificationStatus|accessLevel|access_level|decision)\s*:\s*["'`](admin|approved|granted|verified|superuser|owner|accepted|eligible|denied|rejected|banned|suspended|blocked|terminated|fraud|frozen)["'`])/i;
const DECISION_LITERAL = /^["'](admin|approved|granted|verified|superuser|owner|accepted|eligible|denied|rejected|banned|suspended|blocked|terminated|fraud|frozen)["']$/i;
const INDEPENDENT_NAME = /(approv|human|review|confirm|signed_off|manager|supervisor|policy|rule|eligib|limit|threshold|quota|verified_by|kyc|credit_score|risk_score)/i;

function operandsOfAnd(cond: AstNode, text: (n: AstNode) => string): AstNode[] {
  const inner = cond.type === 'parenthesized_expression' ? cond.children.find((c) => c.named) ?? cond : cond;
  if (inner.type === 'boolean_operator') {
    const op = inner.children.find((c) => !c.named);
    if (op && text(op) === 'and') return [...operandsOfAnd(field(inner, 'left')!, text), ...operandsOfAnd(field(inner, 'right')!, text)];
  }
  if (inner.type === 'binary_expression' && text(field(inner, 'operator') ?? inner) === '&&') return [...operandsOfAnd(field(inner, 'left')!, text), ...operandsOfAnd(field(inner, 'right')!, text)];
  return [inner];
}

/** A check that does not come from the model: a threshold, a rules-engine call, a human approval. */
function isIndependentCheck(model: PyModel, fn: FunctionFact, n: AstNode): boolean {
  if (readsModel(model, fn, n)) return false;
  const t = model.text(n);
  if (INDEPENDENT_NAME.test(t)) return true;
  if (n.type === 'comparison_operator' && n.children.some((c) => c.field === 'operators' && /^(<|<=|>|>=)$/.test(model.text(c)))) return true;
  if (n.type === 'call' || (n.type === 'not_operator' && n.children.some((c) => c.type === 'call'))) return true;
  // JS: `amount <= LIMIT`, `await policy.allows(x)`, `!isBlocked(user)`.
  if (n.type === 'binary_expression' && /^(<|<=|>|>=)$/.test(model.text(field(n, 'operator') ?? n))) return true;
  if (n.type === 'call_expression' || n.type === 'await_expression' || (n.type === 'unary_expression' && n.children.some((c) => c.type === 'call_expression'))) return true;
  return false;
}

/** The condition decides on model output alone. */
export function modelDecides(model: PyModel, i: IfFact): boolean {
  const fromTaint = i.taint.some(isModelOutput);
  if (!fromTaint && !readsModel(model, i.fn, i.condition)) return false;
  if (DISPATCH.test(model.text(i.condition))) return false;
  if (readsHuman(model, i.fn, i.condition)) return false;
  return !operandsOfAnd(i.condition, model.text).some((op) => isIndependentCheck(model, i.fn, op));
}

function inBody(n: AstNode, i: IfFact): boolean {
  return n.startIndex >= i.bodyStart && n.endIndex <= i.bodyEnd;
}

/** Between the outer `if` and `n`, another `if` that either checks something independent or decides on the model itself. */
function decidedCloser(model: PyModel, outer: IfFact, n: AstNode): boolean {
  for (let cur = n.parent; cur && cur !== outer.node; cur = cur.parent) {
    if (cur.type !== 'if_statement' && cur.type !== 'elif_clause') continue;
    if (!inBody(cur, outer)) continue;
    const inner = ifAt(model, cur);
    if (!inner) continue;
    if (modelDecides(model, inner)) return true;
    if (operandsOfAnd(inner.condition, model.text).some((op) => isIndependentCheck(model, inner.fn, op))) return true;
  }
  return false;
}

export function privilegedCall(model: PyModel, c: CallFact): boolean {
  const name = model.language ? snakeCase(lastSegment(c.flat)) : lastSegment(c.flat);
  const recv = c.receiver ? model.text(c.receiver) : '';
  if (/(cache|seen|tmp|temp|buffer|history|messages|session_state|_list|_dict|_set)$/i.test(recv)) return false;
  if (PRIVILEGED.test(name)) return true;
  // `payouts.release(id)`, `prisma.payout.create(...)`: a generic verb on a record of money or entitlement.
  if (/^(release|create|approve|execute|process|submit|schedule|send|issue|grant)(_|$)/.test(name) && /(payout|payment|refund|transfer|wire|disbursement|loan|credit|escrow|reimbursement|claim_?payment|withdrawal)/i.test(recv)) return true;
  // `docusign.sign(contract)`: signing an agreement binds the company (`jwt.sign` only makes a token).
  if (/^(sign|countersign|execute|send_envelope)(_|$)/.test(name) && /(docusign|e_?sign|signature|contract|agreement|envelope|adobe_sign|hellosign|dropbox_sign)/i.test(recv)) return true;
  if (model.language && /^(set|update|change|mark)_?\w*$/.test(name) && c.args.some((a) => /["'`](admin|approved|granted|verified|superuser|owner|accepted|eligible|denied|rejected|banned|suspended|blocked|terminated|fraud|frozen)["'`]/i.test(model.text(a.node)))) return true;
  // ORM writes of an entitlement: `prisma.user.update({ data: { banned: true } })`, `{ $set: { role: 'admin' } }`.
  if (model.language && /^(update|update_many|update_one|upsert|patch|set|find_one_and_update|find_by_id_and_update|save)$/.test(name) && c.args.some((a) => JS_GRANT_FIELD.test(model.text(a.node)))) return true;
  // Making a directory or copying a file is housekeeping, not a decision.
  if (/^(os\.makedirs|os\.mkdir|shutil\.copy\w*|pathlib\.Path\.mkdir)$/.test(c.flat) || c.name === 'mkdir') return false;
  // `set_status(app_id, "approved")`, `update_role(user, "admin")`: a decision written down.
  if (/^(set|update|change|mark)_?\w*$/.test(name) && c.args.some((a) => a.node.type === 'string' && DECISION_LITERAL.test(model.text(a.node)))) return true;
  const cls = dangerousAction(model, c);
  // Logging the reply with an INSERT records it; UPDATE and DELETE change what already exists.
  if (cls === 'sql') return c.args.some((a) => a.node.type === 'string' && /^\W*(update|delete|drop|truncate|grant|revoke)\b/i.test(model.text(a.node).replace(/^[a-z]*["']+/i, '')));
  return cls === 'payment' || cls === 'delete' || cls === 'deploy' || cls === 'email';
}

function grantAssignments(model: PyModel, body: AstNode): AstNode[] {
  const out: AstNode[] = [];
  const stack = [body];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'arrow_function' || n.type === 'function_expression') continue;
    if (n.type === 'assignment' || n.type === 'assignment_expression') {
      const left = field(n, 'left');
      const right = field(n, 'right');
      if (left && right && GRANT_FIELD.test(model.text(left)) && (GRANT_VALUE.test(model.text(right).trim()) || GRANT_CONSTANT.test(model.text(right).trim())) && (left.type === 'attribute' || left.type === 'subscript' || left.type === 'member_expression' || left.type === 'subscript_expression')) out.push(n);
    }
    for (const c of n.children) if (c.named) stack.push(c);
  }
  return out;
}

/**
 * Models state wrong answers as confidently as right ones. When an approval, a refund, a ban or a
 * diagnosis follows from the model's output alone, every hallucination becomes an action on a real
 * person. A branch that routes the case to a human, or a decision also checked against rules on
 * data the model did not produce, stays silent.
 */
export const rule: Rule = {
  meta: {
    id: 'misinformation/unverified-output-decision',
    owasp: 'LLM09',
    asi: 'ASI09',
    cwe: 'CWE-1426',
    severity: 'MEDIUM',
    title: 'Consequential action taken on model output alone',
    description: 'An approval, payment, account change, deletion or similar irreversible action is taken because the model said so, with no human review or independent check, so a hallucinated or manipulated answer acts on real people and accounts.',
    fix: 'Treat model output as a recommendation: route consequential decisions to human review, or confirm them against business rules computed from authoritative data (limits, records, policy checks), and log the rationale for audit.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    // A JS `switch` is one decision however many of its cases act: reported once, at the switch.
    const switches = new Set<AstNode>();
    for (const i of model.ifs) {
      const sw = i.node.type === 'switch_case' ? i.node.parent?.parent : undefined;
      if (sw && switches.has(sw)) continue;
      if (!modelDecides(model, i)) continue;
      const body = callsIn(model, i.fn).filter((c) => inBody(c.node, i));
      if (body.some((c) => REVIEW.test(lastSegment(c.flat)) || REVIEW.test(c.receiver ? model.text(c.receiver) : ''))) continue;
      const consequence = i.node.children.find((c) => c.field === 'consequence');
      const actions: AstNode[] = body.filter((c) => privilegedCall(model, c)).map((c) => c.node);
      if (consequence) actions.push(...grantAssignments(model, consequence));
      const direct = actions.filter((n) => !decidedCloser(model, i, n));
      if (!direct.length) continue;
      const first = direct.sort((a, b) => a.startIndex - b.startIndex)[0];
      if (sw) switches.add(sw);
      ctx.report({
        node: sw ?? i.node,
        line: (sw ?? i.node).line,
        message: `The model's output alone decides \`${model.text(first).split('\n')[0].slice(0, 80)}\` (line ${first.line}); nothing routes the decision to a human or checks it against independent rules.`,
      });
    }
    if (model.language) for (const hit of ternaryActions(model)) ctx.report({ node: hit.ternary, message: `The model's output alone (\`${model.text(hit.cond).slice(0, 60)}\`) picks \`${model.text(hit.call.node).split('\n')[0].slice(0, 80)}\`; nothing routes the decision to a human or checks it against independent rules.` });
    if (model.language) for (const hit of ternaryDecisions(model)) ctx.report({ node: hit.call.node, message: `The model's output alone picks the value written by \`${model.text(hit.call.node).split('\n')[0].slice(0, 80)}\` (\`${model.text(hit.cond).slice(0, 60)}\`); nothing routes the decision to a human or checks it against independent rules.` });
    for (const hit of graphRoutes(model)) {
      ctx.report({ node: hit.ret, message: `The graph router ${hit.router.name}() sends the run to the '${hit.node}' node on the model's output alone, and that node calls \`${hit.action}\` with no interrupt or review before it.` });
    }
  },
};

/**
 * LangGraph routing: `add_conditional_edges(src, router)` where the router reads a model verdict
 * from state and one of the nodes it can pick takes a consequential action, with no interrupt
 * before that node.
 */
function graphRoutes(model: PyModel): { router: FunctionFact; ret: AstNode; node: string; action: string }[] {
  const out: { router: FunctionFact; ret: AstNode; node: string; action: string }[] = [];
  const nodes = new Map<string, FunctionFact>();
  for (const c of model.calls) {
    if (c.name !== 'add_node') continue;
    const name = c.args.find((a) => a.index === 0);
    const fnArg = c.args.find((a) => a.index === 1);
    const fn = fnArg ? model.functions.find((f) => f.name === model.text(fnArg.node) && !f.className) : undefined;
    if (name?.node.type === 'string' && fn) nodes.set(model.text(name.node).replace(/^["']|["']$/g, ''), fn);
  }
  const interrupted = model.calls.some((c) => c.args.some((a) => a.name === 'interrupt_before' || a.name === 'interrupt_after')) || model.calls.some((c) => /(^|\.)interrupt$/.test(c.flat));
  if (interrupted) return out;
  for (const c of model.calls) {
    if (c.name !== 'add_conditional_edges') continue;
    const routerArg = c.args.find((a) => a.index === 1) ?? c.args.find((a) => a.name === 'path');
    const router = routerArg ? model.functions.find((f) => f.name === model.text(routerArg.node) && !f.className) : undefined;
    if (!router) continue;
    const mapping = c.args.find((a) => a.index === 2) ?? c.args.find((a) => a.name === 'path_map');
    for (const r of model.returns) {
      if (r.fn !== router || !r.value || !readsModel(model, router, r.value)) continue;
      // Candidate node names: string literals in the returned expression, through the mapping if any.
      const names = [...model.text(r.value).matchAll(/["']([\w-]+)["']/g)].map((m) => m[1]);
      for (const n of names) {
        let target = n;
        if (mapping?.node.type === 'dictionary') {
          const pair = mapping.node.children.find((p) => p.type === 'pair' && model.text(field(p, 'key')!).replace(/^["']|["']$/g, '') === n);
          const v = pair ? field(pair, 'value') : undefined;
          if (v?.type === 'string') target = model.text(v).replace(/^["']|["']$/g, '');
        }
        const fn = nodes.get(target);
        if (!fn) continue;
        if (fn.calls.some((x) => REVIEW.test(lastSegment(x.flat)))) continue;
        const act = fn.calls.find((x) => privilegedCall(model, x));
        if (act) {
          out.push({ router, ret: r.node, node: target, action: model.text(act.node).split('\n')[0].slice(0, 60) });
          break;
        }
      }
    }
  }
  return out;
}

/**
 * `verdict === 'approve' ? approveLoan(id) : rejectLoan(id)`: a conditional expression whose
 * branches take the consequential action, decided by the model's answer.
 */
function ternaryActions(model: PyModel): { ternary: AstNode; cond: AstNode; call: CallFact }[] {
  const out: { ternary: AstNode; cond: AstNode; call: CallFact }[] = [];
  const seen = new Set<AstNode>();
  for (const c of model.calls) {
    let n: AstNode | null = c.node;
    // Up through `await`, parentheses and `void` to the branch the call sits in.
    while (n?.parent && /^(await_expression|parenthesized_expression|unary_expression|as_expression|non_null_expression)$/.test(n.parent.type)) n = n.parent;
    const t = n?.parent;
    if (!n || !t || t.type !== 'ternary_expression' || seen.has(t)) continue;
    if (n !== field(t, 'consequence') && n !== field(t, 'alternative')) continue;
    const cond = field(t, 'condition');
    if (!cond || !privilegedCall(model, c)) continue;
    if (!readsModel(model, c.fn, cond) || readsHuman(model, c.fn, cond) || DISPATCH.test(model.text(cond))) continue;
    if (operandsOfAnd(cond, model.text).some((op) => isIndependentCheck(model, c.fn, op))) continue;
    if (callsIn(model, c.fn).some((x) => REVIEW.test(lastSegment(x.flat)) && x.node.startIndex < t.startIndex)) continue;
    seen.add(t);
    out.push({ ternary: t, cond, call: c });
  }
  return out;
}

/**
 * JS writes a verdict inline: `prisma.account.update({ data: { kycStatus: ok ? 'verified' : 'rejected' } })`
 * where `ok` is read from the model's reply. The ternary is the decision.
 */
function ternaryDecisions(model: PyModel): { call: CallFact; cond: AstNode }[] {
  const out: { call: CallFact; cond: AstNode }[] = [];
  for (const c of model.calls) {
    const name = snakeCase(c.name);
    if (!/^(update|update_many|update_one|upsert|patch|set|create|find_one_and_update|find_by_id_and_update|insert)$/.test(name)) continue;
    const stack = c.args.filter((a) => a.index >= 0).map((a) => a.node);
    let guard = 0;
    while (stack.length && guard++ < 2000) {
      const n = stack.pop()!;
      if (n.type === 'arrow_function' || n.type === 'function_expression') continue;
      if (n.type === 'ternary_expression') {
        const cond = field(n, 'condition');
        const branches = [field(n, 'consequence'), field(n, 'alternative')].map((b) => (b ? model.text(b) : ''));
        const pair = n.parent?.type === 'pair' ? model.text(field(n.parent, 'key')!) : '';
        const decisive = branches.some((b) => DECISION_LITERAL.test(b.replace(/`/g, "'"))) || (/^(is_?)?(banned|suspended|blocked|approved|verified|admin|eligible)$/i.test(pair) && branches.includes('true'));
        if (cond && decisive && readsModel(model, c.fn, cond) && !readsHuman(model, c.fn, cond) && !isIndependentCheck(model, c.fn, cond)) {
          out.push({ call: c, cond });
          break;
        }
      }
      for (const ch of n.children) if (ch.named) stack.push(ch);
    }
  }
  return out;
}
