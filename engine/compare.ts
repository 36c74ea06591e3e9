import { gateFailures, type Gate } from './gate.js';
import { plural } from './report/common.js';
import { trustScore } from './score.js';
import type { Issue, ScanResult } from './types.js';

/**
 * A change compared with its base: the issues of the head scan whose fingerprints the base scan
 * lacks. Shared by every door that reviews a pull request (the Action over a local checkout, the
 * App over GitHub's API), so "new" means the same thing in both. Both scans must name files the
 * same way (the head's paths, also for renamed files), since fingerprints include the path.
 */
export function newIssuesOf(head: Pick<ScanResult, 'issues'>, base: { issues: readonly Pick<Issue, 'fingerprint'>[] } | null | undefined): Issue[] {
  const known = new Set(base?.issues.map((i) => i.fingerprint));
  return head.issues.filter((i) => !known.has(i.fingerprint));
}

/**
 * The gate for a change: only new issues can fail it. The score is what the new issues alone
 * would leave of 100, so code that was already there never blocks a change that did not add to it.
 */
export function changeGateFailures(newIssues: readonly Issue[], gate: Gate): string[] {
  const failures = gateFailures({ trust_score: trustScore(newIssues), issues: [...newIssues] }, gate);
  return failures.length ? [`counting only the ${plural(newIssues.length, 'new issue')} in this pull request, ${failures.join('; ')}`] : [];
}
