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
 * What a PEP 508 direct reference (`name @ url`) installs from: a VCS URL (`git+…@ref`) is pinned
 * only by a full commit hash; anything else is a plain URL.
 */
export function directSource(dep: { spec: string; url: boolean }): Pick<Dependency, 'source' | 'commitPinned'> {
  if (!dep.url) return {};
  const url = dep.spec.replace(/^@\s*/, '');
  if (!/^git\+/.test(url)) return { source: 'url' };
  return /@[0-9a-f]{40}(#.*)?$/i.test(url) ? { source: 'git', commitPinned: true } : { source: 'git' };
}

/**
 * Dependencies of a pip requirements file, with the line each starts on. `deferred` is set when
 * the file names a constraints file (`-c`): the real pins live there, so a range written here says
 * little about what gets installed.
 */
export function requirementsDependencies(source: string): { deps: Dependency[]; deferred: boolean } {
  const lines = source.split('\n');
  const out: Dependency[] = [];
  let deferred = false;
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i];
    while (/\\\s*$/.test(logical) && i + 1 < lines.length) logical = logical.replace(/\\\s*$/, ' ') + lines[++i];
    const text = logical.replace(/(^|\s)#.*$/, '').trim();
    if (!text) continue;
    if (/^(-c|--constraint)\b/.test(text)) {
      deferred = true;
      continue;
    }
    // A bare VCS requirement (`git+https://host/org/repo.git@main#egg=name`, optionally editable):
    // what it installs is whatever that ref points at.
    const vcs = /^(?:(?:-e|--editable)\s+)?(git\+\S+)$/.exec(text);
    if (vcs) {
      const url = vcs[1];
      const name = /#egg=([\w.-]+)/.exec(url)?.[1] ?? /\/([\w.-]+?)(?:\.git)?(?:@[^/#]*)?(?:#.*)?$/.exec(url)?.[1];
      if (name) out.push({ name, spec: `@ ${url}`, line: start + 1, ecosystem: 'PyPI', flavour: 'pep440', ...directSource({ spec: `@ ${url.replace(/#.*$/, '')}`, url: true }) });
      continue;
    }
    // Options (-r, -e, --index-url, …) and bare URLs or paths name no registry version.
    if (text.startsWith('-') || /^(git\+|https?:|file:|\.{0,2}\/)/.test(text)) continue;
    const hashed = /--hash[=\s]/.test(text);
    const dep = parsePep508(text.replace(/\s--\S+(=\S+)?/g, ''));
    if (!dep) continue;
    out.push({ name: dep.name, spec: dep.spec, line: start + 1, ecosystem: 'PyPI', flavour: 'pep440', ...directSource(dep), ...(hashed ? { hashed } : {}) });
  }
  return { deps: out, deferred };
}
