import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { SCOPES, type Scope } from '../../actor.js';
import { keyActor } from '../../auth/plugin.js';
import { errorResponses, Pagination, pageOf } from '../../schemas.js';
import { EXPIRIES, toKeyView } from './service.js';

const tags = ['keys'];

export const KeySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'the first characters of the key, for recognising it' }),
  scopes: Type.Array(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('revoked'), Type.Literal('expired')]),
  rate_limit_per_minute: Type.Union([Type.Integer(), Type.Null()]),
  expires_at: Type.Union([Type.String(), Type.Null()]),
  last_used_at: Type.Union([Type.String(), Type.Null()]),
  revoked_at: Type.Union([Type.String(), Type.Null()]),
  rotated_from: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
});

export const KeyWithSecret = Type.Composite([KeySchema, Type.Object({ key: Type.String({ description: 'the secret; shown this once, never again' }) })]);

const ScopeSchema = Type.Unsafe<Scope>({ type: 'string', enum: [...SCOPES] });

const CreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scopes: Type.Array(ScopeSchema, { minItems: 1, uniqueItems: true }),
    expires_in: Type.Optional(Type.Unsafe<(typeof EXPIRIES)[number]>({ type: 'string', enum: [...EXPIRIES], default: '90d' })),
    rate_limit_per_minute: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'lower than the plan limit; never above it' })),
  },
  { additionalProperties: false },
);

const Params = Type.Object({ key_id: Type.String({ minLength: 1, maxLength: 100 }) });
const RotateBody = Type.Object(
  { grace_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400, default: 0, description: 'keep the old key working this long' })) },
  { additionalProperties: false },
);

export default async function keyRoutes(app: FastifyInstance): Promise<void> {
  const keys = app.services.keys;
  const config = { scope: 'keys:manage' as const };

  app.post<{ Body: Static<typeof CreateBody> }>(
    '/keys',
    { config, schema: { tags, summary: 'Create an API key (the secret is in this response only)', body: CreateBody, response: { 201: KeyWithSecret, ...errorResponses() } } },
    async (request, reply) => {
      const actor = keyActor(request);
      const { view, secret } = await keys.create(actor, actor.account_id, request.body);
      return reply.code(201).header('cache-control', 'no-store').send({ ...view, key: secret });
    },
  );

  app.get<{ Querystring: Static<typeof Pagination> }>(
    '/keys',
    { config, schema: { tags, summary: 'List this account’s keys (never the secrets)', querystring: Pagination, response: { 200: pageOf(KeySchema), ...errorResponses() } } },
    async (request) => {
      const actor = keyActor(request);
      const { page, limit } = request.query;
      const { data, total } = await keys.list(actor.account_id, page, limit);
      return { data, page, limit, total, has_more: page * limit < total };
    },
  );

  app.get<{ Params: Static<typeof Params> }>(
    '/keys/:key_id',
    { config, schema: { tags, summary: 'One key', params: Params, response: { 200: KeySchema, ...errorResponses(404) } } },
    async (request) => toKeyView(await keys.get(keyActor(request).account_id, request.params.key_id)),
  );

  app.delete<{ Params: Static<typeof Params> }>(
    '/keys/:key_id',
    { config, schema: { tags, summary: 'Revoke a key (the record is kept)', params: Params, response: { 200: KeySchema, ...errorResponses(404) } } },
    async (request) => {
      const actor = keyActor(request);
      return keys.revoke(actor, actor.account_id, request.params.key_id);
    },
  );

  app.post<{ Params: Static<typeof Params>; Body: Static<typeof RotateBody> }>(
    '/keys/:key_id/rotate',
    {
      config,
      schema: {
        tags,
        summary: 'Replace a key with a new secret (same name, scopes, limit and lifetime)',
        params: Params,
        body: Type.Optional(RotateBody),
        response: { 201: Type.Composite([KeyWithSecret, Type.Object({ replaced: KeySchema })]), ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const actor = keyActor(request);
      const { view, secret, old } = await keys.rotate(actor, actor.account_id, request.params.key_id, request.body?.grace_seconds ?? 0);
      return reply.code(201).header('cache-control', 'no-store').send({ ...view, key: secret, replaced: old });
    },
  );
}
