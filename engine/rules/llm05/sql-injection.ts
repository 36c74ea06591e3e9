import { JS_LANGUAGES } from '../types.js';
import type { Rule } from '../types.js';
import { checkSink } from './sink-check.js';

export const rule: Rule = {
  meta: {
    id: 'output-handling/sql-injection',
    owasp: 'LLM05',
    asi: 'ASI02',
    cwe: 'CWE-89',
    severity: 'HIGH',
    title: 'Model output in a SQL statement',
    description: 'Text chosen by the model is executed as SQL or formatted into a SQL string, so the model (or whoever injects it) can read or change any data the connection can.',
    fix: 'Use parameterised queries (cursor.execute(sql, params)) with a fixed statement; for text-to-SQL, run generated queries read-only, on an allow-listed schema, with a row limit and review.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    checkSink(ctx, 'sql');
  },
};
