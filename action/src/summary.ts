import { asiLabel, compare, countBySeverity, owaspLabel, plural, sortIssues, suppressComment } from '../../engine/report/common.js';
import { SEVERITIES, type Issue } from '../../engine/types.js';
import type { Outcome } from './scan.js';

/** Rows in the issue table: a step summary is capped at 1 MiB, and past a few hundred rows nobody reads on. */
export const SUMMARY_ISSUE_ROWS = 200;
const SUMMARY_NOTICES = 30;

export interface SummaryInput {
  outcome: Outcome;
  failures: string[];
  gate: { minScore: number; failOn: string };
  sarifFile: string;
  upload?: { share_url: string; badge_url?: string };
  uploadError?: string;
}

export function jobSummary(input: SummaryInput): string {
  const { outcome, failures } = input;
  const { result } = outcome;
  const onPr = outcome.mode === 'changed';
  const fresh = new Set(outcome.newIssues.map((i) => i.fingerprint));
  const out: string[] = ['## AgentCop', ''];

  out.push(
    failures.length ? `**Failed:** ${failures.map(cellText).join('; ')}.` : `**Passed** (min-score ${input.gate.minScore}, fail-on ${input.gate.failOn}).`,
    '',
  );
  if (input.uploadError) out.push(`**Upload failed:** ${cellText(input.uploadError)}`, '');

  const facts = [
    `**Trust score: ${result.trust_score}/100**`,
    `**Risk level: ${result.risk_level}**`,
    plural(result.total_issues, 'issue'),
    ...(onPr ? [`${outcome.newIssues.length} new in this pull request`] : []),
    `${plural(result.files_scanned, 'file')} scanned`,
    ...(result.suppressed_issues.length ? [`${result.suppressed_issues.length} suppressed`] : []),
  ];
  out.push(facts.join(' · '), '');
  if (onPr && outcome.comparison) {
    out.push(
      `Compared the pull request's changed files with \`${outcome.comparison.base.slice(0, 12)}\`: ${plural(outcome.comparison.changedFiles, 'file')} changed, ` +
        `${outcome.comparison.scannedFiles} of them scanned. Only new issues fail this check; existing ones are listed for reference.`,
      '',
    );
  }
  if (input.upload) {
    out.push(`[Full report](${input.upload.share_url})${input.upload.badge_url ? ` · ![AgentCop trust score](${input.upload.badge_url})` : ''}`, '');
  }

  if (result.issues.length) {
    const all = countBySeverity(result.issues);
    if (onPr) {
      const added = countBySeverity(outcome.newIssues);
      out.push('| Severity | New | Existing |', '|---|---:|---:|', ...SEVERITIES.map((s) => `| ${s} | ${added[s]} | ${all[s] - added[s]} |`), '');
    } else {
      out.push('| Severity | Issues |', '|---|---:|', ...SEVERITIES.map((s) => `| ${s} | ${all[s]} |`), '');
    }
    const byCategory = new Map<string, number>();
    for (const i of result.issues) byCategory.set(i.owasp, (byCategory.get(i.owasp) ?? 0) + 1);
    out.push(
      '| OWASP LLM Top 10 (2025) | Issues |',
      '|---|---:|',
      ...[...byCategory].sort(([a], [b]) => compare(a, b)).map(([id, n]) => `| ${cellText(owaspLabel(id))} | ${n} |`),
      '',
    );

    // New ones first on a pull request: they are what this check is about.
    const ordered = onPr ? [...sortIssues(outcome.newIssues), ...sortIssues(result.issues.filter((i) => !fresh.has(i.fingerprint)))] : sortIssues(result.issues);
    out.push('### Issues', '');
    out.push(onPr ? '| | Severity | Issue | Location | Category |' : '| Severity | Issue | Location | Category |');
    out.push(onPr ? '|---|---|---|---|---|' : '|---|---|---|---|');
    for (const issue of ordered.slice(0, SUMMARY_ISSUE_ROWS)) {
      const row = [issue.severity, issueCell(issue), `\`${codeText(issue.file)}:${issue.line}\``, categoryCell(issue)];
      if (onPr) row.unshift(fresh.has(issue.fingerprint) ? '**new**' : 'existing');
      out.push(`| ${row.join(' | ')} |`);
    }
    if (ordered.length > SUMMARY_ISSUE_ROWS) {
      out.push('', `…and ${ordered.length - SUMMARY_ISSUE_ROWS} more: every issue is in the SARIF file (\`${codeText(input.sarifFile)}\`) and the step log.`);
    }
    out.push('', ...suppressHelp(ordered[0]));
  } else {
    out.push(onPr && result.files_scanned === 0 ? 'No files AgentCop scans were changed.' : 'No issues found.', '');
  }

  if (result.notices.length) {
    out.push('<details><summary>Notices</summary>', '');
    for (const n of result.notices.slice(0, SUMMARY_NOTICES)) out.push(`- ${n.file ? `\`${codeText(n.file)}\` ` : ''}${n.kind}: ${cellText(n.message)}`);
    if (result.notices.length > SUMMARY_NOTICES) out.push(`- …and ${result.notices.length - SUMMARY_NOTICES} more in the step log`);
    out.push('', '</details>', '');
  }
  return `${out.join('\n')}\n`;
}

function suppressHelp(example: Issue | undefined): string[] {
  const comment = example ? suppressComment(example) : null;
  return [
    '<details><summary>How to suppress a finding</summary>',
    '',
    `- Inline, on the line or the line above, with a reason: ${comment ? `\`${codeText(comment)}\`` : '`# agentcop: ignore[RULE] reason`'} (\`//\` in JavaScript and TypeScript; a whole category works too: \`ignore[LLM01]\`).`,
    '- Accept everything there is today: `npx agentcop scan . --write-baseline .agentcop-baseline.json`, commit the file and add `baseline: .agentcop-baseline.json` to `.agentcop.yml`.',
    '- Switch a rule off or re-rate it in `.agentcop.yml`: `rules: { <rule-id>: off }`.',
    '',
    'Suppressed findings stay in the SARIF file as suppressions and do not count in the score.',
    '',
    '</details>',
    '',
  ];
}

function issueCell(issue: Issue): string {
  return `${cellText(issue.title || issue.rule)}<br>\`${codeText(issue.rule)}\``;
}

function categoryCell(issue: Issue): string {
  return [owaspLabel(issue.owasp), asiLabel(issue.asi), issue.cwe].filter(Boolean).map((s) => cellText(s!)).join('<br>');
}

/** Text inside a table cell: no line breaks, no pipes, no HTML from scanned code. */
function cellText(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|');
}

/** Text inside backticks in a table: a backtick would end the code span, a pipe the cell. */
function codeText(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/`/g, "'").replace(/\|/g, '\\|');
}
