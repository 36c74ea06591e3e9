import { JS_LANGUAGES } from '../types.js';
import type { AstNode } from '../../parse/index.js';
import { field } from '../../parse/index.js';
import type { CallFact, FunctionFact, LoopFact, PyModel } from '../../flow/python.js';
import type { Rule } from '../types.js';
import { lastSegment } from '../helpers.js';
import { isModelOutput, readsModel } from '../llm09/model-derived.js';
import { clamped, isWebHandler, userDerived } from './bounds.js';

/** Waiting for a person or an event: each turn of such a loop is paid for by someone outside. */
const WAITS_CALLEE = /^(input|builtins\.input|raw_input|click\.prompt|typer\.prompt|rich\.prompt\.Prompt\.ask|sys\.stdin\.readline|streamlit\.chat_input|time\.sleep|asyncio\.sleep|select\.select)$/;
const WAITS_METHOD = /^(question|receive|receive_text|receive_json|receive_bytes|recv|recv_json|get_message|next_message|read_message|poll|consume|listen|accept|wait|wait_for|sleep|brpop|blpop|xread|xreadgroup|fetch_messages|get_updates|receive_messages)$/;

/** Helpers named for asking a person: `input_with_fallback`, `confirm`, `ask_user`, `record_audio`. */
const WAITS_NAME = /(input|prompt_user|ask_user|ask_human|confirm|approv|record_audio|capture_audio|listen|transcribe|wait_for)/i;

/** Functions that run a model, directly or through local helpers (two levels). */
function runsModel(fn: FunctionFact, depth = 0, seen = new Set<FunctionFact>()): boolean {
  if (seen.has(fn) || depth > 2) return false;
  seen.add(fn);
  return fn.calls.some((c) => c.model !== null || (c.target ? runsModel(c.target, depth + 1, seen) : false));
}

function callsModel(c: CallFact): boolean {
  return c.model !== null || (!!c.target && runsModel(c.target));
}

function waits(model: PyModel, c: CallFact): boolean {
  const callee = c.flat;
  if (WAITS_CALLEE.test(callee)) return true;
  const name = lastSegment(callee);
  if (WAITS_METHOD.test(name) || WAITS_NAME.test(name)) return true;
  return name === 'get' && !!c.receiver && /(queue|inbox|^q$|_q$|channel|mailbox)/i.test(model.text(c.receiver));
}

/** Some call in the loop, or in a local helper it calls, waits for a person or an event. */
function waitsForInput(model: PyModel, loop: LoopFact): boolean {
  const inHelper = (fn: FunctionFact, depth: number): boolean => depth <= 2 && fn.calls.some((c) => waits(model, c) || (!!c.target && c.target !== fn && inHelper(c.target, depth + 1)));
  return model.calls.some((c) => c.loops.includes(loop) && (waits(model, c) || (!!c.target && inHelper(c.target, 1))));
}

/** The loop keeps going until model output says stop, or forever. */
function endless(model: PyModel, fn: FunctionFact, loop: LoopFact): boolean {
  if (!loop.unbounded) return false;
  if (loop.kind === 'for') return true;
  const cond = field(loop.node, 'condition');
  if (!cond) return false;
  if (/^\(?\s*(True|1|not\s+False|true|!0|!false)\s*\)?$/.test(model.text(cond).trim())) return true;
  // Resuming after approval interruptions: each turn waits on an approval decision.
  if (/\.interruptions\b/.test(model.text(cond))) return false;
  return loop.modelControlled || readsModel(model, fn, cond);
}

/** A comparison or test on one of the function's parameters: `if depth >= MAX_DEPTH: return`. */
function checksParam(model: PyModel, fn: FunctionFact): boolean {
  const params = new Set(fn.params.map((p) => p.name).filter((n) => n !== 'self' && n !== 'cls'));
  const stack: AstNode[] = [field(fn.node, 'body')!];
  while (stack.length) {
    const n = stack.pop();
    if (!n) continue;
    if (n.type === 'function_definition') continue;
    if (n.type === 'comparison_operator' || n.type === 'not_operator') {
      const ids: string[] = [];
      const s2 = [n];
      while (s2.length) {
        const x = s2.pop()!;
        if (x.type === 'identifier') ids.push(model.text(x));
        for (const c of x.children) if (c.named) s2.push(c);
      }
      const numeric = n.type === 'not_operator' || n.children.some((c) => c.field === 'operators' && /^(<|<=|>|>=|==)$/.test(model.text(c)));
      if (numeric && ids.some((i) => params.has(i) && /(depth|level|attempt|retr|remaining|budget|max|limit|count|step|round|iteration|hops|ttl|n$|^n_|^i$)/i.test(i))) return true;
      if (n.type === 'comparison_operator' && numeric && ids.some((i) => params.has(i)) && n.children.some((c) => c.type === 'integer' || /^[A-Z_]+$/.test(model.text(c)))) return true;
    }
    for (const c of n.children) if (c.named) stack.push(c);
  }
  return false;
}

/**
 * Every turn of an agent loop is a paid model call. A loop that only the model can end, or a
 * recursion that only the model's answers stop, runs until the money or the rate limit runs out
 * when the model never says "done" (or an injected prompt tells it not to). A step counter, a
 * deadline, or a loop that waits for a person each turn bounds it.
 */
export const rule: Rule = {
  meta: {
    id: 'unbounded-consumption/unbounded-model-loop',
    owasp: 'LLM10',
    asi: 'ASI08',
    cwe: 'CWE-400',
    severity: 'MEDIUM',
    title: 'Model called in a loop with no iteration limit',
    description: 'A loop or recursion calls the model until the model signals completion, with no maximum number of steps, deadline or budget, so a confused or manipulated model can run up unbounded cost and latency.',
    fix: 'Bound agent loops with a maximum step count and a wall-clock deadline (and a token or cost budget), stop with a clear error when the limit is hit, and bound recursion depth with a parameter checked on entry.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    const reported = new Set<LoopFact>();
    for (const call of model.calls) {
      if (!callsModel(call)) continue;
      for (const loop of call.loops) {
        if (reported.has(loop) || !endless(model, call.fn, loop) || waitsForInput(model, loop)) continue;
        reported.add(loop);
        ctx.report({ node: loop.node, line: loop.node.line, message: `This loop calls the model (${call.name}() on line ${call.line}) and only ${loop.kind === 'for' ? 'an endless iterator drives it' : 'the model output or nothing ends it'}; add a maximum step count or deadline.` });
      }
    }
    // A loop whose length the request decides: one request, as many model calls as it lists.
    const userLoops = new Set<LoopFact>();
    for (const call of model.calls) {
      if (!callsModel(call) || !isWebHandler(call.fn)) continue;
      for (const loop of call.loops) {
        if (reported.has(loop) || userLoops.has(loop) || loop.kind !== 'for') continue;
        const right = field(loop.node, 'right');
        if (!right) continue;
        // `for item in body["items"]` and `for _ in range(int(request.args["n"]))` alike.
        if (!userDerived(model, call.fn, right) || clamped(model, call.fn, right, loop.node.startIndex)) continue;
        userLoops.add(loop);
        ctx.report({ node: loop.node, line: loop.node.line, message: `The request decides how many times this loop calls the model (${call.name}() on line ${call.line}); cap the number of items or iterations.` });
      }
    }
    // The same fan-out written as a comprehension: `gather(*(ask(p) for p in parts))`.
    const fanned = new Set<AstNode>();
    for (const call of model.calls) {
      if (!callsModel(call) || !isWebHandler(call.fn) || call.loops.length) continue;
      let comp: AstNode | null = call.node.parent;
      while (comp && !/^(list_comprehension|generator_expression|set_comprehension|dictionary_comprehension)$/.test(comp.type) && comp !== call.fn.node) comp = comp.parent;
      if (!comp || comp === call.fn.node || fanned.has(comp)) continue;
      const clause = comp.children.find((c) => c.type === 'for_in_clause');
      const right = clause ? field(clause, 'right') : undefined;
      if (!right || !userDerived(model, call.fn, right) || clamped(model, call.fn, right, comp.startIndex)) continue;
      fanned.add(comp);
      ctx.report({ node: comp, line: comp.line, message: `The request decides how many model calls this comprehension makes (${call.name}() on line ${call.line}); cap the number of items or chunks.` });
    }
    // Recursion the model drives: a function that calls itself after asking the model.
    for (const fn of model.functions) {
      // Only recursion the model steers: the next call works on what the model returned. Walking a
      // tree the program already holds ends with the tree.
      const self = fn.calls.find((c) => c.target === fn && c.args.some((a) => a.taint.some(isModelOutput) || readsModel(model, fn, a.node)));
      if (!self || !runsModel(fn)) continue;
      if (checksParam(model, fn)) continue;
      ctx.report({ node: self.node, message: `${fn.name}() calls the model and then itself with no depth limit; the model's answers alone decide when the recursion stops.` });
    }
  },
};
