import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadGrammar, parse, walkOrder, walkOrderByOwner, type AstNode, type ParsedFile } from '../engine/parse/index.js';

// The postorder index lets analyses skip whole-tree walks; these check it finds exactly what the
// walk it replaces finds, in the same order, on real parses (the rule fixtures and hostile shapes).
const fixtures = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures', 'rules');
const sources = readdirSync(fixtures, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.py'))
  .map((f) => readFileSync(path.join(fixtures, f), 'utf8'));

const TYPE_SETS = [['assignment', 'pair', 'keyword_argument'], ['call', 'dictionary'], ['for_statement'], ['module'], ['ERROR', 'identifier']];

function byWalk(file: ParsedFile, types: string[], limit = Infinity): AstNode[] {
  const out: AstNode[] = [];
  const stack = [file.root];
  let guard = 0;
  while (stack.length && guard++ < limit) {
    const n = stack.pop()!;
    if (types.includes(n.type)) out.push(n);
    for (const c of n.children) if (c.named) stack.push(c);
  }
  return out;
}

describe('postorder index', () => {
  beforeAll(() => loadGrammar('python'));

  it('finds the nodes a stack walk finds, in its order, within its guard', () => {
    expect(sources.length).toBeGreaterThan(10);
    const hostile = ['def f(:\n  x = [1,\n' + '('.repeat(5000), 'x = ' + '['.repeat(5000) + ']'.repeat(5000), 'a = {"k": f(x=1) for y in z}; ' + 'b = 1;'.repeat(20000)];
    for (const src of [...sources, ...hostile]) {
      const file = parse('python', src, 10_000);
      expect(file.postorder).toBeDefined();
      for (const types of TYPE_SETS) {
        for (const limit of [Infinity, 500, 3]) expect(walkOrder(file, types, limit)).toEqual(byWalk(file, types, limit));
      }
    }
  });

  it('groups nodes under their nearest function or class, as a walk of one body that skips nested ones does', () => {
    const file = parse('python', 'for a in x:\n  pass\ndef f():\n  for b in y:\n    def g():\n      for c in z: pass\n  class K:\n    for d in w: pass\n');
    const groups = walkOrderByOwner(file, ['for_statement'], ['function_definition', 'class_definition']);
    const loopsOf = (owner: AstNode) => (groups.get(owner) ?? []).map((n) => file.source.slice(n.startIndex, n.startIndex + 9));
    const defs = byWalk(file, ['function_definition', 'class_definition']);
    const byName = (name: string) => defs.find((d) => file.source.slice(d.startIndex, d.endIndex).match(/^(def|class) (\w+)/)![2] === name)!;
    expect(loopsOf(file.root)).toEqual(['for a in ']);
    expect(loopsOf(byName('f'))).toEqual(['for b in ']);
    expect(loopsOf(byName('g'))).toEqual(['for c in ']);
    expect(loopsOf(byName('K'))).toEqual(['for d in ']);
  });
});
