import type { AstNode } from '../../parse/index.js';
import { field } from '../../parse/index.js';
import type { CallFact, PyModel } from '../../flow/python.js';
import { JS_LANGUAGES, type Rule } from '../types.js';
import type { FunctionFact } from '../../flow/python.js';
import { reaching } from '../helpers.js';
import { clamped, isWebHandler } from './bounds.js';

/** A function that runs a model, directly or through local helpers (two levels). */
function runsModel(fn: FunctionFact, depth = 0, seen = new Set<FunctionFact>()): boolean {
  if (seen.has(fn) || depth > 2) return false;
  seen.add(fn);
  return fn.calls.some((c) => c.model !== null || (c.target ? runsModel(c.target, depth + 1, seen) : false));
}

const MAX_SANE_STEPS = 100;
/** Step and turn limits of JS agent loops: AI SDK `maxSteps`, OpenAI Agents `maxTurns`, LangGraph `recursionLimit`, LangChain `maxIterations`. */
const STEP_OPTIONS = new Set(['maxSteps', 'maxTurns', 'recursionLimit', 'maxIterations', 'maxToolRoundtrips', 'maxRetries']);

function numberOf(model: PyModel, n: AstNode): number | undefined {
  const t = model.text(n).replace(/_/g, '').trim();
  if (/^(Infinity|Number\.MAX_SAFE_INTEGER|Number\.MAX_VALUE|Number\.POSITIVE_INFINITY)$/.test(t)) return Infinity;
  if (n.type === 'number') return Number(t);
  if (n.type === 'binary_expression' && /^\d+\s*\*\*\s*\d+$/.test(t)) return Infinity;
  return undefined;
}

/** `stopWhen: () => false`, `stopWhen: []`: a stop condition that never stops. */
function neverStops(model: PyModel, n: AstNode): boolean {
  if (n.type === 'array' && !n.children.some((c) => c.named)) return true;
  if (n.type === 'arrow_function' || n.type === 'function_expression') {
    const body = field(n, 'body');
    return !!body && /^(false|\{\s*return\s+false;?\s*\})$/.test(model.text(body).trim());
  }
  return false;
}

function optionArgs(call: CallFact) {
  return call.args.filter((a) => a.name !== null);
}

/**
 * Agent loops in the JS SDKs stop after a number of steps; setting that number to Infinity or to
 * thousands, or giving a stop condition that never holds, lets a confused or manipulated agent
 * call the model (and its tools) until money or rate limits run out. Limits in the usual range
 * and the SDK defaults stay silent.
 */
export const rule: Rule = {
  meta: {
    id: 'unbounded-consumption/agent-step-limit-disabled',
    owasp: 'LLM10',
    asi: 'ASI08',
    cwe: 'CWE-770',
    severity: 'MEDIUM',
    title: 'Agent step limit disabled',
    description: 'An agent or tool loop is given no effective step limit (maxSteps/maxTurns/recursionLimit set to Infinity or thousands, or a stop condition that never holds), so it can call the model without bound.',
    fix: 'Keep a modest step limit (stopWhen: stepCountIs(10), maxSteps around 5-20, maxTurns near the default, recursionLimit near 25), and add an AbortSignal timeout for the whole run.',
    languages: [...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    for (const call of model.calls) {
      for (const a of optionArgs(call)) {
        if (STEP_OPTIONS.has(a.name!)) {
          const n = numberOf(model, a.node);
          const limit = a.name === 'maxRetries' ? 20 : MAX_SANE_STEPS;
          if (n !== undefined && n >= limit) ctx.report({ node: a.node, message: `${a.name}: ${model.text(a.node)} lets ${call.name}() run far beyond any real task before stopping.` });
        } else if (a.name === 'stopWhen' && neverStops(model, a.node)) {
          ctx.report({ node: a.node, message: `stopWhen never holds, so ${call.name}() keeps looping over model and tool calls.` });
        }
      }
      // `Promise.all(req.body.documents.map((d) => summarise(d)))`: the request decides how many model calls run.
      if (/^(map|forEach|flatMap)$/.test(call.name) && call.receiver && call.target && isWebHandler(call.fn) && runsModel(call.target)) {
        const l = reaching(call.receiverTaint, ['user'])[0];
        if (l && !clamped(model, call.fn, call.receiver, call.node.startIndex) && !/\.slice\(|\.splice\(/.test(model.text(call.receiver))) {
          ctx.report({ node: call.node, source: l, message: `The request decides how many model calls ${call.name}() starts (${l.what}, line ${l.line}); cap the number of items and the concurrency.` });
        }
      }
    }
  },
};
