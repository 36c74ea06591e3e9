import { JS_LANGUAGES } from '../types.js';
import type { Rule } from '../types.js';
import { checkSink } from './sink-check.js';

export const rule: Rule = {
  meta: {
    id: 'output-handling/shell-injection',
    owasp: 'LLM05',
    asi: 'ASI05',
    cwe: 'CWE-78',
    severity: 'CRITICAL',
    title: 'Model output in a shell command',
    description: 'Text chosen by the model reaches a shell or subprocess command line, so a prompt injection becomes command execution on the host.',
    fix: 'Run a fixed program with an argument list and shell=False, validate arguments against an allow-list, quote with shlex.quote where a shell is unavoidable, and require human approval for commands.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    checkSink(ctx, 'shell');
  },
};
