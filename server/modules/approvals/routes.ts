import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { keyActor } from '../../auth/plugin.js';
import { ApiError } from '../../errors.js';
import { errorResponses, Pagination, pageOf } from '../../schemas.js';
import { AuditEntrySchema } from '../audit/routes.js';
import { APPROVAL_SOURCES, APPROVAL_STATUSES, URGENCIES } from './service.js';

const tags = ['approvals'];

const enumOf = <T extends string>(values: readonly T[], opts: Record<string, unknown> = {}) => Type.Unsafe<T>({ type: 'string', enum: [...values], ...opts });
const Status = enumOf(APPROVAL_STATUSES);
const Source = enumOf(APPROVAL_SOURCES);
const Urgency = enumOf(URGENCIES);
const nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
/** Printable text: no control characters. */
const text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max, pattern: '^[^\\u0000-\\u001f\\u007f]*$' });
const JsonObject = Type.Object({}, { additionalProperties: true });

export const ApprovalSchema = Type.Object({
  id: Type.String(),
  agent_id: Type.String(),
  action: Type.String(),
  parameters: JsonObject,
  context: JsonObject,
  urgency: Urgency,
  source: Source,
  status: Status,
  requested_by: Type.String({ description: 'who asked: `key:<id>` or `system:<component>`' }),
  expires_at: nullable(Type.String({ format: 'date-time' })),
  approver: nullable(Type.String()),
  note: nullable(Type.String()),
  reason: nullable(Type.String()),
  decided_by: nullable(Type.String({ description: 'the key that sent the decision' })),
  decided_at: nullable(Type.String({ format: 'date-time' })),
  result: Type.Unknown({ description: 'what the agent reported through /confirm' }),
  confirmed_by: nullable(Type.String()),
  confirmed_at: nullable(Type.String({ format: 'date-time' })),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

const CreateBody = Type.Object(
  {
    agent_id: text(200),
    action: text(200, 1),
    parameters: Type.Optional(JsonObject),
    context: Type.Optional(JsonObject),
    urgency: Type.Optional(Type.Unsafe<(typeof URGENCIES)[number]>({ type: 'string', enum: [...URGENCIES], default: 'medium' })),
    expires_at: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'RFC 3339; past it a pending request is expired. Null or absent: no deadline.' })),
    expires_in_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 * 86_400, description: 'instead of expires_at, relative to the server clock' })),
  },
  { additionalProperties: false },
);

const Params = Type.Object({ approval_id: Type.String({ minLength: 1, maxLength: 100 }) });

const ApproveBody = Type.Object(
  {
    approver: Type.Optional(text(200)),
    note: Type.Optional(Type.String({ maxLength: 4_000 })),
  },
  { additionalProperties: false },
);

const DenyBody = Type.Object(
  {
    approver: Type.Optional(text(200)),
    reason: Type.String({ minLength: 1, maxLength: 4_000, pattern: '\\S', description: 'required: why the request was denied' }),
  },
  { additionalProperties: false },
);

const ConfirmBody = Type.Object(
  { result: Type.Unknown({ description: 'what happened when the agent carried the action out (any JSON)' }) },
  { additionalProperties: false, required: ['result'] },
);

const ListQuery = Type.Composite(
  [
    Pagination,
    Type.Object({
      status: Type.Optional(Status),
      agent_id: Type.Optional(Type.String({ maxLength: 200 })),
      source: Type.Optional(Source),
      urgency: Type.Optional(Urgency),
    }),
  ],
  { additionalProperties: false },
);

/** A date-time, or a bare date (`from`: its start; `to`: its end). */
const DateParam = Type.String({ anyOf: [{ format: 'date-time' }, { format: 'date' }] } as Record<string, unknown>);

const AuditQuery = Type.Composite(
  [
    Pagination,
    Type.Object({
      agent_id: Type.Optional(Type.String({ maxLength: 200 })),
      status: Type.Optional(Status),
      from: Type.Optional(DateParam),
      to: Type.Optional(DateParam),
    }),
  ],
  { additionalProperties: false },
);

const ApprovalAuditSchema = Type.Object({
  id: Type.String(),
  seq: Type.Integer(),
  approval_id: Type.String(),
  agent_id: Type.String(),
  action: Type.String({ description: 'the action the request was for' }),
  event: Type.String({ description: 'approval.created | approval.decided | approval.expired | approval.confirmed' }),
  status: Status,
  actor: Type.String(),
  approver: nullable(Type.String()),
  note: nullable(Type.String()),
  reason: nullable(Type.String()),
  created_at: Type.String({ format: 'date-time' }),
  hash: Type.String(),
});

/** `from`/`to` query values to instants; a bare date covers its whole UTC day. */
export function parseRange(from?: string, to?: string): { from?: Date; to?: Date } {
  const at = (v: string, end: boolean) => {
    const d = /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T${end ? '23:59:59.999' : '00:00:00.000'}Z`) : new Date(v);
    if (Number.isNaN(d.getTime())) throw new ApiError(400, 'validation_failed', `${v} is not a date`);
    return d;
  };
  const range = { from: from ? at(from, false) : undefined, to: to ? at(to, true) : undefined };
  if (range.from && range.to && range.from > range.to) throw new ApiError(400, 'validation_failed', '`from` is after `to`');
  return range;
}

export default async function approvalRoutes(app: FastifyInstance): Promise<void> {
  const approvals = app.services.approvals;

  app.post<{ Body: Static<typeof CreateBody> }>(
    '/approvals',
    {
      config: { scope: 'approvals:write' },
      schema: {
        tags,
        summary: 'Ask a human to approve an action',
        description: 'Creates a pending request (source `api`). Counts against the plan’s daily approval-request quota.',
        body: CreateBody,
        response: { 201: ApprovalSchema, ...errorResponses(413, 415) },
      },
    },
    async (request, reply) => {
      const actor = keyActor(request);
      const view = await approvals.create(actor, request.body, 'api');
      return reply.code(201).header('location', `${request.url.replace(/\/+$/, '')}/${view.id}`).send(view);
    },
  );

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/approvals',
    {
      config: { scope: 'approvals:read' },
      schema: { tags, summary: 'List approval requests, newest first', querystring: ListQuery, response: { 200: pageOf(ApprovalSchema), ...errorResponses() } },
    },
    async (request) => {
      const actor = keyActor(request);
      const { page, limit } = request.query;
      const { data, total } = await approvals.list(actor.account_id, request.query);
      return { data, page, limit, total, has_more: page * limit < total };
    },
  );

  // Registered before /approvals/:approval_id; the router prefers the static path anyway.
  app.get<{ Querystring: Static<typeof AuditQuery> }>(
    '/approvals/audit',
    {
      config: { scope: 'approvals:read' },
      schema: {
        tags,
        summary: 'The account’s approval history: every creation, decision, expiry and confirmation',
        description: '`status` filters on the status each entry recorded (status=denied lists the denials); `from`/`to` (inclusive) on the entry’s time.',
        querystring: AuditQuery,
        response: { 200: pageOf(ApprovalAuditSchema), ...errorResponses() },
      },
    },
    async (request) => {
      const actor = keyActor(request);
      const { page, limit, agent_id, status } = request.query;
      const range = parseRange(request.query.from, request.query.to);
      const { data, total } = await approvals.auditLog(actor.account_id, { page, limit, agent_id, status, ...range });
      return { data, page, limit, total, has_more: page * limit < total };
    },
  );

  app.get<{ Params: Static<typeof Params> }>(
    '/approvals/:approval_id',
    { config: { scope: 'approvals:read' }, schema: { tags, summary: 'One approval request', params: Params, response: { 200: ApprovalSchema, ...errorResponses(404) } } },
    async (request) => approvals.get(keyActor(request).account_id, request.params.approval_id),
  );

  app.post<{ Params: Static<typeof Params>; Body: Static<typeof ApproveBody> }>(
    '/approvals/:approval_id/approve',
    {
      config: { scope: 'approvals:decide' },
      // An approval needs no body at all: validate an absent one as `{}`.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags,
        summary: 'Approve a pending request',
        description: 'One decision wins: a request already decided answers 409 `approval_already_decided`, an expired one 409 `approval_expired`.',
        params: Params,
        body: ApproveBody,
        response: { 200: ApprovalSchema, ...errorResponses(404, 409) },
      },
    },
    async (request) => {
      const actor = keyActor(request);
      const { approver, note } = request.body;
      return approvals.decide(actor, actor.account_id, request.params.approval_id, { decision: 'approved', approver, note });
    },
  );

  app.post<{ Params: Static<typeof Params>; Body: Static<typeof DenyBody> }>(
    '/approvals/:approval_id/deny',
    {
      config: { scope: 'approvals:decide' },
      schema: {
        tags,
        summary: 'Deny a pending request (a reason is required)',
        params: Params,
        body: DenyBody,
        response: { 200: ApprovalSchema, ...errorResponses(404, 409) },
      },
    },
    async (request) => {
      const actor = keyActor(request);
      const { approver, reason } = request.body;
      return approvals.decide(actor, actor.account_id, request.params.approval_id, { decision: 'denied', approver, reason });
    },
  );

  app.post<{ Params: Static<typeof Params>; Body: Static<typeof ConfirmBody> }>(
    '/approvals/:approval_id/confirm',
    {
      config: { scope: 'approvals:write' },
      schema: {
        tags,
        summary: 'Report the outcome of an approved action',
        description: 'Once per request, and only for an approved one (else 409).',
        params: Params,
        body: ConfirmBody,
        response: { 200: ApprovalSchema, ...errorResponses(404, 409, 413) },
      },
    },
    async (request) => {
      const actor = keyActor(request);
      return approvals.confirm(actor, actor.account_id, request.params.approval_id, request.body.result);
    },
  );

  app.get<{ Params: Static<typeof Params> }>(
    '/approvals/:approval_id/audit',
    {
      config: { scope: 'approvals:read' },
      schema: {
        tags,
        summary: 'One request’s trail, oldest first, from the hash-chained audit log',
        params: Params,
        response: { 200: Type.Object({ approval: ApprovalSchema, data: Type.Array(AuditEntrySchema) }), ...errorResponses(404) },
      },
    },
    async (request) => {
      const { approval, entries } = await approvals.trail(keyActor(request).account_id, request.params.approval_id);
      return { approval, data: entries };
    },
  );
}
