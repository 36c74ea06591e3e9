// Approvals over the REST API, once per database target: lifecycle, filters, pagination, expiry,
// one-decision-wins under concurrency, validation, scopes, quotas, tenant isolation, the
// per-request and account-wide audit trails, and the service functions the gate and the App use.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../server/actor.js';
import { createApproval, decideApproval, expireApprovals } from '../../server/modules/approvals/service.js';
import { createAccount, createKey, envelopeOf, startServer, TARGETS, warnSkip, withKey, type TestServer } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

for (const target of TARGETS) {
  describe(`approvals (${target.name})`, () => {
    if (!target.available) {
      warnSkip(`approval tests on ${target.name}`, target.reason!);
      it.skip(`${target.name}: ${target.reason}`, () => {});
      return;
    }
    let s: TestServer;
    let tenant: { accountId: string; key: string };
    let other: { accountId: string; key: string };
    beforeAll(async () => {
      s = await startServer(target, { approvalSweepMs: 0, planLimits: { free: { daily: { approval_requests: 3 } } } });
      tenant = await createAccount(s.app, s.key, 'approvals tenant', 'pro');
      other = await createAccount(s.app, s.key, 'other tenant', 'pro');
    });
    afterAll(async () => s?.close());

    const post = (key: string, url: string, payload?: unknown) =>
      s.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: withKey(key), ...(payload !== undefined ? { payload: payload as Json } : {}) });
    const get = (key: string, url: string) => s.app.inject({ url: `/api/v1${url}`, headers: withKey(key) });
    const create = async (key: string, body: Json = {}) => {
      const res = await post(key, '/approvals', { agent_id: 'billing-bot', action: 'send_refund', parameters: { amount: 120, currency: 'EUR' }, ...body });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as Json;
    };
    /** Moves a request's deadline into the past, as if time had passed. */
    const lapse = (id: string) => sql`UPDATE approvals SET expires_at = now() - interval '1 second' WHERE id = ${id}`.execute(s.app.db);

    it('create: 201 with defaults, Location, and the request as stored; GET reads it back under /api too', async () => {
      const res = await post(tenant.key, '/approvals', {
        agent_id: 'billing-bot',
        action: 'send_refund',
        parameters: { amount: 120, currency: 'EUR', nested: { to: ['a', 'b'] } },
        context: { run_id: 'run_1', triggered_by: 'user:42' },
      });
      expect(res.statusCode).toBe(201);
      const a = res.json() as Json;
      expect(a.id).toMatch(/^apr_[A-Za-z0-9_-]{16}$/);
      expect(res.headers.location).toBe(`/api/v1/approvals/${a.id}`);
      expect(a).toMatchObject({
        agent_id: 'billing-bot',
        action: 'send_refund',
        parameters: { amount: 120, currency: 'EUR', nested: { to: ['a', 'b'] } },
        context: { run_id: 'run_1', triggered_by: 'user:42' },
        urgency: 'medium',
        source: 'api',
        status: 'pending',
        expires_at: null,
        approver: null,
        decided_at: null,
        result: null,
      });
      expect(a.requested_by).toMatch(/^key:key_/);
      const again = await s.app.inject({ url: `/api/approvals/${a.id}`, headers: withKey(tenant.key) });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(a);
    });

    it('create: validation failures answer 400 with the envelope', async () => {
      const cases: [Json, string][] = [
        [{ action: 'x' }, 'validation_failed'], // no agent_id
        [{ agent_id: 'a' }, 'validation_failed'], // no action
        [{ agent_id: '', action: 'x' }, 'validation_failed'],
        [{ agent_id: 'a', action: 'x', urgency: 'whenever' }, 'validation_failed'],
        [{ agent_id: 'a', action: 'x', parameters: [1, 2] }, 'validation_failed'],
        [{ agent_id: 'a', action: 'x', surprise: true }, 'validation_failed'],
        [{ agent_id: 'a', action: 'x', expires_at: 'tomorrow' }, 'validation_failed'],
        [{ agent_id: 'a', action: 'x', expires_at: '2001-01-01T00:00:00Z' }, 'invalid_expires_at'],
        [{ agent_id: 'a', action: 'x', expires_at: new Date(Date.now() + 60_000).toISOString(), expires_in_seconds: 60 }, 'validation_failed'],
        [{ agent_id: 'a\nb', action: 'x' }, 'validation_failed'],
      ];
      for (const [body, error] of cases) {
        const res = await post(tenant.key, '/approvals', body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(envelopeOf(res).error, JSON.stringify(body)).toBe(error);
      }
      const big = await post(tenant.key, '/approvals', { agent_id: 'a', action: 'x', parameters: { blob: 'x'.repeat(70 * 1024) } });
      expect(big.statusCode).toBe(413);
      expect(envelopeOf(big).error).toBe('approval_too_large');
    });

    it('approve: records approver, note, who and when; a second decision of either kind is 409', async () => {
      const a = await create(tenant.key);
      const res = await post(tenant.key, `/approvals/${a.id}/approve`, { approver: 'alice@example.com', note: 'refund is within policy' });
      expect(res.statusCode, res.body).toBe(200);
      const d = res.json() as Json;
      expect(d).toMatchObject({ id: a.id, status: 'approved', approver: 'alice@example.com', note: 'refund is within policy', reason: null });
      expect(d.decided_by).toMatch(/^key:/);
      expect(Date.parse(d.decided_at)).toBeGreaterThan(Date.now() - 60_000);

      const twice = await post(tenant.key, `/approvals/${a.id}/approve`, { approver: 'bob' });
      expect(twice.statusCode).toBe(409);
      const env = envelopeOf(twice) as Json;
      expect(env.error).toBe('approval_already_decided');
      expect(env.details).toMatchObject({ status: 'approved', approver: 'alice@example.com' });
      const deny = await post(tenant.key, `/approvals/${a.id}/deny`, { reason: 'changed my mind' });
      expect(deny.statusCode).toBe(409);
      expect(envelopeOf(deny).error).toBe('approval_already_decided');
      // the first decision stands
      expect((await get(tenant.key, `/approvals/${a.id}`)).json()).toMatchObject({ status: 'approved', approver: 'alice@example.com' });
    });

    it('approve without a body: the approver defaults to the key', async () => {
      const a = await create(tenant.key);
      const res = await post(tenant.key, `/approvals/${a.id}/approve`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().approver).toMatch(/^key:key_/);
    });

    it('deny: a reason is required (missing, empty or blank -> 400); with one, denied', async () => {
      const a = await create(tenant.key);
      for (const body of [{}, { approver: 'alice' }, { reason: '' }, { reason: '   ' }, undefined]) {
        const res = await post(tenant.key, `/approvals/${a.id}/deny`, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(['validation_failed', 'reason_required', 'malformed_json']).toContain(envelopeOf(res).error);
      }
      expect((await get(tenant.key, `/approvals/${a.id}`)).json().status).toBe('pending');
      const res = await post(tenant.key, `/approvals/${a.id}/deny`, { approver: 'alice', reason: 'amount above the refund limit' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'denied', approver: 'alice', reason: 'amount above the refund limit', note: null });
      const approve = await post(tenant.key, `/approvals/${a.id}/approve`, {});
      expect(approve.statusCode).toBe(409);
    });

    it('confirm: only an approved request, only once', async () => {
      const a = await create(tenant.key);
      const early = await post(tenant.key, `/approvals/${a.id}/confirm`, { result: { ok: true } });
      expect(early.statusCode).toBe(409);
      expect(envelopeOf(early).error).toBe('approval_not_approved');
      await post(tenant.key, `/approvals/${a.id}/approve`, { approver: 'alice' });
      const missing = await post(tenant.key, `/approvals/${a.id}/confirm`, {});
      expect(missing.statusCode).toBe(400);
      const res = await post(tenant.key, `/approvals/${a.id}/confirm`, { result: { refund_id: 're_123', ok: true } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: 'approved', result: { refund_id: 're_123', ok: true } });
      expect(res.json().confirmed_at).toBeTruthy();
      const twice = await post(tenant.key, `/approvals/${a.id}/confirm`, { result: 'again' });
      expect(twice.statusCode).toBe(409);
      expect(envelopeOf(twice).error).toBe('approval_already_confirmed');

      const denied = await create(tenant.key);
      await post(tenant.key, `/approvals/${denied.id}/deny`, { reason: 'no' });
      const c = await post(tenant.key, `/approvals/${denied.id}/confirm`, { result: 'did it anyway' });
      expect(c.statusCode).toBe(409);
      expect((envelopeOf(c) as Json).details).toMatchObject({ status: 'denied' });
    });

    it('expiry in real time: past expires_at a pending request reads as expired and cannot be decided', async () => {
      const a = await create(tenant.key, { expires_in_seconds: 1 });
      expect(a.status).toBe('pending');
      expect(Date.parse(a.expires_at) - Date.now()).toBeLessThanOrEqual(1_000);
      await new Promise((r) => setTimeout(r, 1_100));
      expect((await get(tenant.key, `/approvals/${a.id}`)).json().status).toBe('expired');
      // still `pending` in the table: computed on read
      const stored = await s.app.db.selectFrom('approvals').select('status').where('id', '=', a.id).executeTakeFirstOrThrow();
      expect(stored.status).toBe('pending');
      const res = await post(tenant.key, `/approvals/${a.id}/approve`, { approver: 'late' });
      expect(res.statusCode).toBe(409);
      const env = envelopeOf(res) as Json;
      expect(env.error).toBe('approval_expired');
      expect(env.message).toMatch(/expired/);
      // the refused decision persisted the expiry at once, with its audit entry
      const after = await s.app.db.selectFrom('approvals').select(['status', 'approver', 'decided_at']).where('id', '=', a.id).executeTakeFirstOrThrow();
      expect(after).toEqual({ status: 'expired', approver: null, decided_at: null });
      const deny = await post(tenant.key, `/approvals/${a.id}/deny`, { reason: 'too late anyway' });
      expect(envelopeOf(deny).error).toBe('approval_expired');
    });

    it('expiry: list filters agree with reads, and the sweep persists expiry once with approval.expired', async () => {
      const agent = `sweep-${Date.now()}`;
      const a = await create(tenant.key, { agent_id: agent, expires_in_seconds: 3600 });
      const b = await create(tenant.key, { agent_id: agent, expires_in_seconds: 3600 });
      const c = await create(tenant.key, { agent_id: agent });
      await lapse(a.id);
      await lapse(b.id);
      const pending = (await get(tenant.key, `/approvals?agent_id=${agent}&status=pending`)).json() as Json;
      expect(pending.data.map((x: Json) => x.id)).toEqual([c.id]);
      const expired = (await get(tenant.key, `/approvals?agent_id=${agent}&status=expired`)).json() as Json;
      expect(expired.data.map((x: Json) => x.id).sort()).toEqual([a.id, b.id].sort());
      expect(expired.data.every((x: Json) => x.status === 'expired')).toBe(true);

      const n = await s.app.services.approvals.expireDue();
      expect(n).toBeGreaterThanOrEqual(2);
      expect(await s.app.services.approvals.expireDue()).toBe(0); // once only
      const rows = await s.app.db.selectFrom('approvals').select(['id', 'status']).where('agent_id', '=', agent).orderBy('id').execute();
      expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({ [a.id]: 'expired', [b.id]: 'expired', [c.id]: 'pending' });
      const trail = (await get(tenant.key, `/approvals/${a.id}/audit`)).json() as Json;
      expect(trail.data.map((e: Json) => e.action)).toEqual(['approval.created', 'approval.expired']);
      expect(trail.data[1].actor.label).toBe('system:approval-expiry');
      // and the filters still agree after persistence
      const expired2 = (await get(tenant.key, `/approvals?agent_id=${agent}&status=expired`)).json() as Json;
      expect(expired2.total).toBe(2);
    });

    it('the periodic sweep runs by itself when enabled', async () => {
      const t = await startServer(target, { approvalSweepMs: 50 });
      try {
        const a = await t.app.inject({ method: 'POST', url: '/api/v1/approvals', headers: withKey(t.key), payload: { agent_id: 'x', action: 'y', expires_in_seconds: 3600 } });
        const id = a.json().id as string;
        await sql`UPDATE approvals SET expires_at = now() - interval '1 second' WHERE id = ${id}`.execute(t.app.db);
        let status = 'pending';
        for (let i = 0; i < 100 && status !== 'expired'; i++) {
          await new Promise((r) => setTimeout(r, 50));
          status = (await t.app.db.selectFrom('approvals').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
        }
        expect(status).toBe('expired');
      } finally {
        await t.close();
      }
    });

    it('concurrent decisions: exactly one wins, every other one gets 409', async () => {
      for (let round = 0; round < 4; round++) {
        const a = await create(tenant.key, { agent_id: `race-${round}` });
        const attempts = Array.from({ length: 24 }, (_, i) =>
          i % 2 === 0 ? post(tenant.key, `/approvals/${a.id}/approve`, { approver: `approver-${i}` }) : post(tenant.key, `/approvals/${a.id}/deny`, { approver: `approver-${i}`, reason: `no ${i}` }),
        );
        const results = await Promise.all(attempts);
        const codes = results.map((r) => r.statusCode);
        expect(codes.filter((c) => c === 200), `round ${round}: ${codes.join(',')}`).toHaveLength(1);
        expect(codes.filter((c) => c === 409)).toHaveLength(23);
        for (const r of results.filter((x) => x.statusCode === 409)) expect(envelopeOf(r).error).toBe('approval_already_decided');
        const winner = results.find((r) => r.statusCode === 200)!.json() as Json;
        const stored = (await get(tenant.key, `/approvals/${a.id}`)).json() as Json;
        expect(stored).toMatchObject({ status: winner.status, approver: winner.approver });
        const trail = (await get(tenant.key, `/approvals/${a.id}/audit`)).json() as Json;
        expect(trail.data.filter((e: Json) => e.action === 'approval.decided')).toHaveLength(1);
      }
    });

    it('concurrent decisions through the service functions (many connections) and against the sweep', async () => {
      const actor: Actor = { kind: 'system', reason: 'test' };
      const db = s.app.db;
      const events = s.app.events;
      const a = await createApproval(db, events, tenant.accountId, { agent_id: 'svc', action: 'deploy' }, { source: 'gate', actor });
      const settled = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) => decideApproval(db, events, tenant.accountId, a.id, i % 3 ? { decision: 'approved', approver: `p${i}` } : { decision: 'denied', reason: `r${i}` }, { actor })),
      );
      expect(settled.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of settled) if (r.status === 'rejected') expect((r.reason as { statusCode: number }).statusCode).toBe(409);

      // A decision racing the expiry sweep: one or the other, never both.
      for (let i = 0; i < 5; i++) {
        const b = await createApproval(db, events, tenant.accountId, { agent_id: 'svc', action: 'deploy', expires_in_seconds: 60 }, { source: 'gate', actor });
        await sql`UPDATE approvals SET expires_at = now() + interval '30 milliseconds' WHERE id = ${b.id}`.execute(db);
        await new Promise((r) => setTimeout(r, 25));
        const [decided, swept] = await Promise.allSettled([
          decideApproval(db, events, tenant.accountId, b.id, { decision: 'approved' }, { actor }),
          new Promise((r) => setTimeout(r, 5)).then(() => expireApprovals(db, events, { accountId: tenant.accountId })),
        ]);
        const row = await db.selectFrom('approvals').select(['status']).where('id', '=', b.id).executeTakeFirstOrThrow();
        if (decided.status === 'fulfilled') expect(row.status).toBe('approved');
        else expect(row.status).toBe('expired');
        expect(swept.status).toBe('fulfilled');
        const entries = await db.selectFrom('audit_log').select('action').where('target_id', '=', b.id).execute();
        expect(entries.filter((e) => e.action === 'approval.decided' || e.action === 'approval.expired')).toHaveLength(1);
      }
    });

    it('service functions join a caller’s transaction: committed together or rolled back together', async () => {
      const actor: Actor = { kind: 'system', reason: 'gate' };
      const db = s.app.db;
      const events = s.app.events;
      const kept = await db.transaction().execute(async (trx) => {
        const a = await createApproval(trx, events, tenant.accountId, { agent_id: 'in-trx', action: 'rm -rf', urgency: 'critical' }, { source: 'gate', actor });
        return decideApproval(trx, events, tenant.accountId, a.id, { decision: 'denied', reason: 'policy', approver: 'policy:destructive' }, { actor });
      });
      expect(kept).toMatchObject({ status: 'denied', source: 'gate', requested_by: 'system:gate', decided_by: 'system:gate' });
      class Abort extends Error {}
      let droppedId = '';
      await expect(
        db.transaction().execute(async (trx) => {
          droppedId = (await createApproval(trx, events, tenant.accountId, { agent_id: 'in-trx', action: 'deploy' }, { source: 'gate', actor })).id;
          throw new Abort('the caller failed later');
        }),
      ).rejects.toBeInstanceOf(Abort);
      expect((await get(tenant.key, `/approvals/${droppedId}`)).statusCode).toBe(404);
      expect(await db.selectFrom('audit_log').select('id').where('target_id', '=', droppedId).execute()).toHaveLength(0);
      expect((await get(tenant.key, `/approvals/${kept.id}/audit`)).json().data.map((e: Json) => e.actor.label)).toEqual(['system:gate', 'system:gate']);
    });

    it('list: filters by status, agent, source and urgency; newest first; paginated', async () => {
      const agent = `list-${Date.now()}`;
      const made: Json[] = [];
      for (let i = 0; i < 7; i++) made.push(await create(tenant.key, { agent_id: agent, urgency: i % 2 ? 'high' : 'low' }));
      await post(tenant.key, `/approvals/${made[0].id}/approve`, {});
      await post(tenant.key, `/approvals/${made[1].id}/deny`, { reason: 'no' });
      await s.app.services.approvals.createFor(tenant.accountId, { agent_id: agent, action: 'merge', context: { repo: 'o/r', pr: 7 } }, { source: 'github', actor: { kind: 'system', reason: 'github-app' } });

      const all = (await get(tenant.key, `/approvals?agent_id=${agent}`)).json() as Json;
      expect(all.total).toBe(8);
      const times = all.data.map((x: Json) => Date.parse(x.created_at));
      expect([...times].sort((x, y) => y - x)).toEqual(times);

      const p1 = (await get(tenant.key, `/approvals?agent_id=${agent}&limit=3&page=1`)).json() as Json;
      const p3 = (await get(tenant.key, `/approvals?agent_id=${agent}&limit=3&page=3`)).json() as Json;
      expect(p1).toMatchObject({ page: 1, limit: 3, total: 8, has_more: true });
      expect(p3).toMatchObject({ page: 3, limit: 3, total: 8, has_more: false });
      expect(p3.data).toHaveLength(2);
      const pages = [p1, (await get(tenant.key, `/approvals?agent_id=${agent}&limit=3&page=2`)).json(), p3].flatMap((p: Json) => p.data.map((x: Json) => x.id));
      expect(new Set(pages).size).toBe(8);

      expect((await get(tenant.key, `/approvals?agent_id=${agent}&status=approved`)).json().data.map((x: Json) => x.id)).toEqual([made[0].id]);
      expect((await get(tenant.key, `/approvals?agent_id=${agent}&status=denied`)).json().data.map((x: Json) => x.id)).toEqual([made[1].id]);
      expect((await get(tenant.key, `/approvals?agent_id=${agent}&status=pending`)).json().total).toBe(6);
      const gh = (await get(tenant.key, `/approvals?agent_id=${agent}&source=github`)).json() as Json;
      expect(gh.data).toHaveLength(1);
      expect(gh.data[0]).toMatchObject({ source: 'github', requested_by: 'system:github-app', context: { repo: 'o/r', pr: 7 } });
      expect((await get(tenant.key, `/approvals?agent_id=${agent}&urgency=high`)).json().total).toBe(3);

      for (const q of ['status=maybe', 'page=0', 'limit=101', 'source=email', 'colour=red']) {
        const res = await get(tenant.key, `/approvals?${q}`);
        expect(res.statusCode, q).toBe(400);
        expect(envelopeOf(res).error).toBe('validation_failed');
      }
    });

    it('tenant isolation: another account’s request is 404 everywhere and never listed', async () => {
      const mine = await create(tenant.key, { agent_id: 'isolated' });
      for (const [method, url, payload] of [
        ['GET', `/approvals/${mine.id}`, undefined],
        ['GET', `/approvals/${mine.id}/audit`, undefined],
        ['POST', `/approvals/${mine.id}/approve`, {}],
        ['POST', `/approvals/${mine.id}/deny`, { reason: 'x' }],
        ['POST', `/approvals/${mine.id}/confirm`, { result: 1 }],
      ] as const) {
        const res = await s.app.inject({ method, url: `/api/v1${url}`, headers: withKey(other.key), ...(payload ? { payload } : {}) });
        expect(res.statusCode, `${method} ${url}`).toBe(404);
        expect(envelopeOf(res).error).toBe('not_found');
      }
      expect((await get(other.key, '/approvals?agent_id=isolated')).json().total).toBe(0);
      expect((await get(other.key, '/approvals/audit?agent_id=isolated')).json().total).toBe(0);
      expect((await get(tenant.key, `/approvals/${mine.id}`)).json().status).toBe('pending');
      const unknown = await get(tenant.key, '/approvals/apr_doesnotexist000000');
      expect(unknown.statusCode).toBe(404);
    });

    it('scopes: read, write and decide are separate', async () => {
      const reader = await createKey(s.app, tenant.key, { name: 'reader', scopes: ['approvals:read'] });
      const writer = await createKey(s.app, tenant.key, { name: 'agent', scopes: ['approvals:write'] });
      const decider = await createKey(s.app, tenant.key, { name: 'human', scopes: ['approvals:decide'] });
      const a = await create(writer.key);
      expect((await post(reader.key, '/approvals', { agent_id: 'a', action: 'b' })).statusCode).toBe(403);
      expect(envelopeOf(await post(writer.key, `/approvals/${a.id}/approve`, {})).error).toBe('insufficient_scope');
      expect((await get(writer.key, `/approvals/${a.id}`)).statusCode).toBe(403);
      expect((await get(reader.key, `/approvals/${a.id}`)).statusCode).toBe(200);
      expect((await post(decider.key, `/approvals/${a.id}/approve`, {})).statusCode).toBe(200);
      expect((await post(decider.key, `/approvals/${a.id}/confirm`, { result: 1 })).statusCode).toBe(403);
      expect((await post(writer.key, `/approvals/${a.id}/confirm`, { result: 1 })).statusCode).toBe(200);
      expect((await s.app.inject({ url: '/api/v1/approvals' })).statusCode).toBe(401);
    });

    it('daily quota: a free account gets 429 with Retry-After past its approval-request quota', async () => {
      const free = await createAccount(s.app, s.key, 'free tenant', 'free');
      for (let i = 0; i < 3; i++) await create(free.key);
      const res = await post(free.key, '/approvals', { agent_id: 'a', action: 'b' });
      expect(res.statusCode).toBe(429);
      expect(envelopeOf(res).error).toBe('quota_exceeded');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      // a refused (invalid) request does not use quota up
      const fresh = await createAccount(s.app, s.key, 'free tenant 2', 'free');
      await post(fresh.key, '/approvals', { agent_id: 'a', action: 'b', expires_at: '2001-01-01T00:00:00Z' });
      for (let i = 0; i < 3; i++) await create(fresh.key);
    });

    it('per-request audit trail: created, decided, confirmed, with actors, oldest first', async () => {
      const a = await create(tenant.key, { agent_id: 'trail' });
      await post(tenant.key, `/approvals/${a.id}/approve`, { approver: 'carol', note: 'ok' });
      await post(tenant.key, `/approvals/${a.id}/confirm`, { result: { done: true } });
      const res = await get(tenant.key, `/approvals/${a.id}/audit`);
      expect(res.statusCode).toBe(200);
      const body = res.json() as Json;
      expect(body.approval).toMatchObject({ id: a.id, status: 'approved' });
      expect(body.data.map((e: Json) => e.action)).toEqual(['approval.created', 'approval.decided', 'approval.confirmed']);
      expect(body.data[1].details).toMatchObject({ status: 'approved', approver: 'carol', note: 'ok', agent_id: 'trail' });
      expect(body.data[1].details.approval).toBeUndefined(); // the object lives in its table, not the log
      const seqs = body.data.map((e: Json) => e.seq);
      expect([...seqs].sort((x: number, y: number) => x - y)).toEqual(seqs);
      for (const e of body.data) {
        expect(e.target).toEqual({ type: 'approval', id: a.id });
        expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(e.actor.label).toMatch(/^key:key_/);
      }
    });

    it('account-wide approval audit: filters by agent, status and time range; paginated', async () => {
      const agent = `audit-${Date.now()}`;
      const before = new Date(Date.now() - 1_000).toISOString();
      const x = await create(tenant.key, { agent_id: agent });
      const y = await create(tenant.key, { agent_id: agent });
      const z = await create(tenant.key, { agent_id: agent });
      await post(tenant.key, `/approvals/${x.id}/approve`, { approver: 'dan' });
      await post(tenant.key, `/approvals/${y.id}/deny`, { approver: 'erin', reason: 'not today' });
      await post(tenant.key, `/approvals/${z.id}/deny`, { approver: 'erin', reason: 'nor today' });

      const all = (await get(tenant.key, `/approvals/audit?agent_id=${agent}`)).json() as Json;
      expect(all.total).toBe(6); // three created, three decided
      expect(all.data[0]).toMatchObject({ agent_id: agent, event: 'approval.decided', action: 'send_refund' });
      const denied = (await get(tenant.key, `/approvals/audit?agent_id=${agent}&status=denied`)).json() as Json;
      expect(denied.total).toBe(2);
      expect(denied.data.map((e: Json) => e.approval_id).sort()).toEqual([y.id, z.id].sort());
      expect(denied.data.every((e: Json) => e.approver === 'erin' && e.reason && e.event === 'approval.decided')).toBe(true);
      const created = (await get(tenant.key, `/approvals/audit?agent_id=${agent}&status=pending`)).json() as Json;
      expect(created.data.every((e: Json) => e.event === 'approval.created')).toBe(true);

      const inRange = (await get(tenant.key, `/approvals/audit?agent_id=${agent}&from=${encodeURIComponent(before)}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).json() as Json;
      expect(inRange.total).toBe(6);
      expect((await get(tenant.key, `/approvals/audit?agent_id=${agent}&to=${encodeURIComponent(before)}`)).json().total).toBe(0);
      expect((await get(tenant.key, `/approvals/audit?agent_id=${agent}&from=2999-01-01`)).json().total).toBe(0);
      const today = new Date().toISOString().slice(0, 10);
      expect((await get(tenant.key, `/approvals/audit?agent_id=${agent}&from=${today}&to=${today}`)).json().total).toBe(6);
      const page2 = (await get(tenant.key, `/approvals/audit?agent_id=${agent}&limit=4&page=2`)).json() as Json;
      expect(page2).toMatchObject({ total: 6, page: 2, limit: 4, has_more: false });
      expect(page2.data).toHaveLength(2);

      const bad = await get(tenant.key, '/approvals/audit?from=yesterday');
      expect(bad.statusCode).toBe(400);
      const reversed = await get(tenant.key, '/approvals/audit?from=2026-02-01&to=2026-01-01');
      expect(reversed.statusCode).toBe(400);
    });

    it('a failing subscriber rolls the whole change back: no request, no audit entry', async () => {
      const off = s.app.events.on('approval.created', () => {
        throw new Error('subscriber failed');
      });
      try {
        const res = await post(tenant.key, '/approvals', { agent_id: 'rollback', action: 'x' });
        expect(res.statusCode).toBe(500);
        expect(envelopeOf(res).error).toBe('internal_error');
      } finally {
        off();
      }
      expect((await get(tenant.key, '/approvals?agent_id=rollback')).json().total).toBe(0);
      const entries = await s.app.db.selectFrom('audit_log').select('id').where(sql<string>`details->>'agent_id'`, '=', 'rollback').execute();
      expect(entries).toHaveLength(0);
    });
  });
}
