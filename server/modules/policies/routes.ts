import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { keyActor } from '../../auth/plugin.js';
import { errorResponses, Pagination, pageOf } from '../../schemas.js';
import { OPERATORS } from './conditions.js';
import { POLICY_DECISIONS, type PolicyInput } from './service.js';

const tags = ['policies'];
const DecisionSchema = Type.Unsafe<(typeof POLICY_DECISIONS)[number]>({ type: 'string', enum: [...POLICY_DECISIONS] });
const Patterns = Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 100 })]);

const Match = Type.Object(
  {
    action: Type.Optional(Patterns),
    agent_id: Type.Optional(Patterns),
    source: Type.Optional(Type.Array(Type.Unsafe<'api' | 'gate' | 'github'>({ type: 'string', enum: ['api', 'gate', 'github'] }), { minItems: 1, uniqueItems: true })),
    parameters: Type.Optional(
      Type.Object({}, { additionalProperties: true, description: `field path -> value (equality) or {operator: argument}; operators: ${OPERATORS.join(', ')}. Unsafe $regex patterns are refused.` }),
    ),
  },
  { additionalProperties: false },
);

const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f\\u007f]*$' });

const CreateBody = Type.Object(
  {
    name: Name,
    description: Type.Optional(Type.Union([Type.String({ maxLength: 1_000 }), Type.Null()])),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 100, description: 'lower runs first' })),
    enabled: Type.Optional(Type.Boolean({ default: true })),
    match: Match,
    decision: DecisionSchema,
  },
  { additionalProperties: false },
);

const PatchBody = Type.Partial(CreateBody, { additionalProperties: false, minProperties: 1 });

const PolicySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  priority: Type.Integer(),
  enabled: Type.Boolean(),
  match: Type.Object({}, { additionalProperties: true }),
  decision: DecisionSchema,
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

const Params = Type.Object({ policy_id: Type.String({ minLength: 1, maxLength: 100 }) });

export default async function policyRoutes(app: FastifyInstance): Promise<void> {
  const policies = app.services.policies;

  app.post<{ Body: Static<typeof CreateBody> }>(
    '/policies',
    {
      config: { scope: 'policies:manage' },
      schema: {
        tags,
        summary: 'Create an approval policy',
        description: 'Applied when an approval request is created (REST, gate or GitHub): the enabled policies run in priority order and the first match decides auto_approve, auto_deny or route_to_human.',
        body: CreateBody,
        response: { 201: PolicySchema, ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      const actor = keyActor(request);
      const view = await policies.create(actor, actor.account_id, request.body as PolicyInput);
      return reply.code(201).header('location', `${request.url.replace(/\/+$/, '')}/${view.id}`).send(view);
    },
  );

  app.get<{ Querystring: Static<typeof Pagination> }>(
    '/policies',
    { config: { scope: 'policies:manage' }, schema: { tags, summary: 'The account’s approval policies, in evaluation order', querystring: Pagination, response: { 200: pageOf(PolicySchema), ...errorResponses() } } },
    async (request) => {
      const { page, limit } = request.query;
      const { data, total } = await policies.list(keyActor(request).account_id, page, limit);
      return { data, page, limit, total, has_more: page * limit < total };
    },
  );

  app.get<{ Params: Static<typeof Params> }>(
    '/policies/:policy_id',
    { config: { scope: 'policies:manage' }, schema: { tags, summary: 'One approval policy', params: Params, response: { 200: PolicySchema, ...errorResponses(404) } } },
    async (request) => policies.get(keyActor(request).account_id, request.params.policy_id),
  );

  app.patch<{ Params: Static<typeof Params>; Body: Static<typeof PatchBody> }>(
    '/policies/:policy_id',
    { config: { scope: 'policies:manage' }, schema: { tags, summary: 'Change an approval policy', params: Params, body: PatchBody, response: { 200: PolicySchema, ...errorResponses(404, 409) } } },
    async (request) => {
      const actor = keyActor(request);
      return policies.update(actor, actor.account_id, request.params.policy_id, request.body as Partial<PolicyInput>);
    },
  );

  app.delete<{ Params: Static<typeof Params> }>(
    '/policies/:policy_id',
    { config: { scope: 'policies:manage' }, schema: { tags, summary: 'Delete an approval policy', params: Params, response: { 204: Type.Null(), ...errorResponses(404) } } },
    async (request, reply) => {
      const actor = keyActor(request);
      await policies.delete(actor, actor.account_id, request.params.policy_id);
      return reply.code(204).send();
    },
  );
}
