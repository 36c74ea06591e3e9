/**
 * One file in, its findings out. Everything here is serialisable, so the same function runs in
 * the main thread or in a worker of the scan pool, and the merge step cannot tell the difference.
 */
import type { Notice, Permissions, Severity, SourceFile } from './types.js';
import type { AgentcopConfig } from './config.js';
import { loadGrammar, parse } from './parse/index.js';
import { analysePython, type PyModel } from './flow/python.js';
import { analyseJavaScript } from './flow/javascript.js';
import { allRules } from './rules/index.js';
import type { Finding, Rule, RuleLanguage } from './rules/types.js';
import { DEFAULT_MAX_FILE_BYTES, languageOf } from './files.js';
import { notebookToPython, NotebookError } from './notebook.js';
import { permissionsOf } from './permissions.js';
import { parseSuppressions, type Suppression } from './suppress.js';
import { JsonParseError, parseJsonc, type JsonNode } from './parse/jsonc.js';
import { mentionsMoltbook } from './frameworks/moltbook.js';

export interface FileScanOptions {
  config: AgentcopConfig;
  /** Frameworks named by the caller (hint, config): every file's rules see them. */
  frameworks: string[];
  maxFileBytes?: number;
  fileBudgetMs?: number;
}

export interface FileFinding {
  rule: string;
  line: number;
  column: number;
  endLine: number;
  snippet: string;
  message: string;
  severity: Severity;
  source?: { kind: string; line: number; what: string };
}

export interface FileScan {
  path: string;
  scanned: boolean;
  findings: FileFinding[];
  notices: Notice[];
  frameworks: string[];
  permissions: Permissions | null;
  suppressions: [number, Suppression & { commentOnly: boolean }][];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Lenient = new TextDecoder('utf-8');

export async function prepareEngine(): Promise<void> {
  await Promise.all([loadGrammar('python'), loadGrammar('javascript'), loadGrammar('typescript'), loadGrammar('tsx')]);
}

export function activeRules(config: AgentcopConfig): Rule[] {
  const overrides = config.rules ?? {};
  const out: Rule[] = [];
  for (const rule of allRules()) {
    const o = overrides[rule.meta.id] ?? overrides[rule.meta.owasp];
    if (o === 'off') continue;
    if (!o) {
      out.push(rule);
      continue;
    }
    const severity = o as Severity;
    // A configured severity is the user's word: it also wins over a severity the rule picks per
    // finding (the advisory rule takes each advisory's own, for example).
    out.push({ ...rule, meta: { ...rule.meta, severity }, check: (ctx) => rule.check({ ...ctx, report: (f) => ctx.report({ ...f, severity }) }) });
  }
  return out;
}

const rulesCache = new WeakMap<AgentcopConfig, Rule[]>();

/** `prepareEngine` must have resolved first. */
export function scanFile(file: SourceFile, options: FileScanOptions): FileScan {
  const result: FileScan = { path: file.path, scanned: false, findings: [], notices: [], frameworks: [], permissions: null, suppressions: [] };
  const language = languageOf(file.path);
  if (!language) return result;
  const maxBytes = options.maxFileBytes ?? options.config.max_file_size ?? DEFAULT_MAX_FILE_BYTES;
  const decoded = decode(file, maxBytes, result.notices);
  if (decoded === null) return result;
  let rules = rulesCache.get(options.config);
  if (!rules) {
    rules = activeRules(options.config);
    rulesCache.set(options.config, rules);
  }
  result.scanned = true;
  result.suppressions = [...parseSuppressions(decoded)];
  const lines = decoded.split('\n');
  const frameworks = new Set(options.frameworks);

  const reporterFor = (rule: Rule, mapLine: (n: number) => number, srcLines: string[]) => (f: Finding) => {
    const line = f.line ?? f.node?.line ?? 1;
    const mapped = mapLine(line);
    const onNodeLine = f.node !== undefined && f.node.line === line;
    result.findings.push({
      rule: rule.meta.id,
      line: mapped,
      column: f.column ?? (onNodeLine ? f.node!.column : 1),
      endLine: Math.max(mapped, mapLine(f.endLine ?? (onNodeLine ? f.node!.endLine : line))),
      snippet: (srcLines[line - 1] ?? '').trim(),
      message: f.message ?? rule.meta.description,
      severity: f.severity ?? rule.meta.severity,
      ...(f.source ? { source: { kind: f.source.kind, line: mapLine(f.source.line), what: f.source.what } } : {}),
    });
  };

  if (language === 'python' || language === 'notebook') {
    let code = decoded;
    let mapLine = (n: number) => n;
    if (language === 'notebook') {
      try {
        const nb = notebookToPython(decoded);
        code = nb.code;
        mapLine = (n: number) => nb.lineMap[n - 1] ?? n;
      } catch (err) {
        if (!(err instanceof NotebookError)) throw err;
        result.notices.push({ file: file.path, kind: 'parse_error', message: err.message });
        return result;
      }
    }
    const parsed = parse('python', code, options.fileBudgetMs ?? 5000);
    if (parsed.timedOut) result.notices.push({ file: file.path, kind: 'timeout', message: 'parsing stopped at the time budget; findings cover what was parsed' });
    else if (parsed.hasError) result.notices.push({ file: file.path, kind: 'parse_error', message: 'syntax errors: the parser recovered and the rest of the file was analysed' });
    const model = analysePython(parsed);
    for (const fw of model.frameworks) frameworks.add(fw);
    result.frameworks = [...model.frameworks];
    // Moltbook agents talk to a REST API, not an SDK: its URLs and names are the import to look for.
    if (!model.frameworks.has('moltbook') && mentionsMoltbook(code)) {
      frameworks.add('moltbook');
      result.frameworks.push('moltbook');
    }
    result.permissions = permissionsOf([model]);
    // Snippets come from the analysed code, so notebooks show the cell line, not its JSON string.
    const codeLines = language === 'notebook' ? code.split('\n') : lines;
    runRules(rules, 'python', file.path, code, model, frameworks, (rule) => reporterFor(rule, mapLine, codeLines), result.notices);
  } else if (language === 'javascript' || language === 'typescript' || language === 'tsx') {
    // JSX is part of the JavaScript grammar; TSX needs its own TypeScript grammar.
    const parsed = parse(language, decoded, options.fileBudgetMs ?? 5000);
    if (parsed.timedOut) result.notices.push({ file: file.path, kind: 'timeout', message: 'parsing stopped at the time budget; findings cover what was parsed' });
    else if (parsed.hasError) result.notices.push({ file: file.path, kind: 'parse_error', message: 'syntax errors: the parser recovered and the rest of the file was analysed' });
    const ruleLanguage = language === 'javascript' ? 'javascript' : 'typescript';
    const model = analyseJavaScript(parsed, ruleLanguage);
    for (const fw of model.frameworks) frameworks.add(fw);
    result.frameworks = [...model.frameworks];
    if (!model.frameworks.has('moltbook') && mentionsMoltbook(decoded)) {
      frameworks.add('moltbook');
      result.frameworks.push('moltbook');
    }
    result.permissions = permissionsOf([model]);
    runRules(rules, ruleLanguage, file.path, decoded, model, frameworks, (rule) => reporterFor(rule, (n) => n, lines), result.notices);
  } else if (language === 'requirements' || language === 'pyproject' || language === 'package-json') {
    let json: JsonNode | undefined;
    if (language === 'package-json') {
      try {
        json = parseJsonc(decoded);
      } catch (err) {
        if (!(err instanceof JsonParseError)) throw err;
        result.notices.push({ file: file.path, kind: 'parse_error', message: `not valid JSON (${err.message}): dependencies were not checked` });
      }
    }
    runRules(rules, language, file.path, decoded, undefined, frameworks, (rule) => reporterFor(rule, (n) => n, lines), result.notices, json);
  } else if (language === 'mcp-config' || language === 'claude-settings' || language === 'instructions') {
    let json: JsonNode | undefined;
    if (language !== 'instructions') {
      try {
        json = parseJsonc(decoded);
      } catch (err) {
        if (!(err instanceof JsonParseError)) throw err;
        // Text checks (hidden Unicode) still run; the structural ones need the document.
        result.notices.push({ file: file.path, kind: 'parse_error', message: `not valid JSON (${err.message}): only text checks ran` });
      }
    }
    if (mentionsMoltbook(decoded)) {
      frameworks.add('moltbook');
      result.frameworks = ['moltbook'];
    }
    runRules(rules, language, file.path, decoded, undefined, frameworks, (rule) => reporterFor(rule, (n) => n, lines), result.notices, json);
  }
  return result;
}

function decode(file: SourceFile, maxBytes: number, notices: Notice[]): string | null {
  const size = typeof file.content === 'string' ? Buffer.byteLength(file.content) : file.content.length;
  if (size > maxBytes) {
    notices.push({ file: file.path, kind: 'skipped', message: `larger than ${maxBytes} bytes (${size}); raise max_file_size to scan it` });
    return null;
  }
  if (typeof file.content === 'string') return file.content;
  if (file.content.subarray(0, 8192).includes(0)) {
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
  json?: JsonNode,
): void {
  for (const rule of rules) {
    if (!rule.meta.languages.includes(language)) continue;
    try {
      rule.check({ file, language, source, model, json, frameworks, report: reporterFor(rule) });
    } catch (err) {
      // One broken rule must not lose the other rules' findings for this file.
      notices.push({ file, kind: 'parse_error', message: `rule ${rule.meta.id} failed: ${(err as Error).message}` });
    }
  }
}
