import type { AstNode } from '../../parse/index.js';
import { JS_LANGUAGES } from '../types.js';
import { reaching } from '../helpers.js';
import { SYSTEM_PROMPT_NAME, type PyModel } from '../../flow/python.js';
import { deepPath, partLine, type DirectPath } from '../llm02/direct.js';
import { isServerFile, outputSites, outputWhat, type OutputSite } from '../llm02/outputs.js';
import type { Rule } from '../types.js';
import { literalStrings, systemTextStarts } from './system-text.js';

/** A test of one direct path: does it carry system-prompt text to the site? */
export function systemPromptCarrier(model: PyModel, site: OutputSite): (p: DirectPath) => boolean {
  const system = systemTextStarts(model);
  const labels = site.taint.filter((l) => l.kind === 'sysprompt');
  return (p) => {
    if (labels.some((l) => p.lines.has(l.line))) return true;
    for (const s of p.strings) if (system.has(s)) return true;
    for (const [name, values] of p.names) {
      const last = name.split('.').pop() ?? name;
      if (SYSTEM_PROMPT_NAME.test(last) && values.some((v) => literalStrings(model, v).length > 0)) return true;
    }
    return false;
  };
}

/** Whether an output site emits the system prompt: a served app's logs and stdout count, a script's do not. */
export function exposesSystemPrompt(model: PyModel, site: OutputSite): boolean {
  if ((site.kind === 'print' || site.kind === 'log') && !isServerFile(model)) return false;
  // Debug records are off in production; tracing prompts there is ordinary practice.
  if (site.kind === 'log' && site.call && /^(debug|trace)$/.test(site.call.name)) return false;
  if (model.language) return reaching(site.taint, ['sysprompt']).length > 0 || systemPromptCarrier(model, site)({ lines: new Set(), params: new Set(), names: new Map(), strings: new Set(jsLiterals(model, site.node).map((n) => n.startIndex)), templates: [] });
  return systemPromptCarrier(model, site)(deepPath(model, site.node, site.fn));
}

/** JS: the literal strings a value is, following a module constant (`return INSTRUCTIONS`). */
function jsLiterals(model: PyModel, n: AstNode): AstNode[] {
  const own = literalStrings(model, n);
  if (own.length || n.type !== 'identifier') return own;
  const name = model.text(n);
  return model.assigns.filter((a) => a.fn.isModule && a.target === name).flatMap((a) => literalStrings(model, a.value));
}

/**
 * A system prompt handed back to the client (a debug or config route, a returned message
 * history, a page element) or written to logs of a served app gives away the agent's rules and
 * whatever else it holds. Only the prompt itself counts: a model reply produced under it does not.
 */
export const rule: Rule = {
  meta: {
    id: 'system-prompt-leakage/system-prompt-exposed',
    owasp: 'LLM07',
    cwe: 'CWE-200',
    severity: 'MEDIUM',
    title: 'System prompt exposed to users or logs',
    description: 'The system prompt is returned in an HTTP response, shown in the UI or written to logs, exposing the instructions, guardrails and any embedded details of the agent.',
    fix: 'Never return or log the system prompt; strip system messages from any history sent to the client, and keep debug endpoints out of production.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    // A tool that returns the system prompt hands it to the model, which repeats it to whoever asks.
    if (model.language) {
      for (const r of model.returns) {
        if (!r.fn.isTool || !r.value) continue;
        const site: OutputSite = { kind: 'response', node: r.value, taint: r.taint, ret: r, fn: r.fn };
        if (reaching(r.taint, ['sysprompt']).length || systemPromptCarrier(model, site)({ lines: new Set(), params: new Set(), names: new Map(), strings: new Set(jsLiterals(model, r.value).map((x) => x.startIndex)), templates: [] })) {
          ctx.report({ node: r.node, message: `Tool ${r.fn.name}() returns the system prompt to the model, which will repeat it to the user.` });
        }
      }
    }
    for (const site of outputSites(model)) {
      if (!exposesSystemPrompt(model, site)) continue;
      ctx.report({
        node: site.call?.node ?? site.ret?.node ?? site.node,
        line: model.language ? site.node.line : partLine(model, site.node, site.fn, systemPromptCarrier(model, site)),
        message: `The system prompt is written to ${outputWhat(site)}.`,
      });
    }
    for (const { site, what } of extraSites(model)) {
      if (!systemPromptCarrier(model, site)(deepPath(model, site.node, site.fn))) continue;
      ctx.report({
        node: site.call?.node ?? site.ret?.node ?? site.node,
        line: partLine(model, site.node, site.fn, systemPromptCarrier(model, site)),
        message: `The system prompt is written to ${what}.`,
      });
    }
  },
};

/** Error responses that carry their message to the client. */
const CLIENT_ERROR = /^(fastapi\.HTTPException|starlette\.exceptions\.HTTPException|HTTPException|flask\.abort|abort|werkzeug\.exceptions\.\w+|gradio\.Error|gr\.Error|chainlit\.Message|cl\.Message)$/;

/**
 * Where else a prompt reaches the user: a tool's return value (the model relays whatever its
 * tools return, and a "describe yourself" tool hands over the instructions verbatim), and error
 * responses (`HTTPException(detail=...)`, `abort(400, ...)`) that go back to the client.
 */
function extraSites(model: PyModel): { site: OutputSite; what: string }[] {
  const out: { site: OutputSite; what: string }[] = [];
  for (const r of model.returns) {
    if (!r.fn.isTool || r.fn.isHandler || !r.value) continue;
    out.push({ site: { kind: 'response', node: r.value, taint: r.taint, ret: r, fn: r.fn }, what: `the result of the tool ${r.fn.name}(), which the model relays to the user` });
  }
  for (const c of model.calls) {
    if (!CLIENT_ERROR.test(c.flat)) continue;
    for (const a of c.args) {
      if (a.name && /^(status_code|code|headers|author)$/.test(a.name)) continue;
      if (a.node.type === 'integer') continue;
      out.push({ site: { kind: 'response', node: a.node, taint: a.taint, call: c, fn: c.fn }, what: `an error response (${c.name})` });
    }
  }
  return out;
}
