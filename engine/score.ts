import type { Issue, RiskLevel, Severity } from './types.js';

/** Points one issue takes off the trust score (ARCHITECTURE §2). */
export const SEVERITY_WEIGHT: Readonly<Record<Severity, number>> = Object.freeze({ CRITICAL: 25, HIGH: 15, MEDIUM: 8, LOW: 3, INFO: 0 });

const RANK: Readonly<Record<Severity, number>> = Object.freeze({ CRITICAL: 4, HIGH: 3, MEDIUM: 2, LOW: 1, INFO: 0 });

/**
 * Higher is more severe: INFO 0 … CRITICAL 4, so `severityRank(a) >= severityRank(b)` reads as
 * "a is at least as bad as b". (engine/report/common.ts has its own rank running the other way,
 * for sorting; do not mix the two.)
 */
export function severityRank(s: Severity): number {
  return RANK[s];
}

/** `fail_on: high` fails on HIGH and CRITICAL: a threshold is inclusive. */
export function severityAtLeast(a: Severity, threshold: Severity): boolean {
  return RANK[a] >= RANK[threshold];
}

/** What the score needs of an issue; a whole `Issue` fits. */
export type ScoredIssue = Pick<Issue, 'rule' | 'severity' | 'file' | 'line'> & { suppressed?: Issue['suppressed'] };

/**
 * 100 minus each issue's weight, where every further hit of one rule counts half the one before:
 * fifty copies of one pattern are one habit to fix, not fifty, and must not sink the score on their
 * own. Hits are taken heaviest first, then by place, so the result does not depend on the order
 * the rules happened to report in. Suppressed issues are out of the score by definition.
 */
export function trustScore(issues: readonly ScoredIssue[]): number {
  const ordered = issues
    .filter((i) => !i.suppressed)
    .sort((a, b) => RANK[b.severity] - RANK[a.severity] || compare(a.file, b.file) || a.line - b.line || compare(a.rule, b.rule));
  const hits = new Map<string, number>();
  let penalty = 0;
  for (const issue of ordered) {
    const k = hits.get(issue.rule) ?? 0;
    hits.set(issue.rule, k + 1);
    penalty += SEVERITY_WEIGHT[issue.severity] / 2 ** k;
  }
  return Math.round(Math.min(100, Math.max(0, 100 - penalty)));
}

/** SAFE only when nothing above INFO remains; otherwise the band the score falls in. */
export function riskLevel(score: number, issues: readonly ScoredIssue[]): RiskLevel {
  if (!issues.some((i) => !i.suppressed && i.severity !== 'INFO')) return 'SAFE';
  if (score >= 80) return 'LOW';
  if (score >= 60) return 'MODERATE';
  if (score >= 40) return 'HIGH';
  return 'CRITICAL';
}

/** Code-unit order, not locale order: the same input must score the same on every machine. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
