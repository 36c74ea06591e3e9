import { createHash } from 'node:crypto';

export function normaliseSnippet(snippet: string): string {
  return snippet.replace(/\s+/g, ' ').trim();
}

/**
 * Stable across line moves: built from what the code says, not where it sits. The occurrence index
 * tells apart identical snippets in one file.
 */
export function fingerprint(input: { rule: string; file: string; snippet: string; occurrence: number }): string {
  return createHash('sha256')
    .update(`${input.rule}\0${input.file}\0${normaliseSnippet(input.snippet)}\0${input.occurrence}`)
    .digest('hex')
    .slice(0, 32);
}
