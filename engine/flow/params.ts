// Parameter labels resolved from call sites, shared by the Python and JS/TS flow engines: which
// calls reach each same-file function, and what taint each of its parameters receives from them.
import type { ArgFact, CallFact, FunctionFact } from './python.js';
import { union, type Label } from './labels.js';

/** Calls grouped by the same-file function they target. */
export function callersOf(fns: readonly FunctionFact[]): Map<FunctionFact, CallFact[]> {
  const callers = new Map<FunctionFact, CallFact[]>();
  for (const f of fns) {
    for (const c of f.calls) {
      if (!c.target) continue;
      const list = callers.get(c.target) ?? [];
      list.push(c);
      callers.set(c.target, list);
    }
  }
  return callers;
}

/** Per function, per parameter: the union of the taint its callers pass in this round. */
export function incomingLabels(
  functions: readonly FunctionFact[],
  callers: Map<FunctionFact, CallFact[]>,
  argForParam: (fn: FunctionFact, call: CallFact, index: number) => ArgFact | undefined,
): Map<FunctionFact, Label[][]> {
  const incoming = new Map<FunctionFact, Label[][]>();
  for (const fn of functions) {
    const per: Label[][] = fn.params.map(() => []);
    for (const c of callers.get(fn) ?? []) {
      fn.params.forEach((_, i) => {
        const a = argForParam(fn, c, i);
        if (a) per[i] = union(per[i], a.taint);
      });
    }
    incoming.set(fn, per);
  }
  return incoming;
}
