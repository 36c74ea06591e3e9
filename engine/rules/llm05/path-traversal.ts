import { JS_LANGUAGES } from '../types.js';
import type { Rule } from '../types.js';
import { checkSink } from './sink-check.js';

export const rule: Rule = {
  meta: {
    id: 'output-handling/path-traversal',
    owasp: 'LLM05',
    asi: 'ASI02',
    cwe: 'CWE-22',
    severity: 'HIGH',
    title: 'Model output used as a file path',
    description: 'A file path chosen by the model is opened, written or deleted without confinement, so the agent can be steered to read secrets or overwrite files outside its workspace.',
    fix: 'Resolve the path against a fixed base directory and reject anything outside it (Path.resolve().is_relative_to(base)), use os.path.basename for names, and allow-list extensions.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    // A tool whose argument is the whole path is a file tool: what it may touch is an agency
    // question (LLM06). Traversal is a path built around a model-chosen piece, or model output
    // itself used as a path.
    checkSink(ctx, 'path', (_call, _arg, l) => !!l.interpolated || !l.toolArg);
  },
};
