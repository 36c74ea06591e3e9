// The REST API over Fastify inject, once per database target: errors, auth, keys, accounts,
// tenant isolation, scans, import, history, OpenAPI and health.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createAccount, createKey, envelopeOf, startServer, TARGETS, VULNERABLE_AGENT, warnSkip, withKey, type TestServer } from './helpers.js';

for (const target of TARGETS) {
  describe(`server API (${target.name})`, () => {
    if (!target.available) {
      warnSkip(`server API tests on ${target.name}`, target.reason!);
      it.skip(`${target.name}: ${target.reason}`, () => {});
      return;
    }
    let s: TestServer;
    let other: { accountId: string; key: string };
    beforeAll(async () => {
      s = await startServer(target);
      other = await createAccount(s.app, s.key, 'other tenant', 'pro');
    });
    afterAll(async () => s?.close());

    const h = (extra: Record<string, string> = {}) => withKey(s.key, extra);

    describe('error envelope', () => {
      it('unknown route: 404 envelope, under /api, /api/v1 and elsewhere', async () => {
        for (const url of ['/api/v1/nope', '/api/nope', '/nope']) {
          const res = await s.app.inject({ url, headers: h() });
          expect(res.statusCode).toBe(404);
          expect(envelopeOf(res).error).toBe('route_not_found');
        }
      });

      it('wrong method on a known path: 405 with Allow', async () => {
        const res = await s.app.inject({ method: 'DELETE', url: '/api/v1/scans', headers: h() });
        expect(res.statusCode).toBe(405);
        expect(envelopeOf(res).error).toBe('method_not_allowed');
        expect(res.headers.allow).toContain('GET');
        const put = await s.app.inject({ method: 'PUT', url: '/api/scan', headers: h(), payload: {} });
        expect(put.statusCode).toBe(405);
        expect(put.headers.allow).toBe('POST');
      });

      it('malformed JSON: 400 malformed_json', async () => {
        const res = await s.app.inject({ method: 'POST', url: '/api/v1/scan', headers: h({ 'content-type': 'application/json' }), payload: '{"code": ' });
        expect(res.statusCode).toBe(400);
        expect(envelopeOf(res).error).toBe('malformed_json');
        const empty = await s.app.inject({ method: 'POST', url: '/api/v1/scan', headers: h({ 'content-type': 'application/json' }), payload: '' });
        expect(envelopeOf(empty).error).toBe('malformed_json');
      });

      it('wrong content type: 415', async () => {
        for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
          const res = await s.app.inject({ method: 'POST', url: '/api/v1/scan', headers: h({ 'content-type': type }), payload: 'code=x' });
          expect(res.statusCode, type).toBe(415);
          expect(envelopeOf(res).error).toBe('unsupported_media_type');
        }
        // multipart is only understood by /scan/zip
        const mp = await s.app.inject({
          method: 'POST',
          url: '/api/v1/scan',
          headers: h({ 'content-type': 'multipart/form-data; boundary=x' }),
          payload: '--x\r\nContent-Disposition: form-data; name="code"\r\n\r\nx\r\n--x--\r\n',
        });
        expect(mp.statusCode).toBe(415);
        // and /scan/zip refuses JSON
        const zipJson = await s.app.inject({ method: 'POST', url: '/api/v1/scan/zip', headers: h(), payload: { file: 'x' } });
        expect(zipJson.statusCode).toBe(415);
        expect(envelopeOf(zipJson).error).toBe('unsupported_media_type');
      });

      it('413: code over 100 KB, and bodies over the route limit', async () => {
        const code = `# ${'x'.repeat(100 * 1024)}\n`;
        const res = await s.app.inject({ method: 'POST', url: '/api/v1/scan', headers: h(), payload: { code } });
        expect(res.statusCode).toBe(413);
        expect(envelopeOf(res).error).toBe('code_too_large');
        const huge = await s.app.inject({ method: 'POST', url: '/api/v1/scan', headers: h(), payload: { code: 'x'.repeat(2 * 1024 * 1024) } });
        expect(huge.statusCode).toBe(413);
        expect(envelopeOf(huge).error).toBe('payload_too_large');
        // exactly at the limit is fine (multi-byte characters count as bytes)
        const atLimit = `#${'é'.repeat(50 * 1024 - 1)}\n`;
        expect(Buffer.byteLength(atLimit)).toBe(100 * 1024);
        const ok = await s.app.inject({ method: 'POST', url: '/api/v1/scan', headers: h(), payload: { code: atLimit } });
        expect(ok.statusCode).toBe(201);
      });

      it('validation errors: 400 validation_failed with details', async () => {
        const cases: unknown[] = [{}, { code: '' }, { code: 'x', framework: 'no spaces allowed' }, { code: 'x', extra: 1 }, { code: 42 }, []];
        for (const payload of cases) {
          const res = await s.app.inject({ method: 'POST', url: '/api/v1/scan', headers: h(), payload: payload as object });
          expect(res.statusCode, JSON.stringify(payload)).toBe(400);
          const env = envelopeOf(res) as { error: string; details?: unknown[] };
          expect(env.error).toBe('validation_failed');
          expect(Array.isArray(env.details)).toBe(true);
        }
        const q = await s.app.inject({ url: '/api/v1/scans?limit=1000', headers: h() });
        expect(q.statusCode).toBe(400);
        expect(envelopeOf(q).error).toBe('validation_failed');
        const badName = await s.app.inject({ method: 'POST', url: '/api/v1/scan', headers: h(), payload: { code: 'x', filename: '../etc/passwd.py' } });
        expect(envelopeOf(badName).error).toBe('invalid_filename');
        const badType = await s.app.inject({ method: 'POST', url: '/api/v1/scan', headers: h(), payload: { code: 'x', filename: 'notes.docx' } });
        expect(envelopeOf(badType).error).toBe('unsupported_file_type');
      });

      it('a malformed URL: 400 envelope', async () => {
        const res = await s.app.inject({ url: '/api/v1/scan/%E0%A4%A', headers: h() });
        expect(res.statusCode).toBe(400);
        envelopeOf(res);
      });
    });

    describe('authentication and scopes', () => {
      it('401 for a missing, malformed or unknown key', async () => {
        const missing = await s.app.inject({ url: '/api/v1/scans' });
        expect(missing.statusCode).toBe(401);
        expect(envelopeOf(missing).error).toBe('missing_api_key');
        expect(missing.headers['www-authenticate']).toContain('Bearer');
        const malformed = await s.app.inject({ url: '/api/v1/scans', headers: withKey('hunter2') });
        expect(envelopeOf(malformed).error).toBe('invalid_api_key');
        const unknown = await s.app.inject({ url: '/api/v1/scans', headers: withKey(`ac_${'z'.repeat(43)}`) });
        expect(unknown.statusCode).toBe(401);
        expect(envelopeOf(unknown).error).toBe('invalid_api_key');
      });

      it('accepts Authorization: Bearer as well as X-AgentCop-Key', async () => {
        const res = await s.app.inject({ url: '/api/v1/scans', headers: { authorization: `Bearer ${s.key}` } });
        expect(res.statusCode).toBe(200);
      });

      it('403 when the key lacks the scope', async () => {
        const reader = await createKey(s.app, s.key, { name: 'reader', scopes: ['scan:read'] });
        const res = await s.app.inject({ method: 'POST', url: '/api/v1/scan', headers: withKey(reader.key), payload: { code: 'x = 1\n' } });
        expect(res.statusCode).toBe(403);
        expect(envelopeOf(res).error).toBe('insufficient_scope');
        const keys = await s.app.inject({ url: '/api/v1/keys', headers: withKey(reader.key) });
        expect(keys.statusCode).toBe(403);
        const ok = await s.app.inject({ url: '/api/v1/scans', headers: withKey(reader.key) });
        expect(ok.statusCode).toBe(200);
      });

      it('401 for a revoked key and for an expired key', async () => {
        const k = await createKey(s.app, s.key, { name: 'temp', scopes: ['scan:read'] });
        expect((await s.app.inject({ url: '/api/v1/scans', headers: withKey(k.key) })).statusCode).toBe(200);
        const del = await s.app.inject({ method: 'DELETE', url: `/api/v1/keys/${k.id}`, headers: h() });
        expect(del.statusCode).toBe(200);
        expect(del.json().status).toBe('revoked');
        const after = await s.app.inject({ url: '/api/v1/scans', headers: withKey(k.key) });
        expect(after.statusCode).toBe(401);
        expect(envelopeOf(after).error).toBe('revoked_api_key');

        const e = await createKey(s.app, s.key, { name: 'short-lived', scopes: ['scan:read'], expires_in: '30d' });
        await sql`UPDATE api_keys SET expires_at = now() - interval '1 minute' WHERE id = ${e.id}`.execute(s.app.db);
        const expired = await s.app.inject({ url: '/api/v1/scans', headers: withKey(e.key) });
        expect(expired.statusCode).toBe(401);
        expect(envelopeOf(expired).error).toBe('expired_api_key');
        const view = await s.app.inject({ url: `/api/v1/keys/${e.id}`, headers: h() });
        expect(view.json().status).toBe('expired');
      });

      it('public routes need no key', async () => {
        for (const url of ['/health', '/api/health', '/api/v1/health', '/api/v1/openapi.json', '/api/v1/docs/', '/api/v1/badge/scan_nothing']) {
          const res = await s.app.inject({ url });
          expect([200, 404], url).toContain(res.statusCode);
          expect(res.statusCode === 404 ? url.includes('badge') : true).toBe(true);
        }
      });
    });

    describe('keys', () => {
      it('creates a key shown once, stored only as a hash, with prefix, scopes and expiry', async () => {
        const res = await s.app.inject({ method: 'POST', url: '/api/v1/keys', headers: h(), payload: { name: 'ci', scopes: ['scan:write', 'scan:read'], expires_in: '60d' } });
        expect(res.statusCode).toBe(201);
        expect(res.headers['cache-control']).toBe('no-store');
        const k = res.json();
        expect(k.key).toMatch(/^ac_[A-Za-z0-9_-]{43}$/);
        expect(k.key.startsWith(k.prefix)).toBe(true);
        expect(k.scopes).toEqual(['scan:write', 'scan:read']);
        const days = (Date.parse(k.expires_at) - Date.now()) / 86_400_000;
        expect(days).toBeGreaterThan(59.9);
        expect(days).toBeLessThan(60.1);
        // never again: not in the list, not in the row
        const list = await s.app.inject({ url: '/api/v1/keys?limit=100', headers: h() });
        expect(list.body).not.toContain(k.key);
        const row = await s.app.db.selectFrom('api_keys').selectAll().where('id', '=', k.id).executeTakeFirstOrThrow();
        expect(JSON.stringify(row)).not.toContain(k.key);
        expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
      });

      it('expiry never, and last_used_at set on use', async () => {
        const k = await createKey(s.app, s.key, { name: 'forever', scopes: ['scan:read'], expires_in: 'never' });
        const before = await s.app.inject({ url: `/api/v1/keys/${k.id}`, headers: h() });
        expect(before.json().expires_at).toBeNull();
        expect(before.json().last_used_at).toBeNull();
        await s.app.inject({ url: '/api/v1/scans', headers: withKey(k.key) });
        const after = await s.app.inject({ url: `/api/v1/keys/${k.id}`, headers: h() });
        expect(Date.now() - Date.parse(after.json().last_used_at)).toBeLessThan(60_000);
      });

      it('rotates: new secret, same scopes, old key refused', async () => {
        const k = await createKey(s.app, s.key, { name: 'rotating', scopes: ['scan:read'], expires_in: '90d' });
        const res = await s.app.inject({ method: 'POST', url: `/api/v1/keys/${k.id}/rotate`, headers: h(), payload: {} });
        expect(res.statusCode).toBe(201);
        const r = res.json();
        expect(r.key).not.toBe(k.key);
        expect(r.scopes).toEqual(['scan:read']);
        expect(r.rotated_from).toBe(k.id);
        expect(r.replaced.status).toBe('revoked');
        expect((await s.app.inject({ url: '/api/v1/scans', headers: withKey(k.key) })).statusCode).toBe(401);
        expect((await s.app.inject({ url: '/api/v1/scans', headers: withKey(r.key) })).statusCode).toBe(200);
        const again = await s.app.inject({ method: 'POST', url: `/api/v1/keys/${k.id}/rotate`, headers: h(), payload: {} });
        expect(again.statusCode).toBe(409);
        expect(envelopeOf(again).error).toBe('key_not_active');
      });

      it('rotation with a grace period keeps the old key working meanwhile', async () => {
        const k = await createKey(s.app, s.key, { name: 'graceful', scopes: ['scan:read'] });
        const res = await s.app.inject({ method: 'POST', url: `/api/v1/keys/${k.id}/rotate`, headers: h(), payload: { grace_seconds: 600 } });
        expect(res.statusCode).toBe(201);
        expect((await s.app.inject({ url: '/api/v1/scans', headers: withKey(k.key) })).statusCode).toBe(200);
      });

      it('a key cannot grant or manage scopes it lacks', async () => {
        const manager = await createKey(s.app, s.key, { name: 'manager', scopes: ['keys:manage', 'scan:read'] });
        const ok = await s.app.inject({ method: 'POST', url: '/api/v1/keys', headers: withKey(manager.key), payload: { name: 'r', scopes: ['scan:read'] } });
        expect(ok.statusCode).toBe(201);
        const esc = await s.app.inject({ method: 'POST', url: '/api/v1/keys', headers: withKey(manager.key), payload: { name: 'x', scopes: ['admin'] } });
        expect(esc.statusCode).toBe(403);
        expect(envelopeOf(esc).error).toBe('scope_escalation');
        const adminKeys = await s.app.db.selectFrom('api_keys').select('id').where('name', '=', 'bootstrap admin').executeTakeFirstOrThrow();
        const rot = await s.app.inject({ method: 'POST', url: `/api/v1/keys/${adminKeys.id}/rotate`, headers: withKey(manager.key), payload: {} });
        expect(rot.statusCode).toBe(403);
      });

      it('unknown scopes and expiries are refused', async () => {
        for (const payload of [{ name: 'x', scopes: ['root'] }, { name: 'x', scopes: ['scan:read'], expires_in: '7d' }, { name: 'x', scopes: [] }]) {
          const res = await s.app.inject({ method: 'POST', url: '/api/v1/keys', headers: h(), payload });
          expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        }
      });
    });

    describe('accounts and tenant isolation', () => {
      it('the operator creates accounts; plans show in /account', async () => {
        const me = await s.app.inject({ url: '/api/v1/account', headers: withKey(other.key) });
        expect(me.statusCode).toBe(200);
        expect(me.json()).toMatchObject({ id: other.accountId, plan: 'pro', is_operator: false, limits: { daily: { scans: 10_000 } } });
        const patched = await s.app.inject({ method: 'PATCH', url: `/api/v1/accounts/${other.accountId}`, headers: h(), payload: { plan: 'enterprise' } });
        expect(patched.json().plan).toBe('enterprise');
        await s.app.inject({ method: 'PATCH', url: `/api/v1/accounts/${other.accountId}`, headers: h(), payload: { plan: 'pro' } });
      });

      it('another account’s admin cannot manage accounts (404, as if the route did not exist)', async () => {
        const res = await s.app.inject({ method: 'POST', url: '/api/v1/accounts', headers: withKey(other.key), payload: { name: 'sneaky' } });
        expect(res.statusCode).toBe(404);
        const list = await s.app.inject({ url: '/api/v1/accounts', headers: withKey(other.key) });
        expect(list.statusCode).toBe(404);
      });

      it('another account’s scan and key ids answer 404', async () => {
        const mine = await s.app.inject({ method: 'POST', url: '/api/v1/scan', headers: h(), payload: { code: VULNERABLE_AGENT, agent_name: 'isolation' } });
        const id = mine.json().scan_id;
        const theirs = await s.app.inject({ url: `/api/v1/scan/${id}`, headers: withKey(other.key) });
        expect(theirs.statusCode).toBe(404);
        expect(envelopeOf(theirs).error).toBe('not_found');
        const list = await s.app.inject({ url: '/api/v1/scans?agent_name=isolation', headers: withKey(other.key) });
        expect(list.json().total).toBe(0);

        const myKey = await createKey(s.app, s.key, { name: 'mine', scopes: ['scan:read'] });
        for (const [method, url] of [
          ['GET', `/api/v1/keys/${myKey.id}`],
          ['DELETE', `/api/v1/keys/${myKey.id}`],
          ['POST', `/api/v1/keys/${myKey.id}/rotate`],
        ] as const) {
          const res = await s.app.inject({ method, url, headers: withKey(other.key), ...(method === 'POST' ? { payload: {} } : {}) });
          expect(res.statusCode, `${method} ${url}`).toBe(404);
        }
        // still alive
        expect((await s.app.inject({ url: '/api/v1/scans', headers: withKey(myKey.key) })).statusCode).toBe(200);
        // the same content scanned by the other tenant is its own scan, not a cache hit on ours
        const theirScan = await s.app.inject({ method: 'POST', url: '/api/v1/scan', headers: withKey(other.key), payload: { code: VULNERABLE_AGENT, agent_name: 'isolation' } });
        expect(theirScan.statusCode).toBe(201);
        expect(theirScan.json().scan_id).not.toBe(id);
      });
    });

    describe('scans', () => {
      it('POST /scan returns a ScanResult with share and badge URLs, redacted snippets', async () => {
        const res = await s.app.inject({ method: 'POST', url: '/api/v1/scan', headers: h(), payload: { code: VULNERABLE_AGENT, agent_name: 'support-bot', description: 'demo', framework: 'langchain' } });
        expect(res.statusCode).toBe(201);
        const r = res.json();
        expect(r.scan_id).toMatch(/^scan_[A-Za-z0-9_-]{16,}$/);
        expect(r.total_issues).toBeGreaterThan(0);
        expect(r.issues.length).toBe(r.total_issues);
        expect(r.trust_score).toBeLessThan(100);
        expect(r.cached).toBe(false);
        expect(r.agent_name).toBe('support-bot');
        expect(r.frameworks).toContain('langchain');
        expect(r.share_url).toMatch(new RegExp(`^http://localhost(:80)?/scan/${r.scan_id}$`));
        expect(r.badge_url).toMatch(new RegExp(`/api/v1/badge/${r.scan_id}$`));
        expect(res.body).not.toContain('Zq3xV8bN2mK7pL4wR9tY6uI1oE5aS0dF');
        const stored = await s.app.db.selectFrom('scans').select('result').where('id', '=', r.scan_id).executeTakeFirstOrThrow();
        expect(JSON.stringify(stored.result)).not.toContain('Zq3xV8bN2mK7pL4wR9tY6uI1oE5aS0dF');
      });

      it('caches by content hash per account: same content, same scan, no second quota unit', async () => {
        const code = `${VULNERABLE_AGENT}\n# cache test\n`;
        const a = await s.app.inject({ method: 'POST', url: '/api/scan', headers: withKey(other.key), payload: { code, agent_name: 'cache' } });
        const usage1 = (await s.app.inject({ url: '/api/account', headers: withKey(other.key) })).json().usage_today.scans;
        const b = await s.app.inject({ method: 'POST', url: '/api/scan', headers: withKey(other.key), payload: { code, agent_name: 'cache' } });
        const usage2 = (await s.app.inject({ url: '/api/account', headers: withKey(other.key) })).json().usage_today.scans;
        expect(a.statusCode).toBe(201);
        expect(b.statusCode).toBe(200);
        expect(b.json().cached).toBe(true);
        expect(b.json().scan_id).toBe(a.json().scan_id);
        expect(usage2).toBe(usage1);
        const n = await s.app.db.selectFrom('scans').select((eb) => eb.fn.countAll<number>().as('n')).where('agent_name', '=', 'cache').executeTakeFirstOrThrow();
        expect(Number(n.n)).toBe(1);
        // different filename (language) is different content
        const c = await s.app.inject({ method: 'POST', url: '/api/scan', headers: withKey(other.key), payload: { code: 'const x = 1;\n', filename: 'src/x.ts', agent_name: 'cache' } });
        expect(c.statusCode).toBe(201);
      });

      it('GET /scan/{id} and GET /scans with pagination and agent_name filter', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) {
          const r = await s.app.inject({ method: 'POST', url: '/api/v1/scan', headers: h(), payload: { code: `x = ${i}\n`, agent_name: 'paged' } });
          ids.push(r.json().scan_id);
        }
        const one = await s.app.inject({ url: `/api/v1/scan/${ids[2]}`, headers: h() });
        expect(one.statusCode).toBe(200);
        expect(one.json().scan_id).toBe(ids[2]);
        expect(one.json().share_url).toContain(ids[2]);
        const p1 = (await s.app.inject({ url: '/api/v1/scans?agent_name=paged&limit=2', headers: h() })).json();
        const p2 = (await s.app.inject({ url: '/api/v1/scans?agent_name=paged&limit=2&page=2', headers: h() })).json();
        const p3 = (await s.app.inject({ url: '/api/v1/scans?agent_name=paged&limit=2&page=3', headers: h() })).json();
        expect(p1.total).toBe(5);
        expect([p1.has_more, p2.has_more, p3.has_more]).toEqual([true, true, false]);
        const seen = [...p1.data, ...p2.data, ...p3.data].map((x: { scan_id: string }) => x.scan_id);
        expect(new Set(seen)).toEqual(new Set(ids));
        expect(p1.data[0].agent_name).toBe('paged');
        expect(p1.data[0].badge_url).toContain('/api/v1/badge/');
        const missing = await s.app.inject({ url: '/api/v1/scan/scan_doesnotexist', headers: h() });
        expect(missing.statusCode).toBe(404);
      });

      it('POST /scans/import validates, re-redacts, recomputes the score and returns URLs', async () => {
        const leaked = 'sk-proj-Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LzXc';
        const body = {
          scan_id: 'scan_from_the_action_0001',
          trust_score: 100,
          risk_level: 'SAFE',
          total_issues: 1,
          issues: [
            {
              id: 'issue_001',
              type: 'LLM02_SENSITIVE_INFORMATION_DISCLOSURE',
              rule: 'secrets/hardcoded-secret',
              severity: 'CRITICAL',
              title: 'Hardcoded secret',
              description: `API key ${leaked} in source`,
              file: 'agents/bot.py',
              line: 3,
              column: 1,
              end_line: 3,
              code_snippet: `client = OpenAI(api_key="${leaked}")`,
              fix: 'Read it from the environment.',
              owasp: 'LLM02',
              cwe: 'CWE-798',
              fingerprint: 'abc',
            },
          ],
          suppressed_issues: [],
          files_scanned: 3,
          frameworks: ['openai'],
          permissions: { network: true, filesystem: false, environment: false, subprocess: false },
          notices: [],
          scan_time_ms: 12,
          created_at: '2026-04-06T14:23:11Z',
          agent_name: 'from-action',
        };
        const res = await s.app.inject({ method: 'POST', url: '/api/v1/scans/import', headers: h(), payload: body });
        expect(res.statusCode).toBe(201);
        const r = res.json();
        expect(r.scan_id).not.toBe(body.scan_id);
        expect(r.share_url).toContain(r.scan_id);
        expect(r.badge_url).toContain(r.scan_id);
        expect(r.trust_score).toBe(75);
        expect(r.risk_level).toBe('MODERATE');
        const got = await s.app.inject({ url: `/api/v1/scan/${r.scan_id}`, headers: h() });
        expect(got.body).not.toContain(leaked);
        expect(got.json().source).toBe('import');
        expect(got.json().agent_name).toBe('from-action');

        const bad = await s.app.inject({ method: 'POST', url: '/api/v1/scans/import', headers: h(), payload: { issues: [{ severity: 'WHATEVER' }] } });
        expect(bad.statusCode).toBe(400);
        expect(envelopeOf(bad).error).toBe('validation_failed');
        const notArray = await s.app.inject({ method: 'POST', url: '/api/v1/scans/import', headers: h(), payload: { issues: 'none' } });
        expect(notArray.statusCode).toBe(400);
        const reader = await createKey(s.app, s.key, { name: 'ro', scopes: ['scan:read'] });
        const forbidden = await s.app.inject({ method: 'POST', url: '/api/v1/scans/import', headers: withKey(reader.key), payload: body });
        expect(forbidden.statusCode).toBe(403);
      });

      it('emits scan.completed inside the transaction; a failing subscriber rolls the scan back', async () => {
        const seen: string[] = [];
        const off = s.app.events.on('scan.completed', async (e, ctx) => {
          seen.push(e.scan_id);
          // the row is visible inside the transaction the handler was given
          const row = await ctx.db.selectFrom('scans').select('id').where('id', '=', e.scan_id).executeTakeFirst();
          expect(row?.id).toBe(e.scan_id);
          expect(ctx.actor.kind).toBe('key');
        });
        const ok = await s.app.inject({ method: 'POST', url: '/api/v1/scan', headers: h(), payload: { code: 'y = 2\n', agent_name: 'events' } });
        off();
        expect(seen).toEqual([ok.json().scan_id]);

        const off2 = s.app.events.on('scan.completed', () => {
          throw new Error('subscriber failed');
        });
        const failed = await s.app.inject({ method: 'POST', url: '/api/v1/scan', headers: h(), payload: { code: 'z = 3\n', agent_name: 'events-rollback' } });
        off2();
        expect(failed.statusCode).toBe(500);
        expect(envelopeOf(failed).error).toBe('internal_error');
        expect(failed.body).not.toContain('subscriber failed');
        const rows = await s.app.db.selectFrom('scans').select('id').where('agent_name', '=', 'events-rollback').execute();
        expect(rows).toEqual([]);
      });
    });

    describe('OpenAPI, docs and health', () => {
      it('serves OpenAPI 3 from the route schemas, documenting /api/v1 only', async () => {
        const res = await s.app.inject({ url: '/api/v1/openapi.json' });
        expect(res.statusCode).toBe(200);
        const spec = res.json();
        expect(spec.openapi).toMatch(/^3\./);
        const paths = Object.keys(spec.paths);
        for (const p of ['/api/v1/scan', '/api/v1/scan/zip', '/api/v1/scan/{scan_id}', '/api/v1/scans', '/api/v1/scans/import', '/api/v1/badge/{scan_id}', '/api/v1/keys', '/api/v1/keys/{key_id}/rotate', '/api/v1/health']) {
          expect(paths, p).toContain(p);
        }
        expect(paths.some((p) => p.startsWith('/api/') && !p.startsWith('/api/v1/'))).toBe(false);
        expect(spec.paths['/api/v1/scan'].post.requestBody.content['application/json'].schema.required).toContain('code');
        expect(spec.components.schemas.Error).toBeDefined();
        expect((await s.app.inject({ url: '/api/openapi.json' })).statusCode).toBe(200);
      });

      it('serves Swagger UI from local assets', async () => {
        const res = await s.app.inject({ url: '/api/v1/docs/' });
        expect(res.statusCode).toBe(200);
        expect(res.body).toContain('swagger-ui');
        expect(res.body).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);
      });

      it('GET /health checks the database for real and answers 503 when it is gone', async () => {
        const res = await s.app.inject({ url: '/health' });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ status: 'ok', database: { status: 'ok', kind: target.name }, scanner: { status: 'ok' } });
        expect(typeof res.json().uptime_seconds).toBe('number');
        expect(res.json().version).toMatch(/^\d+\.\d+\.\d+/);
      });
    });
  });
}
