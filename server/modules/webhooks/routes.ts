import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { keyActor } from '../../auth/plugin.js';
import { errorResponses, Pagination, pageOf } from '../../schemas.js';
import { PING_EVENT, WEBHOOK_EVENTS } from './service.js';

const tags = ['webhooks'];
const nullableString = Type.Union([Type.String(), Type.Null()]);
const EventSchema = Type.Unsafe<(typeof WEBHOOK_EVENTS)[number]>({ type: 'string', enum: [...WEBHOOK_EVENTS] });

export const WebhookSchema = Type.Object({
  id: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  description: nullableString,
  active: Type.Boolean(),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

const WithSecret = Type.Composite([
  WebhookSchema,
  Type.Object({ secret: Type.String({ description: 'the signing secret; returned here only, never again' }) }),
]);

const Secret = Type.String({ minLength: 16, maxLength: 256, pattern: '^[\\x21-\\x7e]+$', description: 'HMAC-SHA256 key: 16–256 printable characters' });
const Url = Type.String({ minLength: 1, maxLength: 2_048, description: 'http(s) URL; private, loopback and link-local targets are refused' });

const CreateBody = Type.Object(
  {
    url: Url,
    events: Type.Array(EventSchema, { minItems: 1, uniqueItems: true }),
    secret: Type.Optional(Secret),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    active: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);

const PatchBody = Type.Object(
  {
    url: Type.Optional(Url),
    events: Type.Optional(Type.Array(EventSchema, { minItems: 1, uniqueItems: true })),
    secret: Type.Optional(Secret),
    rotate_secret: Type.Optional(Type.Boolean({ description: 'generate a new secret and return it in this response' })),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    active: Type.Optional(Type.Boolean({ description: 'false pauses deliveries; queued ones wait until it is true again' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

const Params = Type.Object({ webhook_id: Type.String({ minLength: 1, maxLength: 100 }) });
const DeliveryParams = Type.Object({ webhook_id: Type.String({ minLength: 1, maxLength: 100 }), delivery_id: Type.String({ minLength: 1, maxLength: 100 }) });

const DeliveryStatus = Type.Unsafe<'pending' | 'succeeded' | 'failed'>({ type: 'string', enum: ['pending', 'succeeded', 'failed'] });

export const DeliverySchema = Type.Object({
  id: Type.String(),
  webhook_id: Type.String(),
  event: Type.String(),
  event_id: Type.String(),
  status: DeliveryStatus,
  attempts: Type.Integer(),
  max_attempts: Type.Integer(),
  next_attempt_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  last_attempt_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  response_status: Type.Union([Type.Integer(), Type.Null()]),
  last_error: nullableString,
  created_at: Type.String({ format: 'date-time' }),
  completed_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  payload: Type.Unknown({ description: 'the body sent: {id, type, created_at, data}' }),
  attempt_log: Type.Array(
    Type.Object({ at: Type.String(), status_code: Type.Union([Type.Integer(), Type.Null()]), error: nullableString, duration_ms: Type.Integer() }),
  ),
});

const DeliveryQuery = Type.Composite(
  [Pagination, Type.Object({ status: Type.Optional(DeliveryStatus), event: Type.Optional(Type.String({ maxLength: 100 })) })],
  { additionalProperties: false },
);

export default async function webhookRoutes(app: FastifyInstance): Promise<void> {
  const webhooks = app.services.webhooks;
  const config = { scope: 'webhooks:manage' as const };

  app.post<{ Body: Static<typeof CreateBody> }>(
    '/webhooks',
    {
      config,
      schema: {
        tags,
        summary: 'Subscribe a URL to events',
        description:
          `Events: ${WEBHOOK_EVENTS.join(', ')}. Each delivery is a POST of {id, type, created_at, data} signed with HMAC-SHA256: ` +
          '`X-AgentCop-Signature: sha256=<hex>` over `${X-AgentCop-Timestamp}.${body}`. Without `secret`, one is generated; either way it is returned in this response only.',
        body: CreateBody,
        response: { 201: WithSecret, ...errorResponses(409, 415) },
      },
    },
    async (request, reply) => {
      const actor = keyActor(request);
      const { view, secret } = await webhooks.create(actor, actor.account_id, request.body);
      return reply.code(201).header('cache-control', 'no-store').send({ ...view, secret });
    },
  );

  app.get<{ Querystring: Static<typeof Pagination> }>(
    '/webhooks',
    { config, schema: { tags, summary: 'List webhooks (never their secrets)', querystring: Pagination, response: { 200: pageOf(WebhookSchema), ...errorResponses() } } },
    async (request) => {
      const actor = keyActor(request);
      const { page, limit } = request.query;
      const { data, total } = await webhooks.list(actor.account_id, page, limit);
      return { data, page, limit, total, has_more: page * limit < total };
    },
  );

  app.get<{ Params: Static<typeof Params> }>(
    '/webhooks/:webhook_id',
    { config, schema: { tags, summary: 'One webhook', params: Params, response: { 200: WebhookSchema, ...errorResponses(404) } } },
    async (request) => webhooks.get(keyActor(request).account_id, request.params.webhook_id),
  );

  app.patch<{ Params: Static<typeof Params>; Body: Static<typeof PatchBody> }>(
    '/webhooks/:webhook_id',
    {
      config,
      schema: {
        tags,
        summary: 'Change a webhook’s URL, events, secret or state',
        description: 'With `rotate_secret: true` the response carries the new secret (once).',
        params: Params,
        body: PatchBody,
        response: { 200: Type.Composite([WebhookSchema, Type.Object({ secret: Type.Optional(Type.String()) })]), ...errorResponses(404, 415) },
      },
    },
    async (request, reply) => {
      const actor = keyActor(request);
      const { view, secret } = await webhooks.update(actor, actor.account_id, request.params.webhook_id, request.body);
      if (secret) reply.header('cache-control', 'no-store');
      return secret ? { ...view, secret } : view;
    },
  );

  app.delete<{ Params: Static<typeof Params> }>(
    '/webhooks/:webhook_id',
    { config, schema: { tags, summary: 'Delete a webhook, its queue and its delivery log', params: Params, response: { 204: Type.Null(), ...errorResponses(404) } } },
    async (request, reply) => {
      const actor = keyActor(request);
      await webhooks.delete(actor, actor.account_id, request.params.webhook_id);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: Static<typeof Params>; Querystring: Static<typeof DeliveryQuery> }>(
    '/webhooks/:webhook_id/deliveries',
    {
      config,
      schema: {
        tags,
        summary: 'The webhook’s delivery log, newest first',
        params: Params,
        querystring: DeliveryQuery,
        response: { 200: pageOf(DeliverySchema), ...errorResponses(404) },
      },
    },
    async (request) => {
      const actor = keyActor(request);
      const { page, limit } = request.query;
      const { data, total } = await webhooks.deliveries(actor.account_id, request.params.webhook_id, request.query);
      return { data, page, limit, total, has_more: page * limit < total };
    },
  );

  app.get<{ Params: Static<typeof DeliveryParams> }>(
    '/webhooks/:webhook_id/deliveries/:delivery_id',
    { config, schema: { tags, summary: 'One delivery', params: DeliveryParams, response: { 200: DeliverySchema, ...errorResponses(404) } } },
    async (request) => webhooks.delivery(keyActor(request).account_id, request.params.webhook_id, request.params.delivery_id),
  );

  app.post<{ Params: Static<typeof DeliveryParams> }>(
    '/webhooks/:webhook_id/deliveries/:delivery_id/redeliver',
    {
      config,
      schema: {
        tags,
        summary: 'Queue a finished delivery’s event again (as a new delivery)',
        params: DeliveryParams,
        response: { 202: DeliverySchema, ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const actor = keyActor(request);
      return reply.code(202).send(await webhooks.redeliver(actor.account_id, request.params.webhook_id, request.params.delivery_id));
    },
  );

  app.post<{ Params: Static<typeof Params> }>(
    '/webhooks/:webhook_id/ping',
    {
      config,
      schema: { tags, summary: `Queue a ${PING_EVENT} event to this webhook`, params: Params, response: { 202: DeliverySchema, ...errorResponses(404) } },
    },
    async (request, reply) => {
      const actor = keyActor(request);
      return reply.code(202).send(await webhooks.ping(actor.account_id, request.params.webhook_id));
    },
  );
}
