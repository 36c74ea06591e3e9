/**
 * AgentCop throughput bench: `npm run bench` (or `npm run bench -- --quick` for a 1 MiB smoke run).
 *
 * 1. Corpus: ≥ 5 MiB of agent-style Python generated under bench/.corpus/ from variations of the
 *    examples/ projects (identifiers renamed, top-level functions shuffled, literals varied, modules
 *    concatenated into 20–200 KB files; fixed seed, so every run scans the same bytes). With
 *    AGENTCOP_BENCH_DIR set, that directory's .py files are used instead.
 * 2. Bare web-tree-sitter parse (tree deleted; with the library's string input and with the
 *    bounded slices the engine reads, the faster being the ratio's denominator), the engine's
 *    parse + plain-JS copy, and a full `scan()`: each best of 3, in MB/s (MB = 10^6 bytes).
 *    Wall time and CPU time are both reported: on a shared machine CPU time is the steadier figure.
 *    scan() runs the engine compiled with tsc (as the CLI ships it); --source runs the .ts via tsx.
 * 3. Peak RSS (sampled between files, and VmHWM from /proc/self/status).
 * 4. Bandit on the same directory, when `bandit` is on PATH (CPU time and RSS via GNU time).
 * Prints a table and writes bench/last-run.json (--quick writes bench/last-run.quick.json).
 *
 * Flags: --quick, --seed=N, --size-mb=N (MiB to generate), --batch=N (files per scan() call;
 * default all in one call), --runs=N (default 3), --threads=N (worker threads for the second scan
 * measurement; default one per core, 1 skips it), --pairs=N (Bandit runs, each next to a warm scan of
 * ours; default 3, the median ratio is reported), --source, --no-bandit.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, openSync, closeSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Language, Parser } from 'web-tree-sitter';
import { loadGrammar, parse as parseToJs, PARSE_CHUNK } from '../engine/parse/index.js';
import { compiledModule } from './compiled.js';
import { measureRuns, round, type Timing } from './measure.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const require = createRequire(import.meta.url);
const benchStarted = performance.now();

// ---- arguments ---------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(`--${name}`);
const option = (name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const quick = flag('quick');
const seed = Number(option('seed') ?? 20260406) >>> 0;
const targetBytes = Math.round(Number(option('size-mb') ?? (quick ? 1 : 5)) * 1024 * 1024);
const runs = Math.max(1, Number(option('runs') ?? 3));
const batchSize = option('batch') ? Math.max(1, Number(option('batch'))) : Infinity;
const skipBandit = flag('no-bandit');
/** Bandit runs, each beside a warm scan of ours (the first reuses the main Bandit run). */
const pairs = Math.max(1, Number(option('pairs') ?? (quick ? 1 : 3)));
/** Threads for the second scan measurement: 0 = one per core (skipped on one core), 1 = skip. */
const threadCount = Math.max(0, Number(option('threads') ?? 0));
const MB = 1e6;

// ---- peak memory -------------------------------------------------------------------------------

let peakRss = process.memoryUsage.rss();
const sampleRss = (): void => {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
};
function procStatusKb(pid: number | 'self', field: string): number | null {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

// ---- deterministic randomness ------------------------------------------------------------------

function mulberry32(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
function shuffle<T>(rng: Rng, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

// ---- corpus generation -------------------------------------------------------------------------

interface Block {
  kind: 'def' | 'other';
  text: string;
}

/**
 * Splits a module into top-level blocks. A block starts at a column-0 line outside brackets and
 * triple-quoted strings; decorators stay with their function, `else`/`except` with their `if`/`try`.
 */
function topLevelBlocks(source: string): Block[] {
  const lines = source.split('\n');
  const blocks: { kind: Block['kind']; lines: string[] }[] = [];
  let depth = 0;
  let inTriple: string | null = null;
  let pendingDecorator = false;
  for (const line of lines) {
    const atTop = depth === 0 && inTriple === null;
    const startsBlock = atTop && /^[A-Za-z_@"'#]/.test(line) && !/^(else|elif|except|finally)\b/.test(line);
    if (startsBlock && !pendingDecorator && !(line.startsWith('#') && blocks.length > 0 && blocks[blocks.length - 1].kind === 'other' && blocks[blocks.length - 1].lines.at(-1)?.startsWith('#'))) {
      const isDef = /^(@|def |async def |class )/.test(line);
      blocks.push({ kind: isDef ? 'def' : 'other', lines: [] });
    }
    if (blocks.length === 0) blocks.push({ kind: 'other', lines: [] });
    blocks[blocks.length - 1].lines.push(line);
    if (atTop) pendingDecorator = line.startsWith('@');
    // Track brackets and triple-quoted strings across the line.
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (inTriple) {
        if (c === '\\') i++;
        else if (line.startsWith(inTriple, i)) {
          i += 2;
          inTriple = null;
        }
        continue;
      }
      if (c === '#') break;
      if (c === '"' || c === "'") {
        const triple = c.repeat(3);
        if (line.startsWith(triple, i)) {
          inTriple = triple;
          i += 2;
          continue;
        }
        for (i++; i < line.length && line[i] !== c; i++) if (line[i] === '\\') i++;
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    }
  }
  return blocks.map((b) => ({ kind: b.kind, text: b.lines.join('\n') }));
}

const PY_RESERVED = new Set(
  ('False None True and as assert async await break class continue def del elif else except finally for from global if import in ' +
    'is lambda nonlocal not or pass raise return try while with yield self cls print len str int float dict list set tuple bool ' +
    'open range type super object isinstance min max sorted any all sum map filter zip enumerate repr format input exec eval ' +
    'main app').split(' '),
);
const NAME_WORDS = ['acme', 'ops', 'core', 'svc', 'v2', 'prod', 'team', 'tenant', 'local', 'ext', 'beta', 'main', 'eu', 'us', 'lab', 'prime', 'edge', 'hub', 'desk', 'flow'];
const MODELS = ['"gpt-4o"', '"gpt-4o-mini"', '"gpt-4.1"', '"gpt-4.1-mini"', '"o4-mini"', '"claude-sonnet-4-5"', '"claude-haiku-4-5"', '"llama3.1:70b"', '"mistral-large-latest"'];
const KEY_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Names the module defines itself, safe to rename everywhere (never attributes or keyword arguments). */
function renameable(source: string): string[] {
  const defined = new Set<string>();
  for (const m of source.matchAll(/^\s*(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)/gm)) defined.add(m[1]);
  for (const m of source.matchAll(/^\s*([A-Za-z_]\w*)\s*(?::\s*[\w\[\], .]+)?=(?!=)/gm)) defined.add(m[1]);
  for (const m of source.matchAll(/^\s*for\s+([A-Za-z_]\w*)\s+in\b/gm)) defined.add(m[1]);
  const imported = new Set<string>();
  for (const m of source.matchAll(/^\s*(?:from\s+\S+\s+)?import\s+(.+)$/gm)) {
    for (const part of m[1].replace(/[()]/g, '').split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop()?.split('.')[0];
      if (name) imported.add(name);
    }
  }
  return [...defined].filter(
    (n) =>
      n.length >= 3 &&
      !n.startsWith('__') &&
      !PY_RESERVED.has(n) &&
      !imported.has(n) &&
      !new RegExp(`\\.${n}\\b`).test(source) &&
      !new RegExp(`[(,]\\s*${n}\\s*=(?!=)`).test(source) &&
      // a keyword argument on its own line inside a multi-line call
      !new RegExp(`^\\s+${n}=(?!=)`, 'm').test(source),
  );
}

function varyModule(source: string, rng: Rng, label: string): string {
  // Shuffle functions and classes among their own slots; imports and statements keep their place.
  const blocks = topLevelBlocks(source);
  const defs = shuffle(rng, blocks.filter((b) => b.kind === 'def'));
  let d = 0;
  let out = blocks.map((b) => (b.kind === 'def' ? defs[d++] : b).text).join('\n');

  // Rename about two thirds of the module's own identifiers, consistently.
  for (const name of renameable(out)) {
    if (rng() < 0.33) continue;
    const word = pick(rng, NAME_WORDS);
    const renamed = /^[A-Z]/.test(name)
      ? /^[A-Z0-9_]+$/.test(name)
        ? `${name}_${word.toUpperCase()}`
        : `${word[0].toUpperCase()}${word.slice(1)}${name}`
      : rng() < 0.5
        ? `${name}_${word}`
        : `${word}_${name}`;
    out = out.replace(new RegExp(`(?<![\\w.])${name}\\b`, 'g'), renamed);
  }

  // Vary literals: model names, fake keys (regenerated, still fake), integers.
  out = out.replace(/"(gpt-4o-mini|gpt-4o|claude-sonnet-4-5)"/g, () => pick(rng, MODELS));
  out = out.replace(/sk-proj-[A-Za-z0-9]{20,}/g, (k) => 'sk-proj-' + Array.from({ length: k.length - 8 }, () => pick(rng, [...KEY_CHARS])).join(''));
  out = out.replace(/(?<![\w.\-\\])[1-9]\d*(?![\w.])/g, (n) => {
    if (rng() < 0.7) return n;
    const v = Number(n);
    return String(Math.max(1, Math.round(v * (0.5 + rng() * 1.5))));
  });
  return `# ---- ${label} ----\n${out.trimEnd()}\n`;
}

function listPy(dir: string): string[] {
  const skip = new Set(['.git', '.svn', '.hg', '.bzr', 'CVS', '__pycache__', '.tox', '.eggs', 'node_modules']);
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) {
        if (!skip.has(e.name) && !e.name.endsWith('.egg')) walk(path.join(d, e.name));
      } else if (e.isFile() && (e.name.endsWith('.py') || e.name.endsWith('.pyw'))) out.push(path.join(d, e.name));
    }
  };
  walk(dir);
  return out;
}

function generateCorpus(dir: string): { ms: number } {
  const started = performance.now();
  const seedsDir = path.join(repo, 'examples');
  const seeds = listPy(seedsDir).map((f) => ({ label: path.relative(seedsDir, f), text: readFileSync(f, 'utf8') }));
  if (seeds.length === 0) throw new Error('no seed files under examples/');
  rmSync(dir, { recursive: true, force: true });
  const rng = mulberry32(seed);
  let total = 0;
  let fileNo = 0;
  let variant = 0;
  while (total < targetBytes) {
    // File sizes log-uniform between 20 and 200 KB.
    const target = Math.round(20_000 * Math.pow(10, rng()));
    const parts: string[] = [`"""Generated by bench/run.ts (seed ${seed}) from examples/ for throughput measurement."""\n`];
    let size = parts[0].length;
    for (;;) {
      const s = pick(rng, seeds);
      const chunk = varyModule(s.text, rng, `${s.label} variant ${++variant}`);
      const bytes = Buffer.byteLength(chunk);
      if (size >= 20_000 && size + bytes > 200_000) break;
      parts.push(chunk);
      size += bytes;
      if (size >= target) break;
    }
    const pkg = path.join(dir, `agents_${String(Math.floor(fileNo / 8)).padStart(3, '0')}`);
    mkdirSync(pkg, { recursive: true });
    const name = `${pick(rng, ['support', 'ops', 'research', 'notes', 'billing', 'triage', 'ingest', 'planner'])}_${pick(rng, NAME_WORDS)}_${fileNo}.py`;
    const content = parts.join('\n');
    writeFileSync(path.join(pkg, name), content);
    total += Buffer.byteLength(content);
    fileNo++;
  }
  return { ms: performance.now() - started };
}

/**
 * Checks with CPython that every corpus file is valid Python (Bandit skips files it cannot parse),
 * and times CPython's `ast.parse` of them (best of 3, CPU): the parser Bandit's rules run on, so
 * Bandit's throughput over it is the peer's own "full / bare" ratio.
 */
function pythonAstCheck(dir: string): { valid: number; invalid: string[]; parse_cpu_ms: number } | null {
  const py = spawnSync('python3', ['-c', [
    'import ast, os, sys, json, time',
    'bad, texts = [], []',
    'for root, _, names in os.walk(sys.argv[1]):',
    '    for n in names:',
    '        if n.endswith(".py"):',
    '            p = os.path.join(root, n)',
    '            t = open(p, encoding="utf-8").read()',
    '            try:',
    '                ast.parse(t, p); texts.append((t, p))',
    '            except SyntaxError as e:',
    '                bad.append(f"{p}:{e.lineno}: {e.msg}")',
    'best = float("inf")',
    'for _ in range(3):',
    '    t0 = time.process_time()',
    '    for t, p in texts: ast.parse(t, p)',
    '    best = min(best, time.process_time() - t0)',
    'print(json.dumps({"valid": len(texts), "invalid": bad, "parse_cpu_ms": best * 1000}))',
  ].join('\n'), dir], { encoding: 'utf8' });
  if (py.status !== 0 || !py.stdout) return null;
  return JSON.parse(py.stdout) as { valid: number; invalid: string[]; parse_cpu_ms: number };
}

// ---- measurements ------------------------------------------------------------------------------

const measure = (bytes: number, body: () => Promise<void> | void): Promise<Timing> => measureRuns(runs, bytes, body);

async function bareParser(): Promise<Parser> {
  // The engine initialises web-tree-sitter first: it keeps the raw module handle it gets from
  // doing so (engine/parse), and the bare parser then shares that one WASM instance.
  await loadGrammar('python');
  await Parser.init();
  const wasm = path.join(path.dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm');
  const parser = new Parser();
  parser.setLanguage(await Language.load(wasm));
  return parser;
}

async function runBandit(dir: string, bytes: number): Promise<Record<string, unknown> | null> {
  const which = spawnSync('sh', ['-c', 'command -v bandit'], { encoding: 'utf8' });
  if (which.status !== 0) return null;
  const version = spawnSync('bandit', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]?.trim() ?? '?';
  // GNU time, when present, gives Bandit's CPU time and peak RSS; the wall time is ours either way.
  const gnuTime = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;
  const timeFile = path.join(os.tmpdir(), `agentcop-bench-time-${process.pid}.txt`);
  const cmd = ['bandit', '-r', '-q', '-f', 'json', dir];
  const [exe, ...args] = gnuTime ? ['/usr/bin/time', '-f', '%e %U %S %M', '-o', timeFile, ...cmd] : cmd;
  const devnull = openSync('/dev/null', 'w');
  const started = process.hrtime.bigint();
  const child = spawn(exe, args, { stdio: ['ignore', devnull, 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-20_000);
  });
  const code: number = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  closeSync(devnull);
  let cpuMs: number | null = null;
  let peakKb: number | null = null;
  if (gnuTime && existsSync(timeFile)) {
    const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    const [, user, sys, maxKb] = last.split(' ').map(Number);
    if (Number.isFinite(user) && Number.isFinite(sys)) cpuMs = (user + sys) * 1000;
    if (Number.isFinite(maxKb)) peakKb = maxKb;
    rmSync(timeFile, { force: true });
  }
  return {
    version,
    command: cmd.join(' ') + ' > /dev/null',
    exit_code: code, // 1 means "issues found", which is expected here
    wall_ms: round(ms),
    mb_per_s: round(bytes / MB / (ms / 1000), 3),
    cpu_ms: cpuMs === null ? null : round(cpuMs),
    mb_per_cpu_s: cpuMs === null ? null : round(bytes / MB / (cpuMs / 1000), 3),
    peak_rss_mb: peakKb === null ? null : round(peakKb / 1024),
    stderr_tail: stderr.trim().split('\n').slice(-3).join('\n') || undefined,
  };
}

// ---- main --------------------------------------------------------------------------------------

type FullScan = Timing & { issues: number; files_scanned: number; notices: number; batches: number; threads: number };

async function main(): Promise<void> {
  const loadBefore = os.loadavg().map((n) => round(n, 2));
  const external = process.env.AGENTCOP_BENCH_DIR;
  let dir: string;
  let generation: { ms: number } | null = null;
  if (external) {
    dir = path.resolve(external);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`AGENTCOP_BENCH_DIR=${external} is not a directory`);
  } else {
    dir = path.join(here, '.corpus', quick ? 'quick' : `full-${Math.round(targetBytes / 1024)}k`);
    generation = generateCorpus(dir);
  }
  const paths = listPy(dir);
  if (paths.length === 0) throw new Error(`no .py files under ${dir}`);
  const files = paths.map((p) => ({ path: path.relative(dir, p).split(path.sep).join('/'), content: readFileSync(p) }));
  const texts = files.map((f) => f.content.toString('utf8'));
  const bytes = files.reduce((n, f) => n + f.content.length, 0);
  const sizes = files.map((f) => f.content.length).sort((a, b) => a - b);
  const astCheck = pythonAstCheck(dir);
  console.log(`corpus: ${dir}`);
  console.log(
    `  ${files.length} files, ${(bytes / MB).toFixed(2)} MB, file sizes ${(sizes[0] / 1000).toFixed(0)}–${(sizes[sizes.length - 1] / 1000).toFixed(0)} KB` +
      (generation ? `, generated in ${(generation.ms / 1000).toFixed(2)} s (seed ${seed})` : ' (AGENTCOP_BENCH_DIR)') +
      (astCheck ? `; CPython ast: ${astCheck.valid} valid, ${astCheck.invalid.length} invalid` : ''),
  );
  if (astCheck?.invalid.length) console.log(`  first invalid: ${astCheck.invalid.slice(0, 3).join(' | ')}`);
  sampleRss();

  // 1. Bare web-tree-sitter parse.
  const parser = await bareParser();
  // Twice: the library's string input, and the bounded-slice input the engine uses (the same
  // tree, faster). The ratio's denominator is the faster of the two, so the engine's own input
  // trick cannot flatter it.
  const bareString = await measure(bytes, () => {
    for (const text of texts) {
      const tree = parser.parse(text);
      sampleRss();
      tree?.delete();
    }
  });
  const bareChunked = await measure(bytes, () => {
    for (const text of texts) {
      const tree = parser.parse((i) => text.slice(i, i + PARSE_CHUNK));
      sampleRss();
      tree?.delete();
    }
  });
  const bare = bareChunked.cpu_ms < bareString.cpu_ms ? bareChunked : bareString;
  parser.delete();

  // 2. Engine parse: time-budgeted parse + copy into plain JS objects (what every rule walks).
  await loadGrammar('python');
  let nodes = 0;
  const engineParse = await measure(bytes, () => {
    nodes = 0;
    for (const text of texts) {
      nodes += parseToJs('python', text, 60_000).nodeCount;
      sampleRss();
    }
  });

  // 3. Full scan(), as the CLI would call it (Buffers in, one call or batches): single-threaded
  //    (the like-for-like comparison with the bare parse and with Bandit, which uses one core), then
  //    with worker threads, one per core.
  let full: FullScan | null = null;
  let threaded: FullScan | null = null;
  let scanOnce: (() => Promise<{ wall_ms: number; cpu_ms: number }>) | null = null;
  let scanError: string | null = null;
  const cores = os.availableParallelism();
  const engine = compiledModule('engine/index.js', '../engine/index.js', flag('source'));
  try {
    const { scan } = (await import(engine.entry)) as typeof import('../engine/index.js');
    const scanAll = async (threads: number): Promise<FullScan> => {
      let issues = 0;
      let scanned = 0;
      let notices = 0;
      let batches = 0;
      const step = Math.min(batchSize, files.length);
      const t = await measure(bytes, async () => {
        issues = scanned = notices = batches = 0;
        for (let i = 0; i < files.length; i += step) {
          const result = await scan(files.slice(i, i + step), { threads, onProgress: sampleRss });
          issues += result.total_issues;
          scanned += result.files_scanned;
          notices += result.notices.length;
          batches++;
          sampleRss();
        }
      });
      return { ...t, issues, files_scanned: scanned, notices, batches, threads };
    };
    full = await scanAll(1);
    scanOnce = async () => {
      const t = await measureRuns(1, bytes, async () => void (await scan(files, { threads: 1 })));
      return { wall_ms: t.best_ms, cpu_ms: t.cpu_ms };
    };
    if (threadCount > 1 || (threadCount === 0 && cores > 1)) threaded = await scanAll(threadCount || cores);
  } catch (err) {
    scanError = (err as Error).stack?.split('\n').slice(0, 3).join(' / ') ?? String(err);
  }
  sampleRss();
  const vmHwmKb = procStatusKb('self', 'VmHWM');

  // 4. Bandit on the same directory, in pairs with a warm scan of ours: Bandit's own time moves by
  //    a third between runs on this machine, so each ratio compares two runs taken side by side
  //    and the median of the pairs is the figure.
  const bandit = skipBandit ? null : await runBandit(dir, bytes);
  const pairRatios: { wall: number; cpu: number | null; bandit_wall_ms: number; ours_wall_ms: number }[] = [];
  if (bandit && scanOnce) {
    for (let p = 0; p < pairs; p++) {
      const ours = await scanOnce();
      const b = p === 0 ? bandit : await runBandit(dir, bytes);
      if (!b) break;
      const bCpu = b.cpu_ms as number | null;
      pairRatios.push({ wall: round((b.wall_ms as number) / ours.wall_ms, 2), cpu: bCpu === null ? null : round(bCpu / ours.cpu_ms, 2), bandit_wall_ms: b.wall_ms as number, ours_wall_ms: round(ours.wall_ms) });
    }
  }
  const median = (xs: number[]): number | null => {
    if (xs.length === 0) return null;
    const v = [...xs].sort((a, b) => a - b);
    return v.length % 2 ? v[(v.length - 1) / 2] : round((v[v.length / 2 - 1] + v[v.length / 2]) / 2, 2);
  };
  const pairedWall = median(pairRatios.map((r) => r.wall));
  const pairedCpu = median(pairRatios.flatMap((r) => (r.cpu === null ? [] : [r.cpu])));
  const loadAfter = os.loadavg().map((n) => round(n, 2));

  // ---- report ----------------------------------------------------------------------------------
  const banditWall = bandit ? (bandit.wall_ms as number) : null;
  const banditCpu = bandit ? (bandit.cpu_ms as number | null) : null;
  const ratio = full ? round(full.mb_per_s / bare.mb_per_s, 2) : null;
  const ratioCpu = full ? round(full.mb_per_cpu_s / bare.mb_per_cpu_s, 2) : null;
  const speedup = full && banditWall ? round(banditWall / full.best_ms, 1) : null;
  const speedupCold = full && banditWall ? round(banditWall / full.first_ms, 1) : null;
  const speedupCpu = full && banditCpu ? round(banditCpu / full.cpu_ms, 1) : null;
  const speedupThreaded = threaded && banditWall ? round(banditWall / threaded.best_ms, 1) : null;
  // Bandit's own "full / bare": its CPU over CPython's parse of the same files.
  const banditOverParse = banditCpu && astCheck ? round(astCheck.parse_cpu_ms / banditCpu, 2) : null;
  const mark = (ok: boolean): string => (ok ? '  ok' : '  BELOW TARGET');
  const s = (ms: number): string => (ms / 1000).toFixed(2).padStart(6);
  const row = (name: string, t: Timing, extra = ''): string =>
    `  ${name.padEnd(28)} ${s(t.best_ms)} s ${t.mb_per_s.toFixed(2).padStart(7)} MB/s  ${s(t.cpu_ms)} s ${t.mb_per_cpu_s.toFixed(2).padStart(7)} MB/s  ${s(t.first_ms)} s${extra}`;
  console.log(`\nthroughput, best of ${runs} (MB = 10^6 bytes; engine: ${engine.note})`);
  console.log(`  ${''.padEnd(28)} ${'wall'.padStart(8)} ${''.padStart(12)}  ${'cpu'.padStart(8)} ${''.padStart(12)}  ${'1st run'.padStart(8)}`);
  console.log(row('bare parse, string input', bareString, bare === bareString ? '  (denominator)' : ''));
  console.log(row('bare parse, 4 KiB slices', bareChunked, bare === bareChunked ? '  (denominator)' : ''));
  console.log(row('engine parse + copy to JS', engineParse, `  ${(nodes / 1e6).toFixed(2)} M nodes`));
  if (full) console.log(row('full scan(), 1 thread', full, `  ${full.issues} issues, ${full.notices} notices, ${full.batches} call(s)`));
  else console.log(`  full scan()                  FAILED: ${scanError}`);
  if (threaded) console.log(row(`full scan(), ${threaded.threads} threads`, threaded));
  if (ratio !== null) console.log(`  full / bare                  ${ratio.toFixed(2)} wall, ${ratioCpu?.toFixed(2)} cpu   (target ≥ 0.5)${mark(ratio >= 0.5)}`);
  console.log(`memory: peak RSS sampled ${(peakRss / 2 ** 20).toFixed(0)} MiB, VmHWM ${vmHwmKb ? (vmHwmKb / 1024).toFixed(0) + ' MiB' : 'n/a'}`);
  if (bandit) {
    console.log(
      `bandit (${bandit.version}): ${s(banditWall!).trim()} s wall, ${bandit.mb_per_s} MB/s` +
        (banditCpu ? `; ${(banditCpu / 1000).toFixed(2)} s cpu, ${bandit.mb_per_cpu_s} MB/s` : '') +
        `; peak RSS ${bandit.peak_rss_mb ?? '?'} MiB; exit ${bandit.exit_code}`,
    );
    if (speedup !== null) {
      console.log(`  speed-up, 1 thread           ${speedup}× wall (best), ${speedupCold}× wall (1st run)${speedupCpu !== null ? `, ${speedupCpu}× cpu` : ''}   (target ≥ 5×)${mark(speedup >= 5)}`);
    }
    if (speedupThreaded !== null) console.log(`  speed-up, ${threaded!.threads} threads          ${speedupThreaded}× wall (best)`);
    if (pairedWall !== null) {
      console.log(
        `  speed-up, side by side       ${pairedWall}× wall${pairedCpu !== null ? `, ${pairedCpu}× cpu` : ''} (median of ${pairRatios.length} pairs: ` +
          `${pairRatios.map((r) => `${(r.bandit_wall_ms / 1000).toFixed(1)} s / ${(r.ours_wall_ms / 1000).toFixed(2)} s`).join(', ')})${mark(pairedWall >= 5)}`,
      );
    }
    if (banditOverParse !== null) {
      console.log(`  peer ratio: CPython ast.parse ${(astCheck!.parse_cpu_ms / 1000).toFixed(2)} s cpu; bandit / its own parse ${banditOverParse.toFixed(2)} cpu (ours, full / bare: ${ratioCpu?.toFixed(2)} cpu)`);
    }
  } else console.log(skipBandit ? 'bandit: skipped (--no-bandit)' : 'bandit: not on PATH (apt-get install -y bandit)');
  const wall = (performance.now() - benchStarted) / 1000;
  console.log(`load average ${loadBefore.join(' ')} at start, ${loadAfter.join(' ')} at end (${cores} cores); bench wall time ${wall.toFixed(1)} s`);

  const report = {
    created_at: new Date().toISOString(),
    mode: external ? 'external' : quick ? 'quick' : 'full',
    machine: {
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      cpu: os.cpus()[0]?.model ?? '?',
      cores,
      total_mem_mb: Math.round(os.totalmem() / 2 ** 20),
      load_average_start: loadBefore,
      load_average_end: loadAfter,
    },
    corpus: {
      dir: external ? dir : path.relative(repo, dir),
      source: external ? 'AGENTCOP_BENCH_DIR' : 'generated from examples/',
      seed: external ? null : seed,
      files: files.length,
      bytes,
      mb: round(bytes / MB, 2),
      min_file_bytes: sizes[0],
      max_file_bytes: sizes[sizes.length - 1],
      generation_ms: generation ? round(generation.ms) : null,
      cpython_ast: astCheck ? { valid: astCheck.valid, invalid: astCheck.invalid.length, parse_cpu_ms: round(astCheck.parse_cpu_ms) } : null,
    },
    runs,
    engine: engine.note,
    bare_parse: bare,
    bare_parse_string_input: bareString,
    bare_parse_sliced_input: bareChunked,
    engine_parse: { ...engineParse, nodes },
    full_scan: full ?? { error: scanError },
    full_scan_threaded: threaded,
    full_over_bare: ratio,
    full_over_bare_cpu: ratioCpu,
    memory: { peak_rss_sampled_mb: round(peakRss / 2 ** 20), vm_hwm_mb: vmHwmKb ? round(vmHwmKb / 1024) : null },
    bandit,
    speedup_vs_bandit: speedup,
    speedup_vs_bandit_first_run: speedupCold,
    speedup_vs_bandit_cpu: speedupCpu,
    speedup_vs_bandit_threaded: speedupThreaded,
    bandit_over_its_parse_cpu: banditOverParse,
    speedup_vs_bandit_pairs: pairRatios,
    speedup_vs_bandit_paired_wall: pairedWall,
    speedup_vs_bandit_paired_cpu: pairedCpu,
    targets: { full_over_bare: 0.5, speedup_vs_bandit: 5 },
    bench_wall_s: round(wall, 1),
  };
  // A --quick smoke run must not overwrite the record of the last full run.
  const out = path.join(here, quick && !external ? 'last-run.quick.json' : 'last-run.json');
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
  if (!full) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
