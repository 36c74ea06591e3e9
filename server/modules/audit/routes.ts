import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { keyActor } from '../../auth/plugin.js';
import { ApiError } from '../../errors.js';
import { errorResponses, Pagination, pageOf } from '../../schemas.js';

const tags = ['audit'];
const nullableString = Type.Union([Type.String(), Type.Null()]);

export const AuditEntrySchema = Type.Object({
  id: Type.String(),
  seq: Type.Integer({ description: 'the entry’s place in the account’s chain, from 1' }),
  action: Type.String({ description: 'what happened, e.g. key.created, scan.completed, approval.decided' }),
  actor: Type.Object({
    label: Type.String({ description: '`key:<key id>`, `system:<reason>` or `anonymous`' }),
    kind: Type.String(),
    key_prefix: nullableString,
    ip: nullableString,
  }),
  target: Type.Object({ type: nullableString, id: nullableString }),
  details: Type.Object({}, { additionalProperties: true }),
  created_at: Type.String({ format: 'date-time' }),
  prev_hash: Type.String(),
  hash: Type.String({ description: 'sha256 hex of prev_hash + canonical JSON of the entry' }),
});

const DateParam = Type.String({ anyOf: [{ format: 'date-time' }, { format: 'date' }] } as Record<string, unknown>);

const ListQuery = Type.Composite(
  [
    Pagination,
    Type.Object({
      action: Type.Optional(Type.String({ maxLength: 100, description: 'exact, or a family: `approval.*`' })),
      actor: Type.Optional(Type.String({ maxLength: 200, description: 'an actor label, e.g. key:key_…' })),
      target_type: Type.Optional(Type.String({ maxLength: 50 })),
      target_id: Type.Optional(Type.String({ maxLength: 200 })),
      from: Type.Optional(DateParam),
      to: Type.Optional(DateParam),
      order: Type.Optional(Type.Unsafe<'asc' | 'desc'>({ type: 'string', enum: ['asc', 'desc'], default: 'desc' })),
    }),
  ],
  { additionalProperties: false },
);

const Verification = Type.Object({
  valid: Type.Boolean(),
  entries_checked: Type.Integer(),
  head: Type.Union([Type.Object({ seq: Type.Integer(), hash: Type.String() }), Type.Null()]),
  broken_at: Type.Optional(Type.Object({ seq: Type.Integer(), id: nullableString, reason: Type.String() })),
});

function range(from?: string, to?: string): { from?: Date; to?: Date } {
  const at = (v: string, end: boolean) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T${end ? '23:59:59.999' : '00:00:00.000'}Z`) : new Date(v));
  const r = { from: from ? at(from, false) : undefined, to: to ? at(to, true) : undefined };
  if (r.from && r.to && r.from > r.to) throw new ApiError(400, 'validation_failed', '`from` is after `to`');
  return r;
}

export default async function auditRoutes(app: FastifyInstance): Promise<void> {
  const audit = app.services.audit;
  const config = { scope: 'admin' as const };

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/audit-logs',
    {
      config,
      schema: {
        tags,
        summary: 'The account’s audit log (append-only, hash-chained), newest first',
        description: 'Every change — keys, accounts, scans, approvals, webhooks — with who, what, which target and when. There are no routes to change or delete entries.',
        querystring: ListQuery,
        response: { 200: pageOf(AuditEntrySchema), ...errorResponses() },
      },
    },
    async (request) => {
      const actor = keyActor(request);
      const { page, limit, from, to, ...filters } = request.query;
      const { data, total } = await audit.list(actor.account_id, { page, limit, ...filters, ...range(from, to) });
      return { data, page, limit, total, has_more: page * limit < total };
    },
  );

  app.get(
    '/audit-logs/verify',
    {
      config,
      schema: {
        tags,
        summary: 'Walk the account’s hash chain and report the first entry that does not verify',
        response: { 200: Verification, ...errorResponses() },
      },
    },
    async (request) => audit.verify(keyActor(request).account_id),
  );
}
