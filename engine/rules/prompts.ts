/** Every place text becomes part of a prompt: chat messages by role, and prompt arguments of model calls. */
import type { AstNode } from '../parse/index.js';
import type { CallFact, PyModel } from '../flow/python.js';
import type { Label } from '../flow/labels.js';

export interface PromptSite {
  node: AstNode;
  role: string;
  taint: Label[];
  call?: CallFact;
  /** How the prompt was given, for messages: `messages[role=system]`, `Agent(instructions=)`. */
  what: string;
  /** For a message written inline in a model call's list argument: that call. */
  request?: CallFact;
}

const cache = new WeakMap<PyModel, PromptSite[]>();

export function promptSites(model: PyModel): PromptSite[] {
  const hit = cache.get(model);
  if (hit) return hit;
  const out: PromptSite[] = [];
  const requestOf = new Map<AstNode, CallFact>();
  for (const c of model.calls) {
    if (c.model) for (const a of c.args) if (a.node.type === 'list' || a.node.type === 'array') requestOf.set(a.node, c);
  }
  for (const m of model.messages) {
    const request = m.node.parent ? requestOf.get(m.node.parent) : undefined;
    out.push({ node: m.content ?? m.node, role: m.role, taint: m.taint, what: m.via ?? `a ${m.role} message`, ...(request ? { request } : {}) });
  }
  for (const c of model.calls) {
    if (!c.model) continue;
    for (const a of c.args) {
      const byKeyword = a.name !== null && c.model.promptKeywords.includes(a.name);
      const byPosition = a.name === null && c.model.promptPositional.includes(a.index);
      if (!byKeyword && !byPosition) continue;
      // Message lists written inline are already covered, role by role, by their message facts.
      if ((a.node.type === 'list' || a.node.type === 'array') && model.messages.some((m) => m.node.parent === a.node)) continue;
      const role = a.name === 'system' || a.name === 'instructions' ? 'system' : 'user';
      out.push({ node: a.node, role, taint: a.taint, call: c, what: `the prompt of ${c.name}()` });
    }
  }
  cache.set(model, out);
  return out;
}

/** The line to report a prompt flow on: where the value was formatted into the prompt, if known. */
export function flowLine(site: PromptSite, label: Label): number {
  return label.interpolated ?? site.node.line;
}

const AGENT_INSTRUCTIONS = /^(instructions|system_message|system_prompt|role|goal|backstory|description|prompt|state_modifier|system)$/;

/**
 * Whether the request this prompt text belongs to also carries a fixed system message: sibling
 * messages in the same list, or a `system=`/`instructions=` argument of the same call.
 */
export function hasSeparateSystemMessage(model: PyModel, site: PromptSite): boolean {
  if (site.call) {
    if (site.call.args.some((a) => a.name === 'system' || a.name === 'instructions')) return true;
    // `agent.run(text)` on an agent built with its own instructions (Agno, CrewAI, AutoGen, smolagents).
    const recv = site.call.receiver && site.call.receiver.type === 'identifier' ? model.text(site.call.receiver) : undefined;
    const ctor = recv ? model.calls.find((c) => c.assignedTo === recv && (c.fn === site.call!.fn || c.fn.isModule)) : undefined;
    if (ctor && ctor.args.some((a) => a.name !== null && AGENT_INSTRUCTIONS.test(a.name))) return true;
    // An agent handed in as a parameter: the file's own constructors of that class give it instructions.
    const type = site.call.receiverType;
    return !!type && !ctor && model.calls.some((c) => c.callee.replace(/\(\)/g, '') === type.replace(/\(\)/g, '') && c.args.some((a) => a.name !== null && AGENT_INSTRUCTIONS.test(a.name)));
  }
  let list = site.node.parent;
  for (let i = 0; list && i < 4 && list.type !== 'list' && list.type !== 'array'; i++) list = list.parent;
  if (!list || (list.type !== 'list' && list.type !== 'array')) return false;
  const start = list.startIndex;
  const end = list.endIndex;
  return model.messages.some((m) => m.role === 'system' && m.node.startIndex >= start && m.node.endIndex <= end);
}
