// The App as part of the server: a real port with GHE_HOST pointing at a local GitHub Enterprise
// Server model, the App turned off without credentials, default-branch badges, and a restart in
// the middle of a job.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it as plainIt } from 'vitest';
import { build } from '../../server/index.js';
import { serve } from '../../server/serve.js';
import { githubOptionsFromEnv } from '../../server/serve.js';
import { envelopeOf, itOn, pgliteSnapshot, startServer, TARGETS, tempDir, warnSkip, type TestServer } from '../server/helpers.js';
import { FakeGitHub } from './fake-github.js';
import { appPrivateKey, deliver, example, fastOctokit, githubOptions, prEvent, pushEvent, settle, sign, SHA, shellAgent, startAppServer, WEBHOOK_SECRET } from './helpers.js';

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => nock.enableNetConnect());

describe('end to end: a real server on a port, GitHub Enterprise Server at GHE_HOST', () => {
  let gh: FakeGitHub;
  let ghServer: Server;
  let app: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    gh = new FakeGitHub();
    const listening = await gh.listen();
    ghServer = listening.server;
    const env = { APP_ID: '777', PRIVATE_KEY: appPrivateKey().replace(/\n/g, '\\n'), WEBHOOK_SECRET, GHE_HOST: listening.host, GHE_PROTOCOL: 'http' };
    const github = githubOptionsFromEnv(env)!;
    app = await serve({
      port: 0,
      dataDir: 'memory://',
      pgliteSnapshot: await pgliteSnapshot(),
      logger: false,
      onBootstrap: () => {},
      approvalSweepMs: 0,
      webhooks: { worker: false },
      github: { ...github, queue: { pollMs: 50, backoffBaseMs: 5, backoffMaxMs: 20 }, octokit: fastOctokit() },
    });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    ghServer?.close();
  });

  plainIt('a signed pull_request delivery over HTTP ends in a completed check run and a comment on the Enterprise host', async () => {
    gh.commit(SHA.base, { 'agents/bot.py': shellAgent(1) });
    gh.commit(SHA.head, { 'agents/bot.py': shellAgent(2) });
    gh.pr(2, SHA.base, SHA.head);
    const body = JSON.stringify(prEvent('opened', { number: 2, head: SHA.head, base: SHA.base }));
    const port = (app.server.address() as AddressInfo).port;
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/github/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': 'e2e-1', 'x-hub-signature-256': sign(body) },
      body,
    });
    expect(res.status).toBe(200);
    await settle(app);

    // Everything went to the Enterprise host's /api/v3, authenticated as the installation.
    const paths = gh.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths[0]).toBe('POST /app/installations/1/access_tokens');
    expect(paths).toContain('POST /repos/Codertocat/Hello-World/check-runs');
    const tokenUsers = gh.requests.filter((r) => r.path.startsWith('/repos/'));
    expect(tokenUsers.every((r) => r.headers.authorization === 'token ghs_fake_1')).toBe(true);
    const jwt = String(gh.requests[0].headers.authorization);
    expect(jwt).toMatch(/^bearer [\w-]+\.[\w-]+\.[\w-]+$/i);
    expect(JSON.parse(Buffer.from(jwt.split(' ')[1].split('.')[1], 'base64url').toString()).iss).toBe(777);

    const [run] = gh.checkRunsFor(SHA.head);
    expect(run.created.status).toBe('in_progress');
    expect(run.conclusion).toBe('failure');
    expect(run.output.title).toMatch(/· 1 new issue$/);
    const comment = gh.comments.find((c) => c.issue === 2)!;
    // Links point at the Enterprise host's web UI.
    expect(comment.body).toContain(`http://${gh.requests[0].headers.host}/Codertocat/Hello-World/runs/${run.id}`);
    // Without AGENTCOP_PUBLIC_URL, share links use the address GitHub delivered to.
    expect(run.output.summary).toMatch(new RegExp(`http://127\\.0\\.0\\.1:${port}/scan/scan_`));
  });
});

describe('without App credentials', () => {
  plainIt('the server starts, says the App is off, and the webhook route answers 503 app_disabled', async () => {
    const lines: string[] = [];
    const stream = { write: (l: string) => lines.push(l) };
    const found = githubOptionsFromEnv({ APP_ID: '1' });
    expect(found).toMatchObject({ disabledReason: 'PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET not set' });
    const server = await startServer(TARGETS[0], { github: found, logger: { level: 'info', stream } as never });
    try {
      expect(server.app.github.enabled).toBe(false);
      expect(lines.some((l) => l.includes('GitHub App is off: PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET not set'))).toBe(true);
      const res = await deliver(server.app, 'pull_request', example('pull_request', 'opened'));
      expect(res.statusCode).toBe(503);
      expect(envelopeOf(res).error).toBe('app_disabled');
      const health = await server.app.inject({ method: 'GET', url: '/api/health' });
      expect(health.statusCode).toBe(200);
    } finally {
      await server.close();
    }
  }, 120_000);
});

describe.each(TARGETS)('default branch and durability on $name', (target) => {
  if (!target.available) warnSkip(`GitHub App server tests on ${target.name}`, target.reason!);
  const it = itOn(target);
  let gh: FakeGitHub;
  beforeEach(() => {
    gh = new FakeGitHub();
    gh.intercept();
  });
  afterEach(() => {
    nock.cleanAll();
  });

  it('a push to the default branch is scanned and served as the repository badge and share page', async () => {
    const server: TestServer = await startAppServer(target);
    try {
      const none = await server.app.inject({ method: 'GET', url: '/api/badge/github/Codertocat/Hello-World' });
      expect(none.statusCode).toBe(404);
      expect(none.body).toContain('unknown');
      gh.commit(SHA.head, { 'agents/bot.py': shellAgent(1), 'node_modules/x/index.js': 'eval(process.argv[2])\n', 'README.md': '# x\n' });
      expect((await deliver(server.app, 'push', pushEvent(SHA.head))).statusCode).toBe(200);
      await settle(server.app);
      const badge = await server.app.inject({ method: 'GET', url: '/api/v1/badge/github/codertocat/hello-world' });
      expect(badge.statusCode).toBe(200);
      expect(badge.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(badge.body).toContain('75/100 moderate');
      const page = await server.app.inject({ method: 'GET', url: '/github/Codertocat/Hello-World' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Codertocat/Hello-World (master at bbbbbbb)');
      // Only the default branch counts: a push elsewhere changes nothing.
      const other = pushEvent('c'.repeat(40));
      other.ref = 'refs/heads/feature';
      await deliver(server.app, 'push', other);
      await settle(server.app);
      expect(gh.requestsTo('GET', /\/git\/trees\//)).toHaveLength(1);
    } finally {
      await server.close();
    }
  }, 120_000);

  it('a job queued before a crash is done by the next process', async () => {
    const dataDir = target.name === 'pglite' ? await tempDir() : undefined;
    // First process: takes the delivery, runs no worker (as if it died right after answering).
    const first = await startAppServer(target, { dataDir, github: githubOptions({ worker: false }) });
    gh.commit(SHA.base, {});
    gh.commit(SHA.head, { 'agents/bot.py': shellAgent(1) });
    gh.pr(2, SHA.base, SHA.head);
    expect((await deliver(first.app, 'pull_request', prEvent('opened', { number: 2, head: SHA.head, base: SHA.base }))).statusCode).toBe(200);
    const queued = await first.app.db.selectFrom('github_pr_scans').select(['status', 'head_sha']).executeTakeFirstOrThrow();
    expect(queued).toEqual({ status: 'queued', head_sha: SHA.head });
    expect(gh.requests).toHaveLength(0);
    const dbOptions = first.dbOptions;
    if (target.name === 'pglite') await first.close();
    else await first.app.close(); // keep the PostgreSQL database for the second process
    const secondOptions = { publicUrl: 'https://agentcop.test', approvalSweepMs: 0, webhooks: { worker: false }, github: githubOptions(), logger: false as const, onBootstrap: () => {} };
    const second =
      target.name === 'pglite'
        ? (await startServer(target, { ...dbOptions, ...secondOptions })).app
        : await build({ ...secondOptions, databaseUrl: dbOptions.databaseUrl });
    try {
      await settle(second);
      expect(gh.checkRunsFor(SHA.head)[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    } finally {
      await second.close();
      if (target.name === 'postgres') await first.close().catch(() => {});
    }
  }, 120_000);
});
