// A small model of the parts of GitHub's REST API the App uses: commits with files, pull requests,
// the config file, collaborator permissions, comments, reactions and check runs. It records every
// request it receives. Served through nock (GitHub at api.github.com) or on a real port
// (GitHub Enterprise Server at /api/v3), so both paths exercise the App's real HTTP calls.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: any;
  headers: Record<string, string | string[] | undefined>;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title?: string; summary?: string };
  annotations: any[];
  /** Every PATCH body, in order. */
  updates: any[];
  created: any;
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  user: { login: string; type: string };
  performed_via_github_app: { id: number } | null;
  reactions: string[];
}

export interface FakePr {
  number: number;
  head: string;
  base: string;
  user: string;
  files: { filename: string; status: string; previous_filename?: string }[];
}

interface Failure {
  method: string;
  path: RegExp;
  status: number;
  times: number;
  message?: string;
  headers?: Record<string, string>;
}

export const OWNER = 'Codertocat';
export const REPO = 'Hello-World';
const FULL = `${OWNER}/${REPO}`;

export class FakeGitHub {
  readonly commits = new Map<string, Map<string, string>>();
  readonly prs = new Map<number, FakePr>();
  /** `.github/agentcop.yml` on the default branch; null: none. */
  config: string | null = null;
  readonly permissions = new Map<string, { permission: string; role_name: string }>();
  readonly comments: FakeComment[] = [];
  readonly checkRuns = new Map<number, FakeCheckRun>();
  readonly requests: RecordedRequest[] = [];
  private readonly failures: Failure[] = [];
  private nextId = 1000;
  appId = 12345;

  commit(sha: string, files: Record<string, string>): void {
    this.commits.set(sha, new Map(Object.entries(files)));
  }

  /** A pull request whose changed files are those that differ between base and head. */
  pr(number: number, base: string, head: string, user = 'octo-author'): FakePr {
    const b = this.commits.get(base)!;
    const h = this.commits.get(head)!;
    const files: FakePr['files'] = [];
    for (const [name, content] of h) {
      if (!b.has(name)) files.push({ filename: name, status: 'added' });
      else if (b.get(name) !== content) files.push({ filename: name, status: 'modified' });
    }
    for (const name of b.keys()) if (!h.has(name)) files.push({ filename: name, status: 'removed' });
    const pr = { number, base, head, user, files };
    this.prs.set(number, pr);
    return pr;
  }

  /** The next `times` requests matching answer `status` instead. */
  fail(method: string, path: RegExp, status: number, times = 1, extra: { message?: string; headers?: Record<string, string> } = {}): void {
    this.failures.push({ method, path, status, times, ...extra });
  }

  requestsTo(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  checkRunsFor(sha: string): FakeCheckRun[] {
    return [...this.checkRuns.values()].filter((c) => c.head_sha === sha);
  }

  handle(method: string, url: string, body: any, headers: RecordedRequest['headers']): { status: number; body?: unknown; headers?: Record<string, string> } {
    const u = new URL(url, 'http://fake.github');
    const path = decodeURIComponent(u.pathname.replace(/^\/api\/v3/, ''));
    this.requests.push({ method, path, query: u.searchParams, body, headers });
    const failure = this.failures.find((f) => f.method === method && f.path.test(path) && f.times > 0);
    if (failure) {
      failure.times--;
      return { status: failure.status, body: { message: failure.message ?? 'Server Error' }, headers: failure.headers };
    }
    const json = (status: number, data: unknown, h: Record<string, string> = {}) => ({ status, body: data, headers: { 'content-type': 'application/json; charset=utf-8', ...h } });
    const notFound = () => json(404, { message: 'Not Found' });
    let m: RegExpExecArray | null;

    if (method === 'POST' && (m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path))) {
      return json(201, { token: `ghs_fake_${m[1]}`, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {}, repository_selection: 'all' });
    }
    const repoPath = `/repos/${FULL}`;
    if (path.startsWith(`/repos/${OWNER}/.github/`)) return notFound();
    if (!path.startsWith(repoPath)) return notFound();
    const rest = path.slice(repoPath.length);

    if (method === 'GET' && (m = /^\/contents\/(.+)$/.exec(rest))) {
      const file = m[1];
      const ref = u.searchParams.get('ref');
      if (file === '.github/agentcop.yml' && !ref) {
        return this.config === null ? notFound() : { status: 200, body: this.config, headers: { 'content-type': 'text/plain; charset=utf-8' } };
      }
      const content = ref ? this.commits.get(ref)?.get(file) : undefined;
      return content === undefined ? notFound() : { status: 200, body: content, headers: { 'content-type': 'text/plain; charset=utf-8' } };
    }
    if (method === 'GET' && (m = /^\/pulls\/(\d+)\/files$/.exec(rest))) {
      const pr = this.prs.get(Number(m[1]));
      if (!pr) return notFound();
      const perPage = Number(u.searchParams.get('per_page') ?? 30);
      const page = Number(u.searchParams.get('page') ?? 1);
      const slice = pr.files.slice((page - 1) * perPage, page * perPage).map((f) => ({ sha: 'x', additions: 1, deletions: 0, changes: 1, ...f }));
      const h: Record<string, string> = {};
      if (page * perPage < pr.files.length) {
        const next = new URL(url, 'https://api.github.com');
        next.searchParams.set('page', String(page + 1));
        h.link = `<${next.toString()}>; rel="next"`;
      }
      return json(200, slice, h);
    }
    if (method === 'GET' && (m = /^\/pulls\/(\d+)$/.exec(rest))) {
      const pr = this.prs.get(Number(m[1]));
      if (!pr) return notFound();
      return json(200, { number: pr.number, user: { login: pr.user, type: 'User' }, head: { sha: pr.head, ref: 'feature' }, base: { sha: pr.base, ref: 'master' }, state: 'open' });
    }
    if (method === 'GET' && (m = /^\/compare\/([0-9a-f]+)\.\.\.([0-9a-f]+)$/.exec(rest))) {
      return json(200, { merge_base_commit: { sha: m[1] }, files: [], commits: [] });
    }
    if (method === 'GET' && (m = /^\/git\/trees\/([0-9a-f]+)$/.exec(rest))) {
      const files = this.commits.get(m[1]);
      if (!files) return notFound();
      return json(200, { sha: m[1], truncated: false, tree: [...files.keys()].map((p) => ({ path: p, type: 'blob', mode: '100644', sha: 'x' })) });
    }
    if (method === 'GET' && (m = /^\/collaborators\/([^/]+)\/permission$/.exec(rest))) {
      const p = this.permissions.get(m[1]) ?? { permission: 'read', role_name: 'read' };
      return json(200, { ...p, user: { login: m[1] } });
    }
    if (method === 'POST' && rest === '/check-runs') {
      const id = this.nextId++;
      this.checkRuns.set(id, { id, name: body.name, head_sha: body.head_sha, status: body.status ?? 'queued', conclusion: null, output: body.output ?? {}, annotations: [], updates: [], created: body });
      return json(201, { id, name: body.name, head_sha: body.head_sha, status: body.status, html_url: `https://github.com/${FULL}/runs/${id}` });
    }
    if (method === 'PATCH' && (m = /^\/check-runs\/(\d+)$/.exec(rest))) {
      const run = this.checkRuns.get(Number(m[1]));
      if (!run) return notFound();
      if (body.output?.annotations?.length > 50) return json(422, { message: 'Only 50 annotations are allowed per request' });
      run.updates.push(body);
      if (body.status) run.status = body.status;
      if (body.conclusion) run.conclusion = body.conclusion;
      if (body.output) {
        run.output = { title: body.output.title, summary: body.output.summary };
        run.annotations.push(...(body.output.annotations ?? []));
      }
      return json(200, { id: run.id, status: run.status, conclusion: run.conclusion });
    }
    if (method === 'GET' && (m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      return json(200, this.comments.filter((c) => c.issue === Number(m![1])));
    }
    if (method === 'POST' && (m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const c: FakeComment = { id: this.nextId++, issue: Number(m[1]), body: body.body, user: { login: 'agentcop[bot]', type: 'Bot' }, performed_via_github_app: { id: this.appId }, reactions: [] };
      this.comments.push(c);
      return json(201, c);
    }
    if (method === 'PATCH' && (m = /^\/issues\/comments\/(\d+)$/.exec(rest))) {
      const c = this.comments.find((x) => x.id === Number(m![1]));
      if (!c) return notFound();
      c.body = body.body;
      return json(200, c);
    }
    if (method === 'POST' && (m = /^\/issues\/comments\/(\d+)\/reactions$/.exec(rest))) {
      const c = this.comments.find((x) => x.id === Number(m![1]));
      c?.reactions.push(body.content);
      return json(201, { id: this.nextId++, content: body.content });
    }
    return notFound();
  }

  /** A comment a person wrote (so reactions on it can be recorded). */
  addUserComment(issue: number, login: string, body: string): FakeComment {
    const c: FakeComment = { id: this.nextId++, issue, body, user: { login, type: 'User' }, performed_via_github_app: null, reactions: [] };
    this.comments.push(c);
    return c;
  }

  /** Serves this model at api.github.com through nock. */
  intercept(origin = 'https://api.github.com'): void {
    const fake = this;
    for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] as const) {
      nock(origin)
        .persist()
        .intercept(/.*/, method)
        .reply(function (uri, body) {
          const parsed = typeof body === 'string' && body ? JSON.parse(body) : body;
          const r = fake.handle(method, uri, parsed, this.req.headers);
          return [r.status, typeof r.body === 'string' ? r.body : JSON.stringify(r.body ?? ''), r.headers ?? {}];
        });
    }
  }

  /** Serves this model on a real port, as a GitHub Enterprise Server would (`/api/v3`). */
  async listen(): Promise<{ server: Server; host: string }> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const r = this.handle(req.method ?? 'GET', req.url ?? '/', text ? JSON.parse(text) : undefined, req.headers);
        res.writeHead(r.status, r.headers ?? {});
        res.end(typeof r.body === 'string' ? r.body : JSON.stringify(r.body ?? ''));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, host: `127.0.0.1:${(server.address() as AddressInfo).port}` };
  }
}
