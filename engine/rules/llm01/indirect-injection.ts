import type { Rule } from '../types.js';
import { CONTENT_KINDS, reaching } from '../helpers.js';
import { flowLine, promptSites } from '../prompts.js';

/**
 * Retrieved documents, fetched pages and file contents are written by someone other than the
 * user or the developer; instructions hidden in them steer the model (indirect injection).
 * A template that fences such content off as data is the accepted mitigation and stays silent.
 */
export const rule: Rule = {
  meta: {
    id: 'prompt-injection/indirect-content-in-prompt',
    owasp: 'LLM01',
    asi: 'ASI01',
    cwe: 'CWE-1427',
    severity: 'HIGH',
    title: 'External content injected into an LLM prompt',
    description: 'Content from retrieved documents, web pages or files is inserted into the prompt without being marked as untrusted data, so instructions hidden in it can hijack the agent (indirect prompt injection).',
    fix: 'Wrap external content in clear delimiters and tell the model to treat it as data only, strip instruction-like text, keep it out of the system role, and restrict what tools the agent may call after reading it.',
    languages: ['python'],
  },
  check(ctx) {
    for (const site of promptSites(ctx.model!)) {
      const l = reaching(site.taint, CONTENT_KINDS, 'prompt')[0];
      if (!l) continue;
      ctx.report({
        node: site.node,
        line: flowLine(site, l),
        source: l,
        message: `${l.what.charAt(0).toUpperCase() + l.what.slice(1)} (line ${l.line}) flows into ${site.what} without being fenced off as untrusted data.`,
      });
    }
  },
};
