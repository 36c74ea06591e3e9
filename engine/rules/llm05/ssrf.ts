import { JS_LANGUAGES } from '../types.js';
import type { Rule } from '../types.js';
import { checkSink } from './sink-check.js';
import { hostIsFixed } from '../urls.js';

export const rule: Rule = {
  meta: {
    id: 'output-handling/ssrf',
    owasp: 'LLM05',
    asi: 'ASI02',
    cwe: 'CWE-918',
    severity: 'HIGH',
    title: 'Model output used as a request URL',
    description: 'A URL chosen by the model is fetched by the server, so the agent can be steered to internal services, cloud metadata endpoints or exfiltration hosts (SSRF).',
    fix: 'Allow-list hosts and schemes, resolve and refuse private, loopback and link-local addresses, disable redirects to other hosts, and never attach credentials to model-chosen URLs.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    // With scheme and host fixed by the code, the model picks a path on a known service, not a target.
    checkSink(ctx, 'url', (call, arg) => !hostIsFixed(ctx.model!, call, arg.node));
  },
};
