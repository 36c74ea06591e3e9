/** Whether a value comes from the request, and whether it is bounded before use. */
import type { AstNode } from '../../parse/index.js';
import type { FunctionFact, PyModel } from '../../flow/python.js';
import { identifiers } from '../llm09/model-derived.js';

const CLAMP = /\b(min|clamp|clip|bound(ed)?|cap(ped)?|limit(ed)?)\s*\(|\[\s*:\s*[\w.]+\s*\]|\.slice\(\s*0\s*,\s*[\w.]+\s*\)/;

export function paths(model: PyModel, n: AstNode): string[] {
  const out = identifiers(n, model);
  const stack = [n];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.type === 'subscript') out.push(model.text(x));
    for (const c of x.children) if (c.named) stack.push(c);
  }
  return out;
}

/** A route handler; CLI commands (click, typer) take their options from the operator. */
export function isWebHandler(fn: FunctionFact): boolean {
  return fn.isHandler && !fn.decorators.some((d) => /(^|\.)(click|typer)\.|\.(command|group|option|argument|callback)$/.test(d.qname));
}

/** A value read from the request: request data, a handler parameter, or a local computed from them. */
export function userDerived(model: PyModel, fn: FunctionFact, n: AstNode, depth = 0): boolean {
  if (depth > 3) return false;
  for (const p of paths(model, n)) {
    const root = p.split(/[.[]/)[0];
    if (root === 'request' || root === 'req') return true;
    if (isWebHandler(fn) && fn.params.some((q) => q.name === root && !/^(self|cls|db|session)$/.test(root))) return true;
    for (const a of model.assigns) {
      if (a.fn === fn && a.target === root && a.node.startIndex < n.startIndex && userDerived(model, fn, a.value, depth + 1)) return true;
    }
  }
  return false;
}

/** The value is clamped or validated before use: min(), a range check, a bounded request schema. */
export function clamped(model: PyModel, fn: FunctionFact, value: AstNode, before: number, depth = 0): boolean {
  if (CLAMP.test(model.text(value))) return true;
  if (depth > 3) return false;
  const names = paths(model, value);
  if (!names.length) return false;
  for (const a of model.assigns) {
    if (a.fn !== fn || a.node.startIndex >= before || !names.includes(a.target)) continue;
    if (clamped(model, fn, a.value, a.node.startIndex, depth + 1)) return true;
  }
  for (const i of model.ifs) {
    if (i.fn !== fn || i.node.startIndex >= before) continue;
    const cond = model.text(i.condition);
    if (names.some((n) => new RegExp(`(^|[^\\w.])${n.replace(/[.[\]()"'\\]/g, '\\$&')}($|[^\\w])`).test(cond)) && /(<|>|\bin\b)/.test(cond)) return true;
  }
  // `max_tokens: int = Query(512, le=2048)` on the handler, or a bounded field of its request model.
  for (const p of fn.params) {
    if (!names.some((n) => n === p.name || n.startsWith(p.name + '.') || n.startsWith(p.name + '['))) continue;
    const spec = `${p.annotation ?? ''} ${p.default ? model.text(p.default) : ''}`;
    if (/\b(le|lt|max_length|max_items)\s*=|conint\(|conlist\(|Range\(|Literal\[/.test(spec)) return true;
    const cls = p.annotation ? model.classes.get(p.annotation) : undefined;
    if (cls) {
      const field = names.find((n) => n.startsWith(p.name + '.'))?.slice(p.name.length + 1).split('.')[0];
      const body = model.text(cls.node);
      if (field && (new RegExp(`\\b${field}\\s*:[^\\n]*(\\b(le|lt|max_length|max_items)\\s*=|conint\\(|conlist\\(|Literal\\[)`).test(body) || new RegExp(`validator\\([^)]*["']${field}["']`).test(body))) return true;
    }
  }
  return false;
}

