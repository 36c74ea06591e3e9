import { JS_LANGUAGES } from '../types.js';
import type { Rule } from '../types.js';
import { checkSink } from './sink-check.js';

export const rule: Rule = {
  meta: {
    id: 'output-handling/code-execution',
    owasp: 'LLM05',
    asi: 'ASI05',
    cwe: 'CWE-95',
    severity: 'CRITICAL',
    title: 'Model output executed as code',
    description: 'Text chosen by the model (its output or a tool argument) is passed to eval/exec/compile or a Python REPL, so a prompt injection becomes arbitrary code execution.',
    fix: 'Never execute model output. Parse it as data (json.loads, ast.literal_eval, a pydantic model) and dispatch to fixed functions; if code execution is the feature, run it in an isolated sandbox with no secrets and no network.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    // On JS, code fetched from the web and run is the supply-chain rule's download-and-execute.
    checkSink(ctx, 'code', ctx.model!.language ? (_call, _arg, l) => l.kind !== 'web' : undefined);
  },
};
