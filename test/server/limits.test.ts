// Rate limits and quotas (counted in the database) and restart persistence, per database target.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildOptions } from '../../server/index.js';
import { slidingWindow } from '../../server/limits/service.js';
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
  warnSkip,
  withKey,
  type TestServer,
} from './helpers.js';

describe('sliding window arithmetic', () => {
  const minute = 29_000_000 * 60_000;
  it('weights the previous minute by how much of it is still in the window', () => {
    expect(slidingWindow(1, 0, 10, minute).remaining).toBe(9);
    // half-way through: 10 from the previous minute count as 5
    expect(slidingWindow(1, 10, 10, minute + 30_000)).toMatchObject({ allowed: true, remaining: 4 });
    expect(slidingWindow(6, 10, 10, minute + 30_000)).toMatchObject({ allowed: false, remaining: 0 });
  });
  it('says when to retry', () => {
    const s = slidingWindow(6, 10, 10, minute + 30_000); // estimate 11: the previous minute must decay by 2 -> 12 s
    expect(s.retryAfter).toBe(12);
    const fresh = slidingWindow(4, 0, 3, minute + 1_000); // over within this minute: after the boundary, plus decay
    expect(fresh.retryAfter).toBe(59 + 30);
    expect(fresh.resetSeconds).toBe(59);
  });
});

for (const target of TARGETS) {
  describe(`limits (${target.name})`, () => {
    if (!target.available) {
      warnSkip(`limit tests on ${target.name}`, target.reason!);
      it.skip(`${target.name}: ${target.reason}`, () => {});
      return;
    }
    const minuteStart = Math.floor(Date.now() / 60_000) * 60_000;
    let clock = minuteStart + 1_000;
    let s: TestServer;
    beforeAll(async () => {
      s = await startServer(target, { now: () => clock, planLimits: { free: { daily: { scans: 2 } } } });
    });
    afterAll(async () => s?.close());

    it('per-key window: X-RateLimit-* on every response, 429 with Retry-After past the limit', async () => {
      const k = await createKey(s.app, s.key, { name: 'slow', scopes: ['scan:read'], rate_limit_per_minute: 3 });
      const seen: [number, string | undefined][] = [];
      for (let i = 0; i < 3; i++) {
        const res = await s.app.inject({ url: '/api/v1/scans', headers: withKey(k.key) });
        expect(res.statusCode).toBe(200);
        expect(res.headers['x-ratelimit-limit']).toBe('3');
        expect(Number(res.headers['x-ratelimit-reset'])).toBe(59);
        seen.push([res.statusCode, res.headers['x-ratelimit-remaining'] as string]);
      }
      expect(seen.map((x) => x[1])).toEqual(['2', '1', '0']);
      const limited = await s.app.inject({ url: '/api/v1/scans', headers: withKey(k.key) });
      expect(limited.statusCode).toBe(429);
      expect(envelopeOf(limited).error).toBe('rate_limited');
      expect(limited.headers['retry-after']).toBe('89');
      expect(limited.headers['x-ratelimit-remaining']).toBe('0');
      // errors from the route itself carry the headers too
      const notFound = await s.app.inject({ url: '/api/v1/scan/scan_nope', headers: withKey(s.key) });
      expect(notFound.headers['x-ratelimit-limit']).toBeDefined();
      // other keys are not affected
      expect((await s.app.inject({ url: '/api/v1/scans', headers: withKey(s.key) })).statusCode).toBe(200);
      // after Retry-After, allowed again
      clock += 89_000;
      const later = await s.app.inject({ url: '/api/v1/scans', headers: withKey(k.key) });
      expect(later.statusCode).toBe(200);
    });

    it('a key’s own limit never exceeds its plan’s', async () => {
      const free = await createAccount(s.app, s.key, 'free tenant', 'free');
      const k = await createKey(s.app, free.key, { name: 'greedy', scopes: ['scan:read'], rate_limit_per_minute: 1_000_000 });
      const res = await s.app.inject({ url: '/api/v1/scans', headers: withKey(k.key) });
      expect(res.headers['x-ratelimit-limit']).toBe('60');
    });

    it('daily plan quota: 429 quota_exceeded with Retry-After until UTC midnight; cached results still served', async () => {
      const free = await createAccount(s.app, s.key, 'quota tenant', 'free');
      const h = withKey(free.key);
      expect((await s.app.inject({ method: 'POST', url: '/api/v1/scan', headers: h, payload: { code: 'a = 1\n' } })).statusCode).toBe(201);
      expect((await s.app.inject({ method: 'POST', url: '/api/v1/scan', headers: h, payload: { code: 'b = 1\n' } })).statusCode).toBe(201);
      const over = await s.app.inject({ method: 'POST', url: '/api/v1/scan', headers: h, payload: { code: 'c = 1\n' } });
      expect(over.statusCode).toBe(429);
      expect(envelopeOf(over).error).toBe('quota_exceeded');
      const midnight = new Date(clock);
      midnight.setUTCHours(24, 0, 0, 0);
      expect(Number(over.headers['retry-after'])).toBe(Math.ceil((midnight.getTime() - clock) / 1000));
      const imported = await s.app.inject({ method: 'POST', url: '/api/v1/scans/import', headers: h, payload: { issues: [] } });
      expect(imported.statusCode).toBe(429);
      const cached = await s.app.inject({ method: 'POST', url: '/api/v1/scan', headers: h, payload: { code: 'a = 1\n' } });
      expect(cached.statusCode).toBe(200);
      const account = (await s.app.inject({ url: '/api/v1/account', headers: h })).json();
      expect(account.usage_today.scans).toBe(2);
      expect(account.limits.daily.scans).toBe(2);
      // the next UTC day starts afresh
      clock = midnight.getTime() + 1_000;
      expect((await s.app.inject({ method: 'POST', url: '/api/v1/scan', headers: h, payload: { code: 'c = 1\n' } })).statusCode).toBe(201);
    });

    it('quota counting is atomic under concurrency: never more than the limit', async () => {
      const free = await createAccount(s.app, s.key, 'race tenant', 'free');
      const h = withKey(free.key);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => s.app.inject({ method: 'POST', url: '/api/v1/scan', headers: h, payload: { code: `race_${i} = ${i}\n` } })),
      );
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes.filter((c) => c === 201)).toHaveLength(2);
      expect(codes.filter((c) => c === 429)).toHaveLength(6);
    });
  });

  describe(`restart persistence (${target.name})`, () => {
    if (!target.available) {
      warnSkip(`restart tests on ${target.name}`, target.reason!);
      it.skip(`${target.name}: ${target.reason}`, () => {});
      return;
    }
    let dbOptions: BuildOptions;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      if (target.name === 'postgres') {
        const pgdb = await freshPostgresDatabase();
        dbOptions = { databaseUrl: pgdb.url };
        cleanup = pgdb.drop;
      } else {
        const dir = await tempDir();
        dbOptions = { dataDir: dir, pgliteSnapshot: await pgliteSnapshot() };
        cleanup = () => rm(dir, { recursive: true, force: true });
      }
    });
    afterAll(async () => cleanup?.());

    it('close, build again on the same database: accounts, keys, scans, counters and revocations survive', async () => {
      const clock = Math.floor(Date.now() / 60_000) * 60_000 + 1_000;
      const bootstraps: string[] = [];
      const opts: BuildOptions = { ...dbOptions, logger: false, now: () => clock, onBootstrap: (i) => bootstraps.push(i.key) };

      const first = await build(opts); // no preset key: a random one, reported once
      expect(bootstraps).toHaveLength(1);
      const admin = bootstraps[0];
      expect(admin).toMatch(/^ac_/);
      const k = await createKey(first, admin, { name: 'persist', scopes: ['scan:write', 'scan:read'], rate_limit_per_minute: 10 });
      const revoked = await createKey(first, admin, { name: 'gone', scopes: ['scan:read'] });
      await first.inject({ method: 'DELETE', url: `/api/v1/keys/${revoked.id}`, headers: withKey(admin) });
      const scan = (await first.inject({ method: 'POST', url: '/api/v1/scan', headers: withKey(k.key), payload: { code: 'import os\nos.system(input())\n', agent_name: 'persist' } })).json();
      const r1 = await first.inject({ url: '/api/v1/scans', headers: withKey(k.key) });
      expect(r1.headers['x-ratelimit-remaining']).toBe('8');
      await first.close();

      const second = await build({ ...opts, bootstrapKey: BOOTSTRAP_KEY });
      try {
        expect(bootstraps).toHaveLength(1); // not bootstrapped again, preset key ignored
        expect((await second.inject({ url: '/api/v1/scans', headers: withKey(BOOTSTRAP_KEY) })).statusCode).toBe(401);
        const got = await second.inject({ url: `/api/v1/scan/${scan.scan_id}`, headers: withKey(k.key) });
        expect(got.statusCode).toBe(200);
        expect(got.json().trust_score).toBe(scan.trust_score);
        expect(got.json().agent_name).toBe('persist');
        // the rate-limit window continued where it was
        expect(got.headers['x-ratelimit-remaining']).toBe('7');
        expect((await second.inject({ url: '/api/v1/scans', headers: withKey(revoked.key) })).statusCode).toBe(401);
        const badge = await second.inject({ url: `/api/v1/badge/${scan.scan_id}` });
        expect(badge.statusCode).toBe(200);
        const again = await second.inject({ method: 'POST', url: '/api/v1/scan', headers: withKey(k.key), payload: { code: 'import os\nos.system(input())\n', agent_name: 'persist' } });
        expect(again.json()).toMatchObject({ cached: true, scan_id: scan.scan_id });
      } finally {
        await second.close();
      }
    });
  });
}
