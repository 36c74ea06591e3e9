// Approval policies over the REST API, once per database target: CRUD, each operator, unsafe
// regexes refused, priority order, and their effect on approval requests from REST and the gate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileConditions } from '../../server/modules/policies/conditions.js';
import { ApiError } from '../../server/errors.js';
import { createAccount, envelopeOf, startServer, TARGETS, warnSkip, withKey, type TestServer } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('policy conditions', () => {
  it('each operator, dotted paths, and equality', () => {
    const m = compileConditions({
      amount: { $gt: 10, $lte: 100 },
      currency: { $in: ['EUR', 'USD'] },
      'to.email': { $regex: '@corp\\.example$' },
      priority: { $lt: 5, $gte: 1 },
      mode: 'batch',
    });
    const ok = { amount: 100, currency: 'EUR', to: { email: 'a@corp.example' }, priority: 1, mode: 'batch' };
    expect(m(ok)).toBe(true);
    expect(m({ ...ok, amount: 10 })).toBe(false); // $gt is strict
    expect(m({ ...ok, amount: 101 })).toBe(false); // $lte
    expect(m({ ...ok, amount: '50' })).toBe(true); // numeric strings compare as numbers
    expect(m({ ...ok, currency: 'GBP' })).toBe(false);
    expect(m({ ...ok, to: { email: 'a@evil.example' } })).toBe(false);
    expect(m({ ...ok, priority: 5 })).toBe(false); // $lt is strict
    expect(m({ ...ok, priority: 0 })).toBe(false); // $gte
    expect(m({ ...ok, mode: 'live' })).toBe(false);
    expect(m({ ...ok, amount: undefined })).toBe(false);
    expect(compileConditions({ tags: { $in: ['urgent'] } })({ tags: ['low', 'urgent'] })).toBe(true);
    expect(compileConditions({ x: { $nin: ['a'] } })({ x: 'b' })).toBe(true);
    expect(compileConditions({ x: { $exists: false } })({})).toBe(true);
  });

  it('refuses unsafe and invalid regexes and unknown operators', () => {
    const code = (c: unknown) => {
      try {
        compileConditions(c);
        return 'ok';
      } catch (err) {
        return (err as ApiError).error;
      }
    };
    expect(code({ a: { $regex: '(a+)+$' } })).toBe('unsafe_regex');
    expect(code({ a: { $regex: '(x*)*y' } })).toBe('unsafe_regex');
    expect(code({ a: { $regex: '(\\w+\\s?)*$' } })).toBe('unsafe_regex');
    expect(code({ a: { $regex: '(a)\\1' } })).toBe('unsafe_regex');
    expect(code({ a: { $regex: 'x'.repeat(300) } })).toBe('unsafe_regex');
    expect(code({ a: { $regex: '([a-z' } })).toBe('invalid_regex');
    expect(code({ a: { $near: 1 } })).toBe('invalid_condition');
    expect(code({ a: { $in: 'x' } })).toBe('invalid_condition');
    expect(code({ a: { $regex: '^[a-z0-9._%+-]+@corp\\.example$' } })).toBe('ok');
  });
});

for (const target of TARGETS) {
  describe(`policies (${target.name})`, () => {
    if (!target.available) {
      warnSkip(`policy tests on ${target.name}`, target.reason!);
      it.skip(`${target.name}: ${target.reason}`, () => {});
      return;
    }
    let s: TestServer;
    let t: { accountId: string; key: string };
    beforeAll(async () => {
      s = await startServer(target, { approvalSweepMs: 0, webhooks: { worker: false } });
      t = await createAccount(s.app, s.key, 'policy tenant', 'pro');
    }, 120_000);
    afterAll(async () => s?.close());

    const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', url: string, payload?: unknown, key = t.key) =>
      s.app.inject({ method, url: `/api/v1${url}`, headers: withKey(key), ...(payload !== undefined ? { payload: payload as Json } : {}) });
    const approval = async (body: Json) => {
      const res = await call('POST', '/approvals', { agent_id: 'billing-bot', ...body });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as Json;
    };

    it('CRUD with the envelope on bad input', async () => {
      const created = await call('POST', '/policies', { name: 'small refunds', priority: 10, match: { action: 'refund', parameters: { amount: { $lt: 50 } } }, decision: 'auto_approve' });
      expect(created.statusCode, created.body).toBe(201);
      const p = created.json() as Json;
      expect(p).toMatchObject({ name: 'small refunds', priority: 10, enabled: true, decision: 'auto_approve', description: null });
      expect(created.headers.location).toBe(`/api/v1/policies/${p.id}`);
      expect((await call('GET', `/policies/${p.id}`)).json()).toEqual(p);
      const dup = await call('POST', '/policies', { name: 'small refunds', match: {}, decision: 'auto_deny' });
      expect(envelopeOf(dup).error).toBe('policy_name_taken');
      const unsafe = await call('POST', '/policies', { name: 'evil', match: { parameters: { note: { $regex: '(a|aa)+(b+)+$' } } }, decision: 'auto_deny' });
      expect(unsafe.statusCode).toBe(400);
      expect(envelopeOf(unsafe).error).toBe('unsafe_regex');
      expect(envelopeOf(await call('POST', '/policies', { name: 'x', match: {}, decision: 'maybe' })).error).toBe('validation_failed');
      const patched = await call('PATCH', `/policies/${p.id}`, { description: 'under 50 EUR', priority: 20 });
      expect(patched.json()).toMatchObject({ description: 'under 50 EUR', priority: 20 });
      expect((await call('DELETE', `/policies/${p.id}`)).statusCode).toBe(204);
      expect((await call('GET', `/policies/${p.id}`)).statusCode).toBe(404);
      const outsider = await createAccount(s.app, s.key, 'policy outsider', 'pro');
      const theirs = (await call('POST', '/policies', { name: 'theirs', match: {}, decision: 'auto_deny' }, outsider.key)).json() as Json;
      expect((await call('GET', `/policies/${theirs.id}`)).statusCode).toBe(404);
    });

    it('decides new approval requests in priority order: auto_approve, auto_deny, route_to_human', async () => {
      await call('POST', '/policies', { name: 'huge refunds to a person', priority: 1, match: { action: 'refund', parameters: { amount: { $gte: 10_000 } } }, decision: 'route_to_human' });
      await call('POST', '/policies', { name: 'deny GBP', priority: 5, match: { action: 'refund', parameters: { currency: { $in: ['GBP'] } } }, decision: 'auto_deny' });
      await call('POST', '/policies', { name: 'small refunds ok', priority: 10, match: { action: 're*', parameters: { amount: { $lte: 100 } } }, decision: 'auto_approve' });
      await call('POST', '/policies', { name: 'disabled catch-all', priority: 0, enabled: false, match: {}, decision: 'auto_deny' });

      const small = await approval({ action: 'refund', parameters: { amount: 40, currency: 'EUR' } });
      expect(small).toMatchObject({ status: 'approved', approver: 'policy:small refunds ok' });
      const gbp = await approval({ action: 'refund', parameters: { amount: 40, currency: 'GBP' } });
      expect(gbp.status).toBe('denied');
      expect(gbp.reason).toContain('deny GBP');
      const huge = await approval({ action: 'refund', parameters: { amount: 20_000, currency: 'GBP' } });
      expect(huge.status).toBe('pending'); // priority 1 routes it to a person before the GBP denial
      const other = await approval({ action: 'delete_account', parameters: {} });
      expect(other.status).toBe('pending');
      // The trail shows creation and the policy's decision.
      const trail = (await call('GET', `/approvals/${small.id}/audit`)).json() as Json;
      expect(trail.data.map((e: Json) => e.action)).toEqual(['approval.created', 'approval.decided']);
      const list = (await call('GET', '/policies')).json() as Json;
      expect(list.data.map((p: Json) => p.priority)).toEqual([0, 1, 5, 10]);
    });

    it('applies to approvals the gate creates: auto_approve lets the call through at once, auto_deny blocks', async () => {
      await call('PUT', '/permissions/pay-bot', { tools: { allow: ['*'] } });
      await call('PUT', '/gate/policy/pay-bot', { require_approval: ['refund', 'wire'] });
      await call('POST', '/policies', { name: 'no wires from the gate', priority: 2, match: { action: 'wire', source: ['gate'] }, decision: 'auto_deny' });
      const ev = async (tool: string, parameters: Json) =>
        (await s.app.inject({ method: 'POST', url: '/api/v1/gate/evaluate', headers: withKey(t.key), payload: { agent_id: 'pay-bot', tool_name: tool, parameters } })).json() as Json;
      const ok = await ev('refund', { amount: 20, currency: 'EUR' });
      expect(ok).toMatchObject({ decision: 'allow', reason: 'auto_approved' });
      expect((await call('GET', `/approvals/${ok.approval_request_id}`)).json().status).toBe('approved');
      const wire = await ev('wire', { amount: 20 });
      expect(wire).toMatchObject({ decision: 'block', reason: 'approval_denied' });
      const person = await ev('refund', { amount: 5000, currency: 'EUR' });
      expect(person.decision).toBe('require_approval');
    });
  });
}
