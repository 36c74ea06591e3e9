/**
 * Per-file indexes over the flow model's fact lists. Several rules ask "the assignments of this
 * function" or "the assignments to this name" once per function or per name; filtering the whole
 * list each time made them quadratic in file size. Each index keeps the list's own order, so a
 * lookup returns exactly what the filter returned.
 */
import type { AstNode } from '../parse/index.js';
import type { AssignFact, CallFact, FunctionFact, IfFact, PyModel } from '../flow/python.js';

const NONE: readonly never[] = Object.freeze([]);

function groupBy<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const t of items) {
    const k = key(t);
    const list = out.get(k);
    if (list) list.push(t);
    else out.set(k, [t]);
  }
  return out;
}

function memo<K extends object, V>(build: (k: K) => V): (k: K) => V {
  const cache = new WeakMap<K, V>();
  return (k) => {
    let v = cache.get(k);
    if (v === undefined) {
      v = build(k);
      cache.set(k, v);
    }
    return v;
  };
}

const assignsByFn = memo((m: PyModel) => groupBy(m.assigns, (a) => a.fn));
const assignsByTarget = memo((m: PyModel) => groupBy(m.assigns, (a) => a.target));
const callsByFn = memo((m: PyModel) => groupBy(m.calls, (c) => c.fn));
const ifsByNode = memo((m: PyModel) => new Map(m.ifs.map((i) => [i.node, i] as const).reverse()));

/** `model.assigns.filter((a) => a.fn === fn)`. */
export function assignsIn(model: PyModel, fn: FunctionFact): readonly AssignFact[] {
  return assignsByFn(model).get(fn) ?? NONE;
}

/** `model.assigns.filter((a) => a.target === target)`. */
export function assignsTo(model: PyModel, target: string): readonly AssignFact[] {
  return assignsByTarget(model).get(target) ?? NONE;
}

/** `model.calls.filter((c) => c.fn === fn)`, in source order. */
export function callsIn(model: PyModel, fn: FunctionFact): readonly CallFact[] {
  return callsByFn(model).get(fn) ?? NONE;
}

/** `model.ifs.find((i) => i.node === node)`. */
export function ifAt(model: PyModel, node: AstNode): IfFact | undefined {
  return ifsByNode(model).get(node);
}

const receiverIndex = new WeakMap<FunctionFact, Map<string, CallFact[]>>();

/** `fn.calls.filter((c) => c.receiver && model.text(c.receiver) === receiver)`. */
export function callsOnReceiver(model: PyModel, fn: FunctionFact, receiver: string): readonly CallFact[] {
  let index = receiverIndex.get(fn);
  if (!index) {
    index = groupBy(
      fn.calls.filter((c) => c.receiver),
      (c) => model.text(c.receiver!),
    );
    receiverIndex.set(fn, index);
  }
  return index.get(receiver) ?? NONE;
}

const callsByNode = memo((m: PyModel) => {
  const out = new Map<AstNode, CallFact>();
  // First wins, as `find` would return.
  for (const c of m.calls) if (!out.has(c.node)) out.set(c.node, c);
  return out;
});

/** `model.calls.find((c) => c.node === node)`. */
export function callAt(model: PyModel, node: AstNode | undefined): CallFact | undefined {
  return node === undefined ? undefined : callsByNode(model).get(node);
}

const callsByTarget = memo((m: PyModel) => groupBy(m.calls, (c) => c.target));

/** `model.calls.filter((c) => c.target === fn)`, in the list's order. */
export function callsTo(model: PyModel, fn: FunctionFact): readonly CallFact[] {
  return callsByTarget(model).get(fn) ?? NONE;
}
