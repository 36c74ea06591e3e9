import type { CallFact, PyModel } from '../../flow/python.js';
import type { AstNode } from '../../parse/index.js';
import { field } from '../../parse/index.js';
import type { Rule } from '../types.js';
import { isTrue, kw, lastSegment, literal, dictValue } from '../helpers.js';
import { JS_LANGUAGES } from '../types.js';

const AUTOGEN_AGENT = /(^|\.)(ConversableAgent|UserProxyAgent|AssistantAgent|GPTAssistantAgent|RetrieveUserProxyAgent)$/;
const DANGEROUS_IMPORTS = /^(\*|os|os\.\*|subprocess|shutil|sys|socket|pathlib|builtins|importlib|ctypes|pty|multiprocessing|requests|urllib|urllib\.\*|httpx)$/;


/** AutoGen's human_input_mode for an agent, with the library defaults when it is left out. */
function humanInputMode(model: PyModel, call: CallFact): string {
  const a = kw(call, 'human_input_mode');
  const v = a ? literal(model, a) : undefined;
  if (v) return v;
  const ctor = lastSegment(call.flat);
  return ctor === 'UserProxyAgent' ? 'ALWAYS' : ctor === 'AssistantAgent' ? 'NEVER' : 'TERMINATE';
}

interface Hit {
  node: AstNode;
  message: string;
  severity?: 'HIGH' | 'MEDIUM';
}

function crewHasDangerousAgent(model: PyModel): boolean {
  return model.calls.some(
    (c) =>
      (/(^|\.)Agent$/.test(c.flat) && isTrue(model, kw(c, 'allow_code_execution'))) ||
      /(^|\.)(CodeInterpreterTool|ShellTool|FileWriterTool|NL2SQLTool)$/.test(c.flat),
  );
}

function hits(model: PyModel): Hit[] {
  const out: Hit[] = [];
  const fileNever = model.calls.some((c) => AUTOGEN_AGENT.test(c.flat) && /NEVER|TERMINATE/.test(literal(model, kw(c, 'human_input_mode')) ?? ''));
  const crewDanger = crewHasDangerousAgent(model);
  for (const call of model.calls) {
    const c = call.flat;
    for (const flag of ['allow_dangerous_code', 'allow_dangerous_requests'] as const) {
      const a = kw(call, flag);
      if (isTrue(model, a)) out.push({ node: a!.node, message: `${flag}=True on ${lastSegment(c)}() lets the model ${flag === 'allow_dangerous_code' ? 'run arbitrary Python on this host' : 'send arbitrary HTTP requests, including to internal services'}.` });
    }
    if (/(^|\.)Agent$/.test(c) && call.model === null) {
      const exec = kw(call, 'allow_code_execution');
      const mode = literal(model, kw(call, 'code_execution_mode'));
      if (isTrue(model, exec) && mode !== 'safe') {
        out.push({ node: exec!.node, message: `allow_code_execution=True${mode === 'unsafe' ? ' with code_execution_mode="unsafe"' : ''} lets this CrewAI agent execute code it writes${mode === 'unsafe' ? ' directly on the host' : ''}; set code_execution_mode="safe" to keep it in Docker.` });
      }
      const deleg = kw(call, 'allow_delegation');
      if (isTrue(model, deleg) && crewDanger && !isTrue(model, exec)) {
        out.push({ node: deleg!.node, severity: 'MEDIUM', message: 'allow_delegation=True lets this agent hand work to crew members that can execute code or write files.' });
      }
    }
    if (/(^|\.)CodeInterpreterTool$/.test(c) && isTrue(model, kw(call, 'unsafe_mode'))) {
      out.push({ node: kw(call, 'unsafe_mode')!.node, message: 'CodeInterpreterTool(unsafe_mode=True) runs model-written code directly on the host instead of in Docker.' });
    }
    if (AUTOGEN_AGENT.test(c)) {
      const cfg = kw(call, 'code_execution_config');
      const mode = humanInputMode(model, call);
      if (cfg && mode !== 'ALWAYS') {
        const dockerOff = cfg.node.type === 'dictionary' ? dictValue(model, cfg.node, 'use_docker') : undefined;
        if (dockerOff && (dockerOff.type === 'false')) {
          out.push({ node: dockerOff, message: `code_execution_config use_docker=False with human_input_mode="${mode}": model-written code runs on the host with no one reviewing it.` });
        }
      }
    }
    if (/(^|\.)LocalCommandLineCodeExecutor$/.test(c)) {
      const guardedAgent = model.calls.some((o) => /(^|\.)CodeExecutorAgent$/.test(o.flat) && kw(o, 'approval_func'));
      const codeExecutorAgent = model.calls.some((o) => /(^|\.)CodeExecutorAgent$/.test(o.flat));
      if ((fileNever || codeExecutorAgent) && !guardedAgent) {
        out.push({ node: call.node, message: 'LocalCommandLineCodeExecutor runs model-written code on the host, and no human approves it first.' });
      }
    }
    if (/(^|\.)(CodeAgent|ToolCallingAgent)$/.test(c)) {
      const imports = kw(call, 'additional_authorized_imports');
      const executor = literal(model, kw(call, 'executor_type')) ?? 'local';
      if (imports && imports.node.type === 'list') {
        const names = imports.node.children.filter((n) => n.named).map((n) => model.text(n).replace(/^["']|["']$/g, ''));
        const bad = names.filter((n) => DANGEROUS_IMPORTS.test(n));
        if (bad.includes('*') || (bad.length && executor === 'local')) {
          out.push({ node: imports.node, message: `additional_authorized_imports ${bad.includes('*') ? 'allows every module' : `allows ${bad.join(', ')}`} in model-written code run by the ${executor} executor.` });
        }
      } else if (imports && literal(model, imports) === '*') {
        out.push({ node: imports.node, message: 'additional_authorized_imports="*" allows every module in model-written code.' });
      }
    }
  }
  return out;
}

/**
 * Frameworks ship agents that execute code or send arbitrary requests behind explicit opt-in
 * flags, because that power is one prompt injection away from the host. Turning them on without a
 * sandbox or a reviewer hands the model that power; sandboxed modes and human review stay silent.
 */
export const rule: Rule = {
  meta: {
    id: 'excessive-agency/dangerous-capability-enabled',
    owasp: 'LLM06',
    asi: 'ASI02',
    cwe: 'CWE-250',
    severity: 'HIGH',
    title: 'Dangerous agent capability explicitly enabled',
    description: 'A framework flag gives the model code execution or unrestricted network access (allow_dangerous_code, allow_dangerous_requests, code execution outside a sandbox, unrestricted imports), so a prompt injection runs with the privileges of the host.',
    fix: 'Leave these flags off, or run the agent in a sandbox (Docker or a remote executor) without secrets or network, restrict imports and requests to an allow-list, and keep a human approving executions.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    for (const h of model.language ? jsHits(model) : hits(model)) ctx.report({ node: h.node, message: h.message, severity: h.severity });
  },
};


/**
 * JS agent SDKs spell the same opt-ins as option properties, often nested (`query({ options: {
 * permissionMode: 'bypassPermissions' } })`), so every options object in the file is read.
 */
const JS_FLAGS: { key: RegExp; value: RegExp; why: string }[] = [
  { key: /^(allowDangerousCode|allow_dangerous_code)$/, value: /^true$/, why: 'lets the model run arbitrary code on this host' },
  { key: /^(allowDangerousRequests|allow_dangerous_requests)$/, value: /^true$/, why: 'lets the model send arbitrary HTTP requests, including to internal services' },
  // Claude Agent SDK: every tool call (Bash, Write, WebFetch) runs without asking anyone.
  { key: /^permissionMode$/, value: /^['"`]bypassPermissions['"`]$/, why: 'lets the agent run every tool, shell and file edits included, without asking for permission' },
  { key: /^(allowDangerouslySkipPermissions|dangerouslySkipPermissions|skipPermissions)$/, value: /^true$/, why: 'turns off every permission prompt for the agent\'s tools' },
  // OpenAI Codex SDK: no sandbox around the commands the model writes.
  { key: /^(sandboxMode|sandbox_mode|sandbox)$/, value: /^['"`]danger-full-access['"`]$/, why: 'runs the commands the model writes with full access to the host, outside any sandbox' },
  { key: /^(dangerouslyBypassApprovalsAndSandbox|yolo)$/, value: /^true$/, why: 'skips both approvals and the sandbox for model-written commands' },
  // Claude Agent SDK: `allowedTools` run without a permission prompt; bare `Bash` is any command (`Bash(npm test)` is scoped).
  { key: /^allowedTools$/, value: /^\[[\s\S]*['"`]Bash['"`][\s\S]*\]$/, why: 'pre-approves the Bash tool, so the agent runs any shell command without asking' },
];

function jsHits(model: PyModel): Hit[] {
  const out: Hit[] = [];
  const stack = [model.file.root];
  let guard = 0;
  while (stack.length && guard++ < 500_000) {
    const n = stack.pop()!;
    for (const c of n.children) if (c.named) stack.push(c);
    if (n.type !== 'pair') continue;
    const k = field(n, 'key');
    const v = field(n, 'value');
    if (!k || !v) continue;
    const key = model.text(k).replace(/^["'`]|["'`]$/g, '');
    const value = model.text(v);
    const flag = JS_FLAGS.find((f) => f.key.test(key) && f.value.test(value));
    if (flag) out.push({ node: n, message: `${key}: ${value} ${flag.why}.` });
  }
  return out;
}
