import type { RuleContext } from '../types.js';
import { describeKind, reaching, STEERABLE } from '../helpers.js';
import { sinkArgs, type SinkClass } from '../sinks.js';
import type { ArgFact, CallFact, Label } from '../../flow/python.js';

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

/** Shared body of the output-handling rules: model-steerable data reaching one sink class. */
export function checkSink(ctx: RuleContext, cls: SinkClass, accept?: (call: CallFact, arg: ArgFact, label: Label) => boolean): void {
  const model = ctx.model!;
  for (const call of model.calls) {
    for (const sink of sinkArgs(model, call)) {
      if (sink.cls !== cls) continue;
      const labels = reaching(sink.arg.taint, STEERABLE, sink.sanitizer).filter((l) => !accept || accept(call, sink.arg, l));
      if (!labels.length) continue;
      const l = labels[0];
      ctx.report({
        node: call.node,
        source: l,
        message: `${describeKind(l.kind).replace(/^./, (c) => c.toUpperCase())} (${l.what}, line ${l.line}) reaches ${SINK_WORDS[cls]} in ${call.name}() without validation.`,
      });
      break;
    }
  }
}
