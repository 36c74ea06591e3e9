/**
 * Inline suppressions and baseline files.
 *
 *   # agentcop: ignore[output-handling/shell-injection, LLM01] the command comes from a fixed menu
 *   // agentcop: ignore[LLM05] reason
 *   # agentcop: ignore                      (every rule)
 *
 * on the issue's own line, or alone on the line just above it. Only comment text counts: a
 * directive inside a string is data, and letting data switch findings off would hand attackers
 * (and prompt text) an off switch. So each source is run through a small quote-aware lexer that
 * knows line comments, block comments and multi-line strings; it reads comments, never code.
 */

export interface Suppression {
  /** Rule ids, rule categories (`output-handling` or `output-handling/*`), `LLMxx`, `ASIxx`; or every rule. */
  targets: string[] | 'all';
  reason: string;
}

/** A suppression as found in a file: `commentOnly` says whether it may reach down to the next line. */
export type LineSuppression = Suppression & { commentOnly: boolean };

/**
 * `python`: `#` comments and triple-quoted strings. `javascript`: `//` and `/* *\/` comments,
 * template literals and regex literals. `auto` (the default) accepts both, which is right for
 * everything the scanner reads (config files and manifests use `#` too).
 */
export type CommentSyntax = 'python' | 'javascript' | 'auto';

export interface ParseSuppressionsOptions {
  syntax?: CommentSyntax;
}

const DIRECTIVE = /(?:^|[^\w-])agentcop[ \t]*:[ \t]*ignore(?![\w-])(?:[ \t]*\[(?<targets>[^\]\n]*)\])?(?<reason>.*)$/i;

/** Keywords after which `/` starts a regex literal rather than dividing. */
const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);
const REGEX_AFTER_CHAR = new Set([...'(,=:[!&|?{};+-*%<>~^']);

const MAX_REGEX_LITERAL = 256;

type Open = null | '"""' | "'''" | '`' | '/*' | '"' | "'";

/** Carries string and block-comment state from one line to the next. */
class CommentLexer {
  private open: Open = null;

  constructor(private readonly syntax: CommentSyntax) {}

  reset(): void {
    this.open = null;
  }

  /** The comment text on `line` (several comments joined by a space), or null when there is none. */
  line(line: string): { text: string; commentOnly: boolean } | null {
    const py = this.syntax !== 'javascript';
    const js = this.syntax !== 'python';
    const n = line.length;
    const parts: string[] = [];
    let sawCode = false;
    let i = 0;
    while (i < n) {
      if (this.open === '/*') {
        const end = line.indexOf('*/', i);
        parts.push(line.slice(i, end < 0 ? n : end));
        if (end < 0) return finish();
        this.open = null;
        i = end + 2;
        continue;
      }
      if (this.open) {
        sawCode = true;
        i = this.skipString(line, i);
        continue;
      }
      const ch = line[i];
      if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\v') {
        i++;
        continue;
      }
      if (py && (line.startsWith('"""', i) || line.startsWith("'''", i))) {
        this.open = line.slice(i, i + 3) as Open;
        sawCode = true;
        i += 3;
        continue;
      }
      if (ch === '"' || ch === "'" || (js && ch === '`')) {
        this.open = ch;
        sawCode = true;
        i++;
        continue;
      }
      // `this.#field` is a JavaScript private name, not a comment.
      if (ch === '#' && py && !(js && line[i - 1] === '.')) {
        parts.push(line.slice(i + 1));
        return finish();
      }
      if (js && ch === '/') {
        const next = line[i + 1];
        if (next === '/') {
          parts.push(line.slice(i + 2));
          return finish();
        }
        if (next === '*') {
          this.open = '/*';
          i += 2;
          continue;
        }
        if (regexMayStart(line, i)) {
          const end = regexEnd(line, i);
          if (end > 0) {
            sawCode = true;
            i = end;
            continue;
          }
        }
      }
      // HTML comments, for Markdown instruction files read in `auto`.
      if (js && py && line.startsWith('<!--', i)) {
        const end = line.indexOf('-->', i + 4);
        parts.push(line.slice(i + 4, end < 0 ? n : end));
        if (end < 0) return finish();
        i = end + 3;
        continue;
      }
      sawCode = true;
      i++;
    }
    return finish();

    function finish(): { text: string; commentOnly: boolean } | null {
      return parts.length ? { text: parts.join(' '), commentOnly: !sawCode } : null;
    }
  }

  /** Advances past string content from `i`; single-quoted strings end with the line unless continued by `\`. */
  private skipString(line: string, i: number): number {
    const close = this.open as string;
    const n = line.length;
    while (i < n) {
      const ch = line[i];
      if (ch === '\\') {
        i += 2;
        continue;
      }
      if (line.startsWith(close, i)) {
        this.open = null;
        return i + close.length;
      }
      i++;
    }
    if ((close === '"' || close === "'") && !line.endsWith('\\')) this.open = null;
    return n;
  }
}

/** Whether `/` at `i` can open a regex literal, judged from the code just before it on the line. */
function regexMayStart(line: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && (line[j] === ' ' || line[j] === '\t')) j--;
  if (j < 0) return true;
  const c = line[j];
  if (REGEX_AFTER_CHAR.has(c)) return true;
  if (!/[\w$]/.test(c)) return false;
  let k = j;
  while (k >= 0 && /[\w$]/.test(line[k])) k--;
  return REGEX_AFTER_WORD.has(line.slice(k + 1, j + 1));
}

/**
 * The index just past a regex literal starting at `i`, or -1 when it does not close on this line.
 * The look-ahead is capped: without a cap, a line of unclosed `=/[` would be rescanned from every
 * slash, quadratic in the line's length.
 */
function regexEnd(line: string, i: number): number {
  let inClass = false;
  const limit = Math.min(line.length, i + MAX_REGEX_LITERAL);
  for (let j = i + 1; j < limit; j++) {
    const ch = line[j];
    if (ch === '\\') {
      j++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
    } else if (ch === '[') inClass = true;
    else if (ch === '/') {
      let k = j + 1;
      while (k < line.length && /[a-z]/i.test(line[k])) k++;
      return k;
    }
  }
  return -1;
}

function directiveIn(comment: string): Suppression | null {
  const m = DIRECTIVE.exec(comment);
  if (!m) return null;
  const reason = m.groups!.reason
    .replace(/(?:-->|\*\/)\s*$/, '')
    .trim()
    .replace(/^[-:—–,;]+\s*/, '')
    .trim()
    .slice(0, 500);
  const raw = m.groups!.targets;
  if (raw === undefined) return { targets: 'all', reason };
  const targets = raw.split(/[\s,]+/).filter(Boolean);
  // `ignore[]` names nothing: silencing everything on a typo would be the wrong way to fail.
  if (targets.length === 0) return null;
  if (targets.some((t) => t === '*' || t.toLowerCase() === 'all')) return { targets: 'all', reason };
  return { targets, reason };
}

/** A notebook's cells sit in JSON strings; their comments are only visible once decoded. */
function isNotebook(source: string): boolean {
  if (!/^\s*\{/.test(source) || !source.includes('"cells"')) return false;
  try {
    return Array.isArray((JSON.parse(source) as { cells?: unknown }).cells);
  } catch {
    return false;
  }
}

const JSON_STRING_LINE = /^\s*("(?:[^"\\]|\\.)*")\s*,?\s*$/;

/**
 * Suppressions by 1-based line. For `.ipynb` text the lines are the notebook file's own lines
 * (where findings point), and each cell's source strings are decoded before reading comments.
 */
export function parseSuppressions(source: string, options: ParseSuppressionsOptions = {}): Map<number, LineSuppression> {
  const out = new Map<number, LineSuppression>();
  if (!/agentcop/i.test(source)) return out;
  const lines = source.split('\n');

  if (isNotebook(source)) {
    const lexer = new CommentLexer('python');
    lines.forEach((line, i) => {
      const m = JSON_STRING_LINE.exec(line);
      if (!m) {
        // Between cells: nothing of one cell's strings carries into the next.
        lexer.reset();
        return;
      }
      let code: string;
      try {
        code = JSON.parse(m[1]) as string;
      } catch {
        return;
      }
      const codeLines = code.replace(/\n$/, '').split('\n');
      codeLines.forEach((codeLine) => {
        const c = lexer.line(codeLine);
        if (!c || out.has(i + 1)) return;
        const s = directiveIn(c.text);
        // Several code lines in one JSON line share a file line, so none of them stands alone.
        if (s) out.set(i + 1, { ...s, commentOnly: c.commentOnly && codeLines.length === 1 });
      });
    });
    return out;
  }

  const lexer = new CommentLexer(options.syntax ?? 'auto');
  lines.forEach((line, i) => {
    const c = lexer.line(line);
    if (!c) return;
    const s = directiveIn(c.text);
    if (s) out.set(i + 1, { ...s, commentOnly: c.commentOnly });
  });
  return out;
}

function targetMatches(target: string, issue: { rule: string; owasp: string; asi?: string; type?: string }): boolean {
  const t = target.toLowerCase();
  const rule = issue.rule.toLowerCase();
  if (t === rule) return true;
  const owasp = /^llm(\d{1,2})$/.exec(t);
  if (owasp) return issue.owasp.toUpperCase() === `LLM${owasp[1].padStart(2, '0')}`;
  const asi = /^asi(\d{1,2})$/.exec(t);
  if (asi) return issue.asi?.toUpperCase() === `ASI${asi[1].padStart(2, '0')}`;
  if (issue.type && t === issue.type.toLowerCase()) return true;
  const category = t.endsWith('/*') ? t.slice(0, -2) : t;
  return !category.includes('/') && rule.startsWith(`${category}/`);
}

/**
 * On the issue's own line, or on a comment-only line just above it: a trailing comment on the
 * line above belongs to that line's code and must not reach further.
 */
export function isSuppressed(
  issue: { rule: string; owasp: string; line: number; asi?: string; type?: string },
  map: ReadonlyMap<number, Suppression & { commentOnly?: boolean }>,
): { justification: string; line: number } | null {
  const candidates: [number, (Suppression & { commentOnly?: boolean }) | undefined][] = [
    [issue.line, map.get(issue.line)],
    [issue.line - 1, map.get(issue.line - 1)],
  ];
  for (const [line, s] of candidates) {
    if (!s) continue;
    if (line !== issue.line && s.commentOnly !== true) continue;
    if (s.targets === 'all' || s.targets.some((t) => targetMatches(t, issue))) {
      return { justification: s.reason || 'suppressed inline without a reason', line };
    }
  }
  return null;
}

export class BaselineError extends Error {
  override name = 'BaselineError';
}

const FINGERPRINT = /^[0-9a-f]{16,64}$/i;
const BASELINE_SHAPE = 'expected {"version": 1, "fingerprints": ["<fingerprint>", …]} or a plain array of fingerprints (write one with `agentcop scan --write-baseline FILE`)';

/** Fingerprints from a baseline file: `{"version":1,"fingerprints":[…]}` or a plain array. */
export function readBaseline(text: string): Set<string> {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed) throw new BaselineError(`baseline is empty; ${BASELINE_SHAPE}`);
  let data: unknown;
  try {
    data = JSON.parse(trimmed);
  } catch (err) {
    throw new BaselineError(`baseline is not valid JSON (${(err as Error).message}); ${BASELINE_SHAPE}`);
  }
  let list: unknown;
  if (Array.isArray(data)) list = data;
  else if (data !== null && typeof data === 'object') {
    const doc = data as { version?: unknown; fingerprints?: unknown };
    if (doc.version !== undefined && doc.version !== 1) {
      throw new BaselineError(`baseline version ${JSON.stringify(doc.version)} is not supported (this agentcop reads version 1)`);
    }
    if (!('fingerprints' in doc)) throw new BaselineError(`baseline has no "fingerprints" list; ${BASELINE_SHAPE}`);
    list = doc.fingerprints;
  }
  if (!Array.isArray(list)) throw new BaselineError(`baseline is a ${describe(data)}; ${BASELINE_SHAPE}`);
  const out = new Set<string>();
  list.forEach((f, i) => {
    if (typeof f !== 'string' || !FINGERPRINT.test(f)) {
      throw new BaselineError(`baseline entry ${i} is not a fingerprint (got ${JSON.stringify(f)?.slice(0, 80)}); ${BASELINE_SHAPE}`);
    }
    out.add(f.toLowerCase());
  });
  return out;
}

/** Sorted and de-duplicated, so regenerating an unchanged baseline leaves the file byte-identical. */
export function writeBaseline(fingerprints: Iterable<string>): string {
  const list = [...new Set([...fingerprints].map((f) => f.toLowerCase()))].sort();
  return `${JSON.stringify({ version: 1, fingerprints: list }, null, 2)}\n`;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object without a fingerprints list' : typeof v;
}
