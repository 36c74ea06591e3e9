import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { keyActor } from '../../auth/plugin.js';
import { ApiError } from '../../errors.js';
import { errorResponses, Pagination, pageOf } from '../../schemas.js';
import { AGENT_ID_PATTERN } from '../permissions/routes.js';
import { MAX_POLICY_BYTES } from './policy-doc.js';

const tags = ['gate'];
const AgentId = Type.String({ pattern: AGENT_ID_PATTERN });
const AgentParams = Type.Object({ agent_id: AgentId });
const Decision = Type.Unsafe<'allow' | 'block' | 'require_approval'>({ type: 'string', enum: ['allow', 'block', 'require_approval'] });

const EvaluateBody = Type.Object(
  {
    agent_id: AgentId,
    tool_name: Type.String({ minLength: 1, maxLength: 200 }),
    parameters: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'the tool call’s arguments' })),
    context: Type.Optional(
      Type.Object(
        {
          run_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'groups calls for compute caps' })),
          triggered_by: Type.Optional(Type.String({ maxLength: 500 })),
          tokens: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'tokens this step spends, counted against max_tokens_per_run' })),
        },
        { additionalProperties: true },
      ),
    ),
    approval_request_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'the approved request from an earlier require_approval: the same call is then allowed once' })),
  },
  { additionalProperties: false },
);

const ReasonSchema = Type.Object({
  code: Type.String(),
  severity: Type.Unsafe<string>({ type: 'string', enum: ['critical', 'high', 'medium', 'low'] }),
  title: Type.String(),
  evidence: Type.String({ description: 'what triggered it, secrets redacted' }),
  effect: Decision,
});

const PolicyVersionSchema = Type.Object({
  permissions: Type.Union([Type.Integer(), Type.Null()]),
  base: Type.Union([Type.Integer(), Type.Null()]),
  gate_policy: Type.Union([Type.Integer(), Type.Null()]),
});

export const GateResultSchema = Type.Object({
  evaluation_id: Type.String(),
  decision: Decision,
  reason: Type.String({ description: 'the code of the reason that decided; `allowed` when nothing objected' }),
  reasons: Type.Array(ReasonSchema),
  risk_score: Type.Integer({ minimum: 0, maximum: 100 }),
  approval_request_id: Type.Union([Type.String(), Type.Null()]),
  policy_version: PolicyVersionSchema,
  evaluated_at: Type.String({ format: 'date-time' }),
});

const PolicySchema = Type.Object({
  agent_id: Type.String(),
  version: Type.Integer(),
  format: Type.Unsafe<'yaml' | 'json'>({ type: 'string', enum: ['yaml', 'json'] }),
  source: Type.String({ description: 'the document as sent' }),
  policy: Type.Object({}, { additionalProperties: true, description: 'the document as understood, defaults filled in' }),
  changed_by: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
});

const LogEntry = Type.Object({
  id: Type.String(),
  agent_id: Type.String(),
  tool_name: Type.String(),
  decision: Decision,
  reason: Type.String(),
  reasons: Type.Array(ReasonSchema),
  risk_score: Type.Integer(),
  run_id: Type.Union([Type.String(), Type.Null()]),
  approval_request_id: Type.Union([Type.String(), Type.Null()]),
  policy_version: PolicyVersionSchema,
  evaluated_at: Type.String({ format: 'date-time' }),
});

const LogQuery = Type.Composite([Pagination, Type.Object({ decision: Type.Optional(Decision), run_id: Type.Optional(Type.String({ maxLength: 200 })) })], { additionalProperties: false });
const PolicyQuery = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false });

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

export default async function gateRoutes(app: FastifyInstance): Promise<void> {
  const gate = app.services.gate;
  // Scoped to this plugin: YAML bodies are only accepted by the gate-policy route.
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string', bodyLimit: MAX_POLICY_BYTES }, (_req, body, done) => done(null, body));

  app.post<{ Body: Static<typeof EvaluateBody> }>(
    '/gate/evaluate',
    {
      config: { scope: 'gate:evaluate' },
      schema: {
        tags,
        summary: 'Decide whether an agent may make a tool call: allow, block or require_approval',
        description:
          'Weighs the agent’s permission layer (over the base layer), its gate policy and built-in checks of the parameters. Never fails open: an internal error answers `block` with reason `internal_error`. `require_approval` creates an approval request (source `gate`) and returns its id; once approved, send the same call with `approval_request_id` to be allowed once.',
        body: EvaluateBody,
        response: { 200: GateResultSchema, ...errorResponses() },
      },
    },
    async (request) => gate.evaluate(keyActor(request), request.body),
  );

  app.get<{ Params: Static<typeof AgentParams>; Querystring: Static<typeof PolicyQuery> }>(
    '/gate/policy/:agent_id',
    { config: { scope: 'gate:read' }, schema: { tags, summary: 'The agent’s current gate policy (or `?version=n`)', params: AgentParams, querystring: PolicyQuery, response: { 200: PolicySchema, ...errorResponses(404) } } },
    async (request) => gate.getPolicy(keyActor(request).account_id, request.params.agent_id, request.query.version),
  );

  app.put<{ Params: Static<typeof AgentParams>; Body: string | Record<string, unknown> }>(
    '/gate/policy/:agent_id',
    {
      config: { scope: 'gate:manage' },
      schema: {
        tags,
        summary: 'Set the agent’s gate policy (a new version)',
        description: 'Send YAML (`Content-Type: application/yaml`) or JSON. Keys: `default` (allow|require_approval|block), `allow`, `require_approval`, `block` (lists of tool patterns or `{tool, when, reason}` rules with parameter conditions), `approval` ({expires_in_seconds, urgency}).',
        params: AgentParams,
        body: Type.Union([Type.Object({}, { additionalProperties: true }), Type.String({ maxLength: MAX_POLICY_BYTES })]),
        response: { 200: PolicySchema, 201: PolicySchema, ...errorResponses(413, 415) },
      },
    },
    async (request, reply) => {
      const actor = keyActor(request);
      const yaml = typeof request.body === 'string';
      if (!yaml && (request.headers['content-type'] ?? '').split(';')[0].trim() !== 'application/json') throw new ApiError(415, 'unsupported_media_type', 'send the policy as application/json or application/yaml');
      const source = yaml ? (request.body as string) : JSON.stringify(request.body, null, 2);
      const { view, created } = await gate.putPolicy(actor, actor.account_id, request.params.agent_id, source, yaml ? 'yaml' : 'json');
      return reply.code(created ? 201 : 200).send(view);
    },
  );

  app.get<{ Params: Static<typeof AgentParams>; Querystring: Static<typeof Pagination> }>(
    '/gate/policy/:agent_id/versions',
    { config: { scope: 'gate:read' }, schema: { tags, summary: 'Every version of the agent’s gate policy, newest first', params: AgentParams, querystring: Pagination, response: { 200: pageOf(PolicySchema), ...errorResponses(404) } } },
    async (request) => {
      const { page, limit } = request.query;
      const { data, total } = await gate.policyVersions(keyActor(request).account_id, request.params.agent_id, page, limit);
      return { data, page, limit, total, has_more: page * limit < total };
    },
  );

  app.get<{ Params: Static<typeof AgentParams>; Querystring: Static<typeof LogQuery> }>(
    '/gate/log/:agent_id',
    { config: { scope: 'gate:read' }, schema: { tags, summary: 'The agent’s gate decisions, newest first', params: AgentParams, querystring: LogQuery, response: { 200: pageOf(LogEntry), ...errorResponses() } } },
    async (request) => {
      const { page, limit } = request.query;
      const { data, total } = await gate.log(keyActor(request).account_id, request.params.agent_id, request.query);
      return { data, page, limit, total, has_more: page * limit < total };
    },
  );
}
