/**
 * One runner for every rule fixture. Expectations sit in the fixtures as comments, Semgrep-style:
 *   `# ruleid: <rule-id>` — the next code line must produce that rule;
 *   `# ok: <rule-id>`     — the next code line must not.
 * Every finding in a fixture must be expected, so a fixture also guards every other rule's precision.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
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
    const m = /(?:#|\/\/)\s*(ruleid|ok):\s*([\w./-]+(?:\s*,\s*[\w./-]+)*)/.exec(l);
    if (!m) return;
    let target = i + 1;
    while (target < lines.length && (/^\s*(#|\/\/)\s*(ruleid|ok):/.test(lines[target]) || !lines[target].trim())) target++;
    for (const rule of m[2].split(',').map((s) => s.trim())) out.push({ rule, line: target + 1, kind: m[1] as 'ruleid' | 'ok' });
  });
  return out;
}

/** Notebook fixtures keep annotations inside cell source strings; the line is the JSON line. */
function notebookExpectations(text: string): Expectation[] {
  return expectations(text.replace(/^\s*"(#[^"\\]*)(\\n)?",?\s*$/gm, '$1'));
}

const files = walk(root);

describe('rule fixtures', () => {
  it('every rule has a positive and a negative fixture', () => {
    const all = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    const missing = allRules()
      .map((r) => r.meta.id)
      .filter((id) => !all.includes(`ruleid: ${id}`) || !all.includes(`ok: ${id}`));
    expect(missing).toEqual([]);
  });

  for (const file of files) {
    const rel = path.relative(root, file);
    it(rel, async () => {
      const text = readFileSync(file, 'utf8');
      const exp = file.endsWith('.ipynb') ? notebookExpectations(text) : expectations(text);
      const result = await scan([{ path: path.basename(file), content: text }]);
      const found = result.issues.map((i) => `${i.rule}@${i.line}`);
      const wanted = exp.filter((e) => e.kind === 'ruleid').map((e) => `${e.rule}@${e.line}`);
      const forbidden = exp.filter((e) => e.kind === 'ok').map((e) => `${e.rule}@${e.line}`);
      expect({ missing: wanted.filter((w) => !found.includes(w)) }).toEqual({ missing: [] });
      expect({ unexpected: found.filter((f) => !wanted.includes(f)) }).toEqual({ unexpected: [] });
      expect({ forbiddenHit: forbidden.filter((f) => found.includes(f)) }).toEqual({ forbiddenHit: [] });
    });
  }
});
