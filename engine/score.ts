import type { Issue, RiskLevel, Severity } from './types.js';

export const SEVERITY_WEIGHT: Record<Severity, number> = { CRITICAL: 25, HIGH: 15, MEDIUM: 8, LOW: 3, INFO: 0 };
const RANK: Record<Severity, number> = { CRITICAL: 4, HIGH: 3, MEDIUM: 2, LOW: 1, INFO: 0 };

export function severityRank(s: Severity): number {
  return RANK[s];
}

export function severityAtLeast(a: Severity, threshold: Severity): boolean {
  return RANK[a] >= RANK[threshold];
}

/** ARCHITECTURE §2: each further hit of one rule counts half the one before, heaviest hits first. */
export function trustScore(issues: readonly Issue[]): number {
  const ordered = [...issues].sort(
    (a, b) => RANK[b.severity] - RANK[a.severity] || a.file.localeCompare(b.file) || a.line - b.line,
  );
  const hits = new Map<string, number>();
  let penalty = 0;
  for (const issue of ordered) {
    const k = hits.get(issue.rule) ?? 0;
    hits.set(issue.rule, k + 1);
    penalty += SEVERITY_WEIGHT[issue.severity] / 2 ** k;
  }
  return Math.round(Math.min(100, Math.max(0, 100 - penalty)));
}

export function riskLevel(score: number, issues: readonly Issue[]): RiskLevel {
  if (!issues.some((i) => i.severity !== 'INFO')) return 'SAFE';
  if (score >= 80) return 'LOW';
  if (score >= 60) return 'MODERATE';
  if (score >= 40) return 'HIGH';
  return 'CRITICAL';
}
