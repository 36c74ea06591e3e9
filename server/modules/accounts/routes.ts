import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { keyActor } from '../../auth/plugin.js';
import type { Plan } from '../../db/schema.js';
import { ApiError } from '../../errors.js';
import { errorResponses, Pagination, pageOf } from '../../schemas.js';
import { KeyWithSecret } from '../keys/routes.js';
import { toAccountView } from './service.js';

const tags = ['accounts'];
const PlanSchema = Type.Unsafe<Plan>({ type: 'string', enum: ['free', 'pro', 'enterprise'] });

const AccountSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  plan: PlanSchema,
  is_operator: Type.Boolean(),
  created_at: Type.String(),
});

const Usage = Type.Object({ scans: Type.Integer(), gate_evaluations: Type.Integer(), approval_requests: Type.Integer() });
const Limits = Type.Object({
  requests_per_minute: Type.Integer(),
  daily: Type.Object({
    scans: Type.Union([Type.Integer(), Type.Null()]),
    gate_evaluations: Type.Union([Type.Integer(), Type.Null()]),
    approval_requests: Type.Union([Type.Integer(), Type.Null()]),
  }),
});

const CreateBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), plan: Type.Optional(PlanSchema) }, { additionalProperties: false });
const PatchBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), plan: Type.Optional(PlanSchema) },
  { additionalProperties: false, minProperties: 1 },
);
const Params = Type.Object({ account_id: Type.String({ minLength: 1, maxLength: 100 }) });

export default async function accountRoutes(app: FastifyInstance): Promise<void> {
  const accounts = app.services.accounts;

  app.get(
    '/account',
    {
      schema: {
        tags,
        summary: 'The calling key’s account, its limits and today’s usage',
        response: { 200: Type.Composite([AccountSchema, Type.Object({ limits: Limits, usage_today: Usage })]), ...errorResponses() },
      },
    },
    async (request) => {
      const actor = keyActor(request);
      const account = await accounts.get(actor.account_id);
      const l = app.planLimits[account.plan];
      return {
        ...toAccountView(account),
        limits: { requests_per_minute: l.perMinute, daily: l.daily },
        usage_today: await app.services.quotas.usageToday(account.id),
      };
    },
  );

  // Managing other accounts is for the operator account's admin keys only. To anyone else these
  // routes do not exist (404), which says nothing about what the operator has.
  const operatorOnly = async (request: import('fastify').FastifyRequest) => {
    const actor = keyActor(request);
    if (!actor.is_operator) throw new ApiError(404, 'route_not_found', `no route ${request.method} ${request.url.split('?')[0]}`);
  };

  app.post<{ Body: Static<typeof CreateBody> }>(
    '/accounts',
    {
      config: { scope: 'admin' },
      onRequest: operatorOnly,
      schema: {
        tags,
        summary: 'Create an account and its first admin key (operator only)',
        body: CreateBody,
        response: { 201: Type.Object({ account: AccountSchema, key: KeyWithSecret }), ...errorResponses() },
      },
    },
    async (request, reply) => {
      const { account, key, secret } = await accounts.create(request.actor, { name: request.body.name, plan: request.body.plan ?? 'free' });
      return reply.code(201).header('cache-control', 'no-store').send({ account, key: { ...key, key: secret } });
    },
  );

  app.get<{ Querystring: Static<typeof Pagination> }>(
    '/accounts',
    {
      config: { scope: 'admin' },
      onRequest: operatorOnly,
      schema: { tags, summary: 'All accounts (operator only)', querystring: Pagination, response: { 200: pageOf(AccountSchema), ...errorResponses() } },
    },
    async (request) => {
      const { page, limit } = request.query;
      const { data, total } = await accounts.list(page, limit);
      return { data, page, limit, total, has_more: page * limit < total };
    },
  );

  app.patch<{ Params: Static<typeof Params>; Body: Static<typeof PatchBody> }>(
    '/accounts/:account_id',
    {
      config: { scope: 'admin' },
      onRequest: operatorOnly,
      schema: { tags, summary: 'Change an account’s name or plan (operator only)', params: Params, body: PatchBody, response: { 200: AccountSchema, ...errorResponses(404) } },
    },
    async (request) => accounts.update(request.actor, request.params.account_id, request.body),
  );
}
