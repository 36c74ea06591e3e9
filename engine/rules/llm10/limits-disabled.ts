import type { AstNode } from '../../parse/index.js';
import { field } from '../../parse/index.js';
import type { ArgFact, CallFact, PyModel } from '../../flow/python.js';
import type { Rule } from '../types.js';
import { kw, lastSegment, literal, dictValue } from '../helpers.js';
import { isClientType, isModelType } from '../../frameworks/python.js';

const LC_EXECUTOR = /(^|\.)(AgentExecutor|initialize_agent|create_sql_agent|create_pandas_dataframe_agent|create_csv_agent|create_json_agent|create_openapi_agent|AgentExecutor\.from_agent_and_tools)$/;
/** Constructors and runners of agents, which take step limits. */
const AGENTISH = /(Agent|Executor|Crew|initialize_agent|create_\w+_agent|AgentWorkflow|AgentRunner)$/;
const STEP_LIMITS = ['max_iterations', 'max_iter', 'max_steps', 'max_turns'];
const AUTOGEN_AGENT = /(^|\.)(ConversableAgent|UserProxyAgent|AssistantAgent|GPTAssistantAgent)$/;
const AUTOGEN_TEAM = /(^|\.)(RoundRobinGroupChat|SelectorGroupChat|Swarm|MagenticOneGroupChat)$/;
const MAX_SANE_ITERATIONS = 100;
const MAX_SANE_RECURSION = 1000;
const MAX_SANE_RETRIES = 20;

interface Hit {
  node: AstNode;
  message: string;
}

function isNone(a: ArgFact | undefined): boolean {
  return !!a && a.node.type === 'none';
}


function numberOf(model: PyModel, n: AstNode | undefined): number | undefined {
  if (!n) return undefined;
  if (n.type === 'integer' || n.type === 'float') return Number(model.text(n).replace(/_/g, ''));
  // `float("inf")`, `math.inf`, `sys.maxsize`: no limit spelled as a number.
  if (/^(float\(["']inf["']\)|math\.inf|sys\.maxsize|10\s*\*\*\s*\d+)$/.test(model.text(n).replace(/\s+/g, ''))) return Infinity;
  return undefined;
}

function isModelClient(call: CallFact): boolean {
  const c = call.flat;
  return isModelType(c) || isClientType(c) || call.model !== null;
}

function hits(model: PyModel): Hit[] {
  const out: Hit[] = [];
  const autogenTurnLimit = model.calls.some((c) => /initiate_chat$|run$|run_stream$/.test(c.name) && (kw(c, 'max_turns') || kw(c, 'max_round'))) || model.calls.some((c) => /(^|\.)GroupChat$/.test(c.flat) && kw(c, 'max_round'));
  const humanInTeam = model.calls.some((c) => /(^|\.)UserProxyAgent$/.test(c.flat) && !/NEVER/.test(literal(model, kw(c, 'human_input_mode')) ?? ''));
  for (const call of model.calls) {
    const c = call.flat;
    const ctor = lastSegment(c);
    if (AGENTISH.test(c) && call.model === null) {
      for (const name of STEP_LIMITS) {
        const it = kw(call, name);
        if (!it) continue;
        const n = numberOf(model, it.node);
        // CrewAI treats max_iter=None as unset (its default applies); elsewhere None means no limit.
        if (isNone(it) && !(name === 'max_iter')) out.push({ node: it.node, message: `${name}=None removes the step limit of ${ctor}(); a looping agent calls the model until it is stopped from outside.` });
        // CrewAI's default is 20-25 steps, so 100 is already far out; elsewhere 100 is a round upper bound people choose.
        else if (n !== undefined && (n > MAX_SANE_ITERATIONS || (name === 'max_iter' && n >= MAX_SANE_ITERATIONS))) out.push({ node: it.node, message: `${name}=${model.text(it.node)} lets ${ctor}() loop far beyond any real task before stopping.` });
      }
    }
    if (LC_EXECUTOR.test(c)) {
      const t = kw(call, 'max_execution_time');
      const tn = numberOf(model, t?.node);
      if (tn === Infinity) out.push({ node: t!.node, message: `max_execution_time=${model.text(t!.node)} removes the wall-clock limit of ${ctor}().` });
    }
    if (/(^|\.)Runner\.run(_sync|_streamed)?$/.test(c)) {
      const turns = kw(call, 'max_turns');
      const n = numberOf(model, turns?.node);
      if (turns && n !== undefined && n > MAX_SANE_ITERATIONS) out.push({ node: turns.node, message: `max_turns=${model.text(turns.node)} lets the agent run far beyond any real task.` });
    }
    if (AUTOGEN_AGENT.test(c)) {
      const mode = literal(model, kw(call, 'human_input_mode'));
      const auto = kw(call, 'max_consecutive_auto_reply');
      const n = numberOf(model, auto?.node);
      if (auto && (isNone(auto) || (n !== undefined && n > MAX_SANE_ITERATIONS))) {
        out.push({ node: auto.node, message: `max_consecutive_auto_reply=${model.text(auto.node)} lets ${ctor} reply to itself practically forever.` });
      } else if (mode === 'NEVER' && !auto && !kw(call, 'is_termination_msg') && !autogenTurnLimit && ctor !== 'AssistantAgent') {
        out.push({ node: call.node, message: `${ctor}(human_input_mode="NEVER") has no max_consecutive_auto_reply or is_termination_msg, and no chat sets max_turns; the conversation only ends when a model says so.` });
      }
    }
    // A team with a human participant waits for that person every round.
    if (AUTOGEN_TEAM.test(c) && /^autogen/.test(c) && !humanInTeam) {
      const term = kw(call, 'termination_condition');
      if ((!term || isNone(term)) && !kw(call, 'max_turns')) out.push({ node: call.node, message: `${ctor}() has neither a termination_condition nor max_turns; the team keeps calling models until stopped from outside.` });
    }
    // LangGraph: `graph.invoke(inputs, config={"recursion_limit": 10_000})`, `.with_config(recursion_limit=...)`.
    const cfg = kw(call, 'config') ?? (/^(invoke|ainvoke|stream|astream|batch|abatch)$/.test(call.name) ? call.args.find((a) => a.index === 1) : undefined);
    const rl = (cfg ? dictValue(model, cfg.node, 'recursion_limit') : undefined) ?? (call.name === 'with_config' ? kw(call, 'recursion_limit')?.node : undefined);
    const rn = numberOf(model, rl);
    if (rl && rn !== undefined && rn >= MAX_SANE_RECURSION) out.push({ node: rl, message: `recursion_limit=${model.text(rl)} lets the graph run thousands of model steps before LangGraph stops it.` });
    if (isModelClient(call)) {
      const retries = kw(call, 'max_retries');
      const rv = numberOf(model, retries?.node);
      if (retries && rv !== undefined && rv >= MAX_SANE_RETRIES) out.push({ node: retries.node, message: `max_retries=${model.text(retries.node)} multiplies every failing request into a storm of paid retries.` });
    }
  }
  return out;
}

/**
 * Frameworks stop runaway agents with step limits, and SDKs cap retries; setting these to None or
 * to huge values removes the brake. A missing max_tokens is not reported: it is the common, safe
 * default of most SDKs.
 */
export const rule: Rule = {
  meta: {
    id: 'unbounded-consumption/limits-disabled',
    owasp: 'LLM10',
    asi: 'ASI08',
    cwe: 'CWE-770',
    severity: 'MEDIUM',
    title: 'Agent or model limits disabled',
    description: 'An iteration, turn, recursion or retry limit of an agent or model client is removed or set absurdly high, so a looping or manipulated agent can consume unbounded tokens, time and money.',
    fix: 'Keep explicit, modest limits: max_iterations/max_iter around 10-25, a max_execution_time, max_consecutive_auto_reply or max_turns for AutoGen chats, a termination condition for teams, a recursion_limit near the default, and a few retries with backoff.',
    languages: ['python'],
  },
  check(ctx) {
    for (const h of hits(ctx.model!)) ctx.report({ node: h.node, message: h.message });
  },
};

