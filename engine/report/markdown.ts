import { SEVERITIES, type Issue, type ScanResult } from '../types.js';
import { languageOf } from '../files.js';
import { asiLabel, compare, countBySeverity, cweUrl, owaspLabel, plural, sortIssues, suppressComment } from './common.js';

export function toMarkdown(result: ScanResult): string {
  const out: string[] = ['# AgentCop report', ''];
  const suppressed = result.suppressed_issues ?? [];
  out.push(
    `**Trust score: ${result.trust_score}/100** · **Risk level: ${result.risk_level}** · ${plural(result.total_issues, 'issue')}` +
      `${suppressed.length ? ` (${suppressed.length} suppressed)` : ''} · ${plural(result.files_scanned, 'file')} scanned` +
      `${result.frameworks?.length ? ` · frameworks: ${result.frameworks.join(', ')}` : ''}`,
    '',
  );

  if (result.issues.length) {
    const counts = countBySeverity(result.issues);
    out.push('| Severity | Issues |', '|---|---:|', ...SEVERITIES.map((s) => `| ${s} | ${counts[s]} |`), '');
    const byOwasp = new Map<string, number>();
    for (const i of result.issues) byOwasp.set(i.owasp, (byOwasp.get(i.owasp) ?? 0) + 1);
    out.push(
      '| OWASP category | Issues |',
      '|---|---:|',
      ...[...byOwasp].sort(([a], [b]) => compare(a, b)).map(([id, n]) => `| ${cell(owaspLabel(id))} | ${n} |`),
      '',
    );
    out.push('## Issues', '');
    sortIssues(result.issues).forEach((issue, n) => out.push(...issueBlock(issue, n + 1)));
  } else {
    out.push('No issues found.', '');
  }

  if (suppressed.length) {
    out.push('## Suppressed', '');
    for (const i of sortIssues(suppressed)) {
      const why = i.suppressed ? `${i.suppressed.kind}: ${i.suppressed.justification}` : 'suppressed';
      out.push(`- \`${i.file}:${i.line}\` ${i.severity} ${i.title || i.rule} (\`${i.rule}\`) — ${why}`);
    }
    out.push('');
  }

  if (result.notices?.length) {
    out.push('## Notices', '');
    for (const n of result.notices) out.push(`- ${n.file ? `\`${n.file}\` ` : ''}${n.kind}: ${n.message}`);
    out.push('');
  }
  return out.join('\n');
}

function issueBlock(issue: Issue, n: number): string[] {
  const cwe = cweUrl(issue.cwe);
  const refs = [
    `\`${issue.file}:${issue.line}\``,
    `\`${issue.rule}\``,
    owaspLabel(issue.owasp),
    ...(issue.asi ? [asiLabel(issue.asi)!] : []),
    cwe ? `[${issue.cwe}](${cwe})` : issue.cwe,
  ];
  const lines = [`### ${n}. ${issue.severity} · ${issue.title || issue.rule}`, '', refs.join(' · '), '', issue.description, ''];
  if (issue.code_snippet) lines.push(...fenced(issue.code_snippet, fenceLanguage(issue.file)), '');
  if (issue.fix) lines.push(`**Fix:** ${issue.fix}`, '');
  lines.push(
    '<details><summary>How to suppress</summary>',
    '',
    suppressHint(issue),
    '',
    '</details>',
    '',
  );
  return lines;
}

/** A fence longer than any backtick run inside, so a snippet cannot close it early. */
function fenced(code: string, lang: string): string[] {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${lang}`, code, fence];
}

function fenceLanguage(file: string): string {
  switch (languageOf(file)) {
    case 'python':
    case 'notebook':
      return 'python';
    case 'javascript':
      return 'javascript';
    case 'typescript':
    case 'tsx':
      return 'typescript';
    case 'package-json':
    case 'mcp-config':
    case 'claude-settings':
      return 'json';
    case 'pyproject':
      return 'toml';
    case 'instructions':
      return 'markdown';
    default:
      return '';
  }
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function suppressHint(issue: Issue): string {
  const comment = suppressComment(issue);
  const baseline = 'accept every current finding with `agentcop scan --write-baseline .agentcop-baseline.json`, then scan with `--baseline .agentcop-baseline.json`';
  const config = `or turn the rule off with \`${issue.rule}: off\` under \`rules:\` in \`.agentcop.yml\``;
  return comment ? `Add \`${comment}\` on the line or the line above; or ${baseline}; ${config}.` : `Comments cannot go in this file: ${baseline}; ${config}.`;
}
