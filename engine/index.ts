import { randomBytes } from 'node:crypto';
import { owaspType, type Issue, type Notice, type Permissions, type ScanResult, type SourceFile } from './types.js';
import type { AgentcopConfig } from './config.js';
import { prepareEngine, scanFile, type FileFinding, type FileScan, type FileScanOptions } from './scan-file.js';
import { ruleById } from './rules/index.js';
import { defaultThreads, scanInPool } from './pool.js';
import { riskLevel, trustScore } from './score.js';
import { redactSecrets } from './redact.js';
import { fingerprint } from './fingerprint.js';
import { isSuppressed, type Suppression } from './suppress.js';

export * from './types.js';
export type { AgentcopConfig } from './config.js';

export interface ScanOptions {
  /** A framework hint (`langchain`, `crewai`, `autogen`, `moltbook`, …) added to what imports show. */
  framework?: string;
  config?: AgentcopConfig;
  /** Fingerprints accepted as known: matching issues are reported as suppressed. */
  baseline?: Iterable<string>;
  /** Files larger than this are skipped with a notice (default 2 MiB). */
  maxFileBytes?: number;
  /** Wall-clock budget per file for parsing (default 5 s). */
  fileBudgetMs?: number;
  /**
   * Worker threads: a number, or `true` for one per core. Off by default; worth it for many files
   * (the CLI turns it on for large trees). Results are identical either way.
   */
  threads?: number | boolean;
  onProgress?: (done: number, total: number, file: string) => void;
}

/** The one door in: files -> ScanResult. Pure: reads nothing but its arguments. */
export async function scan(files: SourceFile[], options: ScanOptions = {}): Promise<ScanResult> {
  const started = performance.now();
  const config = options.config ?? {};
  const fileOptions: FileScanOptions = {
    config,
    frameworks: [...(config.frameworks ?? []), ...(options.framework ? [options.framework] : [])],
    maxFileBytes: options.maxFileBytes,
    fileBudgetMs: options.fileBudgetMs,
  };
  const threads = options.threads === true ? defaultThreads() : typeof options.threads === 'number' ? options.threads : 1;
  let scans: FileScan[];
  if (threads > 1 && files.length > 1) {
    scans = await scanInPool(files, fileOptions, threads, (done, file) => options.onProgress?.(done, files.length, file));
  } else {
    await prepareEngine();
    scans = [];
    for (let i = 0; i < files.length; i++) {
      options.onProgress?.(i, files.length, files[i].path);
      scans.push(scanFile(files[i], fileOptions));
    }
  }
  options.onProgress?.(files.length, files.length, '');
  return merge(scans, fileOptions.frameworks, new Set(options.baseline ?? []), started);
}

function merge(scans: FileScan[], named: string[], baseline: Set<string>, started: number): ScanResult {
  const notices: Notice[] = scans.flatMap((s) => s.notices);
  const frameworks = new Set(named);
  const permissions: Permissions = { network: false, filesystem: false, environment: false, subprocess: false };
  const pending: { path: string; f: FileFinding; suppressions: Map<number, Suppression & { commentOnly: boolean }> }[] = [];
  for (const s of scans) {
    for (const fw of s.frameworks) frameworks.add(fw);
    if (s.permissions) for (const k of Object.keys(permissions) as (keyof Permissions)[]) permissions[k] ||= s.permissions[k];
    const suppressions = new Map(s.suppressions);
    for (const f of dedupe(s.findings)) pending.push({ path: s.path, f, suppressions });
  }
  const { issues, suppressed } = toIssues(pending, baseline);
  const score = trustScore(issues);
  return {
    scan_id: newScanId(),
    trust_score: score,
    risk_level: riskLevel(score, issues),
    total_issues: issues.length,
    issues,
    suppressed_issues: suppressed,
    files_scanned: scans.filter((s) => s.scanned).length,
    frameworks: [...frameworks].sort(),
    permissions,
    notices,
    scan_time_ms: Math.round(performance.now() - started),
    created_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

export function newScanId(): string {
  return `scan_${randomBytes(16).toString('base64url')}`;
}

/** One finding per rule and line: several flows to one sink are one thing to fix. */
function dedupe(findings: FileFinding[]): FileFinding[] {
  const seen = new Set<string>();
  return [...findings]
    .sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule))
    .filter((f) => {
      const k = `${f.rule}|${f.line}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
}

function toIssues(
  pending: { path: string; f: FileFinding; suppressions: Map<number, Suppression & { commentOnly: boolean }> }[],
  baseline: Set<string>,
): { issues: Issue[]; suppressed: Issue[] } {
  const issues: Issue[] = [];
  const suppressed: Issue[] = [];
  const occurrences = new Map<string, number>();
  // Snippets, messages and source descriptions repeat across findings (one sink reported by
  // several rules, one template in many files); redaction is a pure function of the text.
  const redacted = new Map<string, string>();
  const redact = (text: string): string => {
    let hit = redacted.get(text);
    if (hit === undefined) redacted.set(text, (hit = redactSecrets(text)));
    return hit;
  };
  let n = 0;
  for (const { path, f, suppressions } of pending) {
    const meta = ruleById(f.rule)!.meta;
    const snippet = redact(f.snippet).slice(0, 300);
    const occKey = `${f.rule}|${path}|${snippet.replace(/\s+/g, ' ')}`;
    const occurrence = occurrences.get(occKey) ?? 0;
    occurrences.set(occKey, occurrence + 1);
    const issue: Issue = {
      id: '',
      type: owaspType(meta.owasp),
      rule: meta.id,
      severity: f.severity,
      title: meta.title,
      description: redact(f.message),
      file: path,
      line: f.line,
      column: f.column,
      end_line: f.endLine,
      code_snippet: snippet,
      fix: meta.fix,
      owasp: meta.owasp,
      ...(meta.asi ? { asi: meta.asi } : {}),
      cwe: meta.cwe,
      fingerprint: fingerprint({ rule: meta.id, file: path, snippet, occurrence }),
      ...(f.source ? { source: { kind: f.source.kind, line: f.source.line, description: redact(f.source.what) } } : {}),
    };
    const inline = isSuppressed(issue, suppressions);
    if (inline) {
      suppressed.push({ ...issue, suppressed: { kind: 'inline', justification: inline.justification } });
    } else if (baseline.has(issue.fingerprint)) {
      suppressed.push({ ...issue, suppressed: { kind: 'baseline', justification: 'in the baseline file' } });
    } else {
      issues.push(issue);
    }
  }
  for (const i of issues) i.id = `issue_${String(++n).padStart(3, '0')}`;
  for (const i of suppressed) i.id = `issue_${String(++n).padStart(3, '0')}`;
  return { issues, suppressed };
}
