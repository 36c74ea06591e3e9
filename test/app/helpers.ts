// Shared set-up for the GitHub App tests: a throwaway App key, signed deliveries built from
// @octokit/webhooks-examples payloads, a server with the App on, and sample agent code.
import { createHmac, generateKeyPairSync } from 'node:crypto';
import Bottleneck from 'bottleneck';
import webhookExamples from '@octokit/webhooks-examples';
import type { FastifyInstance } from 'fastify';
import type { BuildOptions } from '../../server/index.js';
import { startServer, type Target, type TestServer } from '../server/helpers.js';
import type { GithubAppOptions } from '../../app/index.js';

export const WEBHOOK_SECRET = 'test-webhook-secret';
export const APP_ID = '12345';

let key: string | undefined;
/** An RSA key made for this run: the App signs its JWTs with it; nothing checks them but the shape. */
export function appPrivateKey(): string {
  key ??= generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
  return key;
}

/** Octokit options for tests: Probot's retry and throttling stay on, with millisecond delays. */
export function fastOctokit(): Record<string, unknown> {
  const group = () => new Bottleneck.Group({ maxConcurrent: 10, minTime: 0 });
  return {
    retry: { retryAfterBaseValue: 1 },
    throttle: { retryAfterBaseValue: 1, fallbackSecondaryRateRetryAfter: 0.001, global: group(), write: group(), search: group(), notifications: group(), auth: group() },
  };
}

export function githubOptions(extra: Partial<GithubAppOptions> = {}): GithubAppOptions {
  return {
    settings: { appId: APP_ID, privateKey: appPrivateKey(), webhookSecret: WEBHOOK_SECRET },
    queue: { pollMs: 50, backoffBaseMs: 5, backoffMaxMs: 20 },
    octokit: fastOctokit(),
    ...extra,
  };
}

export async function startAppServer(target: Target, opts: BuildOptions = {}): Promise<TestServer> {
  return startServer(target, { publicUrl: 'https://agentcop.test', approvalSweepMs: 0, webhooks: { worker: false }, github: githubOptions(), ...opts });
}

export function sign(body: string, secret = WEBHOOK_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

let deliveries = 0;
export async function deliver(app: FastifyInstance, name: string, payload: unknown, opts: { secret?: string; url?: string } = {}) {
  const body = JSON.stringify(payload);
  return app.inject({
    method: 'POST',
    url: opts.url ?? '/api/github/webhooks',
    headers: {
      'content-type': 'application/json',
      'x-github-event': name,
      'x-github-delivery': `delivery-${++deliveries}`,
      'x-hub-signature-256': sign(body, opts.secret),
    },
    payload: body,
  });
}

/** Waits until the App's job worker has nothing left to do. */
export async function settle(app: FastifyInstance): Promise<void> {
  await app.github.worker!.whenIdle();
}

type Example = Record<string, any>;
const all = ((webhookExamples as unknown as { default?: unknown }).default ?? webhookExamples) as { name: string; examples: Example[] }[];

/** A copy of the first example of this event and action that names an installation. */
export function example(name: string, action?: string): Example {
  const found = all.find((e) => e.name === name)?.examples.find((x) => x.installation && (action === undefined || x.action === action));
  if (!found) throw new Error(`no ${name}.${action} example with an installation`);
  return structuredClone(found);
}

export function prEvent(action: string, pr: { number: number; head: string; base: string }): Example {
  const p = example('pull_request', action === 'ready_for_review' ? 'reopened' : action);
  p.action = action;
  p.number = pr.number;
  p.pull_request.number = pr.number;
  p.pull_request.head.sha = pr.head;
  p.pull_request.base.sha = pr.base;
  return p;
}

/** issue_comment.created on a pull request (the examples only have issues: add `pull_request`). */
export function commentEvent(number: number, commentId: number, login: string, body: string): Example {
  const p = example('issue_comment', 'created');
  p.issue.number = number;
  p.issue.pull_request = { url: `https://api.github.com/repos/Codertocat/Hello-World/pulls/${number}` };
  p.comment.id = commentId;
  p.comment.body = body;
  p.comment.user = { ...p.comment.user, login, type: 'User' };
  p.sender = { ...p.sender, login, type: 'User' };
  return p;
}

export function pushEvent(sha: string): Example {
  const p = all.find((e) => e.name === 'push')!.examples.find((x) => x.installation && x.ref === 'refs/heads/master')!;
  const copy = structuredClone(p);
  copy.after = sha;
  return copy;
}

export const SHA = {
  base: 'a'.repeat(40),
  head: 'b'.repeat(40),
  head2: 'c'.repeat(40),
  head3: 'd'.repeat(40),
};

/** LLM output into a shell: one CRITICAL issue per `os.system` line. */
export function shellAgent(lines: number, extra = ''): string {
  const out = [
    'from openai import OpenAI',
    'import os',
    'client = OpenAI()',
    'def handle(q):',
    '    reply = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])',
    '    out = reply.choices[0].message.content',
  ];
  for (let i = 0; i < lines; i++) out.push(`    os.system(out + " ${i}")`);
  return `${out.join('\n')}\n${extra}`;
}

export const SAFE_AGENT = 'def add(a, b):\n    return a + b\n';
