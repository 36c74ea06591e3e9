/**
 * TypeScript/JavaScript throughput bench: `npm run bench:ts` (also run by `npm run bench`).
 *
 * 1. Corpus: ≥ 2 MiB of agent-style TS/TSX/JS generated under bench/.corpus-ts/ from the JS/TS rule
 *    fixtures and examples (top-level declarations renamed per copy, string literals varied, pieces
 *    concatenated into 20–200 KB files; fixed seed, so every run scans the same bytes).
 * 2. Bare web-tree-sitter parse of the same files (tree deleted) vs a full `scan()` of them, each
 *    best of 3 in MB/s (MB = 10^6 bytes), and the ratio full / bare.
 * Flags: --quick (0.5 MiB), --seed=N, --size-mb=N, --runs=N. Writes bench/last-run.ts.json.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadGrammar, parseTree, type Grammar } from '../engine/parse/index.js';
import { scan } from '../engine/index.js';
import { languageOf } from '../engine/files.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const argv = process.argv.slice(2);
const option = (name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const quick = argv.includes('--quick');
const seed = Number(option('seed') ?? 20261123) >>> 0;
const targetBytes = Math.round(Number(option('size-mb') ?? (quick ? 0.5 : 2)) * 1024 * 1024);
const runs = Math.max(1, Number(option('runs') ?? 3));
const MB = 1e6;

function mulberry32(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (name === 'node_modules' || name.startsWith('.corpus')) return [];
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const EXT = /\.(ts|tsx|js|jsx|mjs|cjs)$/;

/** Source pieces: every JS/TS fixture and example, grouped by extension so TSX stays TSX. */
function seeds(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of [...walk(path.join(repo, 'test', 'fixtures', 'rules')), ...walk(path.join(repo, 'examples'))]) {
    if (!EXT.test(f) || /\.d\.[cm]?ts$/.test(f)) continue;
    const ext = path.extname(f) === '.tsx' || path.extname(f) === '.jsx' ? path.extname(f) : path.extname(f) === '.ts' ? '.ts' : '.js';
    const list = out.get(ext) ?? [];
    list.push(readFileSync(f, 'utf8'));
    out.set(ext, list);
  }
  return out;
}

/** Renames top-level declarations and varies string literals, so copies are not byte-identical. */
function vary(source: string, rng: () => number, tag: string): string {
  const names = new Set<string>();
  for (const m of source.matchAll(/^(?:export\s+)?(?:async\s+)?(?:const|let|var|function|class)\s+([A-Za-z_$][\w$]*)/gm)) names.add(m[1]);
  let out = source;
  for (const n of names) out = out.replace(new RegExp(`\\b${n.replace(/\$/g, '\\$')}\\b`, 'g'), `${n}_${tag}`);
  // Vary model names and numbers so the parser sees fresh literals.
  const models = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'claude-sonnet-4-5', 'claude-haiku-4-5', 'o4-mini'];
  out = out.replace(/'gpt-4o(-mini)?'/g, () => `'${models[Math.floor(rng() * models.length)]}'`);
  return out.replace(/\b(max_tokens|maxOutputTokens|maxTokens): (\d+)/g, (_m, k) => `${k}: ${100 + Math.floor(rng() * 1900)}`);
}

function generate(dir: string): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const rng = mulberry32(seed);
  const pieces = seeds();
  const exts = [...pieces.keys()].sort();
  if (!exts.length) throw new Error('no JS/TS fixtures or examples to build the corpus from');
  const files: string[] = [];
  let total = 0;
  let copy = 0;
  while (total < targetBytes) {
    const ext = exts[Math.floor(rng() * exts.length)];
    const pool = pieces.get(ext)!;
    const want = 20_000 + Math.floor(rng() * 180_000);
    let body = '';
    while (body.length < want) body += `\n// ---- piece ${copy}\n` + vary(pool[Math.floor(rng() * pool.length)], rng, `c${copy++}`);
    const file = path.join(dir, `agent_${String(files.length).padStart(3, '0')}${ext}`);
    writeFileSync(file, body);
    files.push(file);
    total += Buffer.byteLength(body);
  }
  return files;
}

const GRAMMAR: Record<string, Grammar> = { javascript: 'javascript', typescript: 'typescript', tsx: 'tsx' };

async function best(body: () => Promise<void> | void): Promise<{ ms: number; first: number }> {
  let bestMs = Infinity;
  let first = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await body();
    const ms = performance.now() - t0;
    if (i === 0) first = ms;
    bestMs = Math.min(bestMs, ms);
  }
  return { ms: bestMs, first };
}

async function main(): Promise<void> {
  const dir = path.join(here, '.corpus-ts');
  const files = generate(dir);
  const sources = files.map((f) => ({ path: path.relative(dir, f), content: readFileSync(f, 'utf8') }));
  const bytes = sources.reduce((n, s) => n + Buffer.byteLength(s.content), 0);
  await Promise.all((['javascript', 'typescript', 'tsx'] as Grammar[]).map((g) => loadGrammar(g)));
  const grammars = sources.map((s) => GRAMMAR[languageOf(s.path) ?? 'typescript']);
  console.log(`corpus: ${path.relative(process.cwd(), dir)}  ${files.length} files, ${(bytes / MB).toFixed(2)} MB (seed ${seed})`);

  const bare = await best(() => {
    sources.forEach((s, i) => {
      const { tree } = parseTree(grammars[i], s.content, 60_000);
      tree?.delete();
    });
  });
  let issues = 0;
  const full = await best(async () => {
    const r = await scan(sources, {});
    issues = r.total_issues;
  });
  const mbps = (ms: number) => bytes / MB / (ms / 1000);
  const ratio = bare.ms / full.ms;
  console.log(`throughput, best of ${runs} (MB = 10^6 bytes)`);
  console.log(`  bare web-tree-sitter parse   ${mbps(bare.ms).toFixed(2).padStart(7)} MB/s`);
  console.log(`  full scan(), TS/JS           ${mbps(full.ms).toFixed(2).padStart(7)} MB/s   ${issues} issues (1st run ${mbps(full.first).toFixed(2)} MB/s)`);
  console.log(`  full / bare                  ${ratio.toFixed(2)}`);
  const out = path.join(here, quick ? 'last-run.ts.quick.json' : 'last-run.ts.json');
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), seed, files: files.length, bytes, bare_mb_s: mbps(bare.ms), full_mb_s: mbps(full.ms), ratio, issues, runs }, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
