import type { Dependency } from './types.js';

/**
 * `name[extras] spec ; marker`, or `name @ url` (PEP 508). Returns the constraint with markers and
 * the optional parentheses of old-style specs stripped.
 */
export function parsePep508(text: string): { name: string; spec: string; url: boolean } | null {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$/.exec(text);
  if (!m) return null;
  let rest = m[3].split(';')[0].trim();
  if (rest.startsWith('@')) return { name: m[1], spec: rest, url: true };
  rest = rest.replace(/^\(|\)$/g, '').trim();
  return { name: m[1], spec: rest, url: false };
}

/**
 * Dependencies of a pip requirements file, with the line each starts on. Returns null when the
 * file defers versions to a constraints file (`-c`): the pins live elsewhere, so judging the
 * ranges here would be wrong.
 */
export function requirementsDependencies(source: string): Dependency[] | null {
  const lines = source.split('\n');
  const out: Dependency[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i];
    while (/\\\s*$/.test(logical) && i + 1 < lines.length) logical = logical.replace(/\\\s*$/, ' ') + lines[++i];
    const text = logical.replace(/(^|\s)#.*$/, '').trim();
    if (!text) continue;
    if (/^(-c|--constraint)\b/.test(text)) return null;
    // Options (-r, -e, --index-url, …) and bare URLs or paths name no registry version.
    if (text.startsWith('-') || /^(git\+|https?:|file:|\.{0,2}\/)/.test(text)) continue;
    const hashed = /--hash[=\s]/.test(text);
    const dep = parsePep508(text.replace(/\s--\S+(=\S+)?/g, ''));
    if (!dep) continue;
    out.push({
      name: dep.name,
      spec: dep.spec,
      line: start + 1,
      ecosystem: 'PyPI',
      flavour: 'pep440',
      ...(dep.url ? { source: 'url' as const } : {}),
      ...(hashed ? { hashed } : {}),
    });
  }
  return out;
}
