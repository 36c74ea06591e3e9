/**
 * Peer bench: ESLint next to AgentCop on the same JavaScript, each measured against its own parser.
 * `npm run bench:peer` (ESLint is not a dependency of ours; install it anywhere first):
 *
 *   npm i --prefix /tmp/agentcop-peer eslint@9 @eslint/js@9 espree
 *   AGENTCOP_PEER_DIR=/tmp/agentcop-peer npm run bench:peer
 *
 * Corpus: hand-written (not minified) .js files of 10–200 KB from this repository's node_modules, in
 * sorted path order up to 5 MB, keeping those espree parses; with AGENTCOP_BENCH_DIR set, that
 * directory's .js files. Rows, each best of 3 by CPU time: espree's parse (with the tokens, comments
 * and locations ESLint asks for), ESLint's recommended rules, a bare web-tree-sitter parse and
 * AgentCop's full scan() (compiled with tsc, as the CLI ships). The figure to compare is each tool's
 * throughput over its own parser's: how much a checker costs on top of reading the code.
 * Writes bench/last-run.peer.json.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadGrammar, parseTree } from '../engine/parse/index.js';
import { compiledModule } from './compiled.js';
import { measureRuns, round, type Timing } from './measure.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const LIMIT = 5e6;
const RUNS = 3;

function corpus(): { path: string; text: string; sourceType: 'module' | 'script' }[] {
  const external = process.env.AGENTCOP_BENCH_DIR;
  const roots = [external ?? path.join(repo, 'node_modules')];
  const out: { path: string; text: string; sourceType: 'module' | 'script' }[] = [];
  let total = 0;
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (total >= LIMIT) return;
      const p = path.join(dir, name);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) {
        if (name !== '.bin' && name !== '.cache') walk(p);
        continue;
      }
      if (!name.endsWith('.js') || name.includes('.min.') || (!external && (st.size < 10_000 || st.size > 200_000))) continue;
      const text = readFileSync(p, 'utf8');
      // Bundles and minified builds have few, very long lines: not the code anyone reviews.
      if (!external && text.split('\n').length < st.size / 200) continue;
      out.push({ path: path.relative(roots[0], p), text, sourceType: 'module' });
      total += Buffer.byteLength(text);
    }
  };
  walk(roots[0]);
  return out;
}

async function main(): Promise<void> {
  const peerDir = process.env.AGENTCOP_PEER_DIR ?? repo;
  const need = path.join(peerDir, 'node_modules', 'eslint');
  if (!existsSync(need)) {
    console.log(`bench:peer skipped: ESLint not found under ${peerDir}/node_modules.`);
    console.log('  npm i --prefix /tmp/agentcop-peer eslint@9 @eslint/js@9 espree && AGENTCOP_PEER_DIR=/tmp/agentcop-peer npm run bench:peer');
    return;
  }
  const peerRequire = createRequire(path.join(peerDir, 'package.json'));
  const load = async (id: string) => import(pathToFileURL(peerRequire.resolve(id)).href);
  const espree = await load('espree');
  const { Linter } = await load('eslint');
  const js = (await load('@eslint/js')).default;
  const eslintVersion = JSON.parse(readFileSync(peerRequire.resolve('eslint/package.json'), 'utf8')).version as string;

  const espreeOptions = (sourceType: string) => ({ ecmaVersion: 'latest', sourceType, range: true, loc: true, tokens: true, comment: true });
  // Files espree cannot read either way are left out, so both tools see the same bytes.
  const files = corpus().filter((f) => {
    for (const sourceType of ['module', 'script'] as const) {
      try {
        espree.parse(f.text, espreeOptions(sourceType));
        f.sourceType = sourceType;
        return true;
      } catch {
        /* try the other goal */
      }
    }
    return false;
  });
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
  console.log(`corpus: ${files.length} .js files, ${(bytes / 1e6).toFixed(2)} MB (${process.env.AGENTCOP_BENCH_DIR ?? 'node_modules, hand-written files'})`);

  const measure = (body: () => Promise<void> | void): Promise<Timing> => measureRuns(RUNS, bytes, body);
  const espreeParse = await measure(() => {
    for (const f of files) espree.parse(f.text, espreeOptions(f.sourceType));
  });
  const globals = Object.fromEntries(['require', 'module', 'exports', 'process', 'console', 'Buffer', '__dirname', '__filename', 'setTimeout', 'clearTimeout', 'setImmediate', 'globalThis'].map((g) => [g, 'writable']));
  const config = (sourceType: string) => [{ ...js.configs.recommended, languageOptions: { ecmaVersion: 'latest', sourceType, globals } }];
  const configs = { module: config('module'), script: config('script') };
  const linter = new Linter();
  let messages = 0;
  const eslint = await measure(() => {
    messages = 0;
    for (const f of files) messages += linter.verify(f.text, configs[f.sourceType]).length;
  });

  await loadGrammar('javascript');
  const bare = await measure(() => {
    for (const f of files) parseTree('javascript', f.text, 60_000).tree?.delete();
  });
  const engine = compiledModule('engine/index.js', '../engine/index.js', process.argv.includes('--source'));
  const { scan } = (await import(engine.entry)) as typeof import('../engine/index.js');
  const sources = files.map((f) => ({ path: f.path, content: f.text }));
  let issues = 0;
  const ours = await measure(async () => {
    issues = (await scan(sources, { threads: 1 })).total_issues;
  });

  const row = (name: string, t: Timing, extra = '') =>
    `  ${name.padEnd(34)} ${(t.cpu_ms / 1000).toFixed(2).padStart(6)} s cpu ${t.mb_per_cpu_s.toFixed(2).padStart(7)} MB/s  (wall ${(t.best_ms / 1000).toFixed(2)} s)${extra}`;
  const eslintRatio = round(espreeParse.cpu_ms / eslint.cpu_ms, 2);
  const oursRatio = round(bare.cpu_ms / ours.cpu_ms, 2);
  console.log(`best of ${RUNS} by CPU time (MB = 10^6 bytes)`);
  console.log(row('espree parse', espreeParse));
  console.log(row(`ESLint ${eslintVersion}, recommended rules`, eslint, `  ${messages} messages`));
  console.log(row('bare web-tree-sitter parse', bare));
  console.log(row('AgentCop full scan()', ours, `  ${issues} issues`));
  console.log(`  checker / its own parser          ESLint ${eslintRatio.toFixed(2)}, AgentCop ${oursRatio.toFixed(2)}`);
  const out = path.join(here, 'last-run.peer.json');
  writeFileSync(
    out,
    JSON.stringify({ date: new Date().toISOString(), files: files.length, bytes, eslint_version: eslintVersion, engine: engine.note, espree_parse: espreeParse, eslint, bare_parse: bare, full_scan: ours, eslint_over_its_parse: eslintRatio, agentcop_over_its_parse: oursRatio, issues, eslint_messages: messages }, null, 2) + '\n',
  );
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}

await main();
