import { directSource, parsePep508 } from './requirements.js';
import type { Dependency } from './types.js';

/**
 * Dependencies of `[project] dependencies` (PEP 621, PEP 508 strings) and
 * `[tool.poetry.dependencies]` (Poetry constraints), with their lines. A line-oriented reader,
 * not a TOML parser: these two tables have a regular shape in practice, and a finding needs the
 * line of the entry, which TOML parsers do not keep.
 */
export function pyprojectDependencies(source: string): Dependency[] {
  const lines = source.split('\n');
  const out: Dependency[] = [];
  let table = '';
  let inArray = false;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i].replace(/(^|\s)#.*$/, '').trim();
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?$/.exec(text);
    if (header && !inArray) {
      table = header[1].replace(/["']/g, '');
      continue;
    }
    if (table === 'project') {
      if (!inArray) {
        const m = /^dependencies\s*=\s*\[(.*)$/.exec(text);
        if (!m) continue;
        inArray = true;
        scanArrayPart(m[1], i + 1);
      } else scanArrayPart(text, i + 1);
      continue;
    }
    if (table === 'tool.poetry.dependencies') {
      const m = /^["']?([A-Za-z0-9][A-Za-z0-9._-]*)["']?\s*=\s*(.+)$/.exec(text);
      if (!m || m[1].toLowerCase() === 'python') continue;
      const value = m[2].trim();
      const dep: Dependency = { name: m[1], spec: '', line: i + 1, ecosystem: 'PyPI', flavour: 'poetry' };
      const str = /^["']([^"']*)["']/.exec(value);
      if (str) dep.spec = str[1];
      else if (value.startsWith('{')) {
        const version = /\bversion\s*=\s*["']([^"']*)["']/.exec(value);
        if (version) dep.spec = version[1];
        else if (/\bpath\s*=/.test(value)) dep.source = 'path';
        else if (/\bgit\s*=/.test(value)) {
          dep.source = 'git';
          // A `rev` or `tag` names one commit (tags can move, but Poetry locks the commit);
          // a bare git source follows a branch.
          if (/\b(rev|tag)\s*=/.test(value)) dep.commitPinned = true;
        } else if (/\burl\s*=/.test(value)) dep.source = 'url';
      }
      out.push(dep);
    }
  }
  return out;

  function scanArrayPart(part: string, line: number): void {
    for (const m of part.matchAll(/"([^"]*)"|'([^']*)'/g)) {
      const dep = parsePep508(m[1] ?? m[2]);
      if (dep) out.push({ name: dep.name, spec: dep.spec, line, ecosystem: 'PyPI', flavour: 'pep440', ...directSource(dep) });
    }
    if (/\]\s*(,\s*)?$/.test(part.replace(/"[^"]*"|'[^']*'/g, ''))) inArray = false;
  }
}
