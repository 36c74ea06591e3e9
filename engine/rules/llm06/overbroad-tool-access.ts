import type { AstNode } from '../../parse/index.js';
import type { Rule } from '../types.js';
import { lastSegment, plain } from '../helpers.js';

/** Toolkits whose full tool set includes sending, posting or changing things on the account. */
const WRITE_TOOLKIT = /(^|\.)(GmailToolkit|O365Toolkit|GitHubToolkit|GitLabToolkit|SlackToolkit|JiraToolkit|ZapierToolkit|AzureDevOpsToolkit|OfficeToolkit|ClickupToolkit|MultionToolkit|AmadeusToolkit|PolygonToolkit|NLAToolkit)(\.from_\w+)?$/;

function filtered(n: AstNode, text: (n: AstNode) => string): boolean {
  for (let cur: AstNode | null = n.parent; cur; cur = cur.parent) {
    if (cur.type === 'list_comprehension' || cur.type === 'generator_expression') return cur.children.some((c) => c.type === 'if_clause');
    if (cur.type === 'call' && cur.children[0] && /^(filter|\w*select\w*|\w*filter\w*)$/.test(text(cur.children[0]))) return true;
    if (/_statement$|^block$/.test(cur.type)) return false;
  }
  return false;
}

/**
 * An assistant that reads mail rarely needs to send it, and one that reads issues rarely needs to
 * merge pull requests. Handing the agent every tool of an account toolkit gives a prompt injection
 * every write the account allows; picking the tools the task needs keeps the rest out of reach.
 */
export const rule: Rule = {
  meta: {
    id: 'excessive-agency/overbroad-tool-access',
    owasp: 'LLM06',
    asi: 'ASI02',
    cwe: 'CWE-250',
    severity: 'MEDIUM',
    title: 'Agent given every tool of a write-capable toolkit',
    description: 'The agent receives all tools of an account toolkit (mail, code hosting, chat, tickets, HTTP), including ones that send, post, modify or delete, although its task may need only a few of them.',
    fix: 'Select only the tools the task needs (filter get_tools() by name, or construct the read-only tools directly), use credentials with read-only scopes, and put a human approval in front of the write tools you keep.',
    languages: ['python'],
  },
  check(ctx) {
    const model = ctx.model!;
    const readOnlyScopes = /(gmail\.readonly|\.readonly["']|read_only=True|readonly=True)/.test(ctx.source);
    if (readOnlyScopes) return;
    for (const call of model.calls) {
      if (call.name !== 'get_tools') continue;
      const toolkit = plain(call.receiverType ?? '') || call.flat.replace(/\.get_tools$/, '');
      if (!WRITE_TOOLKIT.test(toolkit)) continue;
      if (filtered(call.node, model.text)) continue;
      // Tools kept by name after the call: `[t for t in tools if t.name in ALLOWED]`.
      const v = call.assignedTo;
      if (v && new RegExp(`for\\s+\\w+\\s+in\\s+${v.replace(/\./g, '\\.')}\\s+if\\b`).test(ctx.source)) continue;
      ctx.report({ node: call.node, message: `Every tool of ${lastSegment(toolkit.replace(/\.from_\w+$/, ''))} goes to the agent, including those that send, post or modify; select only the tools the task needs.` });
    }
  },
};
