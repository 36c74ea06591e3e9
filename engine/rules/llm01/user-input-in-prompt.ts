import { JS_LANGUAGES } from '../types.js';
import type { Rule } from '../types.js';
import { reaching } from '../helpers.js';
import { flowLine, hasSeparateSystemMessage, promptSites } from '../prompts.js';

/**
 * User text is an injection risk where it is spliced into instructions: placed in the system
 * role (or an agent's instructions), or formatted into one prompt string that also gives the
 * model its orders with no separate system message. A user turn that carries the user's words,
 * next to a fixed system message, is how chat works; a PromptTemplate's variables keep the
 * template fixed.
 */
export const rule: Rule = {
  meta: {
    id: 'prompt-injection/user-input-in-prompt',
    owasp: 'LLM01',
    asi: 'ASI01',
    cwe: 'CWE-1427',
    severity: 'HIGH',
    title: 'User input formatted into LLM instructions',
    description: 'Untrusted user input is concatenated or formatted into the prompt instructions, so a user can override them ("ignore previous instructions…").',
    fix: 'Keep instructions in a fixed system message and pass user text as a separate user message or as a PromptTemplate variable; validate or bound the input and never place it in the system role.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    for (const site of promptSites(model)) {
      for (const l of reaching(site.taint, ['user'], 'prompt')) {
        const inSystem = site.role === 'system';
        if (!inSystem && !(l.interpolated && l.directive && !hasSeparateSystemMessage(model, site))) continue;
        ctx.report({
          node: site.node,
          line: flowLine(site, l),
          source: l,
          message: `User input (${l.what}, line ${l.line}) is ${inSystem ? 'placed in the system prompt' : 'formatted into the prompt instructions'} via ${site.what}; a user can rewrite the model's instructions.`,
        });
        break;
      }
    }
    // A template whose text the user supplies is an instruction channel handed to the user.
    for (const c of model.calls) {
      if (!/(^|\.)(PromptTemplate|ChatPromptTemplate|PromptTemplate\.from_template|ChatPromptTemplate\.from_template|SystemMessagePromptTemplate\.from_template)$/.test(c.callee.replace(/\(\)/g, ''))) continue;
      const template = c.args.find((a) => a.name === 'template') ?? c.args.find((a) => a.index === 0 && /from_template$/.test(c.callee));
      const l = template ? reaching(template.taint, ['user'])[0] : undefined;
      if (l) ctx.report({ node: template!.node, source: l, message: `The prompt template itself comes from user input (${l.what}, line ${l.line}).` });
    }
  },
};
