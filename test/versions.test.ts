import { describe, expect, it } from 'vitest';
import { npmDependency, packageJsonDependencies } from '../engine/manifests/package-json.js';
import { pyprojectDependencies } from '../engine/manifests/pyproject.js';
import { requirementsDependencies } from '../engine/manifests/requirements.js';
import type { Dependency } from '../engine/manifests/types.js';
import {
  comparePep440,
  inIntervals,
  intervalsOverlap,
  pep440Intervals,
  rangeAffected,
  readConstraint,
  versionAffected,
  type Constraint,
} from '../engine/manifests/versions.js';

const pypi = (spec: string, flavour: 'pep440' | 'poetry' = 'pep440'): Dependency => ({ name: 'x', spec, line: 1, ecosystem: 'PyPI', flavour });
const npm = (spec: string): Dependency => npmDependency('x', spec, 1);
const range = (c: Constraint) => {
  if (c.kind !== 'range') throw new Error(`not a range: ${JSON.stringify(c)}`);
  return c;
};

describe('PEP 440 ordering', () => {
  it('orders pre, final and post releases', () => {
    const ordered = ['1.0.dev0', '1.0a1', '1.0b2', '1.0rc1', '1.0', '1.0.post1', '1.0.1'];
    for (let i = 1; i < ordered.length; i++) expect(comparePep440(ordered[i - 1], ordered[i])).toBe(-1);
  });

  it('compares release segments as numbers, not strings', () => {
    expect(comparePep440('0.0.36', '0.0.350')).toBe(-1);
    expect(comparePep440('0.0.350', '0.0.36')).toBe(1);
    expect(comparePep440('4.9', '4.36.0')).toBe(-1);
  });

  it('pads release segments with zeros and normalises spellings', () => {
    expect(comparePep440('1.0', '1.0.0')).toBe(0);
    expect(comparePep440('1.0RC1', '1.0rc1')).toBe(0);
    expect(comparePep440('1.0-post1', '1.0.post1')).toBe(0);
  });

  it('puts any epoch above every version of a lower epoch', () => {
    expect(comparePep440('1!0.1', '2025.1')).toBe(1);
    expect(comparePep440('0!3.0', '3.0')).toBe(0);
  });
});

describe('PEP 440 specifier sets as intervals', () => {
  const hit = (spec: string, v: string) => inIntervals(v, pep440Intervals(spec)!);

  it('reads comparison clauses, including pre-releases of the bound', () => {
    expect(hit('<0.0.247', '0.0.246')).toBe(true);
    expect(hit('<0.0.247', '0.0.247')).toBe(false);
    expect(hit('<0.0.247', '0.0.36')).toBe(true);
    expect(hit('<0.0.247', '0.0.350')).toBe(false);
    // A pinned release candidate of the fix is still before the fix.
    expect(hit('<0.8.5', '0.8.5rc1')).toBe(true);
    expect(hit('>=1.0.0,<1.2.5', '1.0.0')).toBe(true);
    expect(hit('>=1.0.0,<1.2.5', '0.3.99')).toBe(false);
    expect(hit('<=1.28.11', '1.28.11')).toBe(true);
    // Post-releases and local versions sort after their release.
    expect(hit('<0.0.15', '0.0.14.post1')).toBe(true);
    expect(hit('<4.36.0', '4.35.2+cu118')).toBe(true);
  });

  it('reads ~= and wildcards the PEP 440 way', () => {
    expect(hit('~=1.4.5', '1.4.9')).toBe(true);
    expect(hit('~=1.4.5', '1.5.0')).toBe(false);
    expect(hit('~=1.4.5', '1.5.0a1')).toBe(false);
    expect(hit('~=2.2', '2.9')).toBe(true);
    expect(hit('~=2.2', '3.0')).toBe(false);
    expect(hit('==1.2.*', '1.2.0rc1')).toBe(true);
    expect(hit('==1.2.*', '1.3')).toBe(false);
    expect(pep440Intervals('~=1')).toBeNull();
  });

  it('keeps epochs in the bounds', () => {
    expect(hit('>=1!0.1', '2025.1')).toBe(false);
    expect(hit('<2', '1!0.1')).toBe(false);
  });

  it('ignores != holes and refuses what it cannot read', () => {
    expect(hit('>=1.0,!=1.5', '1.5')).toBe(true);
    expect(pep440Intervals('>=banana')).toBeNull();
    expect(pep440Intervals('')).toEqual([{}]);
  });

  it('decides overlap of two sets', () => {
    const a = pep440Intervals('>=0.3.84,<1.0')!;
    expect(intervalsOverlap(a, pep440Intervals('<0.3.81')!)).toBe(false);
    expect(intervalsOverlap(a, pep440Intervals('>=1.0.0,<1.2.5')!)).toBe(false);
    expect(intervalsOverlap(pep440Intervals('>=0.3.0')!, pep440Intervals('>=1.0.0,<1.2.5')!)).toBe(true);
    // Touching bounds overlap only when both ends are inclusive.
    expect(intervalsOverlap(pep440Intervals('<=1.0')!, pep440Intervals('>=1.0')!)).toBe(true);
    expect(intervalsOverlap(pep440Intervals('<1.0')!, pep440Intervals('>=1.0')!)).toBe(false);
  });
});

describe('Poetry constraints', () => {
  const hit = (spec: string, v: string) => inIntervals(v, pep440Intervals(spec, true)!);

  it('reads caret and tilde', () => {
    expect(hit('^1.2.3', '1.9.0')).toBe(true);
    expect(hit('^1.2.3', '2.0.0')).toBe(false);
    expect(hit('^0.2.3', '0.2.9')).toBe(true);
    expect(hit('^0.2.3', '0.3.0')).toBe(false);
    expect(hit('^0.0.3', '0.0.4')).toBe(false);
    expect(hit('~1.2.3', '1.2.9')).toBe(true);
    expect(hit('~1.2.3', '1.3.0')).toBe(false);
    expect(hit('~1', '1.9')).toBe(true);
    expect(hit('~1', '2.0')).toBe(false);
  });

  it('reads bare versions, space-separated clauses and alternatives', () => {
    expect(hit('1.2.3', '1.2.3')).toBe(true);
    expect(hit('1.2.3', '1.2.4')).toBe(false);
    expect(hit('>=1.2 <1.5', '1.4')).toBe(true);
    expect(hit('>=1.2 <1.5', '1.5')).toBe(false);
    expect(hit('^1.0 || ^3.0', '3.2')).toBe(true);
    expect(hit('^1.0 || ^3.0', '2.2')).toBe(false);
  });
});

describe('reading a dependency constraint', () => {
  it('tells exact pins from ranges in each format', () => {
    expect(readConstraint(pypi('==0.3.15'))).toEqual({ kind: 'exact', version: '0.3.15' });
    expect(readConstraint(pypi('===4.44.2'))).toEqual({ kind: 'exact', version: '4.44.2' });
    expect(readConstraint(pypi('==0.3.*')).kind).toBe('range');
    expect(readConstraint(pypi('0.14.0', 'poetry'))).toEqual({ kind: 'exact', version: '0.14.0' });
    expect(readConstraint(pypi('^0.80.0', 'poetry')).kind).toBe('range');
    expect(readConstraint(pypi(''))).toEqual({ kind: 'any' });
    expect(readConstraint(pypi('*', 'poetry'))).toEqual({ kind: 'any' });
    expect(readConstraint(npm('4.77.0'))).toEqual({ kind: 'exact', version: '4.77.0' });
    expect(readConstraint(npm('=0.36.3'))).toEqual({ kind: 'exact', version: '0.36.3' });
    expect(readConstraint(npm('v1.2.3'))).toEqual({ kind: 'exact', version: '1.2.3' });
    expect(readConstraint(npm('1.2')).kind).toBe('range');
    expect(readConstraint(npm('^1.2.3')).kind).toBe('range');
    expect(readConstraint(npm('latest'))).toEqual({ kind: 'tag', tag: 'latest' });
    expect(readConstraint(npm('*'))).toEqual({ kind: 'any' });
    expect(readConstraint(npm('github:owner/repo#main'))).toEqual({ kind: 'source', pinned: false });
  });

  it('knows whether a range is bounded', () => {
    expect(range(readConstraint(pypi('>=1.0'))).bounded).toBe(true);
    expect(range(readConstraint(pypi('!=1.0'))).bounded).toBe(false);
    expect(range(readConstraint(npm('>=1.0.0'))).bounded).toBe(true);
    expect(range(readConstraint(npm('<2'))).bounded).toBe(true);
    expect(readConstraint(npm('>=0.0.0'))).toEqual({ kind: 'any' });
    expect(range(readConstraint(npm('<1.0.0 || >=2.0.0'))).bounded).toBe(false);
  });
});

describe('advisory matching', () => {
  it('matches npm versions, prereleases included', () => {
    expect(versionAffected('npm', '1.1.7', ['<0.3.80', '>=1.0.0 <1.1.8'])).toBe(true);
    expect(versionAffected('npm', '1.1.8', ['<0.3.80', '>=1.0.0 <1.1.8'])).toBe(false);
    expect(versionAffected('npm', '0.14.1-beta.0', ['<0.14.1'])).toBe(true);
    expect(versionAffected('npm', '1.0.0-rc.1', ['>=1.0.0 <1.1.8'])).toBe(false);
    expect(versionAffected('npm', '0.0.4', ['>=0.0.5 <0.1.16'])).toBe(false);
  });

  it('matches PyPI versions', () => {
    expect(versionAffected('PyPI', '0.0.350', ['<0.0.353'])).toBe(true);
    expect(versionAffected('PyPI', '0.0.36', ['<0.0.353'])).toBe(true);
    expect(versionAffected('PyPI', '0.1.0', ['<0.0.353'])).toBe(false);
    expect(versionAffected('PyPI', 'not-a-version', ['<1'])).toBe(false);
  });

  it('decides whether a range admits an affected version', () => {
    expect(rangeAffected('npm', range(readConstraint(npm('^1.20.0'))), ['<1.24.0'])).toBe(true);
    expect(rangeAffected('npm', range(readConstraint(npm('^1.24.0'))), ['<1.24.0'])).toBe(false);
    expect(rangeAffected('npm', range(readConstraint(npm('>=1.2.3 <2'))), ['<0.3.37', '>=1.0.0 <1.2.3'])).toBe(false);
    expect(rangeAffected('PyPI', range(readConstraint(pypi('~=1.40.0'))), ['<1.40.16'])).toBe(true);
    expect(rangeAffected('PyPI', range(readConstraint(pypi('>=1.40.16'))), ['<1.40.16'])).toBe(false);
    expect(rangeAffected('PyPI', range(readConstraint(pypi('^4.30', 'poetry'))), ['<4.36.0'])).toBe(true);
  });
});

describe('manifest readers', () => {
  it('puts package.json dependencies on the line of their key, across sections', () => {
    const src = '{\n  "dependencies": {\n    "openai": "4.77.0",\n    "alias": "npm:@langchain/core@^0.3.0"\n  },\n  "peerDependencies": { "ai": "^4" },\n  "scripts": { "openai": "x" }\n}\n';
    const deps = packageJsonDependencies(src);
    expect(deps.map((d) => [d.name, d.spec, d.line, d.section])).toEqual([
      ['openai', '4.77.0', 3, 'dependencies'],
      ['@langchain/core', '^0.3.0', 4, 'dependencies'],
      ['ai', '^4', 6, 'peerDependencies'],
    ]);
    expect(packageJsonDependencies('{ not json')).toEqual([]);
  });

  it('classifies npm sources', () => {
    expect(npm('file:../x').source).toBe('path');
    expect(npm('workspace:*').source).toBe('path');
    expect(npm('owner/repo').source).toBe('git');
    expect(npm('git+https://github.com/o/r.git#0123456789abcdef0123456789abcdef01234567')).toMatchObject({ source: 'git', commitPinned: true });
    expect(npm('git+https://github.com/o/r.git#v1.2.3').commitPinned).toBeUndefined();
    expect(npm('https://example.com/x-1.0.0.tgz').source).toBe('url');
  });

  it('reads requirements files: continuations, hashes, direct references, constraints files', () => {
    const r = requirementsDependencies('# c\nmcp==1.9.3 \\\n  --hash=sha256:abc\npkg @ git+https://github.com/o/r@main\n-c constraints.txt\n');
    expect(r.deferred).toBe(true);
    expect(r.deps.map((d) => [d.name, d.spec, d.line, d.hashed ?? false, d.source ?? null])).toEqual([
      ['mcp', '==1.9.3', 2, true, null],
      ['pkg', '@ git+https://github.com/o/r@main', 4, false, 'git'],
    ]);
  });

  it('reads PEP 621 arrays and Poetry tables', () => {
    const deps = pyprojectDependencies('[project]\ndependencies = [\n  "a==1",\n  "b>=2",\n]\n[tool.poetry.dependencies]\npython = "^3.11"\nc = "^1.0"\nd = { git = "https://x/d.git", rev = "abc" }\n');
    expect(deps.map((d) => [d.name, d.spec, d.line, d.flavour])).toEqual([
      ['a', '==1', 3, 'pep440'],
      ['b', '>=2', 4, 'pep440'],
      ['c', '^1.0', 8, 'poetry'],
      ['d', '', 9, 'poetry'],
    ]);
    expect(deps[3]).toMatchObject({ source: 'git', commitPinned: true });
  });
});
