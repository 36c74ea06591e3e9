import { snakeCase } from '../../flow/javascript.js';
import { JS_LANGUAGES } from '../types.js';
import type { AstNode } from '../../parse/index.js';
import { field } from '../../parse/index.js';
import type { ArgFact, CallFact, FunctionFact, PyModel } from '../../flow/python.js';
import type { Rule } from '../types.js';
import { APPROVAL_NAME, lastSegment } from '../helpers.js';
import { DISPATCH, GRANT_FIELD, modelDecides, PRIVILEGED, REVIEW } from './unverified-output-decision.js';
import { PUBLISH } from './unvalidated-output-as-fact.js';
import { dangerousAction } from '../sinks.js';
import { identifierReads, isModelOutput, modelDerivedNames, readsModel } from './model-derived.js';

/** Setters whose argument is the decision itself: `update_status(id, label)`, `set_role(user, r)`. */
const DECISION_SETTER = /^_?(update|set|change|mark|record|save|apply)_?(ticket_|claim_|account_|user_|order_|case_|application_)?(status|state|role|decision|verdict|resolution|outcome|eligibility|approval|access_level|permissions?|credit_limit|risk_level|grade|score|credit_score|risk_score|price|salary|dosage|dose|triage_level)$/i;
/** Generic writes (`.update(status=...)`, `save(decision=...)`) with a keyword naming the decision. */
const GENERIC_WRITE = /^(update|save|create|set|patch|update_one|update_many|upsert)$/;
const DECISION_KW = /^(status|state|decision|verdict|approved|is_approved|role|roles|is_admin|access_level|permissions?|eligible|is_eligible|is_fraud|credit_limit|resolution|outcome|risk_level)$/;
/** Arguments that only describe the action: the model may write them. */
const DESCRIPTIVE_ARG = /^(note|notes|reason|memo|comment|comments|rationale|explanation|summary|message|msg|description|context|suggestion|metadata|details|log|title|body_text)$/;
/** Actions already covered as excessive agency or unsafe output handling. */
const OTHER_CATEGORY = /^_?(send|delete|remove|deploy|execute|run|exec|write|post_message|notify)/i;

const TOOL_ROUTE = /\b(name|tool|tool_name|function|function_name|fn|fn_name|tool_call|call_name)\b|\[["']name["']\]/;

/** A string literal with nothing spliced in (Python f-string interpolation, JS template substitution). */
function isFixedText(n: AstNode): boolean {
  if (n.type === 'string') return !n.children.some((c) => c.type === 'interpolation');
  return n.type === 'template_string' && !n.children.some((c) => c.type === 'template_substitution');
}

/** JS names read as the Python tables spell them: `issueRefund` -> `issue_refund`. */
function py(model: PyModel, name: string): string {
  return model.language ? snakeCase(name) : name;
}

function within(n: AstNode, outer: AstNode): boolean {
  return n.startIndex >= outer.startIndex && n.endIndex <= outer.endIndex;
}

/** Whether an argument carries the model's answer: by taint, or by names computed from it. */
function carriesModel(model: PyModel, fn: FunctionFact, a: ArgFact): boolean {
  if (isFixedText(a.node)) return false;
  if (a.taint.some(isModelOutput)) return true;
  return readsModel(model, fn, a.node);
}

/** Inside an `if` that already decides on the model (reported by unverified-output-decision). */
function underModelIf(model: PyModel, n: AstNode, fn: FunctionFact): boolean {
  return model.ifs.some((i) => i.fn === fn && n.startIndex >= i.bodyStart && n.endIndex <= i.bodyEnd && modelDecides(model, i));
}

/**
 * A human step or an independent bound in the function: a review queue, an approval call, or a
 * comparison of the model's value against a limit before the action.
 */
function checkedBefore(model: PyModel, fn: FunctionFact, n: AstNode): boolean {
  // The action's own name (`approve_refund`) is not an approval step.
  if (fn.calls.some((c) => !PRIVILEGED.test(py(model, c.name)) && !DECISION_SETTER.test(py(model, c.name)) && (APPROVAL_NAME.test(py(model, c.name)) || c.callee === 'input' || REVIEW.test(py(model, lastSegment(c.flat)))))) return true;
  if (fn.decorators.some((d) => APPROVAL_NAME.test(d.qname))) return true;
  const names = modelDerivedNames(model, fn);
  const vals = new Set(identifierReads(n, model).filter((x) => names.has(x)));
  return model.ifs.some((i) => {
    if (i.fn !== fn || i.node.startIndex > n.startIndex || within(n, i.node)) return false;
    const t = model.text(i.condition);
    if (!/[<>]|\bnot in\b|\bin\b|\.(includes|has)\(/.test(t)) return false;
    return identifierReads(i.condition, model).some((x) => vals.has(x));
  });
}

function actionName(model: PyModel, call: CallFact): string {
  return py(model, lastSegment(call.flat));
}

/** The argument that makes the decision, if the call is a decision the model's answer fills in. */
function decisionArg(model: PyModel, call: CallFact): ArgFact | undefined {
  const name = actionName(model, call);
  const recv = call.receiver ? model.text(call.receiver) : '';
  if (/(cache|seen|tmp|temp|buffer|history|messages|session_state|_list|_dict|_set|memory|state|printer|console|progress|display|spinner|bar|logger|ui)$/i.test(recv)) return undefined;
  const fn = call.fn;
  // `UPDATE claims SET status = ?` with the model's label as a parameter.
  if (dangerousAction(model, call) === 'sql') {
    const sql = call.args.find((a) => a.node.type === 'string' || a.node.type === 'concatenated_string' || a.node.type === 'template_string');
    if (!sql || !DECISION_SQL.test(model.text(sql.node))) return undefined;
    if (!isFixedText(sql.node) && carriesModel(model, fn, sql)) return sql;
    return call.args.find((a) => a !== sql && carriesModel(model, fn, a));
  }
  // A record of the decision built for storage: `LoanDecision(approved=approved)` then `session.add(...)`.
  if (/^[A-Z]\w*$/.test(lastSegment(call.flat)) && persists(model, fn)) {
    const field = call.args.find((a) => a.name && DECISION_KW.test(py(model, a.name)) && carriesModel(model, fn, a));
    if (field) return field;
  }
  if (GENERIC_WRITE.test(name) || /^(update_one|update_many|find_one_and_update|update)$/.test(name)) {
    const byKw = call.args.find((a) => a.name && DECISION_KW.test(py(model, a.name)) && carriesModel(model, fn, a));
    if (byKw) return byKw;
    // `db.save(app_id, approved)`: a positional value named for the decision.
    const store = call.receiver ? /(db|database|session|repo|repository|store|table|collection|objects|dao|crud)/i.test(model.text(call.receiver)) : false;
    const byName = store ? call.args.find((a) => a.name === null && a.node.type === 'identifier' && DECISION_KW.test(py(model, model.text(a.node))) && carriesModel(model, fn, a)) : undefined;
    if (byName) return byName;
    // `.update({"status": label})`, `{"$set": {"decision": verdict}}`.
    for (const a of call.args) {
      const v = decisionInDict(model, fn, a.node, 0);
      if (v) return { ...a, node: v };
    }
    return undefined;
  }
  // Publishing is unvalidated-output-as-fact's finding.
  if (OTHER_CATEGORY.test(name) || PUBLISH.test(name)) return undefined;
  if (!DECISION_SETTER.test(name) && !PRIVILEGED.test(name)) return undefined;
  return call.args.find((a) => !a.splat && !(a.name && DESCRIPTIVE_ARG.test(py(model, a.name))) && !(model.language && a.node.type === 'object') && carriesModel(model, fn, a));
}

const DECISION_SQL = /\b(update|insert)\b[\s\S]*\b(status|state|decision|verdict|approved|is_approved|role|is_admin|eligible|is_fraud|fraud|credit_limit|resolution|outcome)\b/i;

function decisionInDict(model: PyModel, fn: FunctionFact, n: AstNode, depth: number): AstNode | undefined {
  if ((n.type !== 'dictionary' && n.type !== 'object') || depth > 2) return undefined;
  for (const p of n.children) {
    // JS `{ status }` names the model-derived local it writes.
    if (p.type === 'shorthand_property_identifier' && DECISION_KW.test(py(model, model.text(p))) && modelDerivedNames(model, fn).has(model.text(p))) return p;
    if (p.type !== 'pair') continue;
    const k = field(p, 'key');
    const v = field(p, 'value');
    if (!k || !v) continue;
    const key = k.type === 'string' ? model.text(k).replace(/^["']|["']$/g, '') : k.type === 'property_identifier' ? py(model, model.text(k)) : '';
    if (DECISION_KW.test(key) && !isFixedText(v) && readsModel(model, fn, v)) return v;
    const inner = decisionInDict(model, fn, v, depth + 1);
    if (inner) return inner;
  }
  return undefined;
}

/** The function writes to a database: `session.add`, `commit`, `save`, an ORM `create`. */
const persistsCache = new WeakMap<FunctionFact, boolean>();

function persists(model: PyModel, fn: FunctionFact): boolean {
  let hit = persistsCache.get(fn);
  if (hit === undefined) {
    hit = persistsUncached(model, fn);
    persistsCache.set(fn, hit);
  }
  return hit;
}

function persistsUncached(model: PyModel, fn: FunctionFact): boolean {
  return fn.calls.some((c) => /^(add|add_all|commit|save|insert_one|insert|create|put_item|merge|flush)$/.test(c.name) && !!c.receiver && /(session|db|repo|table|collection|objects|store|conn|cursor)/i.test(model.text(c.receiver)));
}

/**
 * JS tool-call routing (`switch (block.name)`, `if (call.function.name === 'refund')`, a loop over
 * `message.tool_calls`): the model picked a tool and its arguments, which is excessive agency.
 */
function inToolDispatch(model: PyModel, call: CallFact): boolean {
  for (let n = call.node.parent; n && n !== call.fn.node; n = n.parent) {
    const head = n.type === 'switch_statement' ? field(n, 'value') : n.type === 'if_statement' ? field(n, 'condition') : n.type === 'for_in_statement' ? field(n, 'right') : undefined;
    if (head && (DISPATCH.test(model.text(head)) || TOOL_ROUTE.test(model.text(head)))) return true;
  }
  return false;
}

/** `handlers[choice](ticket)` over a table of consequential functions. */
function dispatchIndex(model: PyModel, call: CallFact): AstNode | undefined {
  const f = field(call.node, 'function');
  if (!f || (f.type !== 'subscript' && f.type !== 'subscript_expression')) return undefined;
  const index = field(f, 'subscript') ?? field(f, 'index');
  const table = field(f, 'value') ?? field(f, 'object');
  // Tool-call routing (`TOOLS[block.name](**block.input)`) is how function calling works.
  if (!index || !table || DISPATCH.test(model.text(f)) || TOOL_ROUTE.test(model.text(index)) || call.args.some((a) => a.splat)) return undefined;
  if (!readsModel(model, call.fn, index)) return undefined;
  const tname = model.text(table);
  const def = model.assigns.filter((a) => a.target === tname && (a.fn === call.fn || a.fn.isModule)).pop();
  if (!def || (def.value.type !== 'dictionary' && def.value.type !== 'object')) return undefined;
  const values = def.value.children.map((p) => (p.type === 'pair' ? field(p, 'value') : p.type === 'shorthand_property_identifier' ? p : undefined)).filter((v): v is AstNode => !!v);
  if (!values.some((v) => /^(identifier|attribute|member_expression|shorthand_property_identifier)$/.test(v.type) && PRIVILEGED.test(py(model, lastSegment(model.text(v)))))) return undefined;
  return index;
}

/**
 * The model's answer used as the decision itself, without any `if`: a label written into a
 * record's status, an amount passed to a refund, a verdict used to pick the handler. A wrong or
 * manipulated answer acts on a real account with nothing in between. Values bounded against a
 * limit first, or handed to a review queue, stay silent; tool functions (whose arguments the
 * model picks by design) are the excessive-agency rules' concern.
 */
export const rule: Rule = {
  meta: {
    id: 'misinformation/model-output-drives-action',
    owasp: 'LLM09',
    asi: 'ASI09',
    cwe: 'CWE-1426',
    severity: 'MEDIUM',
    title: 'Model output used directly as a decision',
    description: 'A status, role, amount or handler is taken straight from the model\u2019s output and applied to a record or account, with no human review or independent check, so a hallucinated or manipulated answer becomes the decision.',
    fix: 'Treat the model\u2019s answer as a suggestion: validate it against business rules computed from authoritative data (limits, allowed transitions), and route consequential changes to human review before applying them.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    for (const call of model.calls) {
      if (call.fn.isTool || call.model || (model.language && inToolDispatch(model, call))) continue;
      const a = decisionArg(model, call);
      const index = a ? undefined : dispatchIndex(model, call);
      if (!a && !index) continue;
      if (underModelIf(model, call.node, call.fn) || checkedBefore(model, call.fn, a?.node ?? index!)) continue;
      ctx.report({
        node: call.node,
        message: a
          ? `The model's output decides \`${model.text(a.node).slice(0, 60)}\` in ${actionName(model, call)}() (line ${call.line}); nothing reviews it or checks it against independent rules.`
          : `The model's answer picks which action runs (\`${model.text(call.node).split('\n')[0].slice(0, 60)}\`); nothing reviews it first.`,
      });
    }
    for (const asg of model.assigns) {
      const left = field(asg.node, 'left');
      if (!left || (left.type !== 'attribute' && left.type !== 'member_expression') || /^(self|this)\./.test(asg.target) || asg.fn.isTool) continue;
      if (!GRANT_FIELD.test(model.language ? snakeCase(asg.target) : asg.target)) continue;
      const v = asg.value;
      if (isFixedText(v) || /^(true|false|none|null|undefined|integer|number)$/.test(v.type)) continue;
      if (!readsModel(model, asg.fn, v)) continue;
      if (underModelIf(model, asg.node, asg.fn) || checkedBefore(model, asg.fn, v)) continue;
      ctx.report({ node: asg.node, message: `The model's output is written to \`${asg.target}\` (line ${asg.node.line}) as the decision; nothing reviews it or checks it against independent rules.` });
    }
  },
};
