import { JS_LANGUAGES } from '../types.js';
import type { Rule } from '../types.js';
import { reaching, literal, type Label } from '../helpers.js';
import type { AstNode } from '../../parse/index.js';
import { field } from '../../parse/index.js';
import type { FunctionFact, PyModel } from '../../flow/python.js';
import { flowLine, hasSeparateSystemMessage, promptSites } from '../prompts.js';

/**
 * User text is an injection risk where it is spliced into instructions: placed in the system
 * role (or an agent's instructions), or formatted into one prompt string that also gives the
 * model its orders with no separate system message. A user turn that carries the user's words,
 * next to a fixed system message, is how chat works; a PromptTemplate's variables keep the
 * template fixed.
 */
export const rule: Rule = {
  meta: {
    id: 'prompt-injection/user-input-in-prompt',
    owasp: 'LLM01',
    asi: 'ASI01',
    cwe: 'CWE-1427',
    severity: 'HIGH',
    title: 'User input formatted into LLM instructions',
    description: 'Untrusted user input is concatenated or formatted into the prompt instructions, so a user can override them ("ignore previous instructions…").',
    fix: 'Keep instructions in a fixed system message and pass user text as a separate user message or as a PromptTemplate variable; validate or bound the input and never place it in the system role.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    for (const site of promptSites(model)) {
      for (const l of reaching(site.taint, ['user'], 'prompt')) {
        const inSystem = site.role === 'system';
        if (!inSystem && !(l.interpolated && l.directive && !hasSeparateSystemMessage(model, site))) continue;
        ctx.report({
          node: site.node,
          line: flowLine(site, l),
          source: l,
          message: `User input (${l.what}, line ${l.line}) is ${inSystem ? 'placed in the system prompt' : 'formatted into the prompt instructions'} via ${site.what}; a user can rewrite the model's instructions.`,
        });
        break;
      }
    }
    // Template variables that sit in the system message: filling them with user text at invoke time
    // puts the user's words in the system prompt, however fixed the template looks.
    for (const hit of systemVariableFills(model)) {
      ctx.report({ node: hit.node, source: hit.label, message: `User input (${hit.label.what}, line ${hit.label.line}) fills the system-message variable {${hit.variable}} of a prompt template; a user can rewrite the model's instructions.` });
    }
    if (model.language) {
      for (const hit of dynamicInstructionContext(model)) {
        ctx.report({ node: hit.node, source: hit.label, message: `User input (${hit.label.what}, line ${hit.label.line}) reaches the agent's instructions through the run context (\`${model.text(hit.node).slice(0, 60)}\`); a user can rewrite the agent's instructions.` });
      }
    }
    // A template whose text the user supplies is an instruction channel handed to the user.
    for (const c of model.calls) {
      if (!/(^|\.)(PromptTemplate|ChatPromptTemplate|PromptTemplate\.from_template|ChatPromptTemplate\.from_template|SystemMessagePromptTemplate\.from_template)$/.test(c.callee.replace(/\(\)/g, ''))) continue;
      const template = c.args.find((a) => a.name === 'template') ?? c.args.find((a) => a.index === 0 && /from_template$/.test(c.callee));
      const l = template ? reaching(template.taint, ['user'])[0] : undefined;
      if (l) ctx.report({ node: template!.node, source: l, message: `The prompt template itself comes from user input (${l.what}, line ${l.line}).` });
    }
  },
};

const TEMPLATE_FACTORY = /(^|\.)(ChatPromptTemplate\.from_messages|ChatPromptTemplate)$/;
const FILL_METHODS = /^a?(invoke|stream|batch|format|format_messages|format_prompt|run|predict|partial)$/;

/** `{name}` slots of the system messages of prompt templates, by the variable the template is held in. */
function systemSlots(model: PyModel): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const c of model.calls) {
    if (!TEMPLATE_FACTORY.test(c.callee.replace(/\(\)/g, '')) || !c.assignedTo) continue;
    const list = c.args.find((a) => a.index === 0 || a.name === 'messages');
    if (!list || list.node.type !== 'list') continue;
    const slots = new Set<string>();
    for (const item of list.node.children) {
      let text: string | undefined;
      if (item.type === 'tuple') {
        const parts = item.children.filter((x) => x.named);
        if (parts.length === 2 && /^(system|developer)$/.test(literal(model, parts[0]) ?? '')) text = literal(model, parts[1]);
      } else if (item.type === 'call' && /SystemMessagePromptTemplate\.from_template$/.test(model.text(field(item, 'function')!))) {
        const first = field(item, 'arguments')?.children.find((x) => x.named);
        text = first ? literal(model, first) : undefined;
      }
      for (const m of (text ?? '').matchAll(/(?<!\{)\{(\w+)\}(?!\})/g)) slots.add(m[1]);
    }
    if (slots.size) out.set(c.assignedTo, slots);
  }
  return out;
}

function systemVariableFills(model: PyModel): { node: AstNode; label: Label; variable: string }[] {
  const out: { node: AstNode; label: Label; variable: string }[] = [];
  const templates = systemSlots(model);
  if (!templates.size) return out;
  // Chains built from a template carry its slots: `chain = prompt | llm | parser`.
  const holders = new Map(templates);
  for (const a of model.assigns) {
    for (const [name, slots] of templates) {
      if (a.target !== name && new RegExp(`(^|[^\\w.])${name}([^\\w]|$)`).test(model.text(a.value)) && (a.value.type === 'binary_operator' || a.value.type === 'call')) holders.set(a.target, slots);
    }
  }
  for (const call of model.calls) {
    if (!call.receiver || !FILL_METHODS.test(call.name)) continue;
    const slots = holders.get(model.text(call.receiver));
    if (!slots) continue;
    for (const a of call.args) {
      if (a.name && slots.has(a.name)) {
        const l = reaching(a.taint, ['user'], 'prompt')[0];
        if (l) out.push({ node: a.node, label: l, variable: a.name });
        continue;
      }
      if (a.node.type !== 'dictionary') continue;
      for (const p of a.node.children) {
        if (p.type !== 'pair') continue;
        const k = field(p, 'key');
        const v = field(p, 'value');
        const key = k ? literal(model, k) : undefined;
        if (!key || !v || !slots.has(key) || v.type === 'string' || v.type === 'integer' || v.type === 'float') continue;
        // The pair's own labels: the dict's taint is one set, so keep those naming what this value reads.
        const names = [...model.text(v).matchAll(/[A-Za-z_]\w*/g)].map((m) => m[0]);
        const l = reaching(a.taint, ['user'], 'prompt').find((x) => names.some((n) => x.what.includes(`'${n}'`) || x.what === n || x.what.startsWith(`${n}.`) || x.what.startsWith(`request.`) && n === 'request'));
        if (l) out.push({ node: v, label: l, variable: key });
      }
    }
  }
  return out;
}

/**
 * OpenAI Agents JS builds instructions per run: `new Agent({ instructions: (rc) => \`...${rc.context.bio}\` })`
 * with `run(agent, input, { context: { bio: req.body.bio } })`. The context object is the caller's
 * data, so what the caller put there lands in the system prompt; so does a user-written field
 * (a profile's bio) the function reads itself.
 */
function dynamicInstructionContext(model: PyModel): { node: AstNode; label: Label }[] {
  const out: { node: AstNode; label: Label }[] = [];
  for (const c of model.calls) {
    if (!/(^|\.)Agent$/.test(c.callee.replace(/\(\)/g, ''))) continue;
    const instr = c.args.find((a) => a.name === 'instructions');
    if (!instr || !/^(arrow_function|function_expression|function)$/.test(instr.node.type)) continue;
    const fn = model.functions.find((f) => f.node === instr.node);
    const subs = substitutions(instr.node);
    // What the function returns already carries user-written fields it reads.
    const own = fn ? model.returns.filter((r) => r.fn === fn).flatMap((r) => reaching(r.taint, ['user'], 'prompt'))[0] : undefined;
    if (own) {
      out.push({ node: subs.find((n) => n.line === own.line) ?? subs[0] ?? instr.node, label: own });
      continue;
    }
    if (!c.assignedTo) continue;
    const roots = contextRoots(model, instr.node, fn);
    if (!roots.length) continue;
    const runs = model.calls.filter((r) => /(^|\.)run$/.test(r.callee.replace(/\(\)/g, '')) && r.args.some((a) => a.index === 0 && model.text(a.node) === c.assignedTo));
    for (const r of runs) {
      const ctxArg = r.args.find((a) => a.name === 'context');
      const label = ctxArg ? reaching(ctxArg.taint, ['user'], 'prompt')[0] : undefined;
      if (!ctxArg || !label) continue;
      // Keys the caller fills with its own data: every key but those set to literals.
      const fixed = new Set<string>();
      if (ctxArg.node.type === 'object') {
        for (const p of ctxArg.node.children) {
          const k = p.type === 'pair' ? field(p, 'key') : undefined;
          const v = p.type === 'pair' ? field(p, 'value') : undefined;
          if (k && v && /^(string|number|true|false|null)$/.test(v.type)) fixed.add(model.text(k).replace(/^["'`]|["'`]$/g, ''));
        }
      }
      const hit = subs.find((n) => {
        const t = model.text(n.children.find((x) => x.named) ?? n);
        return roots.some((root) => {
          const m = new RegExp(`^${root.replace(/\./g, '\\.')}(\\??\\.(\\w+))?`).exec(t);
          return !!m && !(m[2] && fixed.has(m[2]) && /context$/.test(root));
        });
      });
      if (hit) {
        out.push({ node: hit, label });
        break;
      }
    }
  }
  return out;
}

/** `${...}` substitutions in a function, in source order. */
function substitutions(n: AstNode): AstNode[] {
  const out: AstNode[] = [];
  const stack = [n];
  while (stack.length) {
    const c = stack.pop()!;
    if (c.type === 'template_substitution') out.push(c);
    for (const ch of c.children) if (ch.named) stack.push(ch);
  }
  return out.sort((a, b) => a.startIndex - b.startIndex);
}

/**
 * Names through which the instructions function reads the run context: `rc.context`, a destructured
 * `({ context })`, and locals taken from either (`const profile = rc.context.profile`).
 */
function contextRoots(model: PyModel, fnNode: AstNode, fn: FunctionFact | undefined): string[] {
  const params = field(fnNode, 'parameters')?.children.filter((x) => x.named) ?? (field(fnNode, 'parameter') ? [field(fnNode, 'parameter')!] : []);
  const first = params[0];
  if (!first) return [];
  const pattern = first.type === 'required_parameter' || first.type === 'optional_parameter' ? field(first, 'pattern') ?? first : first;
  const roots: string[] = [];
  if (pattern.type === 'identifier') roots.push(`${model.text(pattern)}.context`);
  else if (pattern.type === 'object_pattern' && /\bcontext\b/.test(model.text(pattern))) roots.push('context');
  if (!roots.length) return [];
  for (const a of fn ? model.assigns.filter((x) => x.fn === fn) : []) {
    const v = model.text(a.value);
    if (roots.some((r) => v.startsWith(r)) && /^\w+$/.test(a.target)) roots.push(a.target);
  }
  return roots;
}
