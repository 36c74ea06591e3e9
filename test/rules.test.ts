/**
 * One runner for every rule fixture. Expectations sit in the fixtures as comments, Semgrep-style:
 *   `# ruleid: <rule-id>` — the next code line must produce that rule;
 *   `# ok: <rule-id>`     — the next code line must not.
 * Formats that cannot hold comments (package.json, strict JSON configs) keep them in a sidecar,
 * `<fixture>.expect`, one per line with an explicit line number:
 *   `ruleid: <rule-id>[, <rule-id>…] @ <line>` and `ok: <rule-id> @ <line>` (`#` starts a comment).
 * Both kinds may be used for one fixture. Every finding in a fixture must be expected, so a fixture
 * also guards every other rule's precision.
 *
 * JS/TS fixtures use `// ruleid:` lines, and JSX comment blocks (`{/* ruleid: …`) inside markup.
 * JSONC configs (`.vscode/mcp.json`, `.mcp.json`, `.claude/settings.json`; the scanner's JSON parser
 * accepts comments, as those clients do) use `// ruleid:` lines; Markdown instruction files use
 * `<!-- ruleid: <rule-id> -->`. A fixture is scanned under its file name, keeping a dot-folder
 * parent (`x/.claude/settings.json` is scanned as `.claude/settings.json`) because the file type
 * depends on it. `fixture-framework: <name>` in a comment passes that framework hint to the scan.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scan } from '../engine/index.js';
import { allRules } from '../engine/rules/index.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'rules');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

interface Expectation {
  rule: string;
  line: number;
  kind: 'ruleid' | 'ok';
}

/** Annotations apply to the next line that is not itself an annotation or blank. */
function expectations(text: string): Expectation[] {
  const lines = text.split('\n');
  const out: Expectation[] = [];
  lines.forEach((l, i) => {
    const m = /(?:#|\/\/|\/\*|<!--)\s*(ruleid|ok):\s*([\w./-]+(?:\s*,\s*[\w./-]+)*)/.exec(l);
    if (!m) return;
    let target = i + 1;
    while (target < lines.length && (/^\s*(#|\/\/|\{?\/\*|<!--)\s*(ruleid|ok):/.test(lines[target]) || !lines[target].trim())) target++;
    for (const rule of m[2].split(',').map((s) => s.trim())) out.push({ rule, line: target + 1, kind: m[1] as 'ruleid' | 'ok' });
  });
  return out;
}

/** Sidecar expectations: `ruleid: <rule>[, <rule>…] @ <line>` / `ok: … @ <line>`. */
function sidecarExpectations(text: string): Expectation[] {
  const out: Expectation[] = [];
  text.split('\n').forEach((raw, i) => {
    const l = raw.replace(/#.*$/, '').trim();
    if (!l) return;
    const m = /^(ruleid|ok):\s*([\w./-]+(?:\s*,\s*[\w./-]+)*)\s*@\s*(\d+)$/.exec(l);
    if (!m) throw new Error(`bad expectation on line ${i + 1}: ${raw}`);
    for (const rule of m[2].split(',').map((r) => r.trim())) out.push({ rule, line: Number(m[3]), kind: m[1] as 'ruleid' | 'ok' });
  });
  return out;
}

/** Notebook fixtures keep annotations inside cell source strings; the line is the JSON line. */
function notebookExpectations(text: string): Expectation[] {
  return expectations(text.replace(/^\s*"(#[^"\\]*)(\\n)?",?\s*$/gm, '$1'));
}

const SIDECAR = '.expect';
const everyFile = walk(root);
const files = everyFile.filter((f) => !f.endsWith(SIDECAR));

describe('rule fixtures', () => {
  it('every rule has a positive and a negative fixture', () => {
    const all = everyFile.map((f) => readFileSync(f, 'utf8')).join('\n');
    const missing = allRules()
      .map((r) => r.meta.id)
      .filter((id) => !all.includes(`ruleid: ${id}`) || !all.includes(`ok: ${id}`));
    expect(missing).toEqual([]);
  });

  it('every sidecar belongs to a fixture', () => {
    const orphans = everyFile.filter((f) => f.endsWith(SIDECAR) && !existsSync(f.slice(0, -SIDECAR.length)));
    expect(orphans).toEqual([]);
  });

  for (const file of files) {
    const rel = path.relative(root, file);
    it(rel, async () => {
      const text = readFileSync(file, 'utf8');
      const exp = file.endsWith('.ipynb') ? notebookExpectations(text) : expectations(text);
      if (existsSync(file + SIDECAR)) exp.push(...sidecarExpectations(readFileSync(file + SIDECAR, 'utf8')));
      const parent = path.basename(path.dirname(file));
      const scanPath = parent.startsWith('.') ? `${parent}/${path.basename(file)}` : path.basename(file);
      const framework = /(?:#|\/\/|<!--)\s*fixture-framework:\s*([\w-]+)/.exec(text)?.[1];
      const result = await scan([{ path: scanPath, content: text }], framework ? { framework } : {});
      const found = result.issues.map((i) => `${i.rule}@${i.line}`);
      const wanted = exp.filter((e) => e.kind === 'ruleid').map((e) => `${e.rule}@${e.line}`);
      const forbidden = exp.filter((e) => e.kind === 'ok').map((e) => `${e.rule}@${e.line}`);
      expect({ missing: wanted.filter((w) => !found.includes(w)) }).toEqual({ missing: [] });
      expect({ unexpected: found.filter((f) => !wanted.includes(f)) }).toEqual({ unexpected: [] });
      expect({ forbiddenHit: forbidden.filter((f) => found.includes(f)) }).toEqual({ forbiddenHit: [] });
    });
  }
});
