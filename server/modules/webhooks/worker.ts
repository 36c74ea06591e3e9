// The delivery worker: one loop per server process. It claims due deliveries with
// `FOR UPDATE SKIP LOCKED` (so replicas never claim the same row), holds each by a lease
// (`lease_id` + `locked_until`), sends it, and records the outcome under that lease. A process
// that dies mid-send leaves a lease that lapses, and another worker (or the restarted process)
// picks the delivery up again: delivery is at least once, and nothing queued is ever lost.
//
// Retries: exponential backoff with jitter, `base * 2^(attempt-1)`, capped, each delay drawn
// uniformly from its upper half; a `Retry-After` on 429/503 is honoured up to the cap. After
// `max_attempts` attempts a delivery is `failed`.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database, DeliveryAttempt } from '../../db/schema.js';
import { newId } from '../../ids.js';
import { PollLoop } from '../../poll-loop.js';
import type { SecretBox } from '../../secret-box.js';
import { BlockedAddressError, guardedLookup, hostOf, resolveAllowed, type AllowList } from '../../ssrf.js';
import { packageInfo } from '../../../engine/report/version.js';
import { sign, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature.js';

export interface WebhookWorkerOptions {
  allow: AllowList;
  /** How often to look for due deliveries when idle (ms). */
  pollMs: number;
  /** Deliveries claimed and sent concurrently per round. */
  batch: number;
  /** Per-request timeout (ms). */
  timeoutMs: number;
  /** First retry delay (ms); doubles per attempt. */
  backoffBaseMs: number;
  /** Longest retry delay (ms). */
  backoffMaxMs: number;
  /** How long a claim holds before another worker may take the delivery over (ms). */
  leaseMs: number;
  /** On close: how long to let sends in flight finish before aborting them (ms). */
  shutdownGraceMs: number;
  lookup?: (host: string) => Promise<{ address: string; family: number }[]>;
  /** Opens the stored signing secrets. */
  box: SecretBox;
}

export const DEFAULT_WORKER_OPTIONS: Omit<WebhookWorkerOptions, 'allow' | 'box'> = {
  pollMs: 1_000,
  batch: 10,
  timeoutMs: 10_000,
  backoffBaseMs: 10_000,
  backoffMaxMs: 3_600_000,
  leaseMs: 60_000,
  shutdownGraceMs: 5_000,
};

interface Claimed {
  id: string;
  webhook_id: string;
  event: string;
  body: string;
  attempts: number;
  max_attempts: number;
  lease_id: string;
  url: string;
  secret: string;
}

interface Outcome {
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
  /** Do not retry (the target is forbidden). */
  permanent?: boolean;
  /** Seconds the receiver asked us to wait. */
  retryAfter?: number;
  /** Interrupted by shutdown: not the receiver's fault, not an attempt. */
  interrupted?: boolean;
}

/** Delay before retry number `attempt` (1 = the first retry), with jitter. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

const USER_AGENT = `AgentCop-Webhooks/${packageInfo().version}`;

export class WebhookWorker extends PollLoop {
  private readonly inflight = new Map<string, AbortController>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly opts: WebhookWorkerOptions,
    log?: FastifyBaseLogger,
  ) {
    super({ pollMs: opts.pollMs, nudgeMs: 25, name: 'webhook worker' }, log);
  }

  /** One round: claim up to `batch` due deliveries and send them. Returns how many were claimed. */
  async runOnce(): Promise<number> {
    const claimed = await this.claim();
    await Promise.all(claimed.map((d) => this.deliver(d)));
    return claimed.length;
  }

  /** A full batch means more may be waiting; a partial one means the queue is drained for now. */
  protected override moreDue(claimed: number): boolean {
    return claimed >= this.opts.batch;
  }

  /** Stops claiming; lets sends in flight finish within the grace period, then aborts them. */
  override async stop(): Promise<void> {
    const grace = this.running
      ? setTimeout(() => {
          for (const c of this.inflight.values()) c.abort(new Error('server shutting down'));
        }, this.opts.shutdownGraceMs)
      : undefined;
    try {
      await super.stop();
    } finally {
      clearTimeout(grace);
    }
  }

  private async claim(): Promise<Claimed[]> {
    const lease = newId('lease');
    const { rows } = await sql<Claimed>`
      WITH due AS (
        SELECT d.id FROM webhook_deliveries d
         WHERE d.status = 'pending'
           AND d.next_attempt_at <= now()
           AND (d.locked_until IS NULL OR d.locked_until <= now())
           AND EXISTS (SELECT 1 FROM webhooks w WHERE w.id = d.webhook_id AND w.active)
         ORDER BY d.next_attempt_at, d.id
         LIMIT ${this.opts.batch}
         FOR UPDATE OF d SKIP LOCKED
      ), claimed AS (
        UPDATE webhook_deliveries d
           SET attempts = d.attempts + 1,
               lease_id = ${lease},
               locked_until = now() + ${this.opts.leaseMs} * interval '1 millisecond',
               last_attempt_at = now()
          FROM due WHERE d.id = due.id
        RETURNING d.id, d.webhook_id, d.event, d.body, d.attempts, d.max_attempts, d.lease_id
      )
      SELECT c.*, w.url, w.secret FROM claimed c JOIN webhooks w ON w.id = c.webhook_id`.execute(this.db);
    return rows;
  }

  private async deliver(d: Claimed): Promise<void> {
    const controller = new AbortController();
    this.inflight.set(d.id, controller);
    let outcome: Outcome;
    try {
      outcome = await this.send(d, controller.signal);
    } finally {
      this.inflight.delete(d.id);
    }
    try {
      await this.record(d, outcome);
    } catch (err) {
      // The lease lapses and the delivery is tried again: at least once.
      this.log?.error({ err, delivery_id: d.id }, 'could not record a webhook delivery outcome');
    }
  }

  private async send(d: Claimed, signal: AbortSignal): Promise<Outcome> {
    const started = Date.now();
    const elapsed = () => Date.now() - started;
    let url: URL;
    try {
      url = new URL(d.url);
      // IP literals never reach the lookup below: check them here. Names are checked (every
      // address) by the lookup the socket itself uses.
      if (net.isIP(hostOf(url))) await resolveAllowed(hostOf(url), this.opts.allow, this.opts.lookup);
    } catch (err) {
      return { ok: false, status: null, error: errorText(err), durationMs: elapsed(), permanent: err instanceof BlockedAddressError || err instanceof TypeError };
    }
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(d.body)),
      'user-agent': USER_AGENT,
      'x-agentcop-event': d.event,
      'x-agentcop-delivery': d.id,
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: sign(this.opts.box.open(d.secret), timestamp, d.body),
    };
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const done = (o: Outcome) => {
        if (!settled) {
          settled = true;
          resolve(o);
        }
      };
      const req = client.request(
        url,
        { method: 'POST', headers, agent: false, lookup: guardedLookup(this.opts.allow, this.opts.lookup), timeout: this.opts.timeoutMs, signal },
        (res) => {
          // Only the status matters; drain a little of the body and hang up.
          let seen = 0;
          res.on('data', (chunk: Buffer) => {
            seen += chunk.length;
            if (seen > 64 * 1024) res.destroy();
          });
          const finish = () => {
            const status = res.statusCode ?? 0;
            const ok = status >= 200 && status < 300;
            const ra = Number(res.headers['retry-after']);
            done({
              ok,
              status,
              error: ok ? null : status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`,
              durationMs: elapsed(),
              ...(Number.isFinite(ra) && ra > 0 ? { retryAfter: ra } : {}),
            });
          };
          res.on('end', finish);
          res.on('close', finish);
          res.on('error', finish);
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no response within ${this.opts.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', (err) => {
        if (signal.aborted) return done({ ok: false, status: null, error: 'interrupted by shutdown', durationMs: elapsed(), interrupted: true });
        done({ ok: false, status: null, error: errorText(err), durationMs: elapsed(), permanent: err instanceof BlockedAddressError });
      });
      req.end(d.body);
    });
  }

  private async record(d: Claimed, o: Outcome): Promise<void> {
    if (o.interrupted) {
      // Hand it back untouched: the next start (or another replica) sends it at once.
      await this.db
        .updateTable('webhook_deliveries')
        .set({ attempts: sql<number>`greatest(attempts - 1, 0)`, lease_id: null, locked_until: null, next_attempt_at: sql<Date>`now()` })
        .where('id', '=', d.id)
        .where('lease_id', '=', d.lease_id)
        .execute();
      return;
    }
    const entry: DeliveryAttempt = { at: new Date(Date.now() - o.durationMs).toISOString(), status_code: o.status, error: o.error, duration_ms: o.durationMs };
    const log = sql<string>`attempt_log || ${JSON.stringify([entry])}::jsonb`;
    if (o.ok) {
      await this.db
        .updateTable('webhook_deliveries')
        .set({ status: 'succeeded', response_status: o.status, last_error: null, completed_at: sql<Date>`now()`, lease_id: null, locked_until: null, attempt_log: log })
        .where('id', '=', d.id)
        .where('lease_id', '=', d.lease_id)
        .execute();
      return;
    }
    const final = o.permanent || d.attempts >= d.max_attempts;
    let delay = backoffMs(d.attempts, this.opts.backoffBaseMs, this.opts.backoffMaxMs);
    if (o.retryAfter) delay = Math.min(this.opts.backoffMaxMs, Math.max(delay, o.retryAfter * 1000));
    await this.db
      .updateTable('webhook_deliveries')
      .set({
        status: final ? 'failed' : 'pending',
        response_status: o.status,
        last_error: o.error,
        completed_at: final ? sql<Date>`now()` : null,
        next_attempt_at: sql<Date>`now() + ${delay} * interval '1 millisecond'`,
        lease_id: null,
        locked_until: null,
        attempt_log: log,
      })
      .where('id', '=', d.id)
      .where('lease_id', '=', d.lease_id)
      .execute();
    this.log?.info({ delivery_id: d.id, webhook_id: d.webhook_id, attempt: d.attempts, status: o.status, error: o.error, final }, 'webhook delivery failed');
  }
}

function errorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const text = e?.message ?? String(err);
  return (e?.code && !text.includes(e.code) ? `${e.code}: ${text}` : text).slice(0, 500);
}
