// Webhooks, once per database target: CRUD with a write-only secret, signed deliveries to a real
// receiver on a local port, retries with backoff after failures, giving up, redelivery, the
// delivery log, durable queueing across restarts, SKIP LOCKED claims by concurrent workers, and
// SSRF refusal (at creation and at send time, DNS included) unless the allow-list permits.
import { createHmac } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildOptions } from '../../server/index.js';
import { verifySignature } from '../../server/modules/webhooks/signature.js';
import { backoffMs, DEFAULT_WORKER_OPTIONS, WebhookWorker } from '../../server/modules/webhooks/worker.js';
import { allowListOf, isPrivateAddress } from '../../server/ssrf.js';
import {
  BOOTSTRAP_KEY,
  createAccount,
  createKey,
  envelopeOf,
  freshPostgresDatabase,
  pgliteSnapshot,
  startServer,
  TARGETS,
  tempDir,
  TEST_SECRET_KEY,
  VULNERABLE_AGENT,
  warnSkip,
  withKey,
  type Target,
  type TestServer,
} from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1: records every request, answers from a script (default 200). */
async function receiver() {
  const received: Received[] = [];
  const scripts = new Map<string, number[]>();
  const fallbacks = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const path = req.url ?? '';
      res.statusCode = scripts.get(path)?.shift() ?? fallbacks.get(path) ?? 200;
      res.end(res.statusCode < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    received,
    /** The next responses on this path, in order; afterwards its fallback (default 200). */
    respond(path: string, ...codes: number[]) {
      scripts.set(path, [...(scripts.get(path) ?? []), ...codes]);
    },
    setFallback(path: string, code: number) {
      fallbacks.set(path, code);
    },
    for: (path: string) => received.filter((r) => r.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const FAST: BuildOptions['webhooks'] = { pollMs: 40, backoffBaseMs: 80, backoffMaxMs: 300, maxAttempts: 3, timeoutMs: 3_000, shutdownGraceMs: 1_000 };

/** A stub resolver: names in the table, everything else does not exist. */
function stubDns(table: Record<string, string[]>) {
  return async (host: string) => {
    const addrs = table[host];
    if (!addrs) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addrs.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

/** A database that outlives one server, for restart tests. */
async function durableDatabase(target: Target): Promise<{ opts: BuildOptions; cleanup: () => Promise<void> }> {
  if (target.name === 'postgres') {
    const pgdb = await freshPostgresDatabase();
    return { opts: { databaseUrl: pgdb.url, secretKey: TEST_SECRET_KEY }, cleanup: pgdb.drop };
  }
  const dir = await tempDir();
  return { opts: { dataDir: dir, pgliteSnapshot: await pgliteSnapshot() }, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

describe('webhook building blocks', () => {
  it('private, loopback, link-local and special addresses are recognised in every spelling', () => {
    const blocked = [
      '127.0.0.1', '127.9.9.9', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
      '224.0.0.1', '255.255.255.255', '198.18.0.1', '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1',
      '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:a9fe:a9fe', '64:ff9b::a00:1', '::127.0.0.1', '2002:7f00:1::', 'not-an-ip',
    ];
    const open = ['93.184.216.34', '8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'];
    for (const a of blocked) expect(isPrivateAddress(a), a).toBe(true);
    for (const a of open) expect(isPrivateAddress(a), a).toBe(false);
    expect(() => allowListOf(['localhost'])).toThrow(/not an IP/);
    expect(() => allowListOf(['10.0.0.0/33'])).toThrow(/prefix/);
  });

  it('backoff doubles per attempt with jitter, within the cap', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = Math.min(3_600_000, 10_000 * 2 ** (attempt - 1));
      expect(backoffMs(attempt, 10_000, 3_600_000, () => 0)).toBe(ceiling / 2);
      expect(backoffMs(attempt, 10_000, 3_600_000, () => 0.999999)).toBeLessThanOrEqual(ceiling);
    }
    expect(new Set(Array.from({ length: 20 }, () => backoffMs(3, 1_000, 60_000))).size).toBeGreaterThan(1);
  });

  it('verifySignature: right secret and fresh timestamp only', () => {
    const body = '{"a":1}';
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = `sha256=${createHmac('sha256', 'whsec_test_secret_123').update(`${ts}.${body}`).digest('hex')}`;
    expect(verifySignature('whsec_test_secret_123', { timestamp: ts, signature: sig }, body)).toBe(true);
    expect(verifySignature('whsec_other_secret_12', { timestamp: ts, signature: sig }, body)).toBe(false);
    expect(verifySignature('whsec_test_secret_123', { timestamp: ts, signature: sig }, '{"a":2}')).toBe(false);
    expect(verifySignature('whsec_test_secret_123', { timestamp: ts, signature: sig }, body, { now: Date.now() + 3_600_000 })).toBe(false);
    expect(verifySignature('whsec_test_secret_123', { timestamp: undefined, signature: sig }, body)).toBe(false);
  });
});

for (const target of TARGETS) {
  describe(`webhooks (${target.name})`, () => {
    if (!target.available) {
      warnSkip(`webhook tests on ${target.name}`, target.reason!);
      it.skip(`${target.name}: ${target.reason}`, () => {});
      return;
    }
    let s: TestServer;
    let rx: Awaited<ReturnType<typeof receiver>>;
    let tenant: { accountId: string; key: string };
    let other: { accountId: string; key: string };
    let dns: Record<string, string[]>;
    beforeAll(async () => {
      rx = await receiver();
      dns = { 'hooks.example.com': ['93.184.216.34'], 'mixed.example.com': ['93.184.216.34', '10.0.0.7'], 'flip.example.com': ['93.184.216.34'] };
      s = await startServer(target, { approvalSweepMs: 0, webhookAllowPrivate: ['127.0.0.1'], webhooks: { ...FAST, lookup: stubDns(dns) } });
      tenant = await createAccount(s.app, s.key, 'webhook tenant', 'pro');
      other = await createAccount(s.app, s.key, 'other tenant', 'pro');
    });
    afterAll(async () => {
      await s?.close();
      await rx?.close();
    });

    const req = (key: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Json) =>
      s.app.inject({ method, url: `/api/v1${url}`, headers: withKey(key), ...(payload !== undefined ? { payload } : {}) });
    const hook = async (key: string, body: Json) => {
      const res = await req(key, 'POST', '/webhooks', body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as Json;
    };
    const deliveries = async (key: string, id: string, q = '') => (await req(key, 'GET', `/webhooks/${id}/deliveries${q}`)).json() as Json;
    const approval = async (key: string, body: Json = {}) => {
      const res = await req(key, 'POST', '/approvals', { agent_id: 'hooked', action: 'transfer', parameters: { amount: 5 }, ...body });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as Json;
    };

    it('CRUD: the secret is returned at creation only (generated when absent), and can be rotated', async () => {
      const created = await hook(tenant.key, { url: rx.url('/crud'), events: ['approval.created'], description: 'ops channel' });
      expect(created.id).toMatch(/^wh_/);
      expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      expect(created).toMatchObject({ url: rx.url('/crud'), events: ['approval.created'], description: 'ops channel', active: true });

      const got = await req(tenant.key, 'GET', `/webhooks/${created.id}`);
      expect(got.statusCode).toBe(200);
      expect(got.json().secret).toBeUndefined();
      expect(got.body).not.toContain(created.secret);
      const list = await req(tenant.key, 'GET', '/webhooks');
      expect(list.json().data.some((w: Json) => w.id === created.id)).toBe(true);
      expect(list.body).not.toContain(created.secret);

      const patched = await req(tenant.key, 'PATCH', `/webhooks/${created.id}`, { events: ['approval.decided', 'approval.created', 'approval.expired'], description: null });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json()).toMatchObject({ events: ['approval.created', 'approval.decided', 'approval.expired'], description: null });
      expect(patched.json().secret).toBeUndefined();

      const rotated = await req(tenant.key, 'PATCH', `/webhooks/${created.id}`, { rotate_secret: true });
      expect(rotated.json().secret).toMatch(/^whsec_/);
      expect(rotated.json().secret).not.toBe(created.secret);
      expect((await req(tenant.key, 'PATCH', `/webhooks/${created.id}`, {})).statusCode).toBe(400);

      const own = await hook(tenant.key, { url: rx.url('/crud2'), events: ['scan.completed'], secret: 'my-own-signing-secret-0123' });
      expect(own.secret).toBe('my-own-signing-secret-0123');

      expect((await req(tenant.key, 'DELETE', `/webhooks/${created.id}`)).statusCode).toBe(204);
      expect((await req(tenant.key, 'GET', `/webhooks/${created.id}`)).statusCode).toBe(404);
      expect((await req(tenant.key, 'GET', `/webhooks/${created.id}/deliveries`)).statusCode).toBe(404);
      expect((await req(tenant.key, 'DELETE', `/webhooks/${created.id}`)).statusCode).toBe(404);
      await req(tenant.key, 'DELETE', `/webhooks/${own.id}`);
    });

    it('validation: bad URLs, unknown events, weak secrets are 400 with the envelope', async () => {
      const cases: [Json, string][] = [
        [{ url: 'ftp://hooks.example.com/x', events: ['scan.completed'] }, 'invalid_webhook_url'],
        [{ url: 'not a url', events: ['scan.completed'] }, 'invalid_webhook_url'],
        [{ url: 'https://hooks.example.com/x#frag', events: ['scan.completed'] }, 'invalid_webhook_url'],
        [{ url: 'https://nowhere.invalid/x', events: ['scan.completed'] }, 'webhook_url_unresolvable'],
        [{ url: 'https://hooks.example.com/x', events: ['scan.deleted'] }, 'validation_failed'],
        [{ url: 'https://hooks.example.com/x', events: [] }, 'validation_failed'],
        [{ url: 'https://hooks.example.com/x', events: ['scan.completed', 'scan.completed'] }, 'validation_failed'],
        [{ url: 'https://hooks.example.com/x', events: ['scan.completed'], secret: 'short' }, 'validation_failed'],
        [{ url: 'https://hooks.example.com/x', events: ['scan.completed'], extra: 1 }, 'validation_failed'],
        [{ events: ['scan.completed'] }, 'validation_failed'],
      ];
      for (const [body, error] of cases) {
        const res = await req(tenant.key, 'POST', '/webhooks', body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(envelopeOf(res).error, JSON.stringify(body)).toBe(error);
      }
      // a public name is fine (creation does not call it)
      const ok = await hook(tenant.key, { url: 'https://hooks.example.com/agentcop', events: ['scan.completed'] });
      await req(tenant.key, 'DELETE', `/webhooks/${ok.id}`);
    });

    it('SSRF: private, loopback, link-local targets are refused at creation, in any spelling and through DNS', async () => {
      for (const url of [
        'http://127.0.0.2/x', // loopback, not on the allow-list (only 127.0.0.1 is)
        'http://2130706434/x', // 127.0.0.2 as a number
        'http://0x7f.0.0.2/x',
        'http://10.1.2.3/x',
        'http://192.168.0.10/x',
        'http://172.20.0.1/x',
        'http://169.254.169.254/latest/meta-data/',
        'http://0.0.0.0/x',
        'http://[::1]/x',
        'http://[fd00::1]/x',
        'http://[::ffff:10.0.0.1]/x',
        'http://[fe80::1]/x',
        'http://mixed.example.com/x', // one public, one private address: refused
      ]) {
        const res = await req(tenant.key, 'POST', '/webhooks', { url, events: ['scan.completed'] });
        expect(res.statusCode, url).toBe(400);
        expect(envelopeOf(res).error, url).toBe('webhook_target_forbidden');
      }
      // and on update
      const h = await hook(tenant.key, { url: 'https://hooks.example.com/a', events: ['scan.completed'] });
      const res = await req(tenant.key, 'PATCH', `/webhooks/${h.id}`, { url: 'http://169.254.169.254/' });
      expect(envelopeOf(res).error).toBe('webhook_target_forbidden');
      await req(tenant.key, 'DELETE', `/webhooks/${h.id}`);
    });

    it('SSRF: without the allow-list, even 127.0.0.1 is refused', async () => {
      const strict = await startServer(target, { approvalSweepMs: 0, webhooks: { worker: false } });
      try {
        const res = await strict.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: withKey(strict.key), payload: { url: rx.url(), events: ['scan.completed'] } });
        expect(res.statusCode).toBe(400);
        expect(envelopeOf(res).error).toBe('webhook_target_forbidden');
        expect(envelopeOf(res).message).toMatch(/127\.0\.0\.1/);
      } finally {
        await strict.close();
      }
    });

    it('SSRF at send time: a name that re-points to a private address is not connected to', async () => {
      const h = await hook(tenant.key, { url: 'http://flip.example.com:9/hook', events: ['approval.created'] });
      dns['flip.example.com'] = ['127.0.0.3']; // rebinding after the check at creation
      try {
        await approval(tenant.key);
        const d = await waitFor('the refused delivery', async () => {
          const log = await deliveries(tenant.key, h.id);
          return log.data.find((x: Json) => x.status === 'failed');
        });
        expect(d.attempts).toBe(1); // refused for good, not retried
        expect(d.last_error).toMatch(/127\.0\.0\.3.*private/);
        expect(d.response_status).toBeNull();
      } finally {
        dns['flip.example.com'] = ['93.184.216.34'];
        await req(tenant.key, 'DELETE', `/webhooks/${h.id}`);
      }
    });

    it('delivers signed events: HMAC-SHA256 over timestamp.body, headers, body shape', async () => {
      const secret = 'signing-secret-for-this-test-0001';
      const h = await hook(tenant.key, { url: rx.url('/signed'), events: ['approval.created', 'approval.decided'], secret });
      const a = await approval(tenant.key, { agent_id: 'signed-agent' });
      await req(tenant.key, 'POST', `/approvals/${a.id}/approve`, { approver: 'alice', note: 'fine' });
      await waitFor('two deliveries', () => rx.for('/signed').length >= 2);
      const [first, second] = rx.for('/signed');
      for (const r of [first, second]) {
        const ts = r.headers['x-agentcop-timestamp'] as string;
        const sig = r.headers['x-agentcop-signature'] as string;
        expect(ts).toMatch(/^\d{10}$/);
        expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);
        expect(sig).toBe(`sha256=${createHmac('sha256', secret).update(`${ts}.${r.body}`).digest('hex')}`);
        expect(verifySignature(secret, { timestamp: ts, signature: sig }, r.body)).toBe(true);
        expect(r.headers['content-type']).toBe('application/json');
        expect(r.headers['user-agent']).toMatch(/^AgentCop-Webhooks\//);
        expect(r.headers['x-agentcop-delivery']).toMatch(/^whd_/);
      }
      const bodies = [JSON.parse(first.body), JSON.parse(second.body)].sort((x, y) => x.type.localeCompare(y.type));
      expect(bodies[0]).toMatchObject({ type: 'approval.created', data: { id: a.id, agent_id: 'signed-agent', status: 'pending', parameters: { amount: 5 } } });
      expect(bodies[1]).toMatchObject({ type: 'approval.decided', data: { id: a.id, status: 'approved', approver: 'alice', note: 'fine' } });
      expect(bodies[0].id).toMatch(/^evt_/);
      expect(Date.parse(bodies[0].created_at)).toBeGreaterThan(0);
      const createdEvent = rx.for('/signed').find((r) => JSON.parse(r.body).type === 'approval.created')!;
      expect(createdEvent.headers['x-agentcop-event']).toBe('approval.created');

      // The receiver has both; their outcomes are recorded just after it answered.
      const log = await waitFor('both recorded', async () => {
        const l = await deliveries(tenant.key, h.id);
        return l.data.every((d: Json) => d.status !== 'pending') && l;
      });
      expect(log.total).toBe(2);
      for (const d of log.data) {
        expect(d).toMatchObject({ status: 'succeeded', attempts: 1, response_status: 200, last_error: null, next_attempt_at: null });
        expect(d.attempt_log).toHaveLength(1);
        expect(rx.for('/signed').map((r) => r.headers['x-agentcop-delivery'])).toContain(d.id);
      }
      await req(tenant.key, 'DELETE', `/webhooks/${h.id}`);
    });

    it('retries after a 500 with backoff, then succeeds; the log shows every attempt', async () => {
      const secret = 'retry-secret-0123456789abcdef';
      const h = await hook(tenant.key, { url: rx.url('/retry'), events: ['approval.created'], secret });
      rx.respond('/retry', 500);
      const a = await approval(tenant.key, { agent_id: 'retry-agent' });
      await waitFor('the retry', () => rx.for('/retry').length >= 2);
      const d = await waitFor('success', async () => (await deliveries(tenant.key, h.id)).data.find((x: Json) => x.status === 'succeeded'));
      expect(d.attempts).toBe(2);
      expect(d.attempt_log.map((x: Json) => x.status_code)).toEqual([500, 200]);
      expect(d.attempt_log[0].error).toBe('HTTP 500');
      expect(Date.parse(d.attempt_log[1].at) - Date.parse(d.attempt_log[0].at)).toBeGreaterThanOrEqual(35); // backoff (80 ms, jittered to 40–80)
      const [r1, r2] = rx.for('/retry');
      expect(r1.body).toBe(r2.body); // same event, byte for byte
      expect(r1.headers['x-agentcop-delivery']).toBe(r2.headers['x-agentcop-delivery']);
      for (const r of [r1, r2]) {
        expect(verifySignature(secret, { timestamp: r.headers['x-agentcop-timestamp'] as string, signature: r.headers['x-agentcop-signature'] as string }, r.body)).toBe(true);
      }
      expect(JSON.parse(r2.body).data.id).toBe(a.id);
      await req(tenant.key, 'DELETE', `/webhooks/${h.id}`);
    });

    it('gives up after max attempts (failed), and a redelivery sends it again', async () => {
      const h = await hook(tenant.key, { url: rx.url('/down'), events: ['approval.created'] });
      rx.respond('/down', 503, 502, 500);
      await approval(tenant.key);
      const failed = await waitFor('failure', async () => (await deliveries(tenant.key, h.id, '?status=failed')).data[0]);
      expect(failed).toMatchObject({ status: 'failed', attempts: 3, max_attempts: 3, response_status: 500, last_error: 'HTTP 500', next_attempt_at: null });
      expect(failed.completed_at).toBeTruthy();
      expect(rx.for('/down')).toHaveLength(3);

      const again = await req(tenant.key, 'POST', `/webhooks/${h.id}/deliveries/${failed.id}/redeliver`);
      expect(again.statusCode, again.body).toBe(202);
      expect(again.json()).toMatchObject({ status: 'pending', attempts: 0, event_id: failed.event_id });
      await waitFor('redelivery', async () => (await req(tenant.key, 'GET', `/webhooks/${h.id}/deliveries/${again.json().id}`)).json().status === 'succeeded');
      expect(rx.for('/down')).toHaveLength(4);
      expect(rx.for('/down')[3].body).toBe(rx.for('/down')[0].body);
      const one = await req(tenant.key, 'GET', `/webhooks/${h.id}/deliveries/${failed.id}`);
      expect(one.json().status).toBe('failed');
      const log = await deliveries(tenant.key, h.id, '?limit=1');
      expect(log).toMatchObject({ total: 2, has_more: true, limit: 1 });
      await req(tenant.key, 'DELETE', `/webhooks/${h.id}`);
    });

    it('retention: finished deliveries older than the retention period are pruned, queued ones never', async () => {
      const h = await hook(tenant.key, { url: rx.url('/retention'), events: ['approval.created'] });
      await approval(tenant.key);
      await approval(tenant.key);
      await waitFor('both sent', async () => (await deliveries(tenant.key, h.id, '?status=succeeded')).total === 2);
      const [old, recent] = (await deliveries(tenant.key, h.id)).data as Json[];
      await sql`UPDATE webhook_deliveries SET completed_at = now() - interval '40 days' WHERE id = ${old.id}`.execute(s.app.db);
      await sql`UPDATE webhook_deliveries SET status = 'pending', completed_at = NULL, next_attempt_at = now() + interval '1 day', created_at = now() - interval '90 days' WHERE id = ${recent.id}`.execute(s.app.db);
      expect(await s.app.services.webhooks.prune(30)).toBe(1);
      expect((await deliveries(tenant.key, h.id)).data.map((d: Json) => d.id)).toEqual([recent.id]);
      await req(tenant.key, 'DELETE', `/webhooks/${h.id}`);
    });

    it('scan.completed, approval.expired and ping reach their subscribers; other events and inactive hooks do not', async () => {
      const scans = await hook(tenant.key, { url: rx.url('/scans'), events: ['scan.completed'] });
      const expiry = await hook(tenant.key, { url: rx.url('/expired'), events: ['approval.expired'] });
      const paused = await hook(tenant.key, { url: rx.url('/paused'), events: ['scan.completed', 'approval.expired'], active: false });
      const scan = await req(tenant.key, 'POST', '/scan', { code: VULNERABLE_AGENT, agent_name: 'hooked-scan' });
      expect(scan.statusCode).toBe(201);
      await waitFor('scan.completed', () => rx.for('/scans').length >= 1);
      const body = JSON.parse(rx.for('/scans')[0].body);
      expect(body).toMatchObject({ type: 'scan.completed', data: { scan_id: scan.json().scan_id, trust_score: scan.json().trust_score, agent_name: 'hooked-scan' } });
      expect(body.data.account_id).toBeUndefined();

      const a = await approval(tenant.key, { expires_in_seconds: 3600 });
      await sql`UPDATE approvals SET expires_at = now() - interval '1 second' WHERE id = ${a.id}`.execute(s.app.db);
      await s.app.services.approvals.expireDue();
      await waitFor('approval.expired', () => rx.for('/expired').length >= 1);
      expect(JSON.parse(rx.for('/expired')[0].body)).toMatchObject({ type: 'approval.expired', data: { id: a.id, status: 'expired' } });

      const ping = await req(tenant.key, 'POST', `/webhooks/${scans.id}/ping`);
      expect(ping.statusCode).toBe(202);
      await waitFor('ping', () => rx.for('/scans').some((r) => JSON.parse(r.body).type === 'webhook.ping'));

      await new Promise((r) => setTimeout(r, 150));
      expect(rx.for('/scans')).toHaveLength(2); // the scan and the ping; no approval events
      expect(rx.for('/expired')).toHaveLength(1);
      expect(rx.for('/paused')).toHaveLength(0);
      expect((await deliveries(tenant.key, paused.id)).total).toBe(0);
      for (const h of [scans, expiry, paused]) await req(tenant.key, 'DELETE', `/webhooks/${h.id}`);
    });

    it('tenant isolation and scopes', async () => {
      const h = await hook(tenant.key, { url: rx.url('/mine'), events: ['approval.created'] });
      for (const [method, url, payload] of [
        ['GET', `/webhooks/${h.id}`, undefined],
        ['PATCH', `/webhooks/${h.id}`, { active: false }],
        ['DELETE', `/webhooks/${h.id}`, undefined],
        ['GET', `/webhooks/${h.id}/deliveries`, undefined],
        ['POST', `/webhooks/${h.id}/ping`, undefined],
      ] as const) {
        const res = await req(other.key, method, url, payload);
        expect(res.statusCode, `${method} ${url}`).toBe(404);
      }
      expect((await req(other.key, 'GET', '/webhooks')).json().data.some((w: Json) => w.id === h.id)).toBe(false);
      // another account's events never reach this account's webhook
      await approval(other.key);
      await new Promise((r) => setTimeout(r, 200));
      expect(rx.for('/mine')).toHaveLength(0);

      const limited = await createKey(s.app, tenant.key, { name: 'no-hooks', scopes: ['approvals:write', 'approvals:read'] });
      const res = await req(limited.key, 'GET', '/webhooks');
      expect(res.statusCode).toBe(403);
      expect(envelopeOf(res).error).toBe('insufficient_scope');
      await req(tenant.key, 'DELETE', `/webhooks/${h.id}`);
    });

    it('concurrent workers claim with SKIP LOCKED: each delivery is sent exactly once', async () => {
      const quiet = await startServer(target, { approvalSweepMs: 0, webhookAllowPrivate: ['127.0.0.1'], webhooks: { worker: false, maxAttempts: 3 } });
      try {
        const res = await quiet.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: withKey(quiet.key), payload: { url: rx.url('/many'), events: ['approval.created'] } });
        const id = res.json().id as string;
        const N = 40;
        await Promise.all(
          Array.from({ length: N }, (_, i) => quiet.app.inject({ method: 'POST', url: '/api/v1/approvals', headers: withKey(quiet.key), payload: { agent_id: `m${i}`, action: 'x' } })),
        );
        const queued = await quiet.app.db.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', id).where('status', '=', 'pending').execute();
        expect(queued).toHaveLength(N);
        const workers = Array.from({ length: 4 }, () => new WebhookWorker(quiet.app.db, { ...DEFAULT_WORKER_OPTIONS, batch: 3, allow: allowListOf(['127.0.0.1']), box: quiet.app.secretBox }));
        for (let round = 0; round < 40; round++) {
          const claimed = await Promise.all(workers.map((w) => w.runOnce()));
          if (claimed.every((n) => n === 0)) break;
        }
        const ids = rx.for('/many').map((r) => r.headers['x-agentcop-delivery']);
        expect(ids).toHaveLength(N);
        expect(new Set(ids).size).toBe(N);
        const left = await quiet.app.db.selectFrom('webhook_deliveries').select(['status', 'attempts']).where('webhook_id', '=', id).execute();
        expect(left.every((d) => d.status === 'succeeded' && d.attempts === 1)).toBe(true);

        // A claim whose holder died is taken over once its lease lapses, and not before.
        await quiet.app.inject({ method: 'POST', url: '/api/v1/approvals', headers: withKey(quiet.key), payload: { agent_id: 'lease', action: 'x' } });
        await sql`UPDATE webhook_deliveries SET lease_id = 'lease_dead', locked_until = now() + interval '1 hour', attempts = 1 WHERE status = 'pending'`.execute(quiet.app.db);
        expect(await workers[0].runOnce()).toBe(0);
        await sql`UPDATE webhook_deliveries SET locked_until = now() - interval '1 second' WHERE status = 'pending'`.execute(quiet.app.db);
        expect(await workers[0].runOnce()).toBe(1);
        expect(rx.for('/many')).toHaveLength(N + 1);
      } finally {
        await quiet.close();
      }
    });
  });

  describe(`webhook deliveries survive restarts (${target.name})`, () => {
    if (!target.available) {
      it.skip(`${target.name}: ${target.reason}`, () => {});
      return;
    }
    let db: { opts: BuildOptions; cleanup: () => Promise<void> };
    let rx: Awaited<ReturnType<typeof receiver>>;
    beforeAll(async () => {
      db = await durableDatabase(target);
      rx = await receiver();
    });
    afterAll(async () => {
      await rx?.close();
      await db?.cleanup();
    });
    const opts = (extra: BuildOptions = {}): BuildOptions => ({
      ...db.opts,
      logger: false,
      onBootstrap: () => {},
      bootstrapKey: BOOTSTRAP_KEY,
      approvalSweepMs: 0,
      webhookAllowPrivate: ['127.0.0.1'],
      ...extra,
    });

    it('queued while no worker runs, closed, built again: delivered', async () => {
      const first = await build(opts({ webhooks: { worker: false } }));
      let hookId: string;
      try {
        const h = await first.inject({ method: 'POST', url: '/api/v1/webhooks', headers: withKey(BOOTSTRAP_KEY), payload: { url: rx.url('/restart'), events: ['approval.created'] } });
        hookId = h.json().id;
        await first.inject({ method: 'POST', url: '/api/v1/approvals', headers: withKey(BOOTSTRAP_KEY), payload: { agent_id: 'restart', action: 'x' } });
        await first.inject({ method: 'POST', url: '/api/v1/approvals', headers: withKey(BOOTSTRAP_KEY), payload: { agent_id: 'restart', action: 'y' } });
      } finally {
        await first.close();
      }
      expect(rx.for('/restart')).toHaveLength(0);
      const second = await build(opts({ webhooks: { ...FAST } }));
      try {
        await waitFor('both deliveries', () => rx.for('/restart').length >= 2);
        const log = await waitFor('both recorded', async () => {
          const l = (await second.inject({ url: `/api/v1/webhooks/${hookId!}/deliveries`, headers: withKey(BOOTSTRAP_KEY) })).json() as Json;
          return l.data.every((d: Json) => d.status !== 'pending') && l;
        });
        expect(log.data.map((d: Json) => d.status)).toEqual(['succeeded', 'succeeded']);
        expect(rx.for('/restart').map((r) => JSON.parse(r.body).data.action).sort()).toEqual(['x', 'y']);
      } finally {
        await second.close();
      }
    });

    it('secrets are stored sealed; one stored in the clear is sealed at the next start and still signs; a wrong key refuses to start', async () => {
      const secret = 'legacy-signing-secret-0123456789';
      const first = await build(opts({ webhooks: { worker: false } }));
      let hookId: string;
      try {
        const h = await first.inject({ method: 'POST', url: '/api/v1/webhooks', headers: withKey(BOOTSTRAP_KEY), payload: { url: rx.url('/sealed'), events: ['approval.created'], secret } });
        hookId = h.json().id;
        const stored = await first.db.selectFrom('webhooks').select('secret').where('id', '=', hookId).executeTakeFirstOrThrow();
        expect(stored.secret).toMatch(/^sealed:v1:/);
        expect(stored.secret).not.toContain(secret);
        // As an older version (or a server without a key) would have left it.
        await first.db.updateTable('webhooks').set({ secret }).where('id', '=', hookId).execute();
        await first.inject({ method: 'POST', url: '/api/v1/approvals', headers: withKey(BOOTSTRAP_KEY), payload: { agent_id: 'sealed', action: 'x' } });
      } finally {
        await first.close();
      }
      const second = await build(opts({ webhooks: { ...FAST } }));
      try {
        const stored = await second.db.selectFrom('webhooks').select('secret').where('id', '=', hookId!).executeTakeFirstOrThrow();
        expect(stored.secret).toMatch(/^sealed:v1:/);
        const [got] = await waitFor('the delivery', () => rx.for('/sealed').length >= 1 && rx.for('/sealed'));
        const ts = String(got.headers['x-agentcop-timestamp']);
        expect(got.headers['x-agentcop-signature']).toBe(`sha256=${createHmac('sha256', secret).update(`${ts}.${got.body}`).digest('hex')}`);
      } finally {
        await second.close();
      }
      if (db.opts.dataDir) expect((await stat(path.join(db.opts.dataDir, 'secret.key'))).mode & 0o777).toBe(0o600);
      await expect(build(opts({ secretKey: Buffer.alloc(32, 9).toString('base64') }))).rejects.toThrow(/AGENTCOP_SECRET_KEY/);
    });

    it('key rotation: started with a new key and the old one as previous, secrets are re-sealed, still sign, and the old key can go', async () => {
      const OLD = Buffer.alloc(32, 21).toString('base64');
      const NEW = Buffer.alloc(32, 22).toString('hex');
      const secret = 'rotating-signing-secret-0123456789';
      // A database of its own: the other tests here keep theirs sealed under the default key.
      const own = await durableDatabase(target);
      const opts = (extra: BuildOptions = {}): BuildOptions => ({ ...own.opts, logger: false, onBootstrap: () => {}, bootstrapKey: BOOTSTRAP_KEY, approvalSweepMs: 0, webhookAllowPrivate: ['127.0.0.1'], ...extra });
      try {
        const first = await build(opts({ secretKey: OLD, webhooks: { worker: false } }));
        let hookId: string;
        let before: string;
        try {
          const h = await first.inject({ method: 'POST', url: '/api/v1/webhooks', headers: withKey(BOOTSTRAP_KEY), payload: { url: rx.url('/rotated'), events: ['approval.created'], secret } });
          hookId = h.json().id;
          before = (await first.db.selectFrom('webhooks').select('secret').where('id', '=', hookId).executeTakeFirstOrThrow()).secret;
        } finally {
          await first.close();
        }
        // The new key alone cannot open the old sealing: the start is refused, and says how to rotate.
        await expect(build(opts({ secretKey: NEW }))).rejects.toThrow(/AGENTCOP_SECRET_KEY_PREVIOUS/);
        const second = await build(opts({ secretKey: NEW, previousSecretKeys: OLD, webhooks: { worker: false } }));
        try {
          const after = (await second.db.selectFrom('webhooks').select('secret').where('id', '=', hookId!).executeTakeFirstOrThrow()).secret;
          expect(after).toMatch(/^sealed:v1:/);
          expect(after).not.toBe(before!);
        } finally {
          await second.close();
        }
        const third = await build(opts({ secretKey: NEW, webhooks: { ...FAST } }));
        try {
          await third.inject({ method: 'POST', url: '/api/v1/approvals', headers: withKey(BOOTSTRAP_KEY), payload: { agent_id: 'rotated', action: 'x' } });
          const [got] = await waitFor('the delivery', () => rx.for('/rotated').length >= 1 && rx.for('/rotated'));
          const ts = String(got.headers['x-agentcop-timestamp']);
          expect(got.headers['x-agentcop-signature']).toBe(`sha256=${createHmac('sha256', secret).update(`${ts}.${got.body}`).digest('hex')}`);
        } finally {
          await third.close();
        }
        await expect(build(opts({ secretKey: OLD }))).rejects.toThrow(/AGENTCOP_SECRET_KEY/);
      } finally {
        await own.cleanup();
      }
    });

    it('closed mid-retry (after a 500): the next start finishes the delivery', async () => {
      rx.setFallback('/midway', 500);
      const first = await build(opts({ webhooks: { ...FAST, backoffBaseMs: 400, backoffMaxMs: 800 } }));
      let hookId: string;
      try {
        const h = await first.inject({ method: 'POST', url: '/api/v1/webhooks', headers: withKey(BOOTSTRAP_KEY), payload: { url: rx.url('/midway'), events: ['approval.created'] } });
        hookId = h.json().id;
        await first.inject({ method: 'POST', url: '/api/v1/approvals', headers: withKey(BOOTSTRAP_KEY), payload: { agent_id: 'midway', action: 'x' } });
        await waitFor('the first, failed attempt', async () => {
          const log = (await first.inject({ url: `/api/v1/webhooks/${hookId}/deliveries`, headers: withKey(BOOTSTRAP_KEY) })).json() as Json;
          return log.data[0]?.attempts === 1 && log.data[0].status === 'pending' && log.data[0].last_error === 'HTTP 500';
        });
      } finally {
        await first.close();
      }
      rx.setFallback('/midway', 200);
      const second = await build(opts({ webhooks: { ...FAST } }));
      try {
        const d = await waitFor('completion after restart', async () => {
          const log = (await second.inject({ url: `/api/v1/webhooks/${hookId!}/deliveries`, headers: withKey(BOOTSTRAP_KEY) })).json() as Json;
          return log.data[0]?.status === 'succeeded' ? log.data[0] : undefined;
        });
        expect(d.attempts).toBe(2);
        expect(d.attempt_log.map((x: Json) => x.status_code)).toEqual([500, 200]);
        expect(rx.for('/midway')).toHaveLength(2);
      } finally {
        await second.close();
      }
    });
  });
}
