// Pull request scans end to end through the server: signed deliveries in, GitHub's API (a model of
// it, through nock) out, real engine scans, real PGlite and PostgreSQL.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect } from 'vitest';
import { envelopeOf, itOn, TARGETS, warnSkip, withKey, type TestServer } from '../server/helpers.js';
import { FakeGitHub } from './fake-github.js';
import { commentEvent, deliver, prEvent, SAFE_AGENT, settle, SHA, shellAgent, startAppServer } from './helpers.js';

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => nock.enableNetConnect());

describe.each(TARGETS)('GitHub App pull request scans on $name', (target) => {
  if (!target.available) warnSkip(`GitHub App tests on ${target.name}`, target.reason!);
  const it = itOn(target);
  let server: TestServer;
  let gh: FakeGitHub;

  beforeEach(async () => {
    if (!target.available) return;
    gh = new FakeGitHub();
    gh.intercept();
    server = await startAppServer(target);
  }, 120_000);
  afterEach(async () => {
    nock.cleanAll();
    await server?.close();
  });

  it('opened: in_progress at once, then completed with annotations in batches of 50 and a failing conclusion', async () => {
    gh.commit(SHA.base, { 'README.md': '# hi\n' });
    gh.commit(SHA.head, { 'README.md': '# hi\n', 'agents/many.py': shellAgent(120), 'agents/ok.py': SAFE_AGENT });
    gh.pr(2, SHA.base, SHA.head);
    const res = await deliver(server.app, 'pull_request', prEvent('opened', { number: 2, head: SHA.head, base: SHA.base }));
    expect(res.statusCode).toBe(200);
    await settle(server.app);

    const [run] = gh.checkRunsFor(SHA.head);
    expect(run.name).toBe('AgentCop');
    expect(run.created.status).toBe('in_progress');
    expect(run.status).toBe('completed');
    expect(run.conclusion).toBe('failure');
    expect(run.output.title).toBe("Trust score 50/100 · HIGH · 120 new issues");
    // 120 issues: 50 with the conclusion, then 50 and 20 by further updates.
    expect(run.updates.map((u) => u.output.annotations.length)).toEqual([50, 50, 20]);
    expect(run.updates[0].conclusion).toBe('failure');
    expect(run.annotations.every((a) => a.path === 'agents/many.py' && a.annotation_level === 'failure')).toBe(true);
    expect(run.output.summary).toContain('| CRITICAL | 120 | 120 |');
    expect(run.output.summary).toContain('/agentcop approve <reason>');

    // One summary comment, with the hidden marker, and the scan stored with a share URL.
    const comments = gh.comments.filter((c) => c.issue === 2);
    expect(comments).toHaveLength(1);
    expect(comments[0].body.startsWith('<!-- agentcop:summary -->')).toBe(true);
    const scans = await server.app.inject({ method: 'GET', url: '/api/v1/scans?agent_name=Codertocat/Hello-World%232', headers: withKey(server.key) });
    const list = scans.json().data;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ source: 'github', total_issues: 120 });
    expect(run.output.summary).toContain(`https://agentcop.test/scan/${list[0].scan_id}`);
    const row = await server.app.db.selectFrom('github_pr_scans').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ repository: 'Codertocat/Hello-World', pull_number: 2, head_sha: SHA.head, status: 'completed', conclusion: 'failure', scan_id: list[0].scan_id });
    // The failing change opened an approval request the operator's key can see.
    const approvals = await server.app.inject({ method: 'GET', url: '/api/approvals?source=github&status=pending', headers: withKey(server.key) });
    expect(approvals.json().data[0]).toMatchObject({ agent_id: 'github:Codertocat/Hello-World', action: 'merge_pull_request', source: 'github' });
  });
});
