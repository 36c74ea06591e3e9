/**
 * `npm run bench:gate [-- --calls=100000 --duration=10 --connections=10 --source]`:
 *  1. in process: the decision core (decide() over the compiled snapshot) and the whole
 *     GateService.evaluate (quota meter, snapshot cache, buffered log, PGlite behind it), p50/p99
 *     over `calls` evaluations of a realistic layer (bench/gate-layer.ts);
 *  2. over HTTP: `POST /api/gate/evaluate` requests/s against a bare Fastify route in the same run
 *     (servers in a child process, bench/gate-target.ts; autocannon here). The server runs the
 *     tsc build as `npm start` does (bench/compiled.ts); --source runs the TypeScript under tsx.
 * Targets: p99 < 1 ms in process; HTTP >= 50% of the bare route. Writes bench/last-run.gate.json.
 * Set DATABASE_URL to run the servers on PostgreSQL instead of PGlite: each half then gets a
 * scratch database of its own on that server (created and dropped here; the role needs CREATEDB),
 * so both bootstrap their own key however often the bench has run there before.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import type { KeyActor } from '../server/actor.js';
import { build } from '../server/index.js';
import { decide, type Snapshot } from '../server/modules/gate/decide.js';
import { compilePolicy, parsePolicySource } from '../server/modules/gate/policy-doc.js';
import { compileLayer, mergeLayers, normalizeLayer } from '../server/modules/permissions/model.js';
import { compiledModule } from './compiled.js';
import { AGENT_LAYER, BASE_LAYER, CALLS, GATE_POLICY } from './gate-layer.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, dflt: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const calls = arg('calls', 100_000);
const duration = arg('duration', 10);
const connections = arg('connections', 10);

function percentiles(ns: Float64Array): { p50: number; p99: number; max: number; mean: number } {
  const sorted = Float64Array.from(ns).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
  let sum = 0;
  for (const v of sorted) sum += v;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { p50: r(at(0.5)), p99: r(at(0.99)), max: r(sorted[sorted.length - 1] / 1e6), mean: r(sum / sorted.length / 1e6) };
}

/**
 * A scratch database next to the one DATABASE_URL names (same server and credentials), dropped
 * afterwards. Without it the second server would find the first one's account and ignore its
 * bootstrap key (the child used to exit 1 on its first request); a schema per half is not enough,
 * because Kysely's migrator looks for its tables in every schema of the database.
 */
async function scratchDatabase(url: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(statement).finally(() => c.end());
  };
  await admin(`DROP DATABASE IF EXISTS ${name}`);
  await admin(`CREATE DATABASE ${name}`);
  const scoped = new URL(url);
  scoped.pathname = `/${name}`;
  return { url: scoped.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
const pgInProcess = process.env.DATABASE_URL ? await scratchDatabase(process.env.DATABASE_URL, `agentcop_bench_gate_${process.pid}_a`) : undefined;
const pgTarget = process.env.DATABASE_URL ? await scratchDatabase(process.env.DATABASE_URL, `agentcop_bench_gate_${process.pid}_b`) : undefined;

// ---- 1a. the decision core --------------------------------------------------------------------
const snap: Snapshot = Object.freeze({
  accountId: 'acct_bench',
  agentId: 'bench-agent',
  version: { permissions: 1, base: 1, gate_policy: 1 },
  layer: compileLayer(mergeLayers(normalizeLayer(BASE_LAYER), normalizeLayer(AGENT_LAYER))),
  policy: compilePolicy(parsePolicySource(GATE_POLICY)),
});
for (const c of CALLS) {
  const v = decide(snap, c, 'run-1');
  if (v.decision !== 'allow') throw new Error(`bench call ${c.tool_name} is not allowed: ${v.reason}`);
}
for (let i = 0; i < 5_000; i++) decide(snap, CALLS[i % CALLS.length], 'run-1'); // warm-up (JIT)
const core = new Float64Array(calls);
for (let i = 0; i < calls; i++) {
  const t0 = process.hrtime.bigint();
  decide(snap, CALLS[i % CALLS.length], 'run-1');
  core[i] = Number(process.hrtime.bigint() - t0);
}
const coreStats = percentiles(core);
const progress = (msg: string) => process.stderr.write(`bench:gate: ${msg}\n`);
progress(`decision core: p50 ${coreStats.p50} ms, p99 ${coreStats.p99} ms`);

// ---- 1b. the whole service in process ---------------------------------------------------------
const key = `ac_${'I'.repeat(40)}bench`;
const dataDir = process.env.DATABASE_URL ? undefined : await mkdtemp(path.join(os.tmpdir(), 'agentcop-gate-inproc-'));
progress('starting an in-process server');
const app = await build({ databaseUrl: pgInProcess?.url, dataDir, bootstrapKey: key, onBootstrap: () => {}, logger: false });
const headers = { 'x-agentcop-key': key };
await app.inject({ method: 'PUT', url: '/api/permissions/_base', headers, payload: BASE_LAYER });
await app.inject({ method: 'PUT', url: '/api/permissions/bench-agent', headers, payload: AGENT_LAYER });
await app.inject({ method: 'PUT', url: '/api/gate/policy/bench-agent', headers: { ...headers, 'content-type': 'application/yaml' }, payload: GATE_POLICY });
const account = await app.db.selectFrom('accounts').select(['id', 'plan']).executeTakeFirstOrThrow();
const actor: KeyActor = { kind: 'key', account_id: account.id, key_id: 'key_bench', key_prefix: 'ac_bench', scopes: ['admin'], plan: account.plan, is_operator: true, ip: '127.0.0.1' };
const gate = app.services.gate;
const inputs = CALLS.map((c) => ({ agent_id: 'bench-agent', ...c, context: { run_id: 'bench-run' } }));
for (const input of inputs) {
  const r = await gate.evaluate(actor, input);
  if (r.decision !== 'allow') throw new Error(`in-process ${input.tool_name}: ${r.reason}`);
}
for (let i = 0; i < 5_000; i++) await gate.evaluate(actor, inputs[i % inputs.length]);
const svc = new Float64Array(calls);
for (let i = 0; i < calls; i++) {
  // Let timers (log and quota flushes) run between calls, as they would between requests.
  if (i % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
  const t0 = process.hrtime.bigint();
  await gate.evaluate(actor, inputs[i % inputs.length]);
  svc[i] = Number(process.hrtime.bigint() - t0);
}
const svcStats = percentiles(svc);
progress(`service: p50 ${svcStats.p50} ms, p99 ${svcStats.p99} ms`);
await app.close();
if (dataDir) await rm(dataDir, { recursive: true, force: true });
await pgInProcess?.drop();

// ---- 2. HTTP ----------------------------------------------------------------------------------
interface Target {
  port: number;
  barePort: number;
  key: string;
  database: string;
  workUs: number;
}
const server = compiledModule('server/index.js', '', process.argv.includes('--source'));
progress(`HTTP server: ${server.note}`);
const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(here, 'gate-target.ts')], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, ...(pgTarget ? { DATABASE_URL: pgTarget.url } : {}), AGENTCOP_BENCH_SERVER: server.entry },
});
const target = await new Promise<Target>((resolve, reject) => {
  const rl = createInterface({ input: child.stdout! });
  rl.once('line', (line) => resolve(JSON.parse(line) as Target));
  child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
});

/**
 * The server process's CPU time in µs (all threads, and its main thread alone), from /proc: per
 * request it is steadier than req/s on a shared machine. Null where /proc is missing.
 */
function serverCpuUs(): { all: number; main: number } | null {
  const ticks = (file: string) => readFileSync(file, 'utf8').split(') ')[1].split(' ').slice(11, 13).reduce((a, b) => a + Number(b), 0);
  try {
    const perTick = 1e6 / 100; // USER_HZ is 100 on Linux
    return { all: ticks(`/proc/${child.pid}/stat`) * perTick, main: ticks(`/proc/${child.pid}/task/${child.pid}/stat`) * perTick };
  } catch {
    return null;
  }
}

async function run(name: string, opts: autocannon.Options) {
  progress(`HTTP: ${name}`);
  await autocannon({ ...opts, duration: 2, connections });
  const before = serverCpuUs();
  const r = await autocannon({ ...opts, duration, connections });
  const after = serverCpuUs();
  const perReq = (k: 'all' | 'main') => (before && after ? Math.round((after[k] - before[k]) / r.requests.total) : null);
  return { name, rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx, cpu_us_per_req: perReq('all'), main_thread_us_per_req: perReq('main') };
}

const gateUrl = `http://127.0.0.1:${target.port}/api/gate/evaluate`;
const bodies = CALLS.map((c) => JSON.stringify({ agent_id: 'bench-agent', ...c }));
const cappedBodies = CALLS.map((c, i) => JSON.stringify({ agent_id: 'bench-capped', ...c, context: { run_id: `run-${i}` } }));
const gateHeaders = { 'content-type': 'application/json', 'x-agentcop-key': target.key };
const http = [];
try {
  for (const body of [...bodies, ...cappedBodies]) {
    const res = await fetch(gateUrl, { method: 'POST', headers: gateHeaders, body });
    const json = (await res.json()) as { decision: string; reason: string };
    if (json.decision !== 'allow') throw new Error(`HTTP bench call is not allowed: ${json.reason} (${body})`);
  }
  http.push(await run('bare Fastify GET', { url: `http://127.0.0.1:${target.barePort}/bare` }));
  http.push(await run('bare Fastify POST (JSON)', { url: `http://127.0.0.1:${target.barePort}/bare`, method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[0] }));
  http.push(
    await run('POST /api/gate/evaluate', {
      url: gateUrl,
      requests: bodies.map((body) => ({ method: 'POST' as const, headers: gateHeaders, body })),
    }),
  );
  http.push(await run('  same, with run_id + cap (SQL)', { url: gateUrl, requests: cappedBodies.map((body) => ({ method: 'POST' as const, headers: gateHeaders, body })) }));
  // Calibration: what any route that spends this much CPU per request reaches here, with the load
  // generator on the same cores (a server-bound route also pays for waking the idle client).
  http.push(await run(`bare GET + ${target.workUs} µs busy work`, { url: `http://127.0.0.1:${target.barePort}/bare-work` }));
} finally {
  child.kill('SIGTERM');
  if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
  await pgTarget?.drop();
}

const bare = http[0].rps;
const rows = http.map((r) => ({ ...r, ratio: Math.round((r.rps / bare) * 1000) / 10 }));
const gateRow = rows[2];
const ratioPost = Math.round((gateRow.rps / http[1].rps) * 1000) / 10;

console.log(`\nAgentCop gate bench: ${calls} calls in process; HTTP ${duration} s per route, ${connections} connections, database ${target.database}, server ${server.note}, ${os.cpus().length} cores, Node ${process.version}\n`);
console.log(`${'in process'.padEnd(34)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}${'mean ms'.padStart(9)}`);
for (const [name, s] of [['decision core (decide)', coreStats], ['GateService.evaluate (warm)', svcStats]] as const) {
  console.log(`${name.padEnd(34)}${String(s.p50).padStart(9)}${String(s.p99).padStart(9)}${String(s.max).padStart(9)}${String(s.mean).padStart(9)}`);
}
console.log(`\n${'HTTP route'.padEnd(34)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'of bare'.padStart(9)}${'non-2xx'.padStart(9)}${'CPU µs/req'.padStart(12)}${'main µs'.padStart(9)}`);
for (const r of rows) console.log(`${r.name.padEnd(34)}${String(r.rps).padStart(9)}${String(r.p50).padStart(9)}${String(r.p99).padStart(9)}${`${r.ratio}%`.padStart(9)}${String(r.non2xx + r.errors).padStart(9)}${String(r.cpu_us_per_req ?? '-').padStart(12)}${String(r.main_thread_us_per_req ?? '-').padStart(9)}`);
console.log(`\ngate vs bare POST with the same body: ${ratioPost}%`);
const pass = { inProcessP99: svcStats.p99 < 1, http: gateRow.ratio >= 50 };
console.log(`targets: in-process p99 < 1 ms: ${pass.inProcessP99 ? 'met' : 'MISSED'} (${svcStats.p99} ms); HTTP >= 50% of bare: ${pass.http ? 'met' : 'MISSED'} (${gateRow.ratio}%)`);
writeFileSync(
  path.join(here, 'last-run.gate.json'),
  `${JSON.stringify({ date: new Date().toISOString(), calls, duration, connections, database: target.database, server: server.note, cores: os.cpus().length, node: process.version, in_process: { decide: coreStats, service: svcStats }, http: rows, gate_vs_bare_post: ratioPost, targets: { in_process_p99_ms: 1, http_ratio_percent: 50 }, pass }, null, 2)}\n`,
);
if (rows.some((r) => r.non2xx + r.errors > 0)) {
  console.error('some requests failed; the figures above are not trustworthy');
  process.exitCode = 1;
}
