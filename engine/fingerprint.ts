import { createHash } from 'node:crypto';

/**
 * Re-indenting or re-wrapping whitespace must not turn a known issue into a new one, so runs of
 * whitespace count as one space and the ends are trimmed.
 */
export function normaliseSnippet(snippet: string): string {
  return snippet.replace(/\s+/g, ' ').trim();
}

/** The same file named from Windows or with a leading `./` is the same file. */
function normalisePath(file: string): string {
  return file.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');
}

/**
 * Stable across line moves: built from what the code says, never where it sits. `occurrence`
 * (0 for the first) tells apart identical snippets of one rule in one file, so baselining one
 * copy does not silence a second copy pasted later. The snippet should already be redacted, so
 * a fingerprint never depends on (or could be used to test guesses of) a secret.
 */
export function fingerprint(input: { rule: string; file: string; snippet: string; occurrence: number }): string {
  // JSON framing keeps the fields apart: no rule/file/snippet split can collide with another.
  const material = JSON.stringify(['agentcop-fp-1', input.rule, normalisePath(input.file), normaliseSnippet(input.snippet), input.occurrence]);
  return createHash('sha256').update(material).digest('hex').slice(0, 32);
}
