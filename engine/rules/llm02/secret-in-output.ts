import { JS_LANGUAGES } from '../types.js';
import type { Rule } from '../types.js';
import { reaching, type Label } from '../helpers.js';
import { isMasked } from './masking.js';
import { directLabels, partLine } from './direct.js';
import { outputSites, outputWhat } from './outputs.js';
import { exposesSystemPrompt } from '../llm07/system-prompt-exposed.js';

/**
 * A login endpoint returning the token it just issued, or a key-management endpoint showing a new
 * key once, is the purpose of the route; the server's own environment secrets, passwords and
 * personal data fields are not something a response should carry.
 */
function leaksInResponse(l: Label): boolean {
  if (l.kind === 'pii') return true;
  return /^environment secret|password|passwd|secret_key/i.test(l.what);
}

export const rule: Rule = {
  meta: {
    id: 'sensitive-info/secret-in-output',
    owasp: 'LLM02',
    asi: 'ASI03',
    cwe: 'CWE-532',
    severity: 'MEDIUM',
    title: 'Secret or personal data written to logs or responses',
    description: 'A credential or personal data value is printed, logged, shown in the UI or returned in an HTTP response, where it is exposed to people and systems that should not see it.',
    fix: 'Do not log or return secrets; log a masked form (last four characters) or a boolean "is set", and filter personal data out of responses and log records.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    for (const site of outputSites(model)) {
      // JS models drop secrets at client constructors already; the Python walk reads Python syntax.
      let labels = model.language ? reaching(site.taint, ['secret', 'pii']) : directLabels(model, site.node, site.fn, reaching(site.taint, ['secret', 'pii']));
      if (site.kind === 'response') labels = labels.filter(leaksInResponse);
      const l = labels[0];
      if (!l || isMasked(model, site.node, l.interpolated)) continue;
      // A system prompt that holds a secret and is returned is the system-prompt rules' finding.
      if (exposesSystemPrompt(model, site)) continue;
      ctx.report({
        node: site.call?.node ?? site.node,
        line: model.language ? (l.interpolated ?? site.node.line) : partLine(model, site.node, site.fn, (p) => p.lines.has(l.line)),
        source: l,
        message: `${l.kind === 'secret' ? 'A secret' : 'Personal data'} (${l.what}, line ${l.line}) is written to ${outputWhat(site)}.`,
      });
    }
  },
};
