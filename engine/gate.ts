import type { FailOn } from './config.js';
import { SEVERITIES, type ScanResult, type Severity } from './types.js';

/** The documented defaults when neither inputs nor a config file set the gate. */
export const DEFAULT_MIN_SCORE = 70;
export const DEFAULT_FAIL_ON: FailOn = 'critical';

export interface Gate {
  minScore: number;
  failOn: FailOn;
}

/**
 * Why the run fails its threshold; empty when it passes. Suppressed issues never count. Shared by
 * every door that gates (the CLI's exit code, the Action's failed step), so they cannot disagree.
 */
export function gateFailures(result: Pick<ScanResult, 'trust_score' | 'issues'>, gate: Gate): string[] {
  const reasons: string[] = [];
  if (result.trust_score < gate.minScore) reasons.push(`trust score ${result.trust_score} is below the minimum ${gate.minScore}`);
  if (gate.failOn !== 'none') {
    const limit = SEVERITIES.indexOf(gate.failOn.toUpperCase() as Severity);
    const hits = result.issues.filter((i) => SEVERITIES.indexOf(i.severity) <= limit);
    if (hits.length) reasons.push(`${hits.length} issue${hits.length === 1 ? '' : 's'} at or above ${gate.failOn.toUpperCase()} (fail-on ${gate.failOn})`);
  }
  return reasons;
}
