/** Questions rules ask of the flow facts, so each rule file states only its own logic. */
import type { AstNode } from '../parse/index.js';
import { field } from '../parse/index.js';
import type { ArgFact, CallFact, FunctionFact, PyModel } from '../flow/python.js';
import { describeKind, reaching, type Label, type SanitizedFor, type TaintKind } from '../flow/labels.js';
import { plain, lastSegment } from '../frameworks/python.js';
import type { RuleContext } from './types.js';

export { reaching, describeKind, plain, lastSegment };
export type { Label, TaintKind };

export const MODEL_KINDS: TaintKind[] = ['model'];
export const CONTENT_KINDS: TaintKind[] = ['retrieved', 'web', 'file'];
/** What the model or outside content can steer: the inputs of output-handling sinks. */
export const STEERABLE: TaintKind[] = ['model', 'retrieved', 'web'];

/** Positional argument `index`, or the keyword `name`. */
export function arg(call: CallFact, index: number, name?: string): ArgFact | undefined {
  return (name ? call.args.find((a) => a.name === name) : undefined) ?? (index >= 0 ? call.args.find((a) => a.index === index) : undefined);
}

export function kw(call: CallFact, name: string): ArgFact | undefined {
  return call.args.find((a) => a.name === name);
}

export function nodeText(model: PyModel, node: AstNode | undefined): string {
  return node ? model.text(node) : '';
}

export function isTrue(model: PyModel, a: ArgFact | undefined): boolean {
  return !!a && a.node.type === 'true';
}

export function isFalse(model: PyModel, a: ArgFact | undefined): boolean {
  return !!a && (a.node.type === 'false' || a.node.type === 'none' || a.node.type === 'null' || a.node.type === 'undefined');
}

export function literal(model: PyModel, a: ArgFact | AstNode | undefined): string | undefined {
  const n = a && 'taint' in a ? a.node : (a as AstNode | undefined);
  if (!n || (n.type !== 'string' && !(model.language && n.type === 'template_string'))) return undefined;
  if (n.children.some((c) => c.type === 'interpolation' || c.type === 'template_substitution')) return undefined;
  // Python strings hold `string_content`; JS strings and template literals hold `string_fragment`.
  return n.children.filter((c) => c.type === 'string_content' || c.type === 'string_fragment' || c.type === 'escape_sequence' && !!model.language).map(model.text).join('');
}

export function numberValue(model: PyModel, a: ArgFact | undefined): number | undefined {
  if (!a || (a.node.type !== 'integer' && a.node.type !== 'float' && a.node.type !== 'number')) return undefined;
  const v = Number(model.text(a.node).replace(/_/g, ''));
  return Number.isFinite(v) ? v : undefined;
}

/** Taint of every argument, the receiver excluded. */
export function allArgTaint(call: CallFact): Label[] {
  return call.args.flatMap((a) => a.taint);
}

/** The call's callee with `()` markers dropped: `openai.OpenAI.chat.completions.create`. */
export function calleeOf(call: CallFact): string {
  return call.flat;
}

export function calleeIs(call: CallFact, ...names: (string | RegExp)[]): boolean {
  const c = call.flat;
  return names.some((n) => (typeof n === 'string' ? c === n : n.test(c)));
}

export function flowMessage(labels: Label[], sinkWhat: string): string {
  const l = labels[0];
  return `${capital(describeKind(l.kind))} (${l.what}, line ${l.line}) reaches ${sinkWhat}.`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Reports a flow once per line; the first label names the source. */
export function reportFlow(ctx: RuleContext, node: AstNode, labels: Label[], sinkWhat: string, line?: number): void {
  if (!labels.length) return;
  ctx.report({ node, line, message: flowMessage(labels, sinkWhat), source: labels[0] });
}

export function taintReaching(a: ArgFact | undefined, kinds: TaintKind[], sink?: SanitizedFor): Label[] {
  return a ? reaching(a.taint, kinds, sink) : [];
}

/** Calls in a function's own body (nested functions have their own facts). */
export function callsIn(fn: FunctionFact): CallFact[] {
  return fn.calls;
}

/** A human gate in code: approval calls, confirmation prompts, LangGraph interrupts. */
export const APPROVAL_NAME = /(approv|confirm|consent|authori[sz]|human|permission|ask_user|elicit|request_review|require_review|manual_review|interrupt|verify_with_user|get_user_confirmation|prompt_user|is_allowed|allowed_by_policy)/i;

export function hasApprovalStep(model: PyModel, fn: FunctionFact): boolean {
  if (fn.calls.some((c) => APPROVAL_NAME.test(c.name) || c.callee === 'input' || c.callee === 'builtins.input')) return true;
  // A decorator that gates the tool (`@require_approval`, `@needs_confirmation`).
  return fn.decorators.some((d) => APPROVAL_NAME.test(d.qname));
}

/** Human-in-the-loop set up anywhere in the file: interrupts, approval callbacks, ALWAYS input mode. */
export function fileHasHumanGate(model: PyModel): boolean {
  return model.calls.some(
    (c) =>
      c.args.some((a) => a.name === 'interrupt_before' || a.name === 'interrupt_after' || a.name === 'interruptBefore' || a.name === 'interruptAfter') ||
      /HumanApprovalCallbackHandler|HumanInTheLoop|interrupt$/.test(c.flat) ||
      c.args.some((a) => a.name === 'human_input_mode' && /ALWAYS/.test(model.text(a.node))) ||
      c.args.some((a) => a.name === 'callbacks' && /Approval|Human/i.test(model.text(a.node))),
  );
}

export function enclosingFunctionNode(node: AstNode): AstNode | null {
  let cur: AstNode | null = node.parent;
  while (cur) {
    if (cur.type === 'function_definition') return cur;
    cur = cur.parent;
  }
  return null;
}

/** The line of the `def` (after decorators), where a reader looks for a tool. */
export function defLine(fn: FunctionFact): AstNode {
  // JS tools are anonymous functions handed to `tool(...)`/`server.tool(...)`: the registration names them.
  return fn.declNode ?? field(fn.node, 'name') ?? fn.node;
}

/** For fixtures and messages: a short name for where a value went. */
export function shortName(callee: string): string {
  const parts = plain(callee).split('.');
  return parts.slice(-2).join('.');
}

/** Value node of `"key": value` in a dict literal. */
export function dictValue(model: PyModel, dict: AstNode, key: string): AstNode | undefined {
  if (dict.type !== 'dictionary') return undefined;
  for (const pair of dict.children) {
    if (pair.type !== 'pair') continue;
    const k = field(pair, 'key');
    if (k && k.type === 'string' && model.text(k).slice(1, -1) === key) return field(pair, 'value') ?? undefined;
  }
  return undefined;
}

/**
 * Calls that run a named function or method. Calling an object a call returned (`model(x)` after
 * `model = torch.load(f)`) has a callee ending in `()` and is not a call of the loader again.
 */
export function namedCalls(model: PyModel): CallFact[] {
  return model.calls.filter((c) => !c.callee.endsWith('()'));
}
