import type { Rule } from '../types.js';
import { reaching } from '../helpers.js';
import { flowLine, promptSites } from '../prompts.js';
import { isMasked } from './masking.js';
import { directLabels, formatLine, functionOf, partLine } from './direct.js';

/**
 * Credentials and personal data placed in a prompt are sent to the model provider, may be logged
 * or retained there, and can be repeated back by the model to whoever is chatting. System-role
 * prompts are the system-prompt leakage rule's.
 */
export const rule: Rule = {
  meta: {
    id: 'sensitive-info/secret-in-prompt',
    owasp: 'LLM02',
    asi: 'ASI03',
    cwe: 'CWE-200',
    severity: 'HIGH',
    title: 'Secret or personal data sent in an LLM prompt',
    description: 'A credential or personal data field is included in a prompt, so it is disclosed to the model provider and can be echoed back to users.',
    fix: 'Keep credentials out of prompts (let tools use them server-side), and redact or pseudonymise personal data before it reaches the model.',
    languages: ['python'],
  },
  check(ctx) {
    const model = ctx.model!;
    for (const site of promptSites(model)) {
      if (site.role === 'system') continue;
      const fn = site.call?.fn ?? functionOf(model, site.node);
      const l = directLabels(model, site.node, fn, reaching(site.taint, ['secret', 'pii']))[0];
      if (!l || isMasked(model, site.node, flowLine(site, l))) continue;
      ctx.report({
        node: site.node,
        line: formatLine(model, site.node, fn, l.line) ?? flowLine(site, l),
        source: l,
        message: `${l.kind === 'secret' ? 'A secret' : 'Personal data'} (${l.what}, line ${l.line}) is sent to the model in ${site.what}.`,
      });
    }
    // What a tool returns goes into the conversation: the model reads it and may repeat it.
    for (const r of model.returns) {
      if (!r.fn.isTool || !r.value) continue;
      const l = directLabels(model, r.value, r.fn, reaching(r.taint, ['secret', 'pii']))[0];
      if (!l || isMasked(model, r.value)) continue;
      ctx.report({
        node: r.node,
        line: partLine(model, r.value, r.fn, (p) => p.lines.has(l.line)),
        source: l,
        message: `Tool ${r.fn.name}() returns ${l.kind === 'secret' ? 'a secret' : 'personal data'} (${l.what}, line ${l.line}) to the model, which can repeat it to the user.`,
      });
    }
  },
};
