// Over a real socket: the HTTP stack end to end, log redaction, and `agentcop serve` as a process
// (bootstrap key printed once, SIGTERM stops it cleanly).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { rm } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../server/index.js';
import { repoRoot } from '../helpers/run-cli.js';
import { BOOTSTRAP_KEY, pgliteSnapshot, tempDir, VULNERABLE_AGENT } from './helpers.js';

const tsxLoader = import.meta.resolve('tsx');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

describe('a listening server (PGlite)', () => {
  let app: FastifyInstance;
  let base: string;
  let logs = '';
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, cb) {
        logs += chunk.toString();
        cb();
      },
    });
    app = await build({
      dataDir: 'memory://',
      pgliteSnapshot: await pgliteSnapshot(),
      bootstrapKey: BOOTSTRAP_KEY,
      onBootstrap: () => {},
      // A serializer that logs every header, as someone debugging might add: redaction must hold.
      logger: { level: 'info', stream: sink, serializers: { req: (req: { method: string; url: string; headers: unknown }) => ({ method: req.method, url: req.url, headers: req.headers }) } },
    });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => app?.close());

  it('serves scans, badges, share pages and errors over HTTP', async () => {
    const scan = await fetch(`${base}/api/scan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-agentcop-key': BOOTSTRAP_KEY },
      body: JSON.stringify({ code: VULNERABLE_AGENT, agent_name: 'http' }),
    });
    expect(scan.status).toBe(201);
    expect(scan.headers.get('x-ratelimit-limit')).toBeTruthy();
    const r = (await scan.json()) as { scan_id: string; share_url: string; badge_url: string };
    expect(r.share_url).toBe(`${base}/scan/${r.scan_id}`);

    const badge = await fetch(r.badge_url);
    expect(badge.status).toBe(200);
    expect(badge.headers.get('content-type')).toContain('image/svg+xml');
    expect(badge.headers.get('cache-control')).toContain('max-age');
    const etag = badge.headers.get('etag')!;
    expect((await badge.text()).startsWith('<svg')).toBe(true);
    const notModified = await fetch(r.badge_url, { headers: { 'if-none-match': etag } });
    expect(notModified.status).toBe(304);

    const share = await fetch(r.share_url);
    expect(share.status).toBe(200);
    expect(share.headers.get('content-security-policy')).toContain("default-src 'none'");

    const bearer = await fetch(`${base}/api/v1/scan/${r.scan_id}`, { headers: { authorization: `Bearer ${BOOTSTRAP_KEY}` } });
    expect(bearer.status).toBe(200);

    const malformed = await fetch(`${base}/api/v1/scan`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-agentcop-key': BOOTSTRAP_KEY }, body: '{' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: 'malformed_json', code: 400 });

    const methodNotAllowed = await fetch(`${base}/api/v1/scan`, { method: 'GET', headers: { 'x-agentcop-key': BOOTSTRAP_KEY } });
    expect(methodNotAllowed.status).toBe(405);

    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
  });

  it('never logs a key, whatever the serializers print', async () => {
    await fetch(`${base}/api/v1/scans`, { headers: { 'x-agentcop-key': BOOTSTRAP_KEY } });
    await fetch(`${base}/api/v1/scans`, { headers: { authorization: `Bearer ${BOOTSTRAP_KEY}` } });
    await fetch(`${base}/api/v1/scans`, { headers: { 'x-agentcop-key': 'ac_wrongwrongwrongwrongwrongwrongwrongwrong' } });
    await new Promise((r) => setTimeout(r, 50));
    expect(logs).toContain('[redacted]');
    expect(logs).toContain('/api/v1/scans');
    expect(logs).not.toContain(BOOTSTRAP_KEY);
    expect(logs).not.toContain('ac_wrongwrong');
  });

  it('answers 503 on /health when the database is gone', async () => {
    // A separate instance, so closing its database does not disturb the others.
    const broken = await build({ dataDir: 'memory://', pgliteSnapshot: await pgliteSnapshot(), bootstrapKey: BOOTSTRAP_KEY, onBootstrap: () => {} });
    try {
      await (broken as unknown as { db: { destroy(): Promise<void> } }).db.destroy();
      const res = await broken.inject({ url: '/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'degraded', database: { status: 'unreachable' } });
    } finally {
      await broken.close().catch(() => {});
    }
  });
});

describe('agentcop serve (a real process)', () => {
  it('starts on an empty data dir, prints the admin key once, serves, and exits 0 on SIGTERM', async () => {
    const dir = await tempDir();
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', tsxLoader, path.join(repoRoot, 'cli/run.ts'), 'serve', '--port', String(port), '--data-dir', dir], {
      cwd: repoRoot,
      env: { ...process.env, AGENTCOP_BOOTSTRAP_KEY: '', DATABASE_URL: '', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const deadline = Date.now() + 60_000;
      while (!/Server listening/.test(stdout) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      expect(stdout, stderr).toMatch(/Server listening/);
      const key = /\n\s+(ac_[A-Za-z0-9_-]+)\n/.exec(stderr)?.[1];
      expect(key, stderr).toBeTruthy();
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/scans`, { headers: { 'x-agentcop-key': key! } });
      expect(res.status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stdout).toMatch(/shutting down/);
      expect(stdout).not.toContain(key!);
      expect(stderr.split(key!).length - 1).toBe(1); // printed exactly once
      expect(stderr.replace(key!, '')).not.toMatch(/error|cannot|failed/i);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
