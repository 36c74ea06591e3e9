import { languageOf } from '../files.js';
import { OWASP_ASI, OWASP_LLM, SEVERITIES, type Issue, type ScanResult, type Severity } from '../types.js';

/** 0 for CRITICAL … 4 for INFO. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Most severe first, then by place in the code, so a reader meets what matters first. */
export function sortIssues(issues: readonly Issue[]): Issue[] {
  return [...issues].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      compare(a.file, b.file) ||
      a.line - b.line ||
      compare(a.rule, b.rule),
  );
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function countBySeverity(issues: readonly Issue[]): Record<Severity, number> {
  const out = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFO: 0 } as Record<Severity, number>;
  for (const i of issues) out[i.severity]++;
  return out;
}

export function owaspLabel(id: string): string {
  const name = (OWASP_LLM as Record<string, string>)[id];
  return name ? `${id} ${name}` : id;
}

export function asiLabel(id: string | undefined): string | undefined {
  if (!id) return undefined;
  const name = (OWASP_ASI as Record<string, string>)[id];
  return name ? `${id} ${name}` : id;
}

export function cweUrl(cwe: string): string | undefined {
  const n = /^CWE-(\d+)$/i.exec(cwe.trim())?.[1];
  return n ? `https://cwe.mitre.org/data/definitions/${n}.html` : undefined;
}

/** The comment that silences this issue in its own file, or null where comments cannot go (JSON, Markdown). */
export function suppressComment(issue: Pick<Issue, 'rule' | 'file'>): string | null {
  const lang = languageOf(issue.file);
  if (lang === 'javascript' || lang === 'typescript' || lang === 'tsx') return `// agentcop: ignore[${issue.rule}] <reason>`;
  if (lang === 'python' || lang === 'notebook' || lang === 'requirements' || lang === 'pyproject') return `# agentcop: ignore[${issue.rule}] <reason>`;
  return null;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summaryLine(result: ScanResult): string {
  const counts = countBySeverity(result.issues);
  const parts = SEVERITIES.filter((s) => counts[s]).map((s) => `${counts[s]} ${s.toLowerCase()}`);
  const issues = plural(result.total_issues, 'issue') + (parts.length ? ` (${parts.join(', ')})` : '');
  const suppressed = result.suppressed_issues?.length ? `, ${result.suppressed_issues.length} suppressed` : '';
  return `Trust score ${result.trust_score}/100 (${result.risk_level}) · ${issues}${suppressed} · ${plural(result.files_scanned, 'file')} scanned in ${formatMs(result.scan_time_ms)}`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
