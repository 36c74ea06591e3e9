/**
 * `npm run bench:server [-- --duration=10 --connections=10]`: requests/s and p99 latency for a bare
 * Fastify route, `GET /api/badge/{id}` and a cached `POST /api/scan`, in one run, with ratios to
 * the bare route. The servers run in a child process (bench/server-target.ts); autocannon here.
 * Set DATABASE_URL to measure on PostgreSQL instead of PGlite. Writes bench/last-run.server.json.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, dflt: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const duration = arg('duration', 10);
const connections = arg('connections', 10);

interface Target {
  port: number;
  barePort: number;
  key: string;
  scanId: string;
  code: string;
  database: string;
}

const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(here, 'server-target.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
const target = await new Promise<Target>((resolve, reject) => {
  const rl = createInterface({ input: child.stdout! });
  rl.once('line', (line) => resolve(JSON.parse(line) as Target));
  child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
});

async function run(name: string, opts: autocannon.Options): Promise<{ name: string; rps: number; p99: number; p50: number; errors: number; non2xx: number }> {
  // A short warm-up first (JIT, caches, connection pools), then the measured run.
  await autocannon({ ...opts, duration: 2, connections });
  const r = await autocannon({ ...opts, duration, connections });
  return { name, rps: Math.round(r.requests.average), p99: r.latency.p99, p50: r.latency.p50, errors: r.errors, non2xx: r.non2xx };
}

const base = `http://127.0.0.1:${target.port}`;
const results = [];
try {
  results.push(await run('bare Fastify route', { url: `http://127.0.0.1:${target.barePort}/bare` }));
  results.push(await run('GET /api/badge/{id}', { url: `${base}/api/badge/${target.scanId}` }));
  results.push(
    await run('POST /api/scan (cached)', {
      url: `${base}/api/scan`,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-agentcop-key': target.key },
      body: JSON.stringify({ code: target.code, agent_name: 'bench' }),
    }),
  );
} finally {
  child.kill('SIGTERM');
}

const bareRps = results[0].rps;
const rows = results.map((r) => ({ ...r, ratio: Math.round((r.rps / bareRps) * 1000) / 10 }));
console.log(`\nAgentCop server bench: ${duration} s per route, ${connections} connections, database ${target.database}, ${os.cpus().length} cores, Node ${process.version}\n`);
console.log(`${'route'.padEnd(26)}${'req/s'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'of bare'.padStart(10)}${'non-2xx'.padStart(9)}`);
for (const r of rows) {
  console.log(`${r.name.padEnd(26)}${String(r.rps).padStart(10)}${String(r.p50).padStart(9)}${String(r.p99).padStart(9)}${`${r.ratio}%`.padStart(10)}${String(r.non2xx + r.errors).padStart(9)}`);
}
const targets = { badge: 50, cachedScan: 30 };
console.log(`\ntargets: badge >= ${targets.badge}% of bare, cached scan >= ${targets.cachedScan}% of bare`);
writeFileSync(
  path.join(here, 'last-run.server.json'),
  `${JSON.stringify({ date: new Date().toISOString(), duration, connections, database: target.database, cores: os.cpus().length, node: process.version, results: rows, targets }, null, 2)}\n`,
);
if (rows.some((r) => r.non2xx + r.errors > 0)) {
  console.error('some requests failed; the figures above are not trustworthy');
  process.exitCode = 1;
}
