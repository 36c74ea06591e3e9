import { open, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import type { AgentcopConfig } from './config.js';
import type { Notice, SourceFile } from './types.js';

export type Language =
  | 'python'
  | 'notebook'
  | 'javascript'
  | 'typescript'
  | 'tsx'
  | 'requirements'
  | 'pyproject'
  | 'package-json'
  | 'mcp-config'
  | 'instructions'
  | 'claude-settings';

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Folders that hold other people's code or build output: findings there are not the user's to fix. */
export const DEFAULT_IGNORED_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  'venv',
  '.venv',
  'env',
  '__pycache__',
  'dist',
  'build',
  'site-packages',
  '.tox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
]);

/** A path the user named does not exist or cannot be read: a usage error, not a finding. */
export class PathError extends Error {}

const EXTENSIONS: Record<string, Language> = {
  '.py': 'python',
  '.ipynb': 'notebook',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
};

// Windsurf keeps its servers in `mcp_config.json`, Cline in `cline_mcp_settings.json`, Gemini CLI in `.gemini/settings.json`.
const MCP_CONFIGS = new Set(['mcp.json', '.mcp.json', 'claude_desktop_config.json', 'mcp_config.json', 'cline_mcp_settings.json']);
// Also GitHub Copilot's and Gemini CLI's instruction files, and OpenClaw's HEARTBEAT.md (the periodic
// task list Moltbook agents are told to extend).
const INSTRUCTION_FILES = new Set(['skill.md', 'agents.md', 'claude.md', '.cursorrules', '.windsurfrules', 'copilot-instructions.md', 'gemini.md', 'heartbeat.md']);

export function languageOf(relPath: string): Language | null {
  const p = relPath.replace(/\\/g, '/');
  const base = p.slice(p.lastIndexOf('/') + 1);
  const lower = base.toLowerCase();
  const parent = p.split('/').slice(-2, -1)[0] ?? '';

  if (parent === '.claude' && (lower === 'settings.json' || lower === 'settings.local.json')) return 'claude-settings';
  if (MCP_CONFIGS.has(lower) || (parent === '.gemini' && lower === 'settings.json')) return 'mcp-config';
  if (lower === 'package.json') return 'package-json';
  if (lower === 'pyproject.toml') return 'pyproject';
  if (/^requirements.*\.txt$/.test(lower) || (parent === 'requirements' && lower.endsWith('.txt'))) return 'requirements';
  if (INSTRUCTION_FILES.has(lower) || lower.endsWith('.prompt.md') || lower.endsWith('.instructions.md')) return 'instructions';
  // Cursor project rules: Markdown with front matter under .cursor/rules/.
  if (lower.endsWith('.mdc') && /(^|\/)\.cursor\/rules\//.test(p)) return 'instructions';
  // Declaration files describe types only; there is no behaviour in them to flag.
  if (/\.d\.[cm]?ts$/.test(lower)) return null;
  const dot = lower.lastIndexOf('.');
  return dot > 0 ? (EXTENSIONS[lower.slice(dot)] ?? null) : null;
}

export function isSupportedFile(relPath: string): boolean {
  return languageOf(relPath) !== null;
}

export interface CollectOptions {
  config?: AgentcopConfig;
  maxFileBytes?: number;
}

export interface CollectResult {
  root: string;
  files: SourceFile[];
  notices: Notice[];
}

/**
 * The directory that relative paths (and `.agentcop.yml`) are taken from: the one directory given,
 * a single file's folder, or the deepest folder holding every path given.
 */
export async function resolveRoot(paths: string[]): Promise<string> {
  const dirs: string[] = [];
  for (const p of paths.length ? paths : ['.']) {
    const abs = path.resolve(p);
    const st = await statOrThrow(p, abs);
    dirs.push(st.isDirectory() ? abs : path.dirname(abs));
  }
  return dirs.reduce(commonDir);
}

export async function collectFiles(paths: string[], opts: CollectOptions = {}): Promise<CollectResult> {
  const inputs = paths.length ? paths : ['.'];
  const root = await resolveRoot(inputs);
  const maxBytes = opts.maxFileBytes ?? opts.config?.max_file_size ?? DEFAULT_MAX_FILE_BYTES;
  const ignored = globMatcher(opts.config?.ignore);
  const wanted = opts.config?.paths?.length ? globMatcher(opts.config.paths) : null;
  const notices: Notice[] = [];
  const found = new Map<string, string>(); // rel -> abs; one entry even when inputs overlap

  for (const input of inputs) {
    const abs = path.resolve(input);
    const st = await statOrThrow(input, abs);
    if (st.isDirectory()) {
      await walk(abs, root, ignored, wanted, found);
      continue;
    }
    // A file named on the command line is scanned even inside an ignored folder: the user asked for it.
    const rel = toRel(root, abs);
    if (isSupportedFile(rel)) found.set(rel, abs);
    else notices.push({ file: rel, kind: 'skipped', message: 'not a file type AgentCop scans' });
  }

  const files: SourceFile[] = [];
  const entries = [...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // Bounded parallelism: fast on big trees without exhausting file descriptors.
  const loaded = await mapLimit(entries, 16, ([rel, abs]) => load(rel, abs, maxBytes));
  for (const r of loaded) {
    if (r.notice) notices.push(r.notice);
    if (r.file) files.push(r.file);
  }
  return { root, files, notices };
}

async function walk(
  start: string,
  root: string,
  ignored: Matcher,
  wanted: Matcher | null,
  found: Map<string, string>,
): Promise<void> {
  // Iterative, so a deep tree cannot overflow the stack; real paths guard against symlink loops.
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const dir = stack.pop()!;
    const real = await realpath(dir).catch(() => dir);
    if (seen.has(real)) continue;
    seen.add(real);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable folder: nothing we can scan there
    }
    // A virtualenv is vendored code whatever it is called.
    if (dir !== start && entries.some((e) => e.name === 'pyvenv.cfg' && e.isFile())) continue;
    const subdirs: string[] = [];
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      const rel = toRel(root, abs);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await stat(abs).catch(() => null);
        if (!target) continue;
        isDir = target.isDirectory();
        isFile = target.isFile();
      }
      if (isDir) {
        if (DEFAULT_IGNORED_DIRS.has(entry.name) || ignored(rel)) continue;
        subdirs.push(abs);
      } else if (isFile) {
        if (!isSupportedFile(rel) || ignored(rel)) continue;
        if (wanted && !wanted(rel)) continue;
        found.set(rel, abs);
      }
    }
    // Reverse so the stack pops folders in name order.
    stack.push(...subdirs.sort().reverse());
  }
}

interface Loaded {
  file?: SourceFile;
  notice?: Notice;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

async function load(rel: string, abs: string, maxBytes: number): Promise<Loaded> {
  try {
    const st = await stat(abs);
    if (st.size > maxBytes) {
      return { notice: { file: rel, kind: 'skipped', message: `larger than ${maxBytes} bytes (${st.size}); raise max_file_size to scan it` } };
    }
    if (await looksBinary(abs)) return { notice: { file: rel, kind: 'skipped', message: 'binary file' } };
    const bytes = await readFile(abs);
    try {
      return { file: { path: rel, content: strictUtf8.decode(bytes) } };
    } catch {
      return {
        file: { path: rel, content: lenientUtf8.decode(bytes) },
        notice: { file: rel, kind: 'parse_error', message: 'not valid UTF-8: invalid bytes were replaced before scanning' },
      };
    }
  } catch (err) {
    return { notice: { file: rel, kind: 'skipped', message: `could not be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` } };
  }
}

async function looksBinary(abs: string): Promise<boolean> {
  const fh = await open(abs, 'r');
  try {
    const buf = Buffer.alloc(8192);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).includes(0);
  } finally {
    await fh.close();
  }
}

type Matcher = (rel: string) => boolean;

/**
 * Globs relative to the root. A pattern without a slash matches a name at any depth (as in
 * .gitignore), and a folder pattern also covers everything inside it.
 */
function globMatcher(patterns: string[] | undefined): Matcher {
  const cleaned = (patterns ?? []).map((p) => p.trim().replace(/\\/g, '/').replace(/^\.\//, '')).filter(Boolean);
  if (!cleaned.length) return () => false;
  const expanded = cleaned.flatMap((p) => {
    const bare = p.replace(/\/+$/, '');
    return bare.endsWith('**') ? [bare] : [bare, `${bare}/**`];
  });
  // picomatch's own `basename` option also changes how slashed patterns match, so split them.
  const full = picomatch(expanded, { dot: true });
  const names = cleaned.filter((p) => !p.replace(/\/+$/, '').includes('/'));
  const byName = names.length ? picomatch(names.map((p) => p.replace(/\/+$/, '')), { dot: true }) : () => false;
  return (rel) => full(rel) || rel.split('/').some((segment) => byName(segment));
}

async function statOrThrow(given: string, abs: string) {
  try {
    return await stat(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new PathError(`path not found: ${given}`);
    throw new PathError(`cannot read ${given}: ${code ?? (err as Error).message}`);
  }
}

function toRel(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}

function commonDir(a: string, b: string): string {
  const as = a.split(path.sep);
  const bs = b.split(path.sep);
  let i = 0;
  while (i < as.length && i < bs.length && as[i] === bs[i]) i++;
  return as.slice(0, i).join(path.sep) || path.sep;
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Which of these repository-relative paths a scan covers: supported types, outside the
 * default-ignored folders, not matched by `ignore`, matched by `paths` when given. Sorted and
 * deduplicated. Pure, for callers that know the paths but have no checkout (the GitHub App).
 */
export function selectPaths(rels: readonly string[], config: AgentcopConfig | undefined): string[] {
  const ignored = globMatcher(config?.ignore);
  const wanted = config?.paths?.length ? globMatcher(config.paths) : null;
  return [...new Set(rels.map((r) => r.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '')))]
    .filter((rel) => {
      if (!rel || rel.startsWith('../') || path.isAbsolute(rel)) return false;
      const parts = rel.split('/');
      for (let i = 1; i < parts.length; i++) {
        if (DEFAULT_IGNORED_DIRS.has(parts[i - 1]) || ignored(parts.slice(0, i).join('/'))) return false;
      }
      return isSupportedFile(rel) && !ignored(rel) && (!wanted || wanted(rel));
    })
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The files among `rels` (relative to `root`) that a walk of `root` would have collected: the same
 * supported types, default-ignored folders, `ignore` and `paths` globs, size and binary checks.
 * For callers that already know which files matter (a pull request's changed files), so they
 * need not read the whole tree, and a changed file in an ignored folder stays ignored.
 */
export async function collectSelected(root: string, rels: string[], opts: CollectOptions = {}): Promise<CollectResult> {
  const maxBytes = opts.maxFileBytes ?? opts.config?.max_file_size ?? DEFAULT_MAX_FILE_BYTES;
  const selected = selectPaths(rels, opts.config);
  const files: SourceFile[] = [];
  const notices: Notice[] = [];
  const loaded = await mapLimit(selected, 16, (rel) => load(rel, path.join(root, ...rel.split('/')), maxBytes));
  for (const r of loaded) {
    if (r.notice) notices.push(r.notice);
    if (r.file) files.push(r.file);
  }
  return { root, files, notices };
}
