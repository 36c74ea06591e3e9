// The servers `npm run bench:gate` measures over HTTP, in a child process so the load generator
// does not share their event loop: AgentCop (PGlite in a temp dir, or DATABASE_URL) with the
// realistic layer and policy, and a bare Fastify with the same JSON body in and a small JSON out.
// AGENTCOP_BENCH_SERVER names the server module to measure (bench/gate.ts passes the tsc build,
// as `npm start` runs it); without it, the TypeScript sources.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import type * as ServerModule from '../server/index.js';
import { AGENT_LAYER, BASE_LAYER, CAPPED_AGENT_LAYER, GATE_POLICY } from './gate-layer.js';

const { build } = (await import(process.env.AGENTCOP_BENCH_SERVER || '../server/index.js')) as typeof ServerModule;
const key = `ac_${'G'.repeat(40)}bench`;
const dataDir = process.env.DATABASE_URL ? undefined : await mkdtemp(path.join(os.tmpdir(), 'agentcop-gate-bench-'));
const app = await build({
  databaseUrl: process.env.DATABASE_URL || undefined,
  dataDir,
  bootstrapKey: key,
  onBootstrap: () => {},
  logger: false,
  // The bench measures throughput, not the limiter's refusals.
  planLimits: { enterprise: { perMinute: 1_000_000_000 } },
});
const headers = { 'x-agentcop-key': key };
for (const [url, payload] of [
  ['/api/permissions/_base', BASE_LAYER],
  ['/api/permissions/bench-agent', AGENT_LAYER],
  ['/api/permissions/bench-capped', CAPPED_AGENT_LAYER],
] as const) {
  const res = await app.inject({ method: 'PUT', url, headers, payload });
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
}
for (const agent of ['bench-agent', 'bench-capped']) {
  const pol = await app.inject({ method: 'PUT', url: `/api/gate/policy/${agent}`, headers: { ...headers, 'content-type': 'application/yaml' }, payload: GATE_POLICY });
  if (pol.statusCode >= 300) throw new Error(`policy: ${pol.statusCode} ${pol.body}`);
}
const port = Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port);

const bare = Fastify({ logger: false });
bare.get('/bare', async () => ({ status: 'ok' }));
bare.post('/bare', async (request) => ({ decision: 'allow', received: typeof request.body }));
const workUs = Number(process.env.AGENTCOP_BENCH_WORK_US ?? 40);
bare.get('/bare-work', async () => {
  const until = performance.now() + workUs / 1000;
  while (performance.now() < until);
  return { status: 'ok' };
});
const barePort = Number(new URL(await bare.listen({ port: 0, host: '127.0.0.1' })).port);

process.stdout.write(`${JSON.stringify({ port, barePort, key, database: app.dbKind, workUs })}\n`);

const stop = async () => {
  await app.close();
  await bare.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
