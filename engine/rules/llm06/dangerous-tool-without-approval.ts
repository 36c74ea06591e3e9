import { JS_LANGUAGES } from '../types.js';
import type { CallFact, FunctionFact, PyModel } from '../../flow/python.js';
import { field, type AstNode } from '../../parse/index.js';
import type { Rule } from '../types.js';
import { defLine, fileHasHumanGate, kw, lastSegment, reaching } from '../helpers.js';
import { sinkArgs } from '../sinks.js';
import { isSpecTool } from '../tool-specs.js';
import { ACTION_WORDS, steerableAction, toolActions, toolIsGated, type ToolAction } from './common.js';

/** The command is a fixed template and the model only fills its slots: `rg "${pattern}"`. */
function injectionOnly(model: PyModel, call: CallFact): boolean {
  const sink = sinkArgs(model, call).find((x) => x.cls === 'shell');
  if (!sink) return false;
  const labels = reaching(sink.arg.taint, ['model', 'user', 'web', 'retrieved'], 'shell');
  return labels.length > 0 && labels.every((l) => !!l.interpolated) && (sink.arg.node.type === 'template_string' || sink.arg.node.type === 'binary_expression');
}

/** Ready-made tools that hand the model a shell or an interpreter. */
const BUILTIN_DANGEROUS = /(^|\.)(ShellTool|PythonREPLTool|PythonAstREPLTool|TerminalTool|BashProcess|CodeInterpreterToolSpec|PythonCodeExecutionTool|LocalShellTool)$/;
const INTERPRETER_UTILITY = /(PythonREPL|BashProcess|PythonAstREPLTool|PythonREPLTool)/;
const DANGEROUS_TOOL_NAMES = new Set(['terminal', 'shell', 'python_repl', 'python-repl', 'bash', 'requests_all', 'requests_post', 'requests_put', 'requests_patch', 'requests_delete', 'sleep_and_shell']);
const HOSTED_SHELL = /["'`]((?:bash|computer|text_editor)_\d{8}|local_shell|computer_use_preview|computer-use-preview)["'`]/;
/** Approval flows of SDKs the shared gate check does not model: OpenAI Agents interruptions, approval flags. */
const HITL_TEXT = /(\.interruptions\b|on_approval_request\s*=)/;
const READ_ONLY_FILE_TOOLS = new Set(['read_file', 'list_directory', 'file_search']);

function listItems(model: PyModel, call: CallFact, index: number, name: string): string[] | null {
  const a = call.args.find((x) => x.name === name) ?? call.args.find((x) => x.index === index);
  if (!a || a.node.type !== 'list') return null;
  return a.node.children.filter((c) => c.named).map((c) => model.text(c).replace(/^["']|["']$/g, ''));
}

/** The constructor of a built-in shell, interpreter or write-capable tool set, with what it can do. */
/**
 * JS factories of tools that drive the local machine: OpenAI Agents JS `computerTool`/`shellTool`,
 * AI SDK provider tools (`anthropic.tools.bash_20250124({ execute })`, `openai.tools.localShell`).
 */
const JS_BUILTIN_DANGEROUS = /^@openai\/agents(-\w+)?\.(computerTool|shellTool|localShellTool|applyPatchTool)$|\.tools\.((bash|computer|textEditor|text_editor|strReplaceEditor|strReplaceBasedEditTool)_\d{8}|localShell|shell|computerUse\w*)$/;

function builtinDanger(model: PyModel, call: CallFact): string | null {
  const c = call.flat;
  if (model.language && JS_BUILTIN_DANGEROUS.test(c)) {
    const approval = call.args.find((a) => a.name === 'needsApproval');
    if (approval && approval.node.type !== 'false') return null;
    return `${lastSegment(c)}() gives the agent a shell, a file editor or control of the computer`;
  }
  if (BUILTIN_DANGEROUS.test(c)) {
    // OpenAI Agents SDK shell tools: approval is a constructor flag, and hosted containers are sandboxes.
    const approval = kw(call, 'needs_approval');
    if (approval && approval.node.type !== 'false' && approval.node.type !== 'none') return null;
    if (/container/.test(model.text(kw(call, 'environment')?.node ?? call.node))) return null;
    return `${lastSegment(c)} gives the agent a shell or code interpreter`;
  }
  if (/(^|\.)FileManagementToolkit$/.test(c)) {
    const selected = listItems(model, call, -1, 'selected_tools');
    if (selected && selected.every((t) => READ_ONLY_FILE_TOOLS.has(t))) return null;
    return 'FileManagementToolkit gives the agent write, move and delete access to files';
  }
  if (/(^|\.)load_tools$/.test(c)) {
    const names = listItems(model, call, 0, 'tool_names') ?? [];
    const bad = names.filter((n) => DANGEROUS_TOOL_NAMES.has(n));
    if (bad.length) return `load_tools() hands the agent ${bad.join(', ')}`;
    return null;
  }
  // `Tool(name="python", func=PythonREPL().run)` wraps an interpreter by hand.
  if (/(^|\.)(Tool|StructuredTool\.from_function|Tool\.from_function|FunctionTool\.from_defaults)$/.test(c)) {
    const f = kw(call, 'func') ?? kw(call, 'fn') ?? call.args.find((a) => a.index === 1 && /Tool$/.test(c));
    if (!f) return null;
    const text = model.text(f.node);
    const root = text.split('.')[0];
    const typed = model.calls.some((o) => o.assignedTo === root && INTERPRETER_UTILITY.test(o.flat));
    if (INTERPRETER_UTILITY.test(text) || typed) return 'this tool wraps a Python or shell interpreter';
  }
  return null;
}

/**
 * A tool is a door the model opens whenever its input (or a document it read) says so. A tool
 * that runs commands, deletes data, sends mail or moves money on the model's say-so needs a human
 * in between; a confirmation step in the tool, an approval decorator, or a graph interrupt before
 * tool execution counts, and so does limiting the tool to fixed or allow-listed operations.
 */
export const rule: Rule = {
  meta: {
    id: 'excessive-agency/dangerous-tool-without-approval',
    owasp: 'LLM06',
    asi: 'ASI02',
    cwe: 'CWE-862',
    severity: 'HIGH',
    title: 'Agent tool takes a dangerous action without human approval',
    description: 'A tool the model can call runs shell commands or code, deletes or overwrites data, sends email or moves money with arguments the model chooses, and nothing asks a human first; a prompt injection turns into that action.',
    fix: 'Require human confirmation before the action (an approval call, interrupt_before on the tool node, a HumanApprovalCallbackHandler), narrow the tool to fixed or allow-listed operations, and run it with the least privilege it needs.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    if (fileHasHumanGate(model) || HITL_TEXT.test(ctx.source)) return;
    // LangGraph.js: the place to add the approval is the graph (`compile({ interruptBefore })`).
    const graph = model.language ? model.calls.find((c) => (c.name === 'compile' && !!c.receiver && /StateGraph|addNode|ToolNode/.test(model.text(c.receiver))) || /(^|\.)createReactAgent$/.test(c.callee.replace(/\(\)/g, ''))) : undefined;
    const graphTools: string[] = [];
    for (const fn of model.functions) {
      const bySpec = !fn.isTool && !fn.className && isSpecTool(model, fn.name);
      if ((!fn.isTool && !bySpec) || toolIsGated(model, fn)) continue;
      // JS: a model value spliced into a fixed command template is injection (LLM05), not a shell tool.
      const acts = toolActions(model, fn).filter((a) => !(model.language && a.cls === 'shell' && injectionOnly(model, a.call)));
      if (!acts.length) continue;
      const what = [...new Set(acts.map((a) => ACTION_WORDS[a.cls]))].join(' and ');
      if (graph) {
        graphTools.push(`${fn.name}() ${what}`);
        continue;
      }
      ctx.report({
        node: defLine(fn),
        message: `Tool ${fn.name}() ${what} (${acts[0].call.name}() on line ${acts[0].call.line}) with model-chosen arguments and no human approval step.`,
      });
    }
    const compileAt = graph && graph.name === 'compile' ? graph.node.children.find((c) => c.field === 'function')?.children.find((c) => c.field === 'property') : undefined;
    if (graph && graphTools.length) ctx.report({ node: compileAt ?? graph.node, message: `The agent graph runs tools that take dangerous actions (${graphTools.join('; ')}) with no interruptBefore or approval step.` });
    for (const call of model.calls) {
      const why = builtinDanger(model, call);
      if (why) ctx.report({ node: call.node, message: `${why}, with no human approval step in this file.` });
      // Provider-hosted shells and computer control (Anthropic `bash_*`/`computer_*`, OpenAI `local_shell`).
      const tools = call.model ? call.args.find((a) => a.name === 'tools') : undefined;
      const hosted = tools ? HOSTED_SHELL.exec(model.text(tools.node)) : null;
      if (hosted) ctx.report({ node: tools!.node, message: `The model is given the provider's ${hosted[1]} tool, which runs commands or drives the machine, with no human approval step in this file.` });
    }
    if (model.language) {
      for (const b of jsDispatchBranches(model)) {
        // A dispatcher that is itself a tool (the low-level MCP CallTool handler) is reported as one.
        if (b.fn.isTool || toolIsGated(model, b.fn)) continue;
        const what = [...new Set(b.acts.map((a) => ACTION_WORDS[a.cls]))].join(' and ');
        ctx.report({ node: b.spec ?? b.branch, message: `Tool '${b.name}' ${what} (${b.acts[0].call.name}() on line ${b.acts[0].call.line}) with model-chosen arguments and no human approval step.` });
      }
    }
    for (const d of hostedToolDecls(model)) {
      // The executor runs on the local machine unless the file hands it to a container or VM.
      if (/docker|container|sandbox|firecracker|e2b|modal|vm_/i.test(ctx.source)) break;
      ctx.report({ node: d.node, message: `The model is given the ${d.what} tool, executed here with no human approval step.` });
    }
  },
};

/**
 * Provider-defined tools the application executes itself: Anthropic's `bash_*`, `computer_*` and
 * `text_editor_*` tool types, OpenAI's `local_shell` and `computer_use_preview`.
 */
function hostedToolDecls(model: PyModel): { node: AstNode; what: string }[] {
  const out: { node: AstNode; what: string }[] = [];
  const stack = [model.file.root];
  let guard = 0;
  while (stack.length && guard++ < 200_000) {
    const n = stack.pop()!;
    if (n.type === 'dictionary') {
      for (const p of n.children) {
        if (p.type !== 'pair') continue;
        const k = field(p, 'key');
        const v = field(p, 'value');
        if (!k || !v || k.type !== 'string' || v.type !== 'string' || model.text(k).replace(/^["']|["']$/g, '') !== 'type') continue;
        const t = model.text(v).replace(/^["']|["']$/g, '');
        const m = /^(bash|computer|text_editor|str_replace_editor|str_replace_based_edit_tool)_\d{8}$|^(local_shell|computer_use_preview)$/.exec(t);
        if (m) out.push({ node: n, what: t });
      }
    }
    for (const c of n.children) if (c.named) stack.push(c);
  }
  return out;
}

/** What a hand-written dispatcher compares with a tool name: `name`, `toolName`, `call.function.name`, `block.name`. */
const DISPATCH_SUBJECT = /^(name|toolName|tool_name|tool|fnName|functionName|function_name)$|\.(function\.name|name|toolName|tool_name)$/;
/** Subjects that name a tool call whatever the file declares: `call.function.name`, `part.toolName`. */
const STRICT_SUBJECT = /(^|\.)(function\.name|toolName|tool_name|functionName|function_name)$/;

function unquote(t: string): string {
  return t.replace(/^["'`]|["'`]$/g, '');
}

/**
 * JS tool schemas written by hand, by name: Anthropic `{ name, input_schema }`, OpenAI
 * `{ type: 'function', function: { name, parameters } }` and Responses `{ type: 'function', name, parameters }`.
 * The `name` property is where the tool is declared.
 */
function jsToolSpecs(model: PyModel): Map<string, AstNode> {
  const out = new Map<string, AstNode>();
  const stack = [model.file.root];
  let guard = 0;
  while (stack.length && guard++ < 200_000) {
    const n = stack.pop()!;
    if (n.type === 'object') {
      let name: AstNode | undefined;
      let schema = false;
      for (const p of n.children) {
        if (p.type !== 'pair') continue;
        const k = field(p, 'key');
        const v = field(p, 'value');
        const key = k ? unquote(model.text(k)) : '';
        if (key === 'name' && v?.type === 'string') name = p;
        if (key === 'input_schema' || key === 'parameters' || key === 'inputSchema') schema = true;
      }
      if (name && schema) out.set(unquote(model.text(field(name, 'value')!)), name);
    }
    for (const c of n.children) if (c.named) stack.push(c);
  }
  return out;
}

function conjuncts(model: PyModel, n: AstNode): AstNode[] {
  const inner = n.type === 'parenthesized_expression' ? n.children.find((c) => c.named) ?? n : n;
  if (inner.type === 'binary_expression' && model.text(field(inner, 'operator') ?? inner) === '&&') return [...conjuncts(model, field(inner, 'left')!), ...conjuncts(model, field(inner, 'right')!)];
  return [inner];
}

/**
 * Tool bodies written inline in a dispatcher: `if (name === 'purge_messages') { ...batchDelete... }`
 * or `case 'refund': await stripe.refunds.create(...)`. The branch runs whenever the model calls
 * that tool, so its actions are the tool's.
 */
function jsDispatchBranches(model: PyModel): { name: string; branch: AstNode; spec?: AstNode; fn: FunctionFact; acts: ToolAction[] }[] {
  if (!model.frameworks.size) return [];
  const specs = jsToolSpecs(model);
  const out: { name: string; branch: AstNode; spec?: AstNode; fn: FunctionFact; acts: ToolAction[] }[] = [];
  const branches: { name: string; subject: string; node: AstNode; body: AstNode }[] = [];
  const stack = [model.file.root];
  let guard = 0;
  while (stack.length && guard++ < 200_000) {
    const n = stack.pop()!;
    for (const c of n.children) if (c.named) stack.push(c);
    if (n.type === 'if_statement') {
      const cond = field(n, 'condition');
      const body = field(n, 'consequence');
      if (!cond || !body) continue;
      // `name === 'run'`, also inside `item.type === 'function_call' && item.name === 'run'`.
      for (const inner of conjuncts(model, cond)) {
        if (inner.type !== 'binary_expression' || !/^===?$/.test(model.text(field(inner, 'operator') ?? inner))) continue;
        const [l, r] = [field(inner, 'left'), field(inner, 'right')];
        const lit = l?.type === 'string' ? l : r?.type === 'string' ? r : undefined;
        const subject = lit === l ? r : l;
        if (lit && subject && DISPATCH_SUBJECT.test(model.text(subject))) {
          branches.push({ name: unquote(model.text(lit)), subject: model.text(subject), node: n, body });
          break;
        }
      }
    } else if (n.type === 'switch_statement') {
      const value = field(n, 'value');
      if (!value || !DISPATCH_SUBJECT.test(model.text(value).replace(/[()\s]/g, ''))) continue;
      for (const c of field(n, 'body')?.children ?? []) {
        const v = c.type === 'switch_case' ? field(c, 'value') : undefined;
        if (v?.type === 'string') branches.push({ name: unquote(model.text(v)), subject: model.text(value).replace(/[()\s]/g, ''), node: c, body: c });
      }
    }
  }
  for (const b of branches) {
    // Only names the code declares as tools: `if (name === 'admin')` on a user record is not dispatch.
    const spec = specs.get(b.name);
    if (!spec && !(STRICT_SUBJECT.test(b.subject) && model.calls.some((c) => c.model && c.args.some((a) => a.name === 'tools')))) continue;
    const calls = model.calls.filter((c) => c.node.startIndex >= b.body.startIndex && c.node.endIndex <= b.body.endIndex);
    if (!calls.length) continue;
    const acts: ToolAction[] = [];
    for (const c of calls) {
      // A local function called here is reported as a tool of its own.
      if (c.target?.isTool) continue;
      const cls = steerableAction(model, c);
      if (cls) acts.push({ call: c, cls });
      else if (c.target) acts.push(...toolActions(model, c.target));
    }
    if (acts.length) out.push({ name: b.name, branch: b.node, spec, fn: calls[0].fn, acts });
  }
  return out;
}
