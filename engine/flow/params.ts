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

/** The facts a substitution round rewrites: every call's receiver and arguments, messages, ifs and returns. */
export interface TaintedFacts {
  functions: readonly FunctionFact[];
  messages: readonly { taint: Label[]; fn: FunctionFact }[];
  ifs: readonly { taint: Label[]; fn: FunctionFact }[];
  returns: readonly { taint: Label[]; fn: FunctionFact }[];
}

/** Rewrites the taint of every fact through `subst` (parameter labels -> what the callers pass), in place. */
export function substituteFacts(facts: TaintedFacts, subst: (labels: Label[], owner: FunctionFact) => Label[]): void {
  for (const fn of facts.functions) {
    for (const c of fn.calls) {
      c.receiverTaint = subst(c.receiverTaint, fn);
      for (const a of c.args) a.taint = subst(a.taint, fn);
    }
  }
  for (const m of facts.messages) m.taint = subst(m.taint, m.fn);
  for (const i of facts.ifs) i.taint = subst(i.taint, i.fn);
  for (const r of facts.returns) r.taint = subst(r.taint, r.fn);
}
