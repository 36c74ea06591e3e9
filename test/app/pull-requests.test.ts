// Pull request scans end to end through the server: signed deliveries in, GitHub's API (a model of
// it, through nock) out, real engine scans, real PGlite and PostgreSQL.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect } from 'vitest';
import { envelopeOf, itOn, TARGETS, warnSkip, withKey, type TestServer } from '../server/helpers.js';
import { FakeGitHub } from './fake-github.js';
import { commentEvent, deliver, example, prEvent, SAFE_AGENT, settle, SHA, shellAgent, sign, startAppServer } from './helpers.js';

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

  // One server per target; each test gets a fresh GitHub and its own pull request numbers.
  beforeAll(async () => {
    if (target.available) server = await startAppServer(target);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    gh = new FakeGitHub();
    gh.intercept();
  });
  afterEach(() => {
    nock.cleanAll();
  });

  async function openPr(number: number, base: Record<string, string>, head: Record<string, string>, heads = { base: SHA.base, head: SHA.head }) {
    gh.commit(heads.base, base);
    gh.commit(heads.head, head);
    gh.pr(number, heads.base, heads.head);
    const res = await deliver(server.app, 'pull_request', prEvent('opened', { number, head: heads.head, base: heads.base }));
    expect(res.statusCode).toBe(200);
    await settle(server.app);
    return gh.checkRunsFor(heads.head).at(-1)!;
  }

  async function comment(number: number, login: string, body: string) {
    const c = gh.addUserComment(number, login, body);
    const res = await deliver(server.app, 'issue_comment', commentEvent(number, c.id, login, body));
    expect(res.statusCode).toBe(200);
    await settle(server.app);
    return c;
  }

  it('opened (#2): in_progress at once, then completed with annotations in batches of 50 and a failing conclusion', async () => {
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
    expect(approvals.json().data.find((a: any) => a.parameters.pull_request === 2)).toMatchObject({ agent_id: 'github:Codertocat/Hello-World', action: 'merge_pull_request', source: 'github' });
  });

  it('synchronize (#3): a push with only old issues passes; a push adding one fails; one comment, edited in place', async () => {
    const old = shellAgent(2);
    const first = await openPr(3, { 'agents/bot.py': old }, { 'agents/bot.py': `${old}# touched\n` });
    expect(first.conclusion).toBe('success');
    expect(first.output.title).toMatch(/· 0 new issues$/);
    // The old issues are listed, as notices, but do not block.
    expect(first.annotations).toHaveLength(2);
    expect(first.annotations.every((a) => a.annotation_level === 'notice' && a.title.startsWith('Existing'))).toBe(true);
    expect(first.output.summary).toContain('Already on the base branch');

    gh.commit(SHA.head2, { 'agents/bot.py': shellAgent(3) });
    gh.pr(3, SHA.base, SHA.head2);
    const sync = prEvent('synchronize', { number: 3, head: SHA.head2, base: SHA.base });
    expect((await deliver(server.app, 'pull_request', sync)).statusCode).toBe(200);
    await settle(server.app);
    const second = gh.checkRunsFor(SHA.head2)[0];
    expect(second.conclusion).toBe('failure');
    expect(second.output.title).toMatch(/· 1 new issue$/);
    expect(second.annotations.filter((a) => a.title.startsWith('New'))).toHaveLength(1);

    const comments = gh.comments.filter((c) => c.issue === 3);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain(SHA.head2.slice(0, 7));
    expect(gh.requestsTo('PATCH', /\/issues\/comments\/\d+$/)).toHaveLength(1);

    // The same push delivered again (check_suite.requested follows every push) is not scanned twice.
    expect((await deliver(server.app, 'pull_request', sync)).statusCode).toBe(200);
    await settle(server.app);
    expect(gh.checkRunsFor(SHA.head2)).toHaveLength(1);
  });

  it('no agent code changed (#4): neutral, no comment', async () => {
    const run = await openPr(4, { 'README.md': 'a\n' }, { 'README.md': 'b\n', 'docs/guide.txt': 'x\n' });
    expect(run.conclusion).toBe('neutral');
    expect(run.output.title).toBe('No agent code changed');
    expect(gh.comments.filter((c) => c.issue === 4)).toHaveLength(0);
  });

  it('a 120-file pull request (#5) is read page by page', async () => {
    const head: Record<string, string> = {};
    for (let i = 0; i < 119; i++) head[`agents/a${String(i).padStart(3, '0')}.py`] = SAFE_AGENT;
    head['agents/z_last.py'] = shellAgent(1);
    const run = await openPr(5, {}, head);
    const pages = gh.requestsTo('GET', /\/pulls\/5\/files$/);
    expect(pages.map((r) => r.query.get('page') ?? '1')).toEqual(['1', '2']);
    // The one issue is in the file on the second page.
    expect(run.annotations.map((a) => a.path)).toEqual(['agents/z_last.py']);
    expect(run.output.summary).toContain('120 changed files scanned');
  });

  it('.github/agentcop.yml is honoured (#6, #7, #8)', async () => {
    gh.config = 'min_score: 0\nfail_on: none\ncomment: false\n';
    const lenient = await openPr(6, {}, { 'agents/bot.py': shellAgent(1) }, { base: SHA.base, head: 'e'.repeat(40) });
    expect(lenient.conclusion).toBe('success');
    expect(lenient.output.summary).toContain('min_score 0, fail_on none');
    expect(gh.comments.filter((c) => c.issue === 6)).toHaveLength(0);

    gh.config = 'ignore:\n  - agents/**\n';
    const ignored = await openPr(7, {}, { 'agents/bot.py': shellAgent(1) }, { base: SHA.base, head: 'f'.repeat(40) });
    expect(ignored.conclusion).toBe('neutral');

    gh.config = 'min_scor: 50\n';
    const invalid = await openPr(8, {}, { 'agents/bot.py': shellAgent(1) }, { base: SHA.base, head: '1'.repeat(40) });
    expect(invalid.conclusion).toBe('failure');
    expect(invalid.output.title).toBe('Invalid .github/agentcop.yml');
    expect(invalid.output.summary).toContain('min_scor');
  });

  it('approve by a writer (#9) turns the check green, names who and why, and shows in GET /api/approvals', async () => {
    const run = await openPr(9, {}, { 'agents/bot.py': shellAgent(1) }, { base: SHA.base, head: '2'.repeat(40) });
    expect(run.conclusion).toBe('failure');
    gh.permissions.set('maint', { permission: 'write', role_name: 'maintain' });
    const c = await comment(9, 'maint', '/agentcop approve reviewed: the shell call runs in a sandbox');
    expect(c.reactions).toEqual(['+1']);
    expect(run.conclusion).toBe('success');
    expect(run.output.title).toMatch(/^Approved by @maint · Trust score/);
    expect(run.output.summary).toContain('reviewed: the shell call runs in a sandbox');
    const list = await server.app.inject({ method: 'GET', url: '/api/approvals?source=github&status=approved', headers: withKey(server.key) });
    const approval = list.json().data.find((a: any) => a.parameters.pull_request === 9);
    expect(approval).toMatchObject({ status: 'approved', approver: 'maint', reason: 'reviewed: the shell call runs in a sandbox', source: 'github' });
    expect(approval.parameters.head_sha).toBe('2'.repeat(40));
    // The summary comment says so too.
    expect(gh.comments.find((x) => x.issue === 9 && x.body.startsWith('<!--'))!.body).toContain('approved by @maint');

    // A new push is a new scan that needs a new approval.
    gh.commit('3'.repeat(40), { 'agents/bot.py': shellAgent(2) });
    gh.pr(9, SHA.base, '3'.repeat(40));
    await deliver(server.app, 'pull_request', prEvent('synchronize', { number: 9, head: '3'.repeat(40), base: SHA.base }));
    await settle(server.app);
    expect(gh.checkRunsFor('3'.repeat(40))[0].conclusion).toBe('failure');
  });

  it('approve by a reader (#10) is refused with a reply; no reason is refused too', async () => {
    const run = await openPr(10, {}, { 'agents/bot.py': shellAgent(1) }, { base: SHA.base, head: '4'.repeat(40) });
    gh.permissions.set('reader', { permission: 'read', role_name: 'triage' });
    const c = await comment(10, 'reader', '/agentcop approve looks fine to me');
    expect(c.reactions).toEqual(['-1']);
    expect(run.conclusion).toBe('failure');
    const reply = gh.comments.filter((x) => x.issue === 10 && x.body.startsWith('@reader'));
    expect(reply).toHaveLength(1);
    expect(reply[0].body).toContain('write, maintain or admin');
    gh.permissions.set('admin1', { permission: 'admin', role_name: 'admin' });
    const noReason = await comment(10, 'admin1', '/agentcop approve');
    expect(noReason.reactions).toEqual(['confused']);
    expect(gh.comments.some((x) => x.issue === 10 && x.body.startsWith('@admin1') && x.body.includes('reason is required'))).toBe(true);
    const pending = await server.app.inject({ method: 'GET', url: '/api/approvals?source=github&status=pending', headers: withKey(server.key) });
    expect(pending.json().data.some((a: any) => a.parameters.pull_request === 10)).toBe(true);
  });

  it('deny (#11) keeps the check red with who and why', async () => {
    const run = await openPr(11, {}, { 'agents/bot.py': shellAgent(1) }, { base: SHA.base, head: '5'.repeat(40) });
    gh.permissions.set('lead', { permission: 'admin', role_name: 'admin' });
    await comment(11, 'lead', '/agentcop deny model output must never reach a shell');
    expect(run.conclusion).toBe('failure');
    expect(run.output.title).toMatch(/^Denied by @lead/);
    const denied = await server.app.inject({ method: 'GET', url: '/api/approvals?source=github&status=denied', headers: withKey(server.key) });
    expect(denied.json().data.find((a: any) => a.parameters.pull_request === 11)).toMatchObject({ reason: 'model output must never reach a shell', approver: 'lead' });
  });

  it('rescan (#12) makes a new check run on the same commit', async () => {
    await openPr(12, {}, { 'agents/bot.py': shellAgent(1) }, { base: SHA.base, head: '6'.repeat(40) });
    gh.config = 'fail_on: none\nmin_score: 0\n';
    // The author may ask, without write access.
    const c = await comment(12, 'octo-author', '/agentcop rescan');
    expect(c.reactions).toEqual(['+1']);
    const runs = gh.checkRunsFor('6'.repeat(40));
    expect(runs.map((r) => r.conclusion)).toEqual(['failure', 'success']);
  });

  it('a decision through the REST API (#13) also redraws the check run', async () => {
    const run = await openPr(13, {}, { 'agents/bot.py': shellAgent(1) }, { base: SHA.base, head: '7'.repeat(40) });
    const list = await server.app.inject({ method: 'GET', url: '/api/approvals?source=github&status=pending&limit=100', headers: withKey(server.key) });
    const approval = list.json().data.find((a: any) => a.parameters.pull_request === 13);
    const res = await server.app.inject({ method: 'POST', url: `/api/v1/approvals/${approval.id}/approve`, headers: withKey(server.key), payload: { approver: 'security-team', note: 'accepted risk' } });
    expect(res.statusCode).toBe(200);
    await settle(server.app);
    expect(run.conclusion).toBe('success');
    expect(run.output.title).toMatch(/^Approved by @security-team/);
  });

  it('GitHub answering 500 is retried (#14): the check run still completes', async () => {
    gh.fail('POST', /\/check-runs$/, 500, 1);
    gh.fail('GET', /\/pulls\/14\/files$/, 502, 2);
    const run = await openPr(14, {}, { 'agents/bot.py': shellAgent(1) }, { base: SHA.base, head: '8'.repeat(40) });
    expect(gh.requestsTo('POST', /\/check-runs$/).filter((r) => r.body.head_sha === '8'.repeat(40))).toHaveLength(2);
    expect(gh.requestsTo('GET', /\/pulls\/14\/files$/)).toHaveLength(3);
    expect(gh.checkRunsFor('8'.repeat(40))).toHaveLength(1);
    expect(run.conclusion).toBe('failure');
    expect(run.status).toBe('completed');
  });

  it('a check run that cannot complete (#15) says so', async () => {
    gh.commit(SHA.base, {});
    gh.commit('9'.repeat(40), { 'agents/bot.py': shellAgent(1) });
    gh.pr(15, SHA.base, '9'.repeat(40));
    // Listing the files fails every time: past the retries and every job attempt.
    gh.fail('GET', /\/pulls\/15\/files$/, 500, 1_000);
    await deliver(server.app, 'pull_request', prEvent('opened', { number: 15, head: '9'.repeat(40), base: SHA.base }));
    await settle(server.app);
    const [run] = gh.checkRunsFor('9'.repeat(40));
    expect(run.status).toBe('completed');
    expect(run.conclusion).toBe('failure');
    expect(run.output.title).toBe('AgentCop could not complete the scan');
    expect(run.output.summary).toMatch(/after 5 attempts/);
    const row = await server.app.db.selectFrom('github_pr_scans').selectAll().where('pull_number', '=', 15).executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
  });

  it('check_suite requested scans once; check_suite and check_run rerequested scan again (#17)', async () => {
    const head = 'ab'.repeat(20);
    gh.commit(SHA.base, {});
    gh.commit(head, { 'agents/bot.py': shellAgent(1) });
    gh.pr(17, SHA.base, head);
    const suite = (action: string) => {
      const p = example('check_suite', action);
      p.check_suite.head_sha = head;
      p.check_suite.pull_requests = [{ number: 17, head: { ref: 'feature', sha: head }, base: { ref: 'master', sha: SHA.base } }];
      return p;
    };
    await deliver(server.app, 'check_suite', suite('requested'));
    await deliver(server.app, 'pull_request', prEvent('opened', { number: 17, head, base: SHA.base }));
    await settle(server.app);
    expect(gh.checkRunsFor(head)).toHaveLength(1);
    await deliver(server.app, 'check_suite', suite('rerequested'));
    await settle(server.app);
    expect(gh.checkRunsFor(head)).toHaveLength(2);
    const run = example('check_run', 'rerequested');
    run.check_run.name = 'AgentCop';
    run.check_run.head_sha = head;
    run.check_run.pull_requests = [{ number: 17, head: { sha: head, ref: 'f' }, base: { sha: SHA.base, ref: 'master' } }];
    run.repository = suite('requested').repository;
    await deliver(server.app, 'check_run', run);
    await settle(server.app);
    expect(gh.checkRunsFor(head).map((r) => r.conclusion)).toEqual(['failure', 'failure', 'failure']);
  });

  it('a secondary rate limit is waited out and retried (#18)', async () => {
    gh.fail('POST', /\/check-runs$/, 403, 1, { message: 'You have exceeded a secondary rate limit', headers: { 'retry-after': '1', 'content-type': 'application/json' } });
    const run = await openPr(18, {}, { 'agents/bot.py': shellAgent(1) }, { base: SHA.base, head: 'cd'.repeat(20) });
    expect(gh.requestsTo('POST', /\/check-runs$/).filter((r) => r.body.head_sha === 'cd'.repeat(20))).toHaveLength(2);
    expect(run.conclusion).toBe('failure');
  });

  it('rejects a bad signature (401 envelope) and queues nothing', async () => {
    const before = await server.app.db.selectFrom('github_jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await deliver(server.app, 'pull_request', prEvent('opened', { number: 16, head: SHA.head, base: SHA.base }), { secret: 'wrong' });
    expect(res.statusCode).toBe(401);
    expect(envelopeOf(res).error).toBe('invalid_signature');
    const missing = await server.app.inject({ method: 'POST', url: '/api/v1/github/webhooks', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(missing.statusCode).toBe(400);
    expect(envelopeOf(missing).error).toBe('missing_webhook_headers');
    const after = await server.app.db.selectFrom('github_jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('a delivery the App cannot record answers 500 in the error envelope (GitHub redelivers), broken JSON 400', async () => {
    const count = async () => Number((await server.app.db.selectFrom('github_jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    // Shaped like GitHub's, but without the pull request the handler needs.
    const event = prEvent('opened', { number: 19, head: SHA.head, base: SHA.base });
    delete event.pull_request;
    const res = await deliver(server.app, 'pull_request', event);
    expect(res.statusCode).toBe(500);
    expect(envelopeOf(res).error).toBe('delivery_failed');
    expect(res.headers['content-type']).toMatch(/^application\/json/);

    const body = '{"action":';
    const broken = await server.app.inject({
      method: 'POST',
      url: '/api/github/webhooks',
      headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': 'broken-1', 'x-hub-signature-256': sign(body) },
      payload: body,
    });
    expect(broken.statusCode).toBe(400);
    expect(envelopeOf(broken).error).toBe('invalid_json');
    expect(await count()).toBe(before);
  });
});
