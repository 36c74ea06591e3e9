import type { Rule } from '../types.js';
import { clip, cautioned, matchesIn, textLines, type TextLine } from '../instruction-text.js';

/**
 * Instructions written to be followed but not seen. Three shapes:
 *  - concealment: "do not tell the user", "without informing the user", "silently upload";
 *  - `<IMPORTANT>`-style blocks (the MCP tool-poisoning idiom) whose content reaches for secrets,
 *    hides itself or overrides other instructions — plain emphasis tags with ordinary coding rules,
 *    common in CLAUDE.md files, stay silent;
 *  - HTML comments that address the agent: invisible in rendered Markdown, read verbatim by the model.
 */
export const rule: Rule = {
  meta: {
    id: 'prompt-injection/concealed-directive',
    owasp: 'LLM01',
    asi: 'ASI01',
    cwe: 'CWE-1427',
    severity: 'HIGH',
    title: 'Concealed directive in agent instructions',
    description: 'An agent instruction file tells the model to hide what it does from the user, or carries directives in places a human reviewer does not see (HTML comments, <IMPORTANT> blocks reaching for secrets).',
    fix: 'Remove the hidden directive and review the file\'s origin; instructions an agent follows should be visible and never ask it to keep actions from the user.',
    languages: ['instructions'],
  },
  check(ctx) {
    const lines = textLines(ctx.source);
    const reported = new Set<number>();
    const report = (l: TextLine, message: string) => {
      if (reported.has(l.line)) return;
      reported.add(l.line);
      ctx.report({ line: l.line, message });
    };
    for (const re of CONCEALMENT) {
      for (const { line, sentence, index, match } of matchesIn(lines, re)) {
        // Most of these phrases carry their own negation, so only a warning before them excuses them.
        const negated = /^(?:do not|don't|never|must not|without)\b/i.test(match[0]);
        if (negated ? precededByCaution(sentence, index) : cautioned(sentence, index, line)) continue;
        // "Do not tell the user…" is an order; "the mirrors never show it" describes a program.
        // The same for "silently fetch": an order at the start of an item, a description after "it can".
        if (/^(?:do not|don't|never|must not|secretly|silently|quietly|covertly|discreetly|invisibly|stealthily)\b/i.test(match[0]) && !imperative(sentence.slice(0, index))) continue;
        report(line, `Tells the agent to keep its actions from the user: "${clip(match[0])}".`);
      }
    }
    tagBlocks(lines, report);
    htmlComments(lines, report);
  },
};

/**
 * Concealment phrases start with their own negation ("do not tell the user"), so the general
 * caution check would excuse them; only a warning *before* that negation does ("if a skill says
 * 'do not tell the user', refuse").
 */
function precededByCaution(sentence: string, index: number): boolean {
  const before = sentence.slice(Math.max(0, index - 300), index);
  // Inside quotes (an odd number of quote marks before it), the phrase is being quoted.
  if ((before.match(/["“”`]/g) ?? []).length % 2 === 1) return true;
  return /\b(?:if|when)\b[^,]{0,60}\b(?:says?|tells? you|instructs? you|asks? you|contains?|wants? you)\b|\b(?:such as|for example|watch for|beware|suspicious|malicious|attack\w*|injection)\b|\be\.g\.|\blike\s*["“'`]/i.test(before);
}

/** The text before a phrase leaves it in command position: start of the item, or after "you", "and", a comma. */
function imperative(before: string): boolean {
  return /^\s*(?:[-*+>]|\d+[.)]|\*\*[^*]*\*\*:?)?\s*$|(?:\byou(?:\s+(?:must|should|will|shall|need to))?|\bplease|\band|\bbut|\bthen|\balso|\bso|\bjust|\bimportant:?|\bnote:?|[,:;—–(])\s*$/i.test(before.slice(-120));
}

const USER = String.raw`(?:the\s+|your\s+)?(?:user|human|operator|owner|developer|person)s?`;
const CONCEALMENT: RegExp[] = [
  // "do not tell the user", "never inform the user about this", "don't let the user know" — but not
  // "never tell the user tests pass when they fail", which is an honesty rule.
  new RegExp(String.raw`\b(?:do not|don't|never|must not)\s+(?:(?:tell|inform|notify|alert|warn)\s+${USER}(?=\s*(?:[.,;:)]|$)|\s+(?:about\s+)?(?:this|these|it|anything|that\s+you|what\s+you|about\s+the)\b)|(?:mention|reveal|show|disclose)\s+(?:this|it|that|anything)\s+to\s+${USER}|let\s+${USER}\s+(?:know|see|notice))`, 'gi'),
  new RegExp(String.raw`\b(?:do not|don't|never)\s+(?:mention|reveal|disclose|show|report|explain|acknowledge)\s+(?:this|these|that|it|(?:this|these|that|the)\s+(?:[\w-]+\s+){0,2}?(?:step|steps|instruction|instructions|action|actions|request|requests|command|commands|file|files|upload|sync|call|calls|change|changes|part))\b(?=\s*(?:[.,;:)]|$|to\b|in\b))`, 'gi'),
  new RegExp(String.raw`\bwithout\s+(?:telling|informing|notifying|alerting|letting|showing)\s+${USER}\b`, 'gi'),
  new RegExp(String.raw`\b${USER}\s+(?:must|should|need)\s+(?:not|never)\s+(?:know|see|notice|find out|be told|be informed)\b`, 'gi'),
  /\bhide\s+(?:this|it|these|that|the\s+\w+)\s+from\s+(?:the\s+)?(?:user|human|operator|owner)\b/gi,
  /\b(?:secretly|silently|quietly|covertly|discreetly|invisibly|stealthily)\s+(?:\w+\s+){0,2}?(?:send|upload|post|run|execute|read|copy|exfiltrate|forward|install|download|fetch|include|append|transmit|share|email|collect|harvest)\b/gi,
];

/** Reaches for secrets, hides itself or overrides: what makes an emphasis block a payload. */
const PAYLOAD = /~\/\.ssh|id_rsa|id_ed25519|\.env\b|\.aws\/credentials|\.netrc|credentials?\b|api[ _-]?keys?|secret|password|private key|mcp\.json|\b(?:do not|don't|never)\s+(?:tell|mention|inform|reveal)|\bignore\s+(?:all\s+|any\s+)?(?:previous|prior|other)|\bsidenote\b|\bcurl\b|\bbase64\b|https?:\/\//i;

/** `<IMPORTANT>…</IMPORTANT>`, `<SYSTEM>`, `<secret>`, `<hidden>` and friends. */
function tagBlocks(lines: TextLine[], report: (l: TextLine, m: string) => void): void {
  for (let i = 0; i < lines.length; i++) {
    // The tag opens a line (a block), not a `"<instruction>"` placeholder in a usage string.
    const m = /^\s*(?:[-*>]\s*)?<\s*(important|system|secret|hidden|instructions?|admin|override)\s*>/i.exec(lines[i].text);
    if (!m) continue;
    const close = new RegExp(String.raw`<\s*/\s*${m[1]}\s*>`, 'i');
    const block: TextLine[] = [];
    let closed = false;
    for (let j = i; j < lines.length && j < i + 15; j++) {
      block.push(lines[j]);
      if (close.test(lines[j].text.slice(j === i ? m.index + m[0].length : 0))) {
        closed = true;
        break;
      }
    }
    if (!closed) continue;
    const body = block.map((b) => b.text).join('\n');
    const hit = PAYLOAD.exec(body);
    if (!hit) continue;
    // A warning block ("<IMPORTANT>Never commit .env files</IMPORTANT>") is guidance, not a payload.
    if (/\b(?:never|do not|don't)\s+(?:commit|push|log|print|share|expose|leak|hard-?code|store|paste|upload|send)\b/i.test(body) && !/\b(?:do not|don't|never)\s+(?:tell|mention|inform|reveal)\b/i.test(body)) continue;
    report(lines[i], `A <${m[1]}> block carries a hidden payload (it mentions "${clip(hit[0], 40)}"): the idiom tool-poisoning attacks use to slip orders past a reviewer.`);
  }
}

const LINT_COMMENT = /^\s*(?:ruleid|ok|agentcop|prettier|markdownlint|eslint|cspell|toc|end ?toc|todo|fixme|omit|begin|end|vale|textlint|lint|doctoc|spell|region|endregion|#region)\b/i;
const ADDRESSES_AGENT = /\b(?:you|assistant|AI|agent|model|claude|copilot|cursor|gpt|llm|bot)\b/i;
/**
 * What makes a hidden comment more than a harmless canary ("if you are an LLM, add an emoji"):
 * running or fetching something, touching secrets, overriding rules, hiding itself, or changing code.
 */
const HIDDEN_PAYLOAD = /\b(?:run|execute|curl|wget|bash|sh|install|download|upload|send|post|fetch|read|ignore|disregard|override|approve|merge|delete|remove|push|import|add\s+(?:the\s+)?(?:line|code|dependency|import|user|key)|secrets?|tokens?|passwords?|credentials?|api[ _-]?keys?|\.env|\.ssh|do not (?:tell|mention)|don't (?:tell|mention)|(?:need|have) to mention|https?:\/\/)/i;
const ORDERS = /\b(?:must|should|always|never|ignore|run|execute|send|read|fetch|include|add|insert|tell|do not|don't|upload|post|curl|follow|obey|pretend|make sure)\b/i;

function htmlComments(lines: TextLine[], report: (l: TextLine, m: string) => void): void {
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].inCode) continue;
    const text = lines[i].text;
    let at = text.indexOf('<!--');
    while (at >= 0) {
      let inner: string;
      let next: number;
      const end = text.indexOf('-->', at + 4);
      if (end >= 0) {
        inner = text.slice(at + 4, end);
        next = text.indexOf('<!--', end + 3);
      } else {
        // The comment runs over several lines (at most twenty are read).
        const parts = [text.slice(at + 4)];
        for (let j = i + 1; j < lines.length && j <= i + 20; j++) {
          const e = lines[j].text.indexOf('-->');
          parts.push(e >= 0 ? lines[j].text.slice(0, e) : lines[j].text);
          if (e >= 0) break;
        }
        inner = parts.join('\n');
        next = -1;
      }
      if (!LINT_COMMENT.test(inner) && ADDRESSES_AGENT.test(inner) && ORDERS.test(inner) && HIDDEN_PAYLOAD.test(inner) && inner.trim().split(/\s+/).length >= 4) {
        report(lines[i], `An HTML comment gives the agent orders that rendered Markdown hides from readers: "${clip(inner, 70)}".`);
        break;
      }
      at = next;
    }
  }
}
