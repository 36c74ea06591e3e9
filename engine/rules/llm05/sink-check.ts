import type { RuleContext } from '../types.js';
import { describeKind, reaching, STEERABLE } from '../helpers.js';
import { sinkArgs, type SinkArg, type SinkClass } from '../sinks.js';
import type { ArgFact, CallFact, Label, PyModel } from '../../flow/python.js';
import { perFile } from '../per-file.js';

const SINK_WORDS: Record<SinkClass, string> = {
  code: 'code execution',
  shell: 'a shell command',
  sql: 'a SQL statement',
  html: 'HTML rendered without escaping',
  path: 'a file system path',
  url: 'an outbound request URL',
  redirect: 'a redirect target',
  deserialize: 'a deserialiser',
  email: 'an email',
  payment: 'a payment',
  delete: 'a delete operation',
  deploy: 'a deployment',
  'file-write': 'a file write',
};


/** Every call's sink arguments grouped by class, in call order then argument order. */
const sinksByClass = perFile((model): Map<SinkClass, { call: CallFact; sink: SinkArg }[]> => {
  const byClass = new Map<SinkClass, { call: CallFact; sink: SinkArg }[]>();
  for (const call of model.calls) {
    for (const sink of sinkArgs(model, call)) {
      const list = byClass.get(sink.cls);
      if (list) list.push({ call, sink });
      else byClass.set(sink.cls, [{ call, sink }]);
    }
  }
  return byClass;
});

/**
 * Shared body of the output-handling rules: model-steerable data reaching one sink class. Each of
 * those rules calls it for every file; each walks only its own class's sinks, in the order a walk
 * over all calls and their sinks meets them, the first report for a call ending that call.
 */
export function checkSink(ctx: RuleContext, cls: SinkClass, accept?: (call: CallFact, arg: ArgFact, label: Label) => boolean): void {
  const model = ctx.model!;
  let reported: CallFact | undefined;
  for (const { call, sink } of sinksByClass(model).get(cls) ?? []) {
    if (call === reported) continue;
    const labels = reaching(sink.arg.taint, STEERABLE, sink.sanitizer).filter((l) => !accept || accept(call, sink.arg, l));
    if (!labels.length) continue;
    const l = labels[0];
    ctx.report({
      node: call.node,
      source: l,
      message: `${describeKind(l.kind).replace(/^./, (c) => c.toUpperCase())} (${l.what}, line ${l.line}) reaches ${SINK_WORDS[cls]} in ${call.name}() without validation.`,
    });
    reported = call;
  }
}
