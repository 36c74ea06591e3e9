import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { keyActor } from '../../auth/plugin.js';
import { errorResponses, Pagination, pageOf } from '../../schemas.js';
import { BASE_AGENT, LIST_OP_NAMES, type PatchInput } from './model.js';

const tags = ['permissions'];

/** Agent ids start with a letter or digit; `_base` is the account-wide layer. */
export const AGENT_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,199}$';
const AgentParams = Type.Object({ agent_id: Type.String({ pattern: `(?:${AGENT_ID_PATTERN})|^_base$`, description: 'an agent id, or `_base` for the base layer every agent inherits' }) });

const Pattern = Type.String({ minLength: 1, maxLength: 500 });
const Patterns = (description: string) => Type.Array(Pattern, { maxItems: 500, description });
const Cap = (description: string) => Type.Union([Type.Integer({ minimum: 1, maximum: 1_000_000_000 }), Type.Null()], { description });

const Tools = Type.Object(
  {
    allow: Type.Optional(Patterns('tool names with wildcards (`read_*`, `*`); a tool must match one')),
    block: Type.Optional(Patterns('tool names with wildcards (`delete_*`); wins over allow')),
  },
  { additionalProperties: false },
);
const Data = Type.Object(
  {
    read: Type.Optional(Patterns('path globs the agent may read (`/workspace/**`)')),
    write: Type.Optional(Patterns('path globs the agent may write')),
    deny: Type.Optional(Patterns('path globs never to touch; deny wins')),
  },
  { additionalProperties: false },
);
const Network = Type.Object(
  {
    allow: Type.Optional(Patterns('hosts the agent may reach (`api.github.com`, `*.example.com`)')),
    block_outbound: Type.Optional(Type.Boolean({ description: 'block every host not on the allow list' })),
  },
  { additionalProperties: false },
);
const Compute = Type.Object(
  {
    max_tokens_per_run: Type.Optional(Cap('tokens per run_id (send context.tokens with each call)')),
    max_tool_calls_per_run: Type.Optional(Cap('tool calls per run_id')),
    max_runtime_seconds: Type.Optional(Cap('seconds from a run_id’s first call')),
  },
  { additionalProperties: false },
);

const LayerBody = Type.Object(
  { tools: Type.Optional(Tools), data: Type.Optional(Data), network: Type.Optional(Network), compute: Type.Optional(Compute) },
  { additionalProperties: false },
);

const LayerOut = Type.Object({
  tools: Type.Object({ allow: Type.Array(Type.String()), block: Type.Array(Type.String()) }),
  data: Type.Object({ read: Type.Array(Type.String()), write: Type.Array(Type.String()), deny: Type.Array(Type.String()) }),
  network: Type.Object({ allow: Type.Array(Type.String()), block_outbound: Type.Boolean() }),
  compute: Type.Object({
    max_tokens_per_run: Type.Union([Type.Integer(), Type.Null()]),
    max_tool_calls_per_run: Type.Union([Type.Integer(), Type.Null()]),
    max_runtime_seconds: Type.Union([Type.Integer(), Type.Null()]),
  }),
});

const Change = Type.Unsafe<'create' | 'replace' | 'patch' | 'delete'>({ type: 'string', enum: ['create', 'replace', 'patch', 'delete'] });

export const PermissionsSchema = Type.Composite([
  Type.Object({ agent_id: Type.String(), version: Type.Integer(), change: Change, changed_by: Type.String(), updated_at: Type.String({ format: 'date-time' }) }),
  LayerOut,
]);

const VersionSchema = Type.Object({
  agent_id: Type.String(),
  version: Type.Integer(),
  change: Change,
  changed_by: Type.String(),
  deleted: Type.Boolean(),
  created_at: Type.String({ format: 'date-time' }),
  permissions: Type.Union([LayerOut, Type.Null()]),
});

const PatchBody = Type.Object(
  {
    ...Object.fromEntries(LIST_OP_NAMES.map((op) => [op, Type.Optional(Patterns(`${op.replace('_', ' ').replace(/_/g, ' ')} patterns`))])),
    block_outbound: Type.Optional(Type.Boolean()),
    compute: Type.Optional(Compute),
  },
  { additionalProperties: false, minProperties: 1 },
);

const VersionParams = Type.Composite([AgentParams, Type.Object({ version: Type.Integer({ minimum: 1 }) })]);

export default async function permissionRoutes(app: FastifyInstance): Promise<void> {
  const perms = app.services.permissions;
  type WithAgent = FastifyRequest<{ Params: Static<typeof AgentParams> }>;
  const agentOf = (request: WithAgent) => request.params.agent_id;

  app.get<{ Params: Static<typeof AgentParams> }>(
    '/permissions/:agent_id',
    { config: { scope: 'gate:read' }, schema: { tags, summary: 'The agent’s current permission layer (`_base`: the account-wide base layer)', params: AgentParams, response: { 200: PermissionsSchema, ...errorResponses(404) } } },
    async (request) => perms.get(keyActor(request).account_id, agentOf(request)),
  );

  app.post<{ Params: Static<typeof AgentParams>; Body: Static<typeof LayerBody> }>(
    '/permissions/:agent_id',
    {
      config: { scope: 'gate:manage' },
      schema: { tags, summary: 'Create the agent’s permission layer (409 if it has one)', params: AgentParams, body: LayerBody, response: { 201: PermissionsSchema, ...errorResponses(409) } },
    },
    async (request, reply) => {
      const actor = keyActor(request);
      const view = await perms.create(actor, actor.account_id, agentOf(request), request.body);
      return reply.code(201).send(view);
    },
  );

  app.put<{ Params: Static<typeof AgentParams>; Body: Static<typeof LayerBody> }>(
    '/permissions/:agent_id',
    {
      config: { scope: 'gate:manage' },
      schema: { tags, summary: 'Replace the agent’s permission layer (creates it when absent)', params: AgentParams, body: LayerBody, response: { 200: PermissionsSchema, 201: PermissionsSchema, ...errorResponses() } },
    },
    async (request, reply: FastifyReply) => {
      const actor = keyActor(request);
      const { view, created } = await perms.replace(actor, actor.account_id, agentOf(request), request.body);
      return reply.code(created ? 201 : 200).send(view);
    },
  );

  app.patch<{ Params: Static<typeof AgentParams>; Body: PatchInput }>(
    '/permissions/:agent_id',
    {
      config: { scope: 'gate:manage' },
      schema: {
        tags,
        summary: 'Change the layer with add_/remove_ operations',
        description: `Operations: ${LIST_OP_NAMES.join(', ')}, block_outbound (true/false) and compute (caps to set; null clears one). Each creates a new version.`,
        params: AgentParams,
        body: PatchBody,
        response: { 200: PermissionsSchema, ...errorResponses(404) },
      },
    },
    async (request) => {
      const actor = keyActor(request);
      return perms.patch(actor, actor.account_id, agentOf(request), request.body);
    },
  );

  app.delete<{ Params: Static<typeof AgentParams> }>(
    '/permissions/:agent_id',
    {
      config: { scope: 'gate:manage' },
      schema: { tags, summary: 'Delete the layer (kept as a version); the gate then blocks the agent with `no_policy_found`', params: AgentParams, response: { 204: Type.Null(), ...errorResponses(404) } },
    },
    async (request, reply) => {
      const actor = keyActor(request);
      await perms.delete(actor, actor.account_id, agentOf(request));
      return reply.code(204).send();
    },
  );

  app.get<{ Params: Static<typeof AgentParams>; Querystring: Static<typeof Pagination> }>(
    '/permissions/:agent_id/versions',
    {
      config: { scope: 'gate:read' },
      schema: { tags, summary: 'Every version of the layer, newest first (deletions included)', params: AgentParams, querystring: Pagination, response: { 200: pageOf(VersionSchema), ...errorResponses(404) } },
    },
    async (request) => {
      const { page, limit } = request.query;
      const { data, total } = await perms.versions(keyActor(request).account_id, agentOf(request), page, limit);
      return { data, page, limit, total, has_more: page * limit < total };
    },
  );

  app.get<{ Params: Static<typeof VersionParams> }>(
    '/permissions/:agent_id/versions/:version',
    { config: { scope: 'gate:read' }, schema: { tags, summary: 'One version of the layer', params: VersionParams, response: { 200: VersionSchema, ...errorResponses(404) } } },
    async (request) => perms.version(keyActor(request).account_id, request.params.agent_id, request.params.version),
  );
}

export { BASE_AGENT };
