import { JS_LANGUAGES } from '../types.js';
import type { AstNode } from '../../parse/index.js';
import { field } from '../../parse/index.js';
import type { CallFact, PyModel } from '../../flow/python.js';
import { snakeCase } from '../../flow/javascript.js';
import type { Rule } from '../types.js';
import type { Label } from '../helpers.js';
import { lastSegment } from '../helpers.js';
import { isClientType, isModelType } from '../../frameworks/python.js';
import { clamped, paths, userDerived } from './bounds.js';

/** Keyword names that only ever mean a consumption budget. */
const BUDGET = new Set(['max_tokens', 'max_completion_tokens', 'max_output_tokens', 'max_new_tokens', 'max_iterations', 'max_iter', 'max_turns', 'max_steps', 'recursion_limit', 'max_consecutive_auto_reply', 'num_predict', 'max_rpm', 'max_execution_time', 'max_round']);
/** Generic names that are budgets on model calls and retrievers only. */
const GENERIC = new Set(['n', 'timeout', 'request_timeout', 'max_retries', 'best_of', 'num_return_sequences', 'num_beams']);
const RETRIEVAL_COUNT = new Set(['k', 'top_k', 'fetch_k', 'similarity_top_k', 'n_results', 'limit', 'num_results', 'max_results']);
const RETRIEVAL_METHOD = /^(similarity_search\w*|max_marginal_relevance_search\w*|as_retriever|query|search|retrieve|get_relevant_documents|invoke|as_query_engine|as_chat_engine)$/;
/** Dict arguments that carry budgets: LangGraph config, Gemini generation config, Ollama options, retriever kwargs. */
const BUDGET_DICTS = new Set(['config', 'generation_config', 'options', 'model_kwargs', 'search_kwargs', 'extra_body', 'llm_config', 'inference_params']);
const AGENTISH = /(Agent|Executor|Crew|initialize_agent|create_\w+_agent|AgentWorkflow|AgentRunner|GroupChat|Runner\.run\w*)$/;
/** Local users paying for their own CLI runs are not an attacker. */
const LOCAL_USER = /(command-line|^input\(\)|builtins\.input|click\.prompt|typer\.prompt|getpass|stdin|streamlit)/;

interface Site {
  name: string;
  value: AstNode;
  labels: Label[];
  /** Set for values inside a dict argument, whose taint is that of the whole dict. */
  inDict?: boolean;
}

function modelish(call: CallFact): boolean {
  const c = call.flat;
  return call.model !== null || isModelType(c) || isClientType(c) || AGENTISH.test(c);
}

/** Budget arguments of a call, with the taint of the argument that holds each. */
function budgetSites(model: PyModel, call: CallFact): Site[] {
  const out: Site[] = [];
  const retrieval = RETRIEVAL_METHOD.test(call.name) && !call.model;
  for (const arg of call.args) {
    if (!arg.name) continue;
    // JS options are camelCase: `maxTokens`, `maxOutputTokens`, `topK`.
    const name: string = model.language ? snakeCase(arg.name) : arg.name;
    const a = arg;
    if (BUDGET.has(name) || (GENERIC.has(name) && modelish(call)) || (RETRIEVAL_COUNT.has(name) && retrieval)) {
      out.push({ name: arg.name, value: a.node, labels: a.taint });
    } else if (BUDGET_DICTS.has(name) && a.node.type === 'dictionary') {
      for (const pair of a.node.children) {
        if (pair.type !== 'pair') continue;
        const k = field(pair, 'key');
        const v = field(pair, 'value');
        if (!k || !v || k.type !== 'string') continue;
        const key = model.text(k).slice(1, -1);
        if (BUDGET.has(key) || RETRIEVAL_COUNT.has(key) || GENERIC.has(key)) out.push({ name: key, value: v, labels: a.taint, inDict: true });
      }
    }
  }
  return out;
}

/**
 * A caller who chooses max_tokens, n, the agent step limit or the retrieval count chooses what
 * each request costs: one request asking for n=128 completions of 100k tokens, or a
 * recursion_limit of a million, is a denial-of-wallet. Values clamped with min(), checked against
 * a range, or bounded by the request schema stay silent.
 */
export const rule: Rule = {
  meta: {
    id: 'unbounded-consumption/user-controlled-budget',
    owasp: 'LLM10',
    asi: 'ASI08',
    cwe: 'CWE-770',
    severity: 'MEDIUM',
    title: 'Request controls the model or agent budget',
    description: 'A token limit, completion count, step or recursion limit, timeout or retrieval count comes from the request without an upper bound, so a caller can make each request arbitrarily expensive (denial of wallet).',
    fix: 'Clamp client-supplied budgets to server-side maximums (min(value, LIMIT)), declare bounds in the request schema (Field(le=...)), or ignore the client value and use configured limits.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    for (const call of model.calls) {
      // A local helper passes the value on; the model call inside it is the one reported.
      if (call.target) continue;
      for (const site of budgetSites(model, call)) {
        const l = site.labels.find((x) => x.kind === 'user' && !LOCAL_USER.test(x.what));
        if (!l) continue;
        if (site.value.type === 'integer' || site.value.type === 'float' || site.value.type === 'none' || site.value.type === 'number') continue;
        if (site.inDict && !userDerived(model, call.fn, site.value)) continue;
        // The dict as a whole is tainted; only a non-literal budget value can carry it.
        if (clamped(model, call.fn, site.value, call.node.startIndex)) continue;
        if (!paths(model, site.value).length && site.value.type !== 'call') continue;
        ctx.report({
          node: site.value,
          source: l,
          message: `${site.name} for ${lastSegment(call.flat)}() comes from ${l.what} (line ${l.line}) with no upper bound; a caller can make each request arbitrarily expensive.`,
        });
      }
    }
  },
};
