/**
 * Version constraints of the three manifest formats, read into one question each rule can ask:
 * is this an exact pin, and which versions can it install?
 *
 * Comparison is delegated to libraries that implement the registries' own rules, pinned exactly:
 * `semver` (the parser npm itself uses) for npm, and `@renovatebot/pep440` (a port of Python
 * `packaging`) for PEP 440 ordering: epochs, `1.0.dev0 < 1.0a1 < 1.0rc1 < 1.0 < 1.0.post1`,
 * release segments compared as numbers with zero padding (`0.0.36 < 0.0.350`, `1.0 == 1.0.0`).
 * What no library offers is "do these two specifier sets overlap", which the advisory rule needs
 * for ranges, so PEP 440 and Poetry constraints are turned into intervals here.
 */
import { compare as pepCompare, explain as pepExplain, valid as pepValid } from '@renovatebot/pep440';
import semver from 'semver';
import type { Dependency, Ecosystem } from './types.js';

export interface Bound {
  version: string;
  inclusive: boolean;
}

/** A contiguous set of versions; a missing end is unbounded. */
export interface Interval {
  lo?: Bound;
  hi?: Bound;
}

export type Constraint =
  /** Exactly one version can be installed. */
  | { kind: 'exact'; version: string }
  /** Registry versions within a range. `intervals` is absent for npm, whose ranges semver reads itself. */
  | { kind: 'range'; spec: string; intervals?: Interval[]; bounded: boolean }
  /** No constraint at all (`''`, `*`). */
  | { kind: 'any' }
  /** A dist-tag such as `latest` or `next`: whatever the registry points it at today. */
  | { kind: 'tag'; tag: string }
  /** Not from the registry by version: URL, git, local path. */
  | { kind: 'source'; pinned: boolean }
  /** Written in a way we cannot read; callers must not guess. */
  | { kind: 'unknown' };

// ---- PEP 440 ------------------------------------------------------------------------------------

/** -1, 0 or 1 (the library returns any sign-bearing number). */
export function comparePep440(a: string, b: string): number {
  return Math.sign(pepCompare(a, b));
}

export function isPep440Version(v: string): boolean {
  return pepValid(v) !== null;
}

/** `epoch!` prefix for building boundary versions, '' for the default epoch. */
function epochPrefix(v: string): string {
  const e = pepExplain(v)?.epoch ?? 0;
  return e ? `${e}!` : '';
}

/**
 * The first version past every release that starts with `prefix` (release numbers): for `[1, 2]`
 * that is `1.3.dev0`, the lowest version PEP 440 orders after all of `1.2.*`, pre-releases included.
 */
function afterPrefix(epoch: string, prefix: number[]): string {
  const bumped = [...prefix.slice(0, -1), prefix[prefix.length - 1] + 1];
  return `${epoch}${bumped.join('.')}.dev0`;
}

function release(v: string): number[] | null {
  return pepExplain(v)?.release ?? null;
}

const CLAUSE = /^(~=|===|==|!=|<=|>=|<|>|\^|~|=)?\s*(\S+)$/;

/**
 * One comparison clause as an interval; `null` for a clause that cannot be read (invalid
 * version), `undefined` for one that does not narrow the set (`!=`, `*`).
 */
function clauseInterval(op: string, v: string, poetry: boolean): Interval | null | undefined {
  if (v === '*' && (op === '' || op === '==')) return undefined;
  if (op === '!=') return isPep440Version(v.replace(/\.\*$/, '')) ? undefined : null;
  if (op === '===') return { lo: { version: v, inclusive: true }, hi: { version: v, inclusive: true } };
  const wildcard = /^(.*)\.\*$/.exec(v);
  if (wildcard) {
    // `==1.2.*` (and Poetry's bare `1.2.*`): every release that starts with 1.2.
    if (op !== '==' && !(poetry && op === '')) return null;
    const r = release(wildcard[1]);
    if (!r || !isPep440Version(wildcard[1])) return null;
    const e = epochPrefix(wildcard[1]);
    return { lo: { version: `${e}${r.join('.')}.dev0`, inclusive: true }, hi: { version: afterPrefix(e, r), inclusive: false } };
  }
  if (!isPep440Version(v)) return null;
  const e = epochPrefix(v);
  const r = release(v)!;
  switch (op) {
    case '':
    case '==':
    case '=':
      if (op === '' && !poetry) return null;
      return { lo: { version: v, inclusive: true }, hi: { version: v, inclusive: true } };
    case '>=':
      return { lo: { version: v, inclusive: true } };
    case '>':
      return { lo: { version: v, inclusive: false } };
    case '<=':
      return { hi: { version: v, inclusive: true } };
    case '<':
      return { hi: { version: v, inclusive: false } };
    case '~=':
      // `~=1.4.5` is `>=1.4.5, ==1.4.*`; it needs at least two release segments.
      if (r.length < 2) return null;
      return { lo: { version: v, inclusive: true }, hi: { version: afterPrefix(e, r.slice(0, -1)), inclusive: false } };
    case '^': {
      if (!poetry) return null;
      // Poetry caret: the first non-zero segment may not change (`^0.2.3` is `<0.3`, `^1.2` is `<2`).
      let i = r.findIndex((n) => n !== 0);
      if (i < 0) i = r.length - 1;
      return { lo: { version: v, inclusive: true }, hi: { version: afterPrefix(e, r.slice(0, i + 1)), inclusive: false } };
    }
    case '~':
      if (!poetry) return null;
      // Poetry tilde: `~1.2.3` and `~1.2` are `<1.3`, `~1` is `<2`.
      return { lo: { version: v, inclusive: true }, hi: { version: afterPrefix(e, r.slice(0, Math.min(2, r.length))), inclusive: false } };
  }
  return null;
}

/** The larger lower bound; on a tie the exclusive one, which admits less. */
function maxLo(a: Bound | undefined, b: Bound | undefined): Bound | undefined {
  if (!a) return b;
  if (!b) return a;
  const c = comparePep440(a.version, b.version);
  return c > 0 ? a : c < 0 ? b : { version: a.version, inclusive: a.inclusive && b.inclusive };
}

function minHi(a: Bound | undefined, b: Bound | undefined): Bound | undefined {
  if (!a) return b;
  if (!b) return a;
  const c = comparePep440(a.version, b.version);
  return c < 0 ? a : c > 0 ? b : { version: a.version, inclusive: a.inclusive && b.inclusive };
}

function nonEmpty(iv: Interval): boolean {
  if (!iv.lo || !iv.hi) return true;
  const c = comparePep440(iv.lo.version, iv.hi.version);
  return c < 0 || (c === 0 && iv.lo.inclusive && iv.hi.inclusive);
}

/**
 * A PEP 440 specifier set (`>=0.2,<0.3,!=0.2.5`) or a Poetry constraint (also `^`, `~`, bare
 * versions, space-separated clauses and `||` alternatives) as a union of intervals. `!=` clauses
 * are ignored: they punch holes, and a hole never makes two sets stop overlapping in practice.
 * Returns null when any clause cannot be read.
 */
export function pep440Intervals(spec: string, poetry = false): Interval[] | null {
  const alternatives = poetry ? spec.split(/\s*\|\|?\s*/) : [spec];
  const out: Interval[] = [];
  for (const alt of alternatives) {
    // Clauses are comma-separated; Poetry also accepts spaces (`>=1.2 <1.5`).
    const clauses = alt
      .split(poetry ? /\s*,\s*|\s+(?=[<>=!~^])/ : /\s*,\s*/)
      .map((c) => c.trim())
      .filter(Boolean);
    let acc: Interval = {};
    for (const clause of clauses) {
      const m = CLAUSE.exec(clause.replace(/^(~=|===|==|!=|<=|>=|<|>|\^|~|=)\s+/, '$1'));
      if (!m) return null;
      const iv = clauseInterval(m[1] ?? '', m[2], poetry);
      if (iv === null) return null;
      if (iv) acc = { lo: maxLo(acc.lo, iv.lo), hi: minHi(acc.hi, iv.hi) };
    }
    if (nonEmpty(acc)) out.push(acc);
  }
  return out;
}

export function inIntervals(version: string, intervals: Interval[]): boolean {
  return intervals.some((iv) => nonEmpty({ lo: maxLo(iv.lo, { version, inclusive: true }), hi: minHi(iv.hi, { version, inclusive: true }) }));
}

export function intervalsOverlap(a: Interval[], b: Interval[]): boolean {
  return a.some((x) => b.some((y) => nonEmpty({ lo: maxLo(x.lo, y.lo), hi: minHi(x.hi, y.hi) })));
}

// ---- Reading a dependency -----------------------------------------------------------------------

/** What a dependency's constraint allows, in its own format's grammar. */
export function readConstraint(dep: Dependency): Constraint {
  if (dep.source) return { kind: 'source', pinned: Boolean(dep.commitPinned) };
  const spec = dep.spec.trim();
  if (dep.flavour === 'npm') return readNpm(spec);
  if (spec === '' || spec === '*') return { kind: 'any' };
  const poetry = dep.flavour === 'poetry';
  const exact = poetry ? /^(?:==?\s*)?([^\s,<>=!~^|*]+)$/.exec(spec) : /^(?:===?)\s*([^\s,*]+)$/.exec(spec);
  if (exact && (isPep440Version(exact[1]) || spec.startsWith('==='))) return { kind: 'exact', version: exact[1] };
  const intervals = pep440Intervals(spec, poetry);
  if (!intervals) return { kind: 'unknown' };
  return { kind: 'range', spec, intervals, bounded: intervals.every((iv) => iv.lo || iv.hi) };
}

function readNpm(spec: string): Constraint {
  if (spec === '' || spec === '*' || spec.toLowerCase() === 'x') return { kind: 'any' };
  const exact = semver.valid(semver.clean(spec) ?? '');
  if (exact && /^[=v\s]*\d/.test(spec)) return { kind: 'exact', version: exact };
  const range = semver.validRange(spec);
  if (range === null) {
    // Anything else npm accepts by name is a dist-tag (`latest`, `next`, `beta`).
    return /^[a-z][\w.-]*$/i.test(spec) ? { kind: 'tag', tag: spec } : { kind: 'unknown' };
  }
  if (range === '*') return { kind: 'any' };
  // Bounded: it excludes some low versions, or some high ones.
  const bounded = !semver.satisfies('0.0.0', range) || semver.gtr('999999.0.0', range);
  return { kind: 'range', spec, bounded };
}

// ---- Advisory ranges ----------------------------------------------------------------------------

/**
 * Whether `version` is inside any of `affected` (each an npm range or a PEP 440 specifier set).
 * Pre-releases count: a pinned `1.0.0-rc.1` inside `<1.0.0` is exactly as vulnerable as it looks,
 * even though range matching for installation would skip it.
 */
export function versionAffected(ecosystem: Ecosystem, version: string, affected: readonly string[]): boolean {
  if (ecosystem === 'npm') return affected.some((r) => semver.satisfies(version, r, { includePrerelease: true }));
  if (!isPep440Version(version)) return false;
  return affected.some((r) => {
    const iv = pep440Intervals(r);
    return iv !== null && inIntervals(version, iv);
  });
}

/** Whether a range constraint admits at least one version inside `affected`. */
export function rangeAffected(ecosystem: Ecosystem, constraint: Extract<Constraint, { kind: 'range' }>, affected: readonly string[]): boolean {
  if (ecosystem === 'npm') return affected.some((r) => semver.intersects(constraint.spec, r, { includePrerelease: true }));
  const mine = constraint.intervals;
  if (!mine) return false;
  return affected.some((r) => {
    const iv = pep440Intervals(r);
    return iv !== null && intervalsOverlap(mine, iv);
  });
}

/** The lowest version a range admits, when it has a lower bound: the version to judge it by. */
export function rangeFloor(ecosystem: Ecosystem, constraint: Extract<Constraint, { kind: 'range' }>): string | undefined {
  if (ecosystem === 'npm') return semver.minVersion(constraint.spec)?.version;
  const los = (constraint.intervals ?? []).map((iv) => iv.lo?.version);
  if (los.some((v) => v === undefined)) return undefined;
  return (los as string[]).sort(comparePep440)[0];
}

export function compareVersions(ecosystem: Ecosystem, a: string, b: string): number {
  return ecosystem === 'npm' ? semver.compare(a, b) : comparePep440(a, b);
}

export function isValidVersion(ecosystem: Ecosystem, v: string): boolean {
  return ecosystem === 'npm' ? semver.valid(v) === v : isPep440Version(v);
}
