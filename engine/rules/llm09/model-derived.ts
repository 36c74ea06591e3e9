/**
 * Which names in a function hold model output, or a value computed from it. The flow engine drops
 * taint at comparisons (a boolean cannot inject anything), but for decisions that boolean is the
 * point: `ok = "approve" in reply` still makes the model the one deciding.
 */
import { walkOrderByOwner, type AstNode } from '../../parse/index.js';
import type { CallFact, FunctionFact, PyModel } from '../../flow/python.js';
import { APPROVAL_NAME, lastSegment, type Label } from '../helpers.js';
import { assignsIn } from '../facts.js';

/** Model output proper, not the arguments a model picks when it calls a tool. */
export function isModelOutput(l: Label): boolean {
  // Graph state holds user input and human decisions as well as model replies: not model output as such.
  return l.kind === 'model' && !l.toolArg && !l.what.startsWith('tool argument') && !l.what.startsWith('graph state');
}

const cache = new WeakMap<FunctionFact, Set<string>>();

function within(n: AstNode, outer: AstNode): boolean {
  return n.startIndex >= outer.startIndex && n.endIndex <= outer.endIndex;
}

/** True when a call's result is model output: a model call, or a local function returning it. */
export function callYieldsModel(c: CallFact, model?: PyModel): boolean {
  if (c.model) return true;
  if (!c.target) return false;
  if (c.target.returns.some(isModelOutput)) return true;
  // `return "YES" in reply`: a verdict computed from the reply carries no taint (comparisons drop
  // it) but is still the model's answer.
  return !!model && verdictReturn(model, c.target);
}

const verdictCache = new WeakMap<FunctionFact, boolean>();

function verdictReturn(model: PyModel, fn: FunctionFact): boolean {
  const hit = verdictCache.get(fn);
  if (hit !== undefined) return hit;
  verdictCache.set(fn, false); // recursion guard
  const out = model.returns.some((r) => r.fn === fn && !!r.value && (r.value.type === 'comparison_operator' || r.value.type === 'not_operator' || r.value.type === 'boolean_operator') && readsModel(model, fn, r.value));
  verdictCache.set(fn, out);
  return out;
}

/** Names and dotted paths an expression reads; keyword names and attribute names are not reads. */
export function identifiers(n: AstNode, model: PyModel, out: string[] = []): string[] {
  if (n.type === 'identifier') {
    out.push(model.text(n));
    return out;
  }
  if (n.type === 'attribute') {
    const t = model.text(n);
    if (/^[\w.]+$/.test(t)) out.push(t);
    const obj = n.children.find((c) => c.field === 'object');
    if (obj) identifiers(obj, model, out);
    return out;
  }
  if (n.type === 'keyword_argument') {
    const v = n.children.find((c) => c.field === 'value');
    if (v) identifiers(v, model, out);
    return out;
  }
  const kids = n.children;
  for (let i = 0; i < kids.length; i++) if (kids[i].named && kids[i].type !== 'lambda') identifiers(kids[i], model, out);
  return out;
}

const readsCache = new WeakMap<AstNode, readonly string[]>();

/** `identifiers(n, model)`, computed once per node: conditions and values are asked about many times. Read-only. */
export function identifierReads(n: AstNode, model: PyModel): readonly string[] {
  let hit = readsCache.get(n);
  if (hit === undefined) {
    hit = identifiers(n, model);
    readsCache.set(n, hit);
  }
  return hit;
}

export function modelDerivedNames(model: PyModel, fn: FunctionFact): Set<string> {
  const hit = cache.get(fn);
  if (hit) return hit;
  const names = new Set<string>();
  const calls = fn.calls.filter((c) => callYieldsModel(c, model));
  // With no model call here and no graph state to read, nothing can seed a name: every `derived`
  // below would be false. Most functions are like that; skip the rounds.
  if (calls.length === 0 && !(fn.isGraphNode || graphStateParam(fn) ? graphStateParam(fn) : undefined)) {
    cache.set(fn, names);
    return names;
  }
  const assigns = [...assignsIn(model, fn)].sort((a, b) => a.node.startIndex - b.node.startIndex);
  const loops = forLoops(model, fn);
  const human = humanDecidedNames(model, fn);
  const derived = (v: AstNode) => (calls.some((c) => within(c.node, v)) || identifierReads(v, model).some((n) => names.has(n)) || readsModelState(model, fn, v)) && !humanCall(fn, v);
  // Twice, so a value used before the loop-carried assignment that taints it is caught too.
  for (let round = 0; round < 2; round++) {
    for (const a of assigns) if (!human.has(a.target) && derived(a.value)) names.add(a.target);
    for (const f of loops) {
      const right = f.children.find((c) => c.field === 'right');
      const left = f.children.find((c) => c.field === 'left');
      if (right && left && derived(right)) for (const n of identifierReads(left, model)) names.add(n);
    }
  }
  cache.set(fn, names);
  return names;
}

const OWNERS = ['function_definition', 'class_definition'];

/** The `for` loops of a function's own body (nested functions and classes are theirs). */
function forLoops(model: PyModel, fn: FunctionFact): readonly AstNode[] {
  return walkOrderByOwner(model.file, ['for_statement'], OWNERS).get(fn.node) ?? [];
}

const HUMAN_CALL = /((^|_)(input|prompt|ask|yes_no|yes_or_no)(_|$)|input$|confirm)/i;
const humanCache = new WeakMap<FunctionFact, Set<string>>();

/** A person answering inside `v`: `confirm(...)`, `input(...)`, `ask_for_approval(...)`. */
function humanCall(fn: FunctionFact, v: AstNode): boolean {
  let asks = humanCallCache.get(fn);
  if (!asks) {
    // Which calls ask a person does not depend on `v`: filter once per function, then test containment.
    asks = fn.calls.filter((c) => !callYieldsModel(c) && (APPROVAL_NAME.test(lastSegment(c.flat)) || HUMAN_CALL.test(c.name)));
    humanCallCache.set(fn, asks);
  }
  return asks.some((c) => within(c.node, v));
}
const humanCallCache = new WeakMap<FunctionFact, CallFact[]>();

/** Names holding a person's answer; a decision on them is a human decision. */
export function humanDecidedNames(model: PyModel, fn: FunctionFact): Set<string> {
  const hit = humanCache.get(fn);
  if (hit) return hit;
  const out = new Set<string>();
  for (const a of assignsIn(model, fn)) if (humanCall(fn, a.value)) out.add(a.target);
  humanCache.set(fn, out);
  return out;
}

/** Whether an expression reads a person's answer. */
export function readsHuman(model: PyModel, fn: FunctionFact, n: AstNode): boolean {
  const names = humanDecidedNames(model, fn);
  return identifierReads(n, model).some((x) => names.has(x)) || humanCall(fn, n);
}

const stateKeyCache = new WeakMap<PyModel, Set<string>>();

/**
 * LangGraph state keys that hold model output: a node returns `{"verdict": reply.content}`, and
 * every later node reading `state["verdict"]` reads the model's answer.
 */
export function modelStateKeys(model: PyModel): Set<string> {
  const hit = stateKeyCache.get(model);
  if (hit) return hit;
  const keys = new Set<string>();
  stateKeyCache.set(model, keys);
  for (const r of model.returns) {
    // JS nodes return `{ verdict: await judge.invoke(...) }` (an object, bare keys, shorthand `{ verdict }`).
    const value = r.value?.type === 'parenthesized_expression' ? r.value.children.find((c) => c.named) : r.value;
    if (!value || (value.type !== 'dictionary' && value.type !== 'object') || (!r.fn.isGraphNode && !graphStateParam(r.fn))) continue;
    for (const p of value.children) {
      if (p.type !== 'pair' && p.type !== 'shorthand_property_identifier') continue;
      const k = p.type === 'pair' ? p.children.find((c) => c.field === 'key') : p;
      const v = p.type === 'pair' ? p.children.find((c) => c.field === 'value') : p;
      if (!k || !v || !/^(string|property_identifier|shorthand_property_identifier)$/.test(k.type) || /^["']?messages["']?$/.test(model.text(k))) continue;
      const calls = r.fn.calls.filter((c) => callYieldsModel(c, model));
      const names = modelDerivedNames(model, r.fn);
      if (calls.some((c) => within(c.node, v)) || identifierReads(v, model).some((x) => names.has(x))) keys.add(model.text(k).replace(/^["']|["']$/g, ''));
    }
  }
  return keys;
}

function graphStateParam(fn: FunctionFact): string | undefined {
  const p = fn.params.find((x) => x.name === 'state' || (!!x.annotation && /State$/.test(x.annotation)));
  return p?.name;
}

/** `state["verdict"]` / `state.verdict` in a graph node, for a key a model-calling node wrote. */
function readsModelState(model: PyModel, fn: FunctionFact, n: AstNode): boolean {
  const param = fn.isGraphNode || graphStateParam(fn) ? graphStateParam(fn) : undefined;
  if (!param) return false;
  const keys = modelStateKeys(model);
  if (!keys.size) return false;
  const stack = [n];
  let guard = 0;
  while (stack.length && guard++ < 500) {
    const c = stack.pop()!;
    const obj = c.children.find((x) => x.field === 'object' || x.field === 'value');
    if (obj && obj.type === 'identifier' && model.text(obj) === param) {
      if (c.type === 'subscript' || c.type === 'subscript_expression') {
        const key = c.children.find((x) => x.field === 'subscript' || x.field === 'index');
        if (key?.type === 'string' && keys.has(model.text(key).replace(/^["'`]|["'`]$/g, ''))) return true;
      } else if (c.type === 'attribute' || c.type === 'member_expression') {
        const attr = c.children.find((x) => x.field === 'attribute' || x.field === 'property');
        if (attr && keys.has(model.text(attr))) return true;
      } else if (c.type === 'call') {
        // `state.get("verdict")`
      }
    }
    if (c.type === 'call') {
      const f = c.children.find((x) => x.field === 'function');
      const args = c.children.find((x) => x.field === 'arguments');
      const first = args?.children.find((x) => x.named);
      if (f?.type === 'attribute' && model.text(f) === `${param}.get` && first?.type === 'string' && keys.has(model.text(first).replace(/^["']|["']$/g, ''))) return true;
    }
    for (const ch of c.children) if (ch.named) stack.push(ch);
  }
  return false;
}

/** Whether an expression reads model output in this function. */
export function readsModel(model: PyModel, fn: FunctionFact, n: AstNode): boolean {
  const names = modelDerivedNames(model, fn);
  if (identifierReads(n, model).some((x) => names.has(x))) return true;
  if (readsModelState(model, fn, n)) return true;
  return fn.calls.some((c) => callYieldsModel(c, model) && within(c.node, n));
}
