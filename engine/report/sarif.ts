import type { Location, Log, Notification, ReportingDescriptor, Result } from 'sarif';
import { allRules } from '../rules/index.js';
import type { RuleMeta } from '../rules/types.js';
import type { Issue, ScanResult, Severity } from '../types.js';
import { asiLabel, compare, cweUrl, owaspLabel } from './common.js';
import { packageInfo } from './version.js';

const SECURITY_SEVERITY: Record<Severity, string> = { CRITICAL: '9.5', HIGH: '8.0', MEDIUM: '5.5', LOW: '3.0', INFO: '0.0' };

export function sarifLevel(s: Severity): Result.level {
  return s === 'CRITICAL' || s === 'HIGH' ? 'error' : s === 'MEDIUM' ? 'warning' : 'note';
}

export function toSarif(result: ScanResult): Log {
  const { version, homepage } = packageInfo();
  const suppressed = result.suppressed_issues ?? [];
  const all = [...result.issues, ...suppressed];
  const rules = buildRules(all);
  const index = new Map(rules.map((r, i) => [r.id, i]));

  const results: Result[] = [
    ...result.issues.map((issue) => toResult(issue, index.get(issue.rule)!, false)),
    ...suppressed.map((issue) => toResult(issue, index.get(issue.rule)!, true)),
  ];
  const notifications: Notification[] = (result.notices ?? []).map((n) => ({
    level: n.kind === 'skipped' ? 'note' : 'warning',
    message: { text: `${n.kind}: ${n.message}` },
    ...(n.file ? { locations: [{ physicalLocation: { artifactLocation: artifact(n.file) } }] } : {}),
  }));

  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'AgentCop',
            version,
            semanticVersion: version,
            informationUri: homepage,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            ...(isTimestamp(result.created_at) ? { endTimeUtc: result.created_at } : {}),
            ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        results,
        properties: {
          trust_score: result.trust_score,
          risk_level: result.risk_level,
          scan_id: result.scan_id,
          files_scanned: result.files_scanned,
          frameworks: result.frameworks,
          permissions: result.permissions,
        },
      },
    ],
  };
}

function buildRules(issues: Issue[]): ReportingDescriptor[] {
  const registry = new Map<string, RuleMeta>(allRules().map((r) => [r.meta.id, r.meta]));
  const byRule = new Map<string, Issue[]>();
  for (const issue of issues) byRule.set(issue.rule, [...(byRule.get(issue.rule) ?? []), issue]);
  return [...byRule.keys()].sort(compare).map((id) => {
    const seen = byRule.get(id)!;
    // A rule unknown to this build (an older engine, a plugin) is still described by its issues.
    const meta: RuleMeta = registry.get(id) ?? {
      id,
      owasp: seen[0].owasp,
      asi: seen[0].asi,
      cwe: seen[0].cwe,
      severity: seen[0].severity,
      title: seen[0].title || id,
      description: seen[0].description,
      fix: seen[0].fix,
      languages: [],
    };
    // When config re-rated the rule, every issue carries the new severity: show that, not the default.
    const severities = new Set(seen.map((i) => i.severity));
    const severity = severities.size === 1 ? seen[0].severity : meta.severity;
    return describeRule(meta, severity);
  });
}

function describeRule(meta: RuleMeta, severity: Severity): ReportingDescriptor {
  const cwe = cweUrl(meta.cwe);
  const owasp = owaspLabel(meta.owasp);
  const asi = asiLabel(meta.asi);
  const tags = [meta.owasp, owasp, ...(meta.asi ? [meta.asi] : []), meta.cwe, 'security'];
  const cweNumber = /^CWE-(\d+)$/i.exec(meta.cwe)?.[1];
  // GitHub code scanning reads CWE ids from tags of this form.
  if (cweNumber) tags.push(`external/cwe/cwe-${cweNumber}`);
  const markdown = [
    `**${meta.title}**`,
    '',
    meta.description,
    '',
    `**Fix:** ${meta.fix}`,
    '',
    `- OWASP Top 10 for LLM Applications 2025: ${owasp}`,
    ...(asi ? [`- OWASP Top 10 for Agentic Applications: ${asi}`] : []),
    `- ${cwe ? `[${meta.cwe}](${cwe})` : meta.cwe}`,
    '',
    `To accept a finding, add \`# agentcop: ignore[${meta.id}] <reason>\` (\`//\` in JavaScript and TypeScript) on its line or the line above, or record it in a baseline file (\`--write-baseline\`).`,
  ].join('\n');
  return {
    id: meta.id,
    name: pascal(meta.id),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.description },
    help: { text: meta.fix, markdown },
    helpUri: cwe ?? packageInfo().homepage,
    defaultConfiguration: { level: sarifLevel(severity) },
    properties: {
      tags,
      'security-severity': SECURITY_SEVERITY[severity],
      precision: 'high',
      severity,
    },
  };
}

function toResult(issue: Issue, ruleIndex: number, suppressed: boolean): Result {
  const line = Math.max(1, issue.line || 1);
  const location: Location = {
    physicalLocation: {
      artifactLocation: artifact(issue.file),
      region: {
        startLine: line,
        startColumn: Math.max(1, issue.column || 1),
        endLine: Math.max(line, issue.end_line || line),
        ...(issue.code_snippet ? { snippet: { text: issue.code_snippet } } : {}),
      },
    },
  };
  const related: Location[] = issue.source
    ? [
        {
          id: 1,
          physicalLocation: { artifactLocation: artifact(issue.file), region: { startLine: Math.max(1, issue.source.line) } },
          message: { text: issue.source.description || issue.source.kind },
        },
      ]
    : [];
  const out: Result = {
    ruleId: issue.rule,
    ruleIndex,
    level: sarifLevel(issue.severity),
    message: { text: linkSource(issue) },
    locations: [location],
    ...(related.length ? { relatedLocations: related } : {}),
    partialFingerprints: { 'agentcop/v1': issue.fingerprint },
    properties: {
      severity: issue.severity,
      owasp: issue.owasp,
      ...(issue.asi ? { asi: issue.asi } : {}),
      cwe: issue.cwe,
      issue_id: issue.id,
    },
  };
  if (suppressed) {
    out.suppressions = [
      {
        kind: issue.suppressed?.kind === 'inline' ? 'inSource' : 'external',
        status: 'accepted',
        justification: issue.suppressed?.justification ?? 'suppressed',
      },
    ];
  }
  return out;
}

/**
 * Turns the description's mention of the source line into a SARIF link to the related location, so
 * viewers can jump there. Descriptions with brackets are left alone: they could read as links.
 */
function linkSource(issue: Issue): string {
  const text = issue.description;
  if (!issue.source || /[[\]]/.test(text)) return text;
  const mention = new RegExp(`\\bline ${issue.source.line}\\b`);
  return mention.test(text) ? text.replace(mention, `[line ${issue.source.line}](1)`) : text;
}

function artifact(file: string) {
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function pascal(id: string): string {
  const last = id.slice(id.lastIndexOf('/') + 1);
  return last
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

function isTimestamp(s: string | undefined): s is string {
  return typeof s === 'string' && !Number.isNaN(Date.parse(s));
}
