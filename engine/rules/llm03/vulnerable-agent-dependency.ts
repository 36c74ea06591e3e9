import { advisoriesFor, type Advisory } from '../../manifests/advisories.js';
import { isManifestLanguage, manifestDependencies, type Dependency, type Ecosystem } from '../../manifests/index.js';
import { compareVersions, rangeAffected, rangeFloor, readConstraint, versionAffected } from '../../manifests/versions.js';
import type { Severity } from '../../types.js';
import { SEVERITIES } from '../../types.js';
import type { Rule, RuleContext } from '../types.js';

/**
 * Agent frameworks with published vulnerabilities (code execution through PALChain and
 * LLMMathChain, deserialisation of checkpoints and serialised chains, MCP servers open to DNS
 * rebinding, command injection in MCP clients, …), matched against the advisory table shipped in
 * engine/data/advisories.json.
 *
 * Two confidences:
 * - an exact pin inside an affected range installs the vulnerable release: the advisory's own
 *   severity (the highest, when several apply);
 * - a range that admits affected releases may or may not install one (the resolver usually picks
 *   the newest, a lockfile may hold an old one): reported one severity step lower, as
 *   "allows vulnerable versions". Ranges with no bound at all are left to
 *   unpinned-agent-dependency, which already says the version is unknown, and so are ranges a
 *   requirements file defers to a constraints file and npm peer ranges.
 */
const MAX_LISTED = 4;

function worst(advisories: readonly Advisory[]): Severity {
  return SEVERITIES[Math.min(...advisories.map((a) => SEVERITIES.indexOf(a.severity)))];
}

function oneStepLower(s: Severity): Severity {
  return s === 'CRITICAL' ? 'HIGH' : s === 'HIGH' ? 'MEDIUM' : 'LOW';
}

/**
 * The first release at or above `from` that no known advisory for the package covers: step past
 * each affected range that contains the candidate to that range's fix, until none does. Advice to
 * upgrade to a version that another advisory also covers would be no advice at all.
 */
export function firstSafeVersion(ecosystem: Ecosystem, from: string, advisories: readonly Advisory[]): string | undefined {
  let candidate = from;
  for (let guard = 0; guard < 64; guard++) {
    const hit = advisories.find((a) => versionAffected(ecosystem, candidate, a.affected));
    if (!hit) return candidate === from ? undefined : candidate;
    const next = hit.fixed.filter((f) => compareVersions(ecosystem, f, candidate) > 0).sort((x, y) => compareVersions(ecosystem, x, y))[0];
    if (!next) return undefined;
    candidate = next;
  }
  return undefined;
}

function listed(advisories: readonly Advisory[]): string {
  const shown = [...advisories]
    .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity))
    .slice(0, MAX_LISTED)
    .map((a) => `${a.id} (${a.severity}, fixed in ${a.fixed.join(' / ')})`);
  const more = advisories.length - shown.length;
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
}

function checkDependency(ctx: RuleContext, dep: Dependency, deferred: boolean): void {
  const known = advisoriesFor(dep.ecosystem, dep.name);
  if (!known.length) return;
  const c = readConstraint(dep);
  if (c.kind === 'exact') {
    const hits = known.filter((a) => versionAffected(dep.ecosystem, c.version, a.affected));
    if (!hits.length) return;
    const target = firstSafeVersion(dep.ecosystem, c.version, known);
    ctx.report({
      line: dep.line,
      column: dep.column,
      severity: worst(hits),
      message:
        `${dep.name} ${c.version} has ${hits.length === 1 ? 'a known vulnerability' : `${hits.length} known vulnerabilities`}: ${listed(hits)}.` +
        (target ? ` Upgrade to ${target} or later.` : ' Upgrade to a fixed release.'),
    });
    return;
  }
  // A constraints file decides the installed version; the range written here is not the answer.
  // A peer range states compatibility, not a choice: the application's own entry (and its
  // lockfile) picks the version, and that entry is checked where it is declared.
  if (c.kind !== 'range' || !c.bounded || deferred || dep.section === 'peerDependencies') return;
  const hits = known.filter((a) => rangeAffected(dep.ecosystem, c, a.affected));
  if (!hits.length) return;
  const floor = rangeFloor(dep.ecosystem, c);
  const target = floor ? firstSafeVersion(dep.ecosystem, floor, known) : undefined;
  ctx.report({
    line: dep.line,
    column: dep.column,
    severity: oneStepLower(worst(hits)),
    message:
      `${dep.name} "${dep.spec}" allows vulnerable versions: ${listed(hits)}.` +
      (target ? ` Require at least ${target}, or pin a fixed release.` : ' Narrow the range to fixed releases, or pin one.'),
  });
}

export const rule: Rule = {
  meta: {
    id: 'supply-chain/vulnerable-agent-dependency',
    owasp: 'LLM03',
    asi: 'ASI04',
    cwe: 'CWE-1395',
    severity: 'HIGH',
    title: 'Agent framework dependency with known vulnerabilities',
    description: 'A manifest pins, or allows, a release of an agent or LLM framework with a published vulnerability (CVE or GitHub advisory), such as code execution through chains, unsafe deserialisation or MCP transport flaws.',
    fix: 'Upgrade to the fixed release named in the finding (or later), pin it exactly, and regenerate the lockfile; read the advisory for workarounds if you cannot upgrade yet.',
    languages: ['requirements', 'pyproject', 'package-json'],
  },
  check(ctx: RuleContext) {
    if (!isManifestLanguage(ctx.language)) return;
    const { deps, deferred } = manifestDependencies(ctx.language, ctx.source, ctx.json);
    for (const dep of deps) checkDependency(ctx, dep, deferred);
  },
};
