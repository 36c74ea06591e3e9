/**
 * Inline suppressions (`# agentcop: ignore[RULE or LLMxx] reason`, `//` too) and baseline files.
 * Only comment text is read here, never code, so a quote-aware scan of each line is enough.
 */
export interface Suppression {
  targets: string[] | 'all';
  reason: string;
}

const MARKER = /agentcop:\s*ignore(?:\[([^\]]*)\])?\s*(.*)$/;

/** The comment part of a line, or null: `#` or `//` outside string quotes. */
function commentOf(line: string): { text: string; commentOnly: boolean } | null {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '#' || (ch === '/' && line[i + 1] === '/')) {
      return { text: line.slice(i + (ch === '#' ? 1 : 2)), commentOnly: line.slice(0, i).trim() === '' };
    }
  }
  return null;
}

export function parseSuppressions(source: string): Map<number, Suppression & { commentOnly: boolean }> {
  const out = new Map<number, Suppression & { commentOnly: boolean }>();
  if (!source.includes('agentcop')) return out;
  source.split('\n').forEach((line, i) => {
    if (!line.includes('agentcop')) return;
    const c = commentOf(line);
    if (!c) return;
    const m = MARKER.exec(c.text);
    if (!m) return;
    const targets = m[1] === undefined ? 'all' : m[1].split(',').map((s) => s.trim()).filter(Boolean);
    out.set(i + 1, { targets: targets === 'all' || targets.length === 0 ? 'all' : targets, reason: m[2].trim(), commentOnly: c.commentOnly });
  });
  return out;
}

function matches(s: Suppression, issue: { rule: string; owasp: string }): boolean {
  return s.targets === 'all' || s.targets.some((t) => t === issue.rule || t.toUpperCase() === issue.owasp);
}

/** On the issue's own line, or on a comment-only line just above it. */
export function isSuppressed(
  issue: { rule: string; owasp: string; line: number },
  map: Map<number, Suppression & { commentOnly?: boolean }>,
): { justification: string } | null {
  const same = map.get(issue.line);
  if (same && matches(same, issue)) return { justification: same.reason };
  const above = map.get(issue.line - 1);
  if (above && above.commentOnly !== false && matches(above, issue)) return { justification: above.reason };
  return null;
}

export function readBaseline(text: string): Set<string> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`baseline is not valid JSON: ${(err as Error).message}`);
  }
  const list = Array.isArray(data) ? data : (data as { fingerprints?: unknown })?.fingerprints;
  if (!Array.isArray(list) || !list.every((f) => typeof f === 'string')) {
    throw new Error('baseline must be {"version":1,"fingerprints":[...]} or an array of fingerprint strings');
  }
  return new Set(list as string[]);
}

export function writeBaseline(fingerprints: Iterable<string>): string {
  return JSON.stringify({ version: 1, fingerprints: [...new Set(fingerprints)].sort() }, null, 2) + '\n';
}
