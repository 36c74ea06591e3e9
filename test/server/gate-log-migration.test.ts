// Migration 019 reshapes gate_log (no foreign key, an id-ordered index, json instead of jsonb):
// decisions logged before the upgrade must still list newest first with their reasons intact,
// and the migration must undo cleanly.
import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaticMigrationProvider } from '../../server/db/migrations/index.js';
import { newSortableId } from '../../server/ids.js';
import { createAccount, startServer, TARGETS, warnSkip, withKey, type TestServer } from './helpers.js';

for (const target of TARGETS) {
  if (!target.available) {
    warnSkip(`gate log migration tests on ${target.name}`, target.reason ?? '');
    continue;
  }
  describe(`gate log migration 019 (${target.name})`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startServer(target, { approvalSweepMs: 0, webhooks: { worker: false } });
    });
    afterAll(async () => s?.close());

    it('rows logged before the upgrade read back newest first, reasons and versions intact', async () => {
      const t = await createAccount(s.app, s.key, 'pre-upgrade tenant', 'pro');
      const migrator = new Migrator({ db: s.app.db, provider: new StaticMigrationProvider() });
      const down = await migrator.migrateTo('018_sandboxes');
      expect(down.error).toBeUndefined();

      const t0 = Date.now() - 10_000;
      const rows = [0, 1, 2].map((i) => ({
        id: newSortableId('gte', t0 + i * 1000),
        tool: `step_${i}`,
        at: new Date(t0 + i * 1000).toISOString(),
      }));
      for (const r of rows) {
        await sql`INSERT INTO gate_log VALUES (${r.id}, ${t.accountId}, 'old-agent', ${r.tool}, 'block', 'tool_not_allowed',
          ${JSON.stringify([{ code: 'tool_not_allowed', severity: 'high', title: 'not on the list', evidence: r.tool, effect: 'block' }])}::jsonb,
          70, 'R', NULL, ${JSON.stringify({ permissions: 4, base: null, gate_policy: 2 })}::jsonb, ${r.at})`.execute(s.app.db);
      }
      const up = await migrator.migrateToLatest();
      expect(up.error).toBeUndefined();
      expect(up.results?.map((r) => r.migrationName)).toContain('019_gate_log_lean');

      const res = await s.app.inject({ method: 'GET', url: '/api/gate/log/old-agent?limit=2', headers: withKey(t.key) });
      expect(res.statusCode).toBe(200);
      const page = res.json();
      expect(page).toMatchObject({ total: 3, has_more: true });
      expect(page.data.map((d: { tool_name: string }) => d.tool_name)).toEqual(['step_2', 'step_1']);
      expect(page.data[0]).toMatchObject({
        reasons: [{ code: 'tool_not_allowed', severity: 'high', evidence: 'step_2', effect: 'block' }],
        policy_version: { permissions: 4, base: null, gate_policy: 2 },
        evaluated_at: rows[2].at,
      });
    });
  });
}
