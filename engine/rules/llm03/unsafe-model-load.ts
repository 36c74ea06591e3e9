import type { Rule } from '../types.js';
import { calleeOf, isFalse, isTrue, kw, reaching, STEERABLE, namedCalls } from '../helpers.js';
import { sinkArgs } from '../sinks.js';

const PICKLE_FAMILY = /^(pickle|cPickle|_pickle|dill|cloudpickle)\.(load|loads|Unpickler)$|^joblib\.load$|^pandas\.read_pickle$/;
const KERAS_LOAD = /(^|\.)(keras\.models\.load_model|keras\.saving\.load_model|load_model)$/;

/**
 * Pickle-based formats run code while loading, so a model file is a program. Loading one from
 * disk or a hub trusts whoever produced it. Data the model or outside content steers into a
 * deserialiser is the output-handling rule's; this rule covers the artefacts themselves.
 */
export const rule: Rule = {
  meta: {
    id: 'supply-chain/unsafe-model-load',
    owasp: 'LLM03',
    asi: 'ASI04',
    cwe: 'CWE-502',
    severity: 'HIGH',
    title: 'Model or artefact loaded with an unsafe deserialiser',
    description: 'A model, index or data file is loaded through pickle (torch.load, pickle, joblib, dill, allow_dangerous_deserialization, allow_pickle), which executes code embedded in the file.',
    fix: 'Prefer safetensors or other non-executable formats; use torch.load(..., weights_only=True); only load pickles you produced yourself and verify their hash before loading.',
    languages: ['python'],
  },
  check(ctx) {
    const model = ctx.model!;
    for (const call of namedCalls(model)) {
      const c = calleeOf(call);
      const dangerous = kw(call, 'allow_dangerous_deserialization');
      if (isTrue(model, dangerous)) {
        ctx.report({ node: dangerous!.node, message: `${call.name}() is allowed to unpickle its files (allow_dangerous_deserialization=True); a tampered index runs code on load.` });
        continue;
      }
      if (/^(numpy|np)\.load$/.test(c)) {
        const ap = kw(call, 'allow_pickle');
        if (isTrue(model, ap)) ctx.report({ node: ap!.node, message: 'numpy.load(allow_pickle=True) unpickles object arrays, which can execute code.' });
        continue;
      }
      if (c === 'torch.load') {
        const wo = kw(call, 'weights_only');
        if (!isTrue(model, wo)) ctx.report({ node: call.node, message: wo ? 'torch.load(weights_only=False) unpickles the checkpoint, which can execute code.' : 'torch.load() without weights_only=True unpickles the checkpoint, which can execute code.' });
        continue;
      }
      if (KERAS_LOAD.test(c) && /keras|tensorflow|tf\./.test(c + ' ' + [...model.modules].join(' '))) {
        const sm = kw(call, 'safe_mode');
        if (isFalse(model, sm) && sm!.node.type === 'false') ctx.report({ node: sm!.node, message: 'load_model(safe_mode=False) allows Lambda layers to deserialise arbitrary code.' });
        continue;
      }
      if (PICKLE_FAMILY.test(c)) {
        const sinks = sinkArgs(model, call).filter((s) => s.cls === 'deserialize');
        const steered = sinks.some((s) => reaching(s.arg.taint, STEERABLE, s.sanitizer).length > 0);
        if (steered) continue;
        // `loads` of bytes from a cache or queue is the application's own data; bytes read from a file are an artefact.
        if (/\.loads$/.test(c) && !sinks.some((s) => reaching(s.arg.taint, ['file']).length > 0)) continue;
        ctx.report({ node: call.node, message: `${c}() deserialises with pickle, which executes code embedded in the file.` });
      }
    }
  },
};
