import { JS_LANGUAGES } from '../types.js';
import type { Rule } from '../types.js';
import { checkSink } from './sink-check.js';
import { reaching, STEERABLE } from '../helpers.js';

export const rule: Rule = {
  meta: {
    id: 'output-handling/unescaped-html',
    owasp: 'LLM05',
    asi: 'ASI05',
    cwe: 'CWE-79',
    severity: 'HIGH',
    title: 'Model output rendered as HTML',
    description: 'Model output is rendered as HTML without escaping, so injected markup or script runs in the user\'s browser (XSS) or exfiltrates data through image URLs.',
    fix: 'Escape model output (html.escape, markupsafe.escape) or render it as text; if Markdown is needed, sanitise the HTML with an allow-list (bleach/nh3) and block remote images.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    checkSink(ctx, 'html');
    // A route that returns markup it built around model output serves that output as HTML.
    for (const r of ctx.model!.returns) {
      if (!r.fn.isHandler || !r.value) continue;
      // Flask also takes `(body, status, headers)`.
      const v = r.value.type === 'expression_list' || r.value.type === 'tuple' ? r.value.children.find((c) => c.named)! : r.value;
      if (v.type !== 'string' && v.type !== 'binary_operator') continue;
      if (!/<[a-zA-Z][^>]*>/.test(ctx.model!.text(v))) continue;
      const l = reaching(r.taint, STEERABLE, 'html')[0];
      if (l) ctx.report({ node: r.node, source: l, message: `Model output (${l.what}, line ${l.line}) is returned inside HTML markup without escaping.` });
    }
  },
};
