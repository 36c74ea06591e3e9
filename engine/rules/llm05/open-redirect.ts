import { JS_LANGUAGES } from '../types.js';
import type { Rule } from '../types.js';
import { checkSink } from './sink-check.js';
import { hostIsFixed } from '../urls.js';

/** `/account/${x}`: a path on this site, though `//host` is another site. */
function sitePath(text: string): boolean {
  return /^['"`]\/(?!\/)/.test(text);
}

export const rule: Rule = {
  meta: {
    id: 'output-handling/open-redirect',
    owasp: 'LLM05',
    asi: 'ASI09',
    cwe: 'CWE-601',
    severity: 'MEDIUM',
    title: 'Model output used as a redirect target',
    description: 'The user\'s browser is sent to a URL the model produced (a server redirect, or `window.location`), so an injected instruction can send users to a phishing page or a `javascript:` URL under the site\'s name.',
    fix: 'Map the model\'s answer to a fixed set of known paths or hosts and redirect only to those; refuse absolute URLs to other hosts and any scheme but https.',
    languages: [...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    checkSink(ctx, 'redirect', (call, arg) => !hostIsFixed(model, call, arg.node) && !sitePath(model.text(arg.node)));
  },
};
