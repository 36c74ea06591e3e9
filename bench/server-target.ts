// The servers `npm run bench:server` measures, in a child process so the load generator does not
// share their event loop: AgentCop (PGlite in a temp dir, or DATABASE_URL) and a bare Fastify.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { build } from '../server/index.js';

const key = `ac_${'B'.repeat(40)}bench`;
const dataDir = process.env.DATABASE_URL ? undefined : await mkdtemp(path.join(os.tmpdir(), 'agentcop-bench-'));
const app = await build({
  databaseUrl: process.env.DATABASE_URL || undefined,
  dataDir,
  bootstrapKey: key,
  onBootstrap: () => {},
  logger: false,
  // The bench measures throughput, not the limiter's refusals.
  planLimits: { enterprise: { perMinute: 1_000_000_000 } },
});
const port = Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port);

const bare = Fastify({ logger: false });
bare.get('/bare', async () => ({ status: 'ok' }));
const barePort = Number(new URL(await bare.listen({ port: 0, host: '127.0.0.1' })).port);

const code = `from openai import OpenAI\nimport os\nclient = OpenAI()\ndef run(q):\n    r = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])\n    os.system(r.choices[0].message.content)\n`;
const res = await app.inject({ method: 'POST', url: '/api/scan', headers: { 'x-agentcop-key': key }, payload: { code, agent_name: 'bench' } });
const scan = res.json() as { scan_id: string };

process.stdout.write(`${JSON.stringify({ port, barePort, key, scanId: scan.scan_id, code, database: app.dbKind })}\n`);

const stop = async () => {
  await app.close();
  await bare.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
