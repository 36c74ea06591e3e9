// Webhooks: an account's subscriptions to events, and the durable queue of their deliveries.
//
// An event's deliveries are inserted by a bus handler inside the transaction that made the change,
// so they commit together; the worker (worker.ts) sends them later. The body is fixed at enqueue
// time and signed afresh on each attempt with the webhook's current secret.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Actor } from '../../actor.js';
import type { Database, DeliveryAttempt, DeliveryStatus, WebhookDeliveriesTable, WebhooksTable } from '../../db/schema.js';
import { ApiError, notFound } from '../../errors.js';
import type { EventBus, EventName } from '../../events.js';
import { newId } from '../../ids.js';
import { BlockedAddressError, hostOf, resolveAllowed, type AllowList } from '../../ssrf.js';
import { generateSecret } from './signature.js';
import { pageForAccount } from '../../db/page.js';
import type { SecretBox } from '../../secret-box.js';

/** What a webhook can subscribe to. */
export const WEBHOOK_EVENTS = ['scan.completed', 'approval.created', 'approval.decided', 'approval.expired', 'gate.blocked'] as const satisfies readonly EventName[];
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
/** Sent by `POST /webhooks/{id}/ping` only, to the one webhook. */
export const PING_EVENT = 'webhook.ping';

export const MAX_WEBHOOKS_PER_ACCOUNT = 25;

export interface WebhookEventPayload {
  account_id: string;
  webhook_id: string;
  /** Host only: a webhook URL's path and query can themselves be secrets (Slack, Discord). */
  url_host: string;
  events: string[];
  active: boolean;
  /** For updates: which fields changed (never their secret values). */
  changed?: string[];
}

declare module '../../events.js' {
  interface AppEvents {
    'webhook.created': WebhookEventPayload;
    'webhook.updated': WebhookEventPayload;
    'webhook.deleted': WebhookEventPayload;
  }
}

export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  active: boolean;
  created_at: string;
  updated_at: string;
}

export interface DeliveryView {
  id: string;
  webhook_id: string;
  event: string;
  event_id: string;
  status: DeliveryStatus;
  attempts: number;
  max_attempts: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  response_status: number | null;
  last_error: string | null;
  created_at: string;
  completed_at: string | null;
  payload: unknown;
  attempt_log: DeliveryAttempt[];
}

type WebhookRow = Selectable<WebhooksTable>;
type DeliveryRow = Selectable<WebhookDeliveriesTable>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toWebhookView(row: WebhookRow): WebhookView {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    description: row.description,
    active: row.active,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function toDeliveryView(row: DeliveryRow): DeliveryView {
  let payload: unknown = null;
  try {
    payload = JSON.parse(row.body);
  } catch {
    payload = row.body;
  }
  return {
    id: row.id,
    webhook_id: row.webhook_id,
    event: row.event,
    event_id: row.event_id,
    status: row.status,
    attempts: row.attempts,
    max_attempts: row.max_attempts,
    next_attempt_at: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    last_attempt_at: iso(row.last_attempt_at),
    response_status: row.response_status,
    last_error: row.last_error,
    created_at: row.created_at.toISOString(),
    completed_at: iso(row.completed_at),
    payload,
    attempt_log: row.attempt_log,
  };
}

/** The body every receiver gets: `{id, type, created_at, data}`. */
export function eventBody(eventId: string, type: string, data: unknown): string {
  return JSON.stringify({ id: eventId, type, created_at: new Date().toISOString(), data });
}

/**
 * What an event's `data` is: the full object when the payload carries one named after the event's
 * type (`approval.decided` -> `payload.approval`), else the payload without the account id.
 */
export function eventData(name: string, payload: Record<string, unknown>): unknown {
  const type = name.split('.')[0];
  const full = payload[type];
  if (full && typeof full === 'object') return full;
  const { account_id: _a, ...rest } = payload;
  return rest;
}

export interface WebhookServiceOptions {
  allow: AllowList;
  maxAttempts: number;
  /** Resolves a host to addresses (tests may stub DNS). */
  lookup?: (host: string) => Promise<{ address: string; family: number }[]>;
  /** Called after an enqueue, to wake the worker. */
  onEnqueue?: () => void;
  /** Seals signing secrets before they are stored. */
  box: SecretBox;
}

export interface CreateWebhookInput {
  url: string;
  events: string[];
  secret?: string;
  description?: string;
  active?: boolean;
}

export interface UpdateWebhookInput {
  url?: string;
  events?: string[];
  secret?: string;
  rotate_secret?: boolean;
  description?: string | null;
  active?: boolean;
}

export class WebhookService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly events: EventBus,
    private readonly opts: WebhookServiceOptions,
  ) {}

  /** Every webhook event on the bus becomes deliveries, in the emitting transaction. */
  subscribe(): () => void {
    const offs = WEBHOOK_EVENTS.map((name) =>
      this.events.on(name, async (payload, ctx) => {
        const p = payload as unknown as Record<string, unknown>;
        await this.enqueue(ctx.db, String(p.account_id), name, eventData(name, p));
      }),
    );
    return () => offs.forEach((off) => off());
  }

  /** Inserts one delivery per active webhook of the account subscribed to `event`. */
  async enqueue(db: Kysely<Database>, accountId: string, event: string, data: unknown): Promise<number> {
    const eventId = newId('evt');
    const body = eventBody(eventId, event, data);
    const hooks = await db
      .selectFrom('webhooks')
      .select('id')
      .where('account_id', '=', accountId)
      .where('active', '=', true)
      .where(sql<boolean>`events @> ${JSON.stringify([event])}::jsonb`)
      .execute();
    if (hooks.length === 0) return 0;
    await db
      .insertInto('webhook_deliveries')
      .values(hooks.map((h) => ({ id: newId('whd'), account_id: accountId, webhook_id: h.id, event, event_id: eventId, body, max_attempts: this.opts.maxAttempts })))
      .execute();
    this.opts.onEnqueue?.();
    return hooks.length;
  }

  /** Refuses URLs that are not http(s), carry a fragment, or resolve to a private address. */
  async checkUrl(raw: string): Promise<URL> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ApiError(400, 'invalid_webhook_url', 'url must be an absolute http:// or https:// URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ApiError(400, 'invalid_webhook_url', `url must use http or https, not ${url.protocol.replace(':', '')}`);
    if (url.hash) throw new ApiError(400, 'invalid_webhook_url', 'url must not have a #fragment');
    try {
      await resolveAllowed(hostOf(url), this.opts.allow, this.opts.lookup);
    } catch (err) {
      if (err instanceof BlockedAddressError) {
        throw new ApiError(400, 'webhook_target_forbidden', `${err.message} (an operator can allow it with the webhook allow-list setting)`, { host: err.host, address: err.address });
      }
      throw new ApiError(400, 'webhook_url_unresolvable', `${hostOf(url)} does not resolve: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return url;
  }

  async create(actor: Actor, accountId: string, input: CreateWebhookInput): Promise<{ view: WebhookView; secret: string }> {
    const url = await this.checkUrl(input.url);
    const events = normaliseEvents(input.events);
    const secret = input.secret ?? generateSecret();
    return this.db.transaction().execute(async (trx) => {
      // Serialize creations per account so the cap holds under concurrency.
      await sql`SELECT 1 FROM accounts WHERE id = ${accountId} FOR NO KEY UPDATE`.execute(trx);
      const { n } = await trx.selectFrom('webhooks').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow();
      if (Number(n) >= MAX_WEBHOOKS_PER_ACCOUNT) throw new ApiError(409, 'too_many_webhooks', `an account may have at most ${MAX_WEBHOOKS_PER_ACCOUNT} webhooks`);
      const row = await trx
        .insertInto('webhooks')
        .values({
          id: newId('wh'),
          account_id: accountId,
          url: url.toString(),
          events: JSON.stringify(events),
          description: input.description ?? null,
          secret: this.opts.box.seal(secret),
          active: input.active ?? true,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.events.emit('webhook.created', eventOf(row), { db: trx, actor });
      return { view: toWebhookView(row), secret };
    });
  }

  async list(accountId: string, page: number, limit: number): Promise<{ data: WebhookView[]; total: number }> {
    const { rows, total } = await pageForAccount(this.db, 'webhooks', accountId, page, limit);
    return { data: rows.map(toWebhookView), total };
  }

  async get(accountId: string, id: string): Promise<WebhookView> {
    return toWebhookView(await this.row(accountId, id));
  }

  private async row(accountId: string, id: string): Promise<WebhookRow> {
    const row = await this.db.selectFrom('webhooks').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
    if (!row) throw notFound('webhook');
    return row;
  }

  /** Returns the new secret when it was rotated (`rotate_secret`), else null. */
  async update(actor: Actor, accountId: string, id: string, input: UpdateWebhookInput): Promise<{ view: WebhookView; secret: string | null }> {
    if (input.secret !== undefined && input.rotate_secret) throw new ApiError(400, 'validation_failed', 'send secret or rotate_secret, not both');
    await this.row(accountId, id);
    const url = input.url !== undefined ? (await this.checkUrl(input.url)).toString() : undefined;
    const newSecret = input.rotate_secret ? generateSecret() : (input.secret ?? null);
    const patch = {
      ...(url !== undefined ? { url } : {}),
      ...(input.events !== undefined ? { events: JSON.stringify(normaliseEvents(input.events)) } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
      ...(newSecret !== null ? { secret: this.opts.box.seal(newSecret) } : {}),
    };
    const changed = Object.keys(patch);
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('webhooks')
        .set({ ...patch, updated_at: sql<Date>`now()` })
        .where('id', '=', id)
        .where('account_id', '=', accountId)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw notFound('webhook');
      await this.events.emit('webhook.updated', { ...eventOf(row), changed }, { db: trx, actor });
      return { view: toWebhookView(row), secret: input.rotate_secret ? newSecret : null };
    });
  }

  /** Deletes the webhook and its delivery log; pending deliveries are dropped. */
  async delete(actor: Actor, accountId: string, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.deleteFrom('webhooks').where('id', '=', id).where('account_id', '=', accountId).returningAll().executeTakeFirst();
      if (!row) throw notFound('webhook');
      await this.events.emit('webhook.deleted', eventOf(row), { db: trx, actor });
    });
  }

  async deliveries(
    accountId: string,
    webhookId: string,
    q: { page: number; limit: number; status?: DeliveryStatus; event?: string },
  ): Promise<{ data: DeliveryView[]; total: number }> {
    await this.row(accountId, webhookId);
    let base = this.db.selectFrom('webhook_deliveries').where('webhook_id', '=', webhookId).where('account_id', '=', accountId);
    if (q.status !== undefined) base = base.where('status', '=', q.status);
    if (q.event !== undefined) base = base.where('event', '=', q.event);
    const [rows, count] = await Promise.all([
      base
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(q.limit)
        .offset((q.page - 1) * q.limit)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { data: rows.map(toDeliveryView), total: Number(count.n) };
  }

  async delivery(accountId: string, webhookId: string, deliveryId: string): Promise<DeliveryView> {
    const row = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', deliveryId)
      .where('webhook_id', '=', webhookId)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) throw notFound('delivery');
    return toDeliveryView(row);
  }

  /** Queues the same event body again to the same webhook, as a new delivery. */
  async redeliver(accountId: string, webhookId: string, deliveryId: string): Promise<DeliveryView> {
    const old = await this.delivery(accountId, webhookId, deliveryId);
    if (old.status === 'pending') throw new ApiError(409, 'delivery_pending', `delivery ${deliveryId} is still queued; it will be retried on its own`);
    const row = await this.db
      .insertInto('webhook_deliveries')
      .columns(['id', 'account_id', 'webhook_id', 'event', 'event_id', 'body', 'max_attempts'])
      .expression((eb) =>
        eb
          .selectFrom('webhook_deliveries')
          .select([sql<string>`${newId('whd')}`.as('id'), 'account_id', 'webhook_id', 'event', 'event_id', 'body', sql<number>`${this.opts.maxAttempts}::int`.as('max_attempts')])
          .where('id', '=', deliveryId),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    this.opts.onEnqueue?.();
    return toDeliveryView(row);
  }

  /** Deletes finished deliveries older than `days`, in bounded batches. Returns how many. */
  async prune(days: number, batch = 1_000): Promise<number> {
    let total = 0;
    for (;;) {
      const res = await this.db
        .deleteFrom('webhook_deliveries')
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('webhook_deliveries')
            .select('id')
            .where('status', '<>', 'pending')
            .where('completed_at', '<', sql<Date>`now() - ${days} * interval '1 day'`)
            .limit(batch),
        )
        .executeTakeFirst();
      const n = Number(res.numDeletedRows);
      total += n;
      if (n < batch) return total;
    }
  }

  /** A `webhook.ping` to this webhook alone, whatever it subscribes to. */
  async ping(accountId: string, webhookId: string): Promise<DeliveryView> {
    const hook = await this.row(accountId, webhookId);
    const eventId = newId('evt');
    const row = await this.db
      .insertInto('webhook_deliveries')
      .values({
        id: newId('whd'),
        account_id: accountId,
        webhook_id: hook.id,
        event: PING_EVENT,
        event_id: eventId,
        body: eventBody(eventId, PING_EVENT, { webhook_id: hook.id, events: hook.events }),
        max_attempts: this.opts.maxAttempts,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    this.opts.onEnqueue?.();
    return toDeliveryView(row);
  }
}

function normaliseEvents(events: string[]): string[] {
  const unknown = events.filter((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e));
  if (unknown.length) throw new ApiError(400, 'unknown_event', `unknown event ${unknown.join(', ')}; choose from ${WEBHOOK_EVENTS.join(', ')}`);
  if (events.length === 0) throw new ApiError(400, 'validation_failed', 'subscribe to at least one event');
  return [...new Set(events)].sort();
}

function eventOf(row: WebhookRow): WebhookEventPayload {
  let host = '';
  try {
    host = new URL(row.url).host;
  } catch {
    /* stored URLs were validated */
  }
  return { account_id: row.account_id, webhook_id: row.id, url_host: host, events: row.events, active: row.active };
}

/**
 * At start: refuses a key that cannot open the stored secrets (every delivery would fail to sign
 * later, quietly), then seals any secret stored in the clear — before this server had a key, or by
 * a version that did not seal — so a database copy holds none. A row is rewritten only if unchanged.
 */
export async function checkStoredSecrets(db: Kysely<Database>, box: SecretBox): Promise<{ sealed: number }> {
  // Every stored secret must open (a wrong key refuses the start rather than failing deliveries
  // later); those in the clear or under a previous key are sealed under the current one.
  const rows = await db.selectFrom('webhooks').select(['id', 'secret']).execute();
  let sealed = 0;
  for (const row of rows) {
    const fresh = box.reseal(row.secret);
    if (fresh === null) continue;
    // Only if unchanged meanwhile: another replica may be re-sealing the same row.
    const r = await db.updateTable('webhooks').set({ secret: fresh }).where('id', '=', row.id).where('secret', '=', row.secret).executeTakeFirst();
    sealed += Number(r.numUpdatedRows);
  }
  return { sealed };
}
