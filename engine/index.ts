import { randomBytes } from 'node:crypto';
import { owaspType, type Issue, type Notice, type ScanResult, type Severity, type SourceFile } from './types.js';
import type { AgentcopConfig } from './config.js';
import { loadGrammar, parse } from './parse/index.js';
import { analysePython, type PyModel } from './flow/python.js';
import { allRules } from './rules/index.js';
import type { Finding, Rule, RuleLanguage } from './rules/types.js';
import { languageOf } from './files.js';
import { notebookToPython, NotebookError } from './notebook.js';
import { permissionsOf } from './permissions.js';
import { riskLevel, trustScore } from './score.js';
import { redactSecrets } from './redact.js';
import { fingerprint } from './fingerprint.js';
import { isSuppressed, parseSuppressions } from './suppress.js';

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
  onProgress?: (done: number, total: number, file: string) => void;
}

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

interface RawFinding {
  rule: Rule;
  file: string;
  line: number;
  column: number;
  endLine: number;
  snippet: string;
  message: string;
  severity: Severity;
  source?: Finding['source'];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Lenient = new TextDecoder('utf-8');

/** The one door in: files -> ScanResult. Pure: reads nothing but its arguments. */
export async function scan(files: SourceFile[], options: ScanOptions = {}): Promise<ScanResult> {
  const started = performance.now();
  const config = options.config ?? {};
  const maxBytes = options.maxFileBytes ?? config.max_file_size ?? DEFAULT_MAX_FILE_BYTES;
  const rules = activeRules(config);
  const hint = options.framework ?? undefined;
  const notices: Notice[] = [];
  const findings: RawFinding[] = [];
  const models: PyModel[] = [];
  const frameworks = new Set<string>([...(config.frameworks ?? []), ...(hint ? [hint] : [])]);
  const suppressionsByFile = new Map<string, ReturnType<typeof parseSuppressions>>();
  let scanned = 0;

  await loadGrammar('python');

  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    options.onProgress?.(i, files.length, file.path);
    const language = languageOf(file.path);
    if (!language) continue;
    const decoded = decode(file, maxBytes, notices);
    if (decoded === null) continue;
    scanned++;
    suppressionsByFile.set(file.path, parseSuppressions(decoded));
    const lines = decoded.split('\n');
    const fileFindings: RawFinding[] = [];
    const reporter = (rule: Rule, mapLine: (n: number) => number, srcLines: string[]) => (f: Finding) => {
      const line = f.line ?? f.node?.line ?? 1;
      const mapped = mapLine(line);
      fileFindings.push({
        rule,
        file: file.path,
        line: mapped,
        column: f.column ?? (f.node && f.node.line === line ? f.node.column : 1),
        endLine: Math.max(mapped, mapLine(f.endLine ?? (f.node && f.node.line === line ? f.node.endLine : line))),
        snippet: (srcLines[line - 1] ?? '').trim(),
        message: f.message ?? rule.meta.description,
        severity: f.severity ?? rule.meta.severity,
        source: f.source ? { ...f.source, line: mapLine(f.source.line) } : undefined,
      });
    };

    if (language === 'python' || language === 'notebook') {
      let code = decoded;
      let mapLine = (n: number) => n;
      let codeLines = lines;
      if (language === 'notebook') {
        try {
          const nb = notebookToPython(decoded);
          code = nb.code;
          codeLines = code.split('\n');
          mapLine = (n: number) => nb.lineMap[n - 1] ?? n;
        } catch (err) {
          if (err instanceof NotebookError) {
            notices.push({ file: file.path, kind: 'parse_error', message: err.message });
            continue;
          }
          throw err;
        }
      }
      const parsed = parse('python', code, options.fileBudgetMs ?? 5000);
      if (parsed.timedOut) notices.push({ file: file.path, kind: 'timeout', message: 'parsing stopped at the time budget; findings cover what was parsed' });
      else if (parsed.hasError) notices.push({ file: file.path, kind: 'parse_error', message: 'syntax errors: the parser recovered and the rest of the file was analysed' });
      const model = analysePython(parsed);
      models.push(model);
      for (const fw of model.frameworks) frameworks.add(fw);
      runRules(rules, 'python', file.path, code, model, frameworks, (rule) => reporter(rule, mapLine, codeLines), notices);
      // Snippets and suppression comments of notebooks refer to the notebook's own lines.
      if (language === 'notebook') for (const f of fileFindings) f.snippet = (lines[f.line - 1] ?? f.snippet).trim().replace(/^"|\\n",?$|",?$/g, '');
    } else if (language === 'requirements' || language === 'pyproject') {
      runRules(rules, language, file.path, decoded, undefined, frameworks, (rule) => reporter(rule, (n) => n, lines), notices);
    }
    findings.push(...dedupe(fileFindings));
  }
  options.onProgress?.(files.length, files.length, '');

  const { issues, suppressed } = toIssues(findings, suppressionsByFile, new Set(options.baseline ?? []));
  const score = trustScore(issues);
  return {
    scan_id: newScanId(),
    trust_score: score,
    risk_level: riskLevel(score, issues),
    total_issues: issues.length,
    issues,
    suppressed_issues: suppressed,
    files_scanned: scanned,
    frameworks: [...frameworks].sort(),
    permissions: permissionsOf(models),
    notices,
    scan_time_ms: Math.round(performance.now() - started),
    created_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

export function newScanId(): string {
  return `scan_${randomBytes(16).toString('base64url')}`;
}

function activeRules(config: AgentcopConfig): Rule[] {
  const overrides = config.rules ?? {};
  const out: Rule[] = [];
  for (const rule of allRules()) {
    const o = overrides[rule.meta.id] ?? overrides[rule.meta.owasp];
    if (o === 'off') continue;
    out.push(o ? { ...rule, meta: { ...rule.meta, severity: o as Severity } } : rule);
  }
  return out;
}

function decode(file: SourceFile, maxBytes: number, notices: Notice[]): string | null {
  const size = typeof file.content === 'string' ? Buffer.byteLength(file.content) : file.content.length;
  if (size > maxBytes) {
    notices.push({ file: file.path, kind: 'skipped', message: `larger than ${maxBytes} bytes (${size}); raise max_file_size to scan it` });
    return null;
  }
  if (typeof file.content === 'string') return file.content;
  const head = file.content.subarray(0, 8192);
  if (head.includes(0)) {
    notices.push({ file: file.path, kind: 'skipped', message: 'binary file' });
    return null;
  }
  try {
    return utf8.decode(file.content);
  } catch {
    notices.push({ file: file.path, kind: 'parse_error', message: 'not valid UTF-8: invalid bytes were replaced before scanning' });
    return utf8Lenient.decode(file.content);
  }
}

function runRules(
  rules: Rule[],
  language: RuleLanguage,
  file: string,
  source: string,
  model: PyModel | undefined,
  frameworks: Set<string>,
  reporterFor: (rule: Rule) => (f: Finding) => void,
  notices: Notice[],
): void {
  const fileFrameworks = new Set([...frameworks, ...(model?.frameworks ?? [])]);
  for (const rule of rules) {
    if (!rule.meta.languages.includes(language)) continue;
    try {
      rule.check({ file, language, source, model, frameworks: fileFrameworks, report: reporterFor(rule) });
    } catch (err) {
      // One broken rule must not lose the other rules' findings for this file.
      notices.push({ file, kind: 'parse_error', message: `rule ${rule.meta.id} failed: ${(err as Error).message}` });
    }
  }
}

/** One finding per rule and line: several flows to one sink are one thing to fix. */
function dedupe(findings: RawFinding[]): RawFinding[] {
  const seen = new Set<string>();
  return findings
    .sort((a, b) => a.line - b.line || a.rule.meta.id.localeCompare(b.rule.meta.id))
    .filter((f) => {
      const k = `${f.rule.meta.id}|${f.line}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
}

function toIssues(
  findings: RawFinding[],
  suppressions: Map<string, ReturnType<typeof parseSuppressions>>,
  baseline: Set<string>,
): { issues: Issue[]; suppressed: Issue[] } {
  const issues: Issue[] = [];
  const suppressed: Issue[] = [];
  const occurrences = new Map<string, number>();
  let n = 0;
  for (const f of findings) {
    const snippet = redactSecrets(f.snippet).slice(0, 300);
    const occKey = `${f.rule.meta.id}|${f.file}|${snippet.replace(/\s+/g, ' ')}`;
    const occurrence = occurrences.get(occKey) ?? 0;
    occurrences.set(occKey, occurrence + 1);
    const issue: Issue = {
      id: '',
      type: owaspType(f.rule.meta.owasp),
      rule: f.rule.meta.id,
      severity: f.severity,
      title: f.rule.meta.title,
      description: redactSecrets(f.message),
      file: f.file,
      line: f.line,
      column: f.column,
      end_line: f.endLine,
      code_snippet: snippet,
      fix: f.rule.meta.fix,
      owasp: f.rule.meta.owasp,
      ...(f.rule.meta.asi ? { asi: f.rule.meta.asi } : {}),
      cwe: f.rule.meta.cwe,
      fingerprint: fingerprint({ rule: f.rule.meta.id, file: f.file, snippet, occurrence }),
      ...(f.source ? { source: { kind: f.source.kind, line: f.source.line, description: redactSecrets(f.source.what) } } : {}),
    };
    const inline = isSuppressed(issue, suppressions.get(f.file) ?? new Map());
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
