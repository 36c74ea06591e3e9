/**
 * `npm run bench:app [-- --runs=7 --files=100]`: a pull_request webhook in -> the AgentCop check run
 * completed, for a pull request changing 100 agent files (each also present, older, at the base).
 * The server runs for real on a port, with PGlite, Probot's default Octokit (retry and throttling
 * as in production: GitHub asks for a second between writes) and a local GitHub Enterprise Server
 * model on another port (test/app/fake-github.ts). Reports the median; writes bench/last-run.app.json.
 * Runs share one base commit, whose files' fingerprints the App caches by content, as it would for
 * every pull request against one branch; `--fresh-base=1` gives each run a base never seen before.
 */
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../server/serve.js';
import { githubOptionsFromEnv } from '../server/serve.js';
import { FakeGitHub } from '../test/app/fake-github.js';
import { example } from '../test/app/helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, dflt: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const runs = arg('runs', 7);
const fileCount = arg('files', 100);
// 1: every run against a new base commit, so no base file was scanned before (the worst case).
const freshBase = arg('fresh-base', 0) === 1;

function agentFile(i: number, extra: boolean): string {
  return [
    'from openai import OpenAI',
    'import os, subprocess',
    `from langchain.agents import initialize_agent`,
    'client = OpenAI()',
    '',
    `def handle_${i}(user_input):`,
    '    prompt = f"You are a helpful bot. The user says: {user_input}"',
    '    reply = client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": prompt}])',
    '    out = reply.choices[0].message.content',
    '    os.system(out)',
    ...(extra ? ['    subprocess.run(out, shell=True)', '    eval(out)'] : []),
    ...Array.from({ length: 40 }, (_, k) => `    total_${k} = len(out) + ${k}`),
    '    return out',
    '',
  ].join('\n');
}

const gh = new FakeGitHub();
const { server: ghServer, host } = await gh.listen();
const secret = 'bench-secret';
const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
const env = { APP_ID: '1', PRIVATE_KEY: privateKey, WEBHOOK_SECRET: secret, GHE_HOST: host, GHE_PROTOCOL: 'http' };
const app = await serve({ port: 0, host: '127.0.0.1', dataDir: 'memory://', logger: false, onBootstrap: () => {}, approvalSweepMs: 0, github: githubOptionsFromEnv(env) });
const address = app.server.address() as import('node:net').AddressInfo;
const url = `http://127.0.0.1:${address.port}/api/github/webhooks`;

function baseCommit(r: number): string {
  const sha = (freshBase ? r + 1 : 0).toString(16).padStart(40, 'a');
  const files: Record<string, string> = {};
  for (let i = 0; i < fileCount; i++) files[`agents/agent_${i}.py`] = agentFile(i, false) + (freshBase ? `# base ${r}\n` : '');
  gh.commit(sha, files);
  return sha;
}

const times: number[] = [];
for (let r = 0; r < runs + 1; r++) {
  const base = baseCommit(r);
  const head = (r + 1).toString(16).padStart(40, 'b');
  const files: Record<string, string> = {};
  for (let i = 0; i < fileCount; i++) files[`agents/agent_${i}.py`] = agentFile(i, true) + `# run ${r}\n`;
  gh.commit(head, files);
  const number = 100 + r;
  gh.pr(number, base, head);
  const payload = example('pull_request', 'opened');
  payload.number = number;
  payload.pull_request.number = number;
  payload.pull_request.head.sha = head;
  payload.pull_request.base.sha = base;
  const body = JSON.stringify(payload);
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': `bench-${r}`,
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
    body,
  });
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
  for (;;) {
    const run = gh.checkRunsFor(head)[0];
    if (run?.status === 'completed') break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const ms = performance.now() - started;
  const run = gh.checkRunsFor(head)[0];
  // The first run also warms up the engine and the installation token: not counted.
  if (r > 0) times.push(ms);
  console.log(`run ${r}${r === 0 ? ' (warm-up)' : ''}: ${ms.toFixed(0)} ms, ${run.conclusion}, ${run.output.title}`);
  await app.github.worker!.whenIdle();
}

times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const result = {
  what: `pull_request webhook -> check run completed, ${fileCount} changed agent files (head and base read from a local GitHub)${freshBase ? ', a new base commit every run' : ''}`,
  runs: times.length,
  median_ms: Math.round(median),
  min_ms: Math.round(times[0]),
  max_ms: Math.round(times.at(-1)!),
  target_ms: 3000,
  machine: { cpus: os.cpus().length, node: process.version },
};
console.log(JSON.stringify(result, null, 2));
writeFileSync(path.join(here, freshBase ? 'last-run.app-fresh-base.json' : 'last-run.app.json'), `${JSON.stringify(result, null, 2)}\n`);
await app.close();
ghServer.close();
