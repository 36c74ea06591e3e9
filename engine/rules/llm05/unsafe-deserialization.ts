import { JS_LANGUAGES } from '../types.js';
import type { Rule } from '../types.js';
import { checkSink } from './sink-check.js';

export const rule: Rule = {
  meta: {
    id: 'output-handling/unsafe-deserialization',
    owasp: 'LLM05',
    asi: 'ASI05',
    cwe: 'CWE-502',
    severity: 'CRITICAL',
    title: 'Model output deserialised unsafely',
    description: 'Model-controlled data is passed to pickle, marshal, dill or yaml.load, which can execute code while loading.',
    fix: 'Exchange data as JSON validated against a schema; use yaml.safe_load; never unpickle data the model or a user can influence.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    checkSink(ctx, 'deserialize');
  },
};
