// The audit log, once per database target: every mutation appended with actor, action, target and
// time; the per-account hash chain (recomputed here independently from the documented formula);
// filters and pagination; admin scope; tenant isolation; append-only enforcement in the database;
// tamper detection; and no fork under concurrent appends.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../server/modules/audit/service.js';
import { createAccount, createKey, envelopeOf, startServer, TARGETS, VULNERABLE_AGENT, warnSkip, withKey, type TestServer } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Canonical JSON as documented: keys sorted at every level, no whitespace. Written apart from the server's. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Json)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Recomputes an entry's hash from its API view. */
function recompute(accountId: string, e: Json): string {
  const fields = {
    id: e.id,
    account_id: accountId,
    seq: e.seq,
    action: e.action,
    actor: e.actor.label,
    actor_kind: e.actor.kind,
    actor_key_prefix: e.actor.key_prefix,
    ip: e.actor.ip,
    target_type: e.target.type,
    target_id: e.target.id,
    details: e.details,
    created_at: e.created_at,
  };
  return createHash('sha256').update(e.prev_hash + canonical(fields)).digest('hex');
}

for (const target of TARGETS) {
  describe(`audit log (${target.name})`, () => {
    if (!target.available) {
      warnSkip(`audit tests on ${target.name}`, target.reason!);
      it.skip(`${target.name}: ${target.reason}`, () => {});
      return;
    }
    let s: TestServer;
    let tenant: { accountId: string; key: string; keyId: string };
    beforeAll(async () => {
      s = await startServer(target, { approvalSweepMs: 0, webhookAllowPrivate: ['127.0.0.1'], webhooks: { worker: false } });
      tenant = await createAccount(s.app, s.key, 'audited tenant', 'pro');
    });
    afterAll(async () => s?.close());

    const req = (key: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Json) =>
      s.app.inject({ method, url: `/api/v1${url}`, headers: withKey(key), ...(payload !== undefined ? { payload } : {}) });
    const log = async (key: string, q = '') => {
      const res = await req(key, 'GET', `/audit-logs${q}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as Json;
    };
    const everything = async (key: string) => {
      const out: Json[] = [];
      for (let page = 1; ; page++) {
        const p = await log(key, `?order=asc&limit=100&page=${page}`);
        out.push(...p.data);
        if (!p.has_more) return out;
      }
    };

    it('every mutation is appended with actor, action, target and time; no secret is logged', async () => {
      const k = await createKey(s.app, tenant.key, { name: 'ci', scopes: ['scan:write', 'scan:read'] });
      await req(tenant.key, 'POST', `/keys/${k.id}/rotate`, {});
      const doomed = await createKey(s.app, tenant.key, { name: 'doomed', scopes: ['scan:read'] });
      await req(tenant.key, 'DELETE', `/keys/${doomed.id}`);
      const scan = (await req(tenant.key, 'POST', '/scan', { code: VULNERABLE_AGENT, agent_name: 'audited' })).json() as Json;
      const approval = (await req(tenant.key, 'POST', '/approvals', { agent_id: 'audited', action: 'wire', parameters: { token: 'sk-proj-Zq3xV8bN2mK7pL4wR9tY6uI1oE5aS0dF' } })).json() as Json;
      await req(tenant.key, 'POST', `/approvals/${approval.id}/deny`, { approver: 'zoe', reason: 'no' });
      const hook = (await req(tenant.key, 'POST', '/webhooks', { url: 'http://127.0.0.1:9/slack/T000/B000/XXXXSECRETPATH', events: ['scan.completed'], secret: 'audit-secret-abcdefghijklmnop' })).json() as Json;
      await req(tenant.key, 'PATCH', `/webhooks/${hook.id}`, { rotate_secret: true, events: ['approval.created'] });
      await req(tenant.key, 'DELETE', `/webhooks/${hook.id}`);

      const entries = await everything(tenant.key);
      expect(entries.map((e) => e.action)).toEqual([
        'account.created',
        'key.created', // the account's first admin key, by the operator
        'key.created',
        'key.rotated',
        'key.created',
        'key.revoked',
        'scan.completed',
        'approval.created',
        'approval.decided',
        'webhook.created',
        'webhook.updated',
        'webhook.deleted',
      ]);
      expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
      expect(entries[0]).toMatchObject({ target: { type: 'account', id: tenant.accountId }, prev_hash: '0'.repeat(64) });
      expect(entries[0].actor.label).toMatch(/^key:key_/); // the operator's key created it
      const byAction = (a: string) => entries.filter((e) => e.action === a);
      expect(byAction('key.rotated')[0]).toMatchObject({ target: { type: 'key' }, details: { replaced_key_id: k.id, name: 'ci' } });
      expect(byAction('key.revoked')[0]).toMatchObject({ target: { type: 'key', id: doomed.id } });
      expect(byAction('scan.completed')[0]).toMatchObject({ target: { type: 'scan', id: scan.scan_id }, details: { agent_name: 'audited', trust_score: scan.trust_score } });
      expect(byAction('approval.decided')[0]).toMatchObject({ target: { type: 'approval', id: approval.id }, details: { status: 'denied', approver: 'zoe', reason: 'no' } });
      expect(byAction('webhook.updated')[0].details.changed.sort()).toEqual(['events', 'secret']);
      expect(byAction('webhook.created')[0].details).toMatchObject({ url_host: '127.0.0.1:9', events: ['scan.completed'] });
      for (const e of entries.slice(2)) {
        expect(e.actor).toMatchObject({ kind: 'key', label: expect.stringMatching(/^key:key_/), key_prefix: expect.stringMatching(/^ac_/) });
        expect(Date.parse(e.created_at)).toBeGreaterThan(Date.now() - 120_000);
      }
      const text = JSON.stringify(entries);
      for (const secret of [k.key, doomed.key, 'audit-secret-abcdefghijklmnop', 'XXXXSECRETPATH', 'Zq3xV8bN2mK7pL4wR9tY6uI1oE5aS0dF']) expect(text).not.toContain(secret);
    });

    it('the chain: each hash is sha256(prev_hash + canonical JSON of the entry), linked in seq order; verify agrees', async () => {
      const entries = await everything(tenant.key);
      let prev = '0'.repeat(64);
      for (const e of entries) {
        expect(e.prev_hash).toBe(prev);
        expect(recompute(tenant.accountId, e)).toBe(e.hash);
        prev = e.hash;
      }
      const v = (await req(tenant.key, 'GET', '/audit-logs/verify')).json() as Json;
      expect(v).toEqual({ valid: true, entries_checked: entries.length, head: { seq: entries.length, hash: prev } });
      // the operator account's chain starts at the first start, by the system
      const op = await everything(s.key);
      expect(op[0]).toMatchObject({ seq: 1, action: 'account.created', actor: { label: 'system:bootstrap', kind: 'system' } });
      expect((await req(s.key, 'GET', '/audit-logs/verify')).json().valid).toBe(true);
    });

    it('filters: action (exact and family), actor, target, time range, order; paginated', async () => {
      expect((await log(tenant.key, '?action=key.created')).total).toBe(3);
      const keys = await log(tenant.key, '?action=key.*&order=asc');
      expect(keys.data.map((e: Json) => e.action)).toEqual(['key.created', 'key.created', 'key.rotated', 'key.created', 'key.revoked']);
      const approvals = await log(tenant.key, '?action=approval.*');
      expect(approvals.total).toBe(2);
      const target = approvals.data[0].target.id as string;
      expect((await log(tenant.key, `?target_type=approval&target_id=${target}`)).total).toBe(2);
      const mine = await log(tenant.key, `?actor=${encodeURIComponent(approvals.data[0].actor.label)}`);
      expect(mine.total).toBeGreaterThanOrEqual(9);
      expect((await log(tenant.key, '?from=2999-01-01')).total).toBe(0);
      expect((await log(tenant.key, `?to=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`)).total).toBe(0);
      const all = await log(tenant.key, '?limit=5');
      expect(all).toMatchObject({ page: 1, limit: 5, has_more: true });
      expect(all.data.map((e: Json) => e.seq)).toEqual([all.total, all.total - 1, all.total - 2, all.total - 3, all.total - 4]); // newest first
      const last = await log(tenant.key, `?limit=5&page=${Math.ceil(all.total / 5)}`);
      expect(last.has_more).toBe(false);
      expect(last.data.at(-1).seq).toBe(1);
      for (const q of ['?order=sideways', '?limit=0', '?from=yesterday', '?secret=1']) {
        const res = await req(tenant.key, 'GET', `/audit-logs${q}`);
        expect(res.statusCode, q).toBe(400);
        expect(envelopeOf(res).error).toBe('validation_failed');
      }
    });

    it('admin scope only; each account sees only its own chain', async () => {
      const keysOnly = await createKey(s.app, tenant.key, { name: 'keys', scopes: ['keys:manage', 'approvals:read', 'webhooks:manage'] });
      for (const url of ['/audit-logs', '/audit-logs/verify']) {
        const res = await req(keysOnly.key, 'GET', url);
        expect(res.statusCode, url).toBe(403);
        expect(envelopeOf(res).error).toBe('insufficient_scope');
      }
      const other = await createAccount(s.app, s.key, 'second tenant', 'pro');
      const theirs = await everything(other.key);
      expect(theirs.map((e) => e.action)).toEqual(['account.created', 'key.created']);
      expect(theirs[0]).toMatchObject({ seq: 1, prev_hash: '0'.repeat(64) });
      const ours = await everything(tenant.key);
      expect(ours.some((e) => e.target.id === other.accountId)).toBe(false);
      // no route changes or removes entries
      const id = ours[0].id as string;
      for (const method of ['DELETE', 'PATCH', 'POST'] as const) {
        const res = await req(tenant.key, method, `/audit-logs/${id}`, method === 'DELETE' ? undefined : {});
        expect([404, 405]).toContain(res.statusCode);
      }
      expect((await req(tenant.key, 'DELETE', '/audit-logs')).statusCode).toBe(405);
    });

    it('append-only in the database: UPDATE, DELETE and TRUNCATE are refused even for the application', async () => {
      const db = s.app.db;
      await expect(sql`UPDATE audit_log SET action = 'nothing.happened' WHERE account_id = ${tenant.accountId}`.execute(db)).rejects.toThrow(/append-only/);
      await expect(sql`DELETE FROM audit_log WHERE account_id = ${tenant.accountId}`.execute(db)).rejects.toThrow(/append-only/);
      await expect(sql`TRUNCATE audit_log`.execute(db)).rejects.toThrow(/append-only/);
      expect((await verifyAuditChain(db, tenant.accountId)).valid).toBe(true);
    });

    it('tamper detection: a changed field, a re-hashed entry, a removed entry are all found', async () => {
      const victim = await createAccount(s.app, s.key, 'tamper victim', 'pro');
      for (let i = 0; i < 4; i++) await createKey(s.app, victim.key, { name: `k${i}`, scopes: ['scan:read'] });
      const db = s.app.db;
      class Rollback extends Error {}
      const inTamperedCopy = async (tamper: (trx: typeof db) => Promise<unknown>) => {
        let result: Awaited<ReturnType<typeof verifyAuditChain>> | undefined;
        await db
          .transaction()
          .execute(async (trx) => {
            await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`.execute(trx);
            await tamper(trx);
            result = await verifyAuditChain(trx, victim.accountId);
            throw new Rollback();
          })
          .catch((err) => {
            if (!(err instanceof Rollback)) throw err;
          });
        return result!;
      };
      const at = (seq: number) => sql`account_id = ${victim.accountId} AND seq = ${seq}`;

      const edited = await inTamperedCopy((trx) => sql`UPDATE audit_log SET details = details || '{"name":"innocent"}'::jsonb WHERE ${at(4)}`.execute(trx));
      expect(edited).toMatchObject({ valid: false, entries_checked: 3, broken_at: { seq: 4, reason: expect.stringMatching(/hash does not match/) } });

      const actor = await inTamperedCopy((trx) => sql`UPDATE audit_log SET actor = 'system:nobody' WHERE ${at(2)}`.execute(trx));
      expect(actor.broken_at?.seq).toBe(2);

      const time = await inTamperedCopy((trx) => sql`UPDATE audit_log SET created_at = created_at - interval '1 day' WHERE ${at(3)}`.execute(trx));
      expect(time.broken_at?.seq).toBe(3);

      // rewriting an entry and its own hash moves the break to the next link
      const rehashed = await inTamperedCopy(async (trx) => {
        await sql`UPDATE audit_log SET hash = ${'f'.repeat(64)} WHERE ${at(3)}`.execute(trx);
      });
      expect(rehashed.broken_at?.seq).toBe(3);
      const relinked = await inTamperedCopy(async (trx) => {
        const row = await trx.selectFrom('audit_log').selectAll().where('account_id', '=', victim.accountId).where('seq', '=', 3).executeTakeFirstOrThrow();
        const { entryHash } = await import('../../server/modules/audit/service.js');
        const forged = { ...row, action: 'key.forged' };
        const { hash: _h, prev_hash: _p, ...rest } = forged;
        await sql`UPDATE audit_log SET action = 'key.forged', hash = ${entryHash(row.prev_hash, rest)} WHERE ${at(3)}`.execute(trx);
      });
      expect(relinked).toMatchObject({ valid: false, broken_at: { seq: 4, reason: expect.stringMatching(/prev_hash/) } });

      const removed = await inTamperedCopy((trx) => sql`DELETE FROM audit_log WHERE ${at(2)}`.execute(trx));
      expect(removed).toMatchObject({ valid: false, entries_checked: 1, broken_at: { seq: 2, reason: expect.stringMatching(/missing/) } });

      // after all the rollbacks: untouched, still valid, and the trigger is back
      expect(await verifyAuditChain(db, victim.accountId)).toMatchObject({ valid: true, entries_checked: 6 });
      await expect(sql`DELETE FROM audit_log WHERE ${at(1)}`.execute(db)).rejects.toThrow(/append-only/);

      // and through the API, on committed tampering
      await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`.execute(db);
      try {
        await sql`UPDATE audit_log SET details = '{}'::jsonb WHERE ${at(5)}`.execute(db);
      } finally {
        await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change`.execute(db);
      }
      const v = (await req(victim.key, 'GET', '/audit-logs/verify')).json() as Json;
      expect(v).toMatchObject({ valid: false, entries_checked: 4, broken_at: { seq: 5 } });
    });

    it('concurrent mutations on one account never fork the chain', async () => {
      const busy = await createAccount(s.app, s.key, 'busy tenant', 'enterprise');
      const N = 40;
      const results = await Promise.all(
        Array.from({ length: N }, (_, i) =>
          i % 2
            ? req(busy.key, 'POST', '/keys', { name: `k${i}`, scopes: ['scan:read'] })
            : req(busy.key, 'POST', '/approvals', { agent_id: `c${i}`, action: 'x' }),
        ),
      );
      expect(results.map((r) => r.statusCode)).toEqual(Array(N).fill(201));
      const rows = await s.app.db.selectFrom('audit_log').select(['seq', 'hash', 'prev_hash']).where('account_id', '=', busy.accountId).orderBy('seq').execute();
      expect(rows).toHaveLength(N + 2);
      expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
      expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(rows.length); // no two entries share a predecessor
      expect(await verifyAuditChain(s.app.db, busy.accountId)).toMatchObject({ valid: true, entries_checked: N + 2 });
    });
  });
}
