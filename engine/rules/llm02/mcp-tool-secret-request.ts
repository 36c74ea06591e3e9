import { JS_LANGUAGES, type Rule } from '../types.js';
import { rule as exfiltrationInstruction } from './exfiltration-instruction.js';
import { detectorHits, toolTexts } from '../llm01/mcp-tool-poisoning.js';

/** Zero-width, bidi and Unicode-tag characters hide words from reviewers, not from the model. */
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;

function visible(text: string): string {
  // Unicode tag characters (U+E0020–U+E007E) spell ASCII the model reads; decode them.
  return text.replace(/\uDB40[\uDC20-\uDC7E]/g, (c) => String.fromCharCode(c.charCodeAt(1) - 0xdc00)).replace(INVISIBLE, '');
}

/**
 * A tool description that asks the agent to read credentials (`~/.ssh`, `.env`, cloud keys) and
 * pass them along in a tool argument turns every connected agent into an exfiltration channel:
 * the server receives the secrets as ordinary tool input. Hidden characters are removed before
 * reading, since the model reads the words they hide.
 */
export const rule: Rule = {
  meta: {
    id: 'sensitive-info/mcp-tool-secret-request',
    owasp: 'LLM02',
    asi: 'ASI04',
    cwe: 'CWE-200',
    severity: 'CRITICAL',
    title: 'Tool description asks the agent for secrets',
    description: 'An MCP tool name or description tells the model to read credentials, keys or private files and send them in a tool call, so every agent that connects leaks them to the server.',
    fix: 'Remove the request from the tool metadata and treat the server as compromised; never install MCP servers whose descriptions ask for files or secrets, and pin reviewed versions.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    const reported = new Set<number>();
    for (const t of toolTexts(model)) {
      for (const hit of detectorHits(ctx, t, [exfiltrationInstruction], visible(t.text))) {
        if (reported.has(hit.line)) continue;
        reported.add(hit.line);
        ctx.report({ node: t.node, line: hit.line, message: `${t.what.charAt(0).toUpperCase() + t.what.slice(1)} asks the agent to hand over secrets: ${hit.message}` });
      }
    }
  },
};
