import type { Rule } from '../types.js';
import { reaching } from '../helpers.js';
import { flowLine, promptSites } from '../prompts.js';

/**
 * Fetched pages and search results are written by strangers; instructions hidden in them steer
 * the model (indirect injection) wherever they are spliced into a prompt. Retrieved documents and
 * files are the application's own corpus: they count when they are presented as instructions
 * (system role, with the template telling the model to follow them). A template that fences content off as data stays silent.
 */
export const rule: Rule = {
  meta: {
    id: 'prompt-injection/indirect-content-in-prompt',
    owasp: 'LLM01',
    asi: 'ASI01',
    cwe: 'CWE-1427',
    severity: 'HIGH',
    title: 'External content injected into LLM instructions',
    description: 'Content from web pages, search results, retrieved documents or files is inserted into the prompt as instructions, without being marked as untrusted data, so text hidden in it can hijack the agent (indirect prompt injection).',
    fix: 'Wrap external content in clear delimiters and tell the model to treat it as data only, keep it out of the system role, strip instruction-like text, and restrict what tools the agent may call after reading it.',
    languages: ['python'],
  },
  check(ctx) {
    for (const site of promptSites(ctx.model!)) {
      const inSystem = site.role === 'system';
      const l = reaching(site.taint, ['web', 'retrieved', 'file'], 'prompt').find((x) =>
        x.kind === 'web' ? inSystem || !!x.interpolated : inSystem && !!x.instructs,
      );
      if (!l) continue;
      ctx.report({
        node: site.node,
        line: flowLine(site, l),
        source: l,
        message: `${l.what.charAt(0).toUpperCase() + l.what.slice(1)} (line ${l.line}) flows into ${site.what}${inSystem ? ' as instructions' : ''} without being fenced off as untrusted data.`,
      });
    }
  },
};
