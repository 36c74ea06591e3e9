// What a pull request scan looks like on GitHub: the check run's title, Markdown summary and
// annotations, and the one summary comment.
import { asiLabel, compare, countBySeverity, owaspLabel, plural, sortIssues, suppressComment } from '../engine/report/common.js';
import { SEVERITIES, type Issue, type ScanResult, type Severity } from '../engine/types.js';
import type { Gate } from '../engine/gate.js';

export const CHECK_NAME = 'AgentCop';
/** GitHub takes at most 50 annotations per create or update request. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** GitHub's limit on output.summary and output.text, in characters. */
const OUTPUT_LIMIT = 65_535;
export const COMMENT_MARKER = '<!-- agentcop:summary -->';

export type Conclusion = 'success' | 'failure' | 'neutral';

export interface PrOutcome {
  result: ScanResult;
  newIssues: Issue[];
  gate: Gate;
  /** Why the gate fails; empty when it passes. */
  failures: string[];
  changedFiles: number;
  shareUrl?: string;
}

export interface Decision {
  decision: 'approved' | 'denied';
  approver: string;
  reason: string;
}

export interface CheckOutput {
  title: string;
  summary: string;
}

export function conclusionOf(outcome: PrOutcome, decision?: Decision): Conclusion {
  if (decision) return decision.decision === 'approved' ? 'success' : 'failure';
  return outcome.failures.length ? 'failure' : 'success';
}

export function titleOf(outcome: PrOutcome, decision?: Decision): string {
  const { result } = outcome;
  const base = `Trust score ${result.trust_score}/100 · ${result.risk_level} · ${plural(outcome.newIssues.length, 'new issue')}`;
  if (!decision) return base;
  return `${decision.decision === 'approved' ? 'Approved' : 'Denied'} by @${decision.approver} · ${base}`;
}

export function checkOutput(outcome: PrOutcome, decision?: Decision): CheckOutput {
  return { title: titleOf(outcome, decision), summary: clip(summaryOf(outcome, decision)) };
}

export function neutralOutput(changedFiles: number): CheckOutput {
  return {
    title: 'No agent code changed',
    summary:
      `This pull request changes ${plural(changedFiles, 'file')}, none of which AgentCop scans ` +
      '(Python, notebooks, JavaScript/TypeScript, MCP configs, agent instruction files, dependency manifests), ' +
      'or every changed one is excluded by `paths`/`ignore` in `.github/agentcop.yml`.',
  };
}

function summaryOf(outcome: PrOutcome, decision?: Decision): string {
  const { result, newIssues, gate, failures } = outcome;
  const fresh = new Set(newIssues.map((i) => i.fingerprint));
  const old = result.issues.filter((i) => !fresh.has(i.fingerprint));
  const out: string[] = [];
  if (decision) {
    out.push(
      decision.decision === 'approved'
        ? `### ✅ Approved by @${decision.approver}\n\n> ${oneLine(decision.reason)}\n\nThe gate's findings below stand; this approval covers this commit only. A new push is scanned again.`
        : `### ⛔ Denied by @${decision.approver}\n\n> ${oneLine(decision.reason)}`,
      '',
    );
  }
  out.push(
    `**Trust score ${result.trust_score}/100** · **Risk level ${result.risk_level}** · ` +
      `${plural(newIssues.length, 'new issue')} · ${plural(result.total_issues, 'issue')} on the changed files · ` +
      `${plural(result.files_scanned, 'changed file')} scanned`,
    '',
    failures.length
      ? `**Gate failed** (min_score ${gate.minScore}, fail_on ${gate.failOn}): ${failures.join('; ')}.`
      : `**Gate passed** (min_score ${gate.minScore}, fail_on ${gate.failOn}; only new issues count).`,
    '',
  );
  if (result.issues.length) {
    const n = countBySeverity(newIssues);
    const a = countBySeverity(result.issues);
    out.push('| Severity | New | On changed files |', '|---|---:|---:|', ...SEVERITIES.map((s) => `| ${s} | ${n[s]} | ${a[s]} |`), '');
    const cats = new Map<string, [number, number]>();
    for (const i of result.issues) {
      const c = cats.get(i.owasp) ?? [0, 0];
      c[1]++;
      if (fresh.has(i.fingerprint)) c[0]++;
      cats.set(i.owasp, c);
    }
    out.push(
      '| OWASP category | New | On changed files |',
      '|---|---:|---:|',
      ...[...cats].sort(([x], [y]) => compare(x, y)).map(([id, [nw, all]]) => `| ${cell(owaspLabel(id))} | ${nw} | ${all} |`),
      '',
    );
  }
  if (newIssues.length) {
    out.push('### New in this pull request', '');
    out.push(...listed(newIssues, 50, true));
  } else {
    out.push('No new issues in this pull request.', '');
  }
  if (old.length) {
    out.push('### Already on the base branch (listed, not blocking)', '');
    out.push(...listed(old, 20, false));
  }
  if (result.notices?.length) {
    out.push('<details><summary>Notices</summary>', '', ...result.notices.slice(0, 30).map((x) => `- ${x.file ? `\`${x.file}\` ` : ''}${x.kind}: ${x.message}`), '', '</details>', '');
  }
  out.push(
    '### Approve or suppress',
    '',
    '- Someone with write, maintain or admin access can accept this commit with a PR comment `/agentcop approve <reason>`, ' +
      'or refuse it with `/agentcop deny <reason>`. `/agentcop rescan` scans again (after a config change).',
    '- Suppress one finding where it is: `# agentcop: ignore[RULE] reason` (or `//` in JS/TS) on the line or the line above.',
    '- Or in `.github/agentcop.yml` on the default branch: `rules: {RULE: off}`, `ignore: [globs]`, `min_score`, `fail_on`, `comment: false`.',
    '',
  );
  if (outcome.shareUrl) out.push(`[Full report](${outcome.shareUrl})`, '');
  return out.join('\n');
}

function listed(issues: Issue[], max: number, withFix: boolean): string[] {
  const sorted = sortIssues(issues);
  const lines = sorted.slice(0, max).map((i) => {
    const refs = [owaspLabel(i.owasp), asiLabel(i.asi), i.cwe].filter(Boolean).join(' · ');
    const fix = withFix && i.fix ? ` Fix: ${oneLine(i.fix)}` : '';
    return `- **${i.severity}** \`${i.file}:${i.line}\` ${cell(i.title || i.rule)} (\`${i.rule}\`; ${refs}) — ${oneLine(i.description)}${fix}`;
  });
  if (sorted.length > max) lines.push(`- … and ${sorted.length - max} more (see the annotations and the full report)`);
  lines.push('');
  return lines;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  title: string;
  message: string;
  raw_details?: string;
}

function levelOf(severity: Severity): Annotation['annotation_level'] {
  return severity === 'CRITICAL' || severity === 'HIGH' ? 'failure' : severity === 'MEDIUM' ? 'warning' : 'notice';
}

/**
 * One annotation per issue on the changed files, new ones first and most severe first. Issues the
 * base already had are notices: they are shown, but do not read as what this change broke.
 */
export function annotationsOf(result: ScanResult, newIssues: readonly Issue[]): Annotation[] {
  const fresh = new Set(newIssues.map((i) => i.fingerprint));
  const ordered = [...sortIssues(newIssues), ...sortIssues(result.issues.filter((i) => !fresh.has(i.fingerprint)))];
  return ordered.map((i) => {
    const isNew = fresh.has(i.fingerprint);
    const comment = suppressComment(i);
    const start = Math.max(1, i.line);
    return {
      path: i.file,
      start_line: start,
      end_line: Math.max(start, i.end_line || start),
      annotation_level: isNew ? levelOf(i.severity) : 'notice',
      title: `${isNew ? 'New' : 'Existing'} ${i.severity}: ${i.title || i.rule}`.slice(0, 255),
      message: [i.description, i.fix ? `Fix: ${i.fix}` : '', [owaspLabel(i.owasp), asiLabel(i.asi), i.cwe, i.rule].filter(Boolean).join(' · '), isNew ? '' : 'Already on the base branch: not blocking.']
        .filter(Boolean)
        .join('\n')
        .slice(0, 64_000),
      ...(comment ? { raw_details: `To suppress: ${comment}` } : {}),
    };
  });
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The one summary comment per pull request, found again by its hidden marker. */
export function commentBody(outcome: PrOutcome, checkUrl: string | undefined, headSha: string, decision?: Decision): string {
  const { newIssues, failures } = outcome;
  const verdict = decision
    ? decision.decision === 'approved'
      ? `✅ approved by @${decision.approver}: ${oneLine(decision.reason)}`
      : `⛔ denied by @${decision.approver}: ${oneLine(decision.reason)}`
    : failures.length
      ? `❌ ${failures.join('; ')}`
      : '✅ passed';
  const lines = [
    COMMENT_MARKER,
    `### AgentCop: ${titleOf(outcome)}`,
    '',
    `Commit \`${headSha.slice(0, 7)}\` · ${verdict}`,
    '',
  ];
  if (newIssues.length) lines.push(...listed(newIssues, 10, false));
  const links = [checkUrl ? `[Check run](${checkUrl})` : '', outcome.shareUrl ? `[Full report](${outcome.shareUrl})` : ''].filter(Boolean).join(' · ');
  if (links) lines.push(links, '');
  if (failures.length && !decision) lines.push('_A maintainer can comment `/agentcop approve <reason>` to accept this commit._', '');
  lines.push('<sub>This comment is updated on every push.</sub>');
  return clip(lines.join('\n'));
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function clip(s: string): string {
  return s.length <= OUTPUT_LIMIT ? s : `${s.slice(0, OUTPUT_LIMIT - 80)}\n\n… (cut to GitHub's limit; the full report has everything)`;
}
