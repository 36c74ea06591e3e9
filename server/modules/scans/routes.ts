import { Type, type Static } from '@sinclair/typebox';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { keyActor } from '../../auth/plugin.js';
import { ApiError } from '../../errors.js';
import { errorResponses, IssueSchema, NoticeSchema, PermissionsSchema, Pagination, pageOf, RiskLevel, ScanResultRef } from '../../schemas.js';
import { scanUrls } from '../../urls.js';
import { scanJson, type ImportBody, type ScanMeta, type StoredScan } from './service.js';

const tags = ['scans'];

const Meta = {
  description: Type.Optional(Type.String({ maxLength: 2_000 })),
  agent_name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  framework: Type.Optional(Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9_.-]+$', description: 'langchain, crewai, autogen, moltbook, …' })),
};

const ScanBody = Type.Object(
  {
    code: Type.String({ minLength: 1, description: 'the source to scan; at most 100 KB (UTF-8), else 413' }),
    filename: Type.Optional(Type.String({ minLength: 1, maxLength: 255, default: 'agent.py', description: 'decides the language' })),
    ...Meta,
  },
  { additionalProperties: false },
);

const ScanParams = Type.Object({ scan_id: Type.String({ minLength: 1, maxLength: 100 }) });

const ListQuery = Type.Composite([Pagination, Type.Object({ agent_name: Type.Optional(Type.String({ maxLength: 200 })) })], { additionalProperties: false });

const Summary = Type.Object({
  scan_id: Type.String(),
  trust_score: Type.Integer(),
  risk_level: Type.String(),
  total_issues: Type.Integer(),
  files_scanned: Type.Integer(),
  source: Type.String(),
  agent_name: Type.Union([Type.String(), Type.Null()]),
  framework: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  share_url: Type.String(),
  badge_url: Type.String(),
});

/** The import body: a ScanResult from another door. The score is recomputed from the issues. */
const ImportSchema = Type.Object(
  {
    scan_id: Type.Optional(Type.String({ maxLength: 100 })),
    trust_score: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    risk_level: Type.Optional(RiskLevel),
    total_issues: Type.Optional(Type.Integer({ minimum: 0 })),
    issues: Type.Array(IssueSchema, { maxItems: 10_000 }),
    suppressed_issues: Type.Optional(Type.Array(IssueSchema, { maxItems: 10_000 })),
    files_scanned: Type.Optional(Type.Integer({ minimum: 0 })),
    frameworks: Type.Optional(Type.Array(Type.String({ maxLength: 50 }), { maxItems: 50 })),
    permissions: Type.Optional(PermissionsSchema),
    notices: Type.Optional(Type.Array(NoticeSchema, { maxItems: 10_000 })),
    scan_time_ms: Type.Optional(Type.Integer({ minimum: 0 })),
    created_at: Type.Optional(Type.String({ format: 'date-time' })),
    agent_name: Meta.agent_name,
    description: Meta.description,
  },
  { additionalProperties: true },
);

const ImportResponse = Type.Object({
  scan_id: Type.String(),
  share_url: Type.String(),
  badge_url: Type.String(),
  trust_score: Type.Integer(),
  risk_level: Type.String(),
  total_issues: Type.Integer(),
});

export interface ScanRoutesOptions {
  publicUrl?: string;
  zipBytes: number;
  importBytes: number;
}

export default async function scanRoutes(app: FastifyInstance, opts: ScanRoutesOptions): Promise<void> {
  const scans = app.services.scans;
  /**
   * The ScanResult response (documented by ScanResultRef), assembled as a string around the scan's
   * cached JSON: only the URLs and `cached` differ between requests.
   */
  const send = (request: FastifyRequest, reply: FastifyReply, scan: StoredScan, cached: boolean, status = 200) => {
    const { share_url, badge_url } = scanUrls(request, opts.publicUrl, scan.id);
    const body = `{"cached":${cached},"share_url":${JSON.stringify(share_url)},"badge_url":${JSON.stringify(badge_url)},${scanJson(scan).slice(1)}`;
    return reply.code(status).type('application/json; charset=utf-8').send(body);
  };

  app.post<{ Body: Static<typeof ScanBody> }>(
    '/scan',
    {
      config: { scope: 'scan:write' },
      // JSON escaping can double the size of code; the 100 KB limit on `code` itself is checked
      // after parsing so the answer can say exactly what was too large.
      bodyLimit: 1024 * 1024,
      schema: {
        tags,
        summary: 'Scan one file of agent code',
        body: ScanBody,
        response: { 200: ScanResultRef, 201: ScanResultRef, ...errorResponses(413, 415) },
      },
    },
    async (request, reply) => {
      const actor = keyActor(request);
      const { scan, cached } = await scans.scanCode(actor, request.body);
      return send(request, reply, scan, cached, cached ? 200 : 201);
    },
  );

  // Multipart is parsed in this child context only: elsewhere a multipart body is simply the
  // wrong content type (415), never silently accepted as an empty body.
  await app.register(async (zipApp) => {
    await zipApp.register(multipart, { limits: { fileSize: opts.zipBytes, files: 1, fields: 10, fieldSize: 4_096, parts: 12, headerPairs: 100 } });
    zipApp.post(
      '/scan/zip',
      {
        config: { scope: 'scan:write' },
        schema: {
          tags,
          summary: 'Scan a ZIP of a project',
          description:
            'multipart/form-data with one `file` field (a ZIP, at most 10 MB) and optional `agent_name`, `description`, `framework` fields. ' +
            'Refused with 400 and nothing stored: not a ZIP, encrypted entries, absolute or ".." names, more than 5,000 entries, more than 50 MiB uncompressed, compression ratios above 100:1.',
          consumes: ['multipart/form-data'],
          response: { 200: ScanResultRef, 201: ScanResultRef, ...errorResponses(413, 415) },
        },
      },
      async (request, reply) => {
        const actor = keyActor(request);
        if (!request.isMultipart()) throw new ApiError(415, 'unsupported_media_type', 'this route takes multipart/form-data with a `file` field');
        const fields: Record<string, string> = {};
        let zip: Buffer | undefined;
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            if (part.fieldname !== 'file') throw new ApiError(400, 'validation_failed', `unexpected file field ${JSON.stringify(part.fieldname)}; send the ZIP as \`file\``);
            zip = await part.toBuffer();
          } else if (['agent_name', 'description', 'framework'].includes(part.fieldname)) {
            fields[part.fieldname] = String(part.value);
          } else {
            throw new ApiError(400, 'validation_failed', `unknown form field ${JSON.stringify(part.fieldname)}`);
          }
        }
        if (!zip) throw new ApiError(400, 'validation_failed', 'no `file` field in the form');
        if (fields.framework !== undefined && !/^[A-Za-z0-9_.-]{1,50}$/.test(fields.framework)) {
          throw new ApiError(400, 'validation_failed', 'framework must be 1-50 letters, digits, _ . or -');
        }
        if ((fields.agent_name?.length ?? 0) > 200 || fields.agent_name === '') throw new ApiError(400, 'validation_failed', 'agent_name must be 1-200 characters');
        const meta: ScanMeta = { agent_name: fields.agent_name, description: fields.description, framework: fields.framework };
        const { scan, cached } = await scans.scanZip(actor, zip, meta);
        return send(request, reply, scan, cached, cached ? 200 : 201);
      },
    );
  });

  app.get<{ Params: Static<typeof ScanParams> }>(
    '/scan/:scan_id',
    {
      config: { scope: 'scan:read' },
      schema: { tags, summary: 'One scan of this account', params: ScanParams, response: { 200: ScanResultRef, ...errorResponses(404) } },
    },
    async (request, reply) => {
      const actor = keyActor(request);
      return send(request, reply, await scans.get(actor.account_id, request.params.scan_id), true);
    },
  );

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/scans',
    {
      config: { scope: 'scan:read' },
      schema: { tags, summary: 'Scan history, newest first', querystring: ListQuery, response: { 200: pageOf(Summary), ...errorResponses() } },
    },
    async (request) => {
      const actor = keyActor(request);
      const { page, limit, agent_name } = request.query;
      const { data, total } = await scans.list(actor.account_id, { page, limit, agent_name });
      return {
        data: data.map((s) => ({ ...s, ...scanUrls(request, opts.publicUrl, s.scan_id) })),
        page,
        limit,
        total,
        has_more: page * limit < total,
      };
    },
  );

  app.post<{ Body: Static<typeof ImportSchema> }>(
    '/scans/import',
    {
      config: { scope: 'scan:write' },
      bodyLimit: opts.importBytes,
      schema: {
        tags,
        summary: 'Store a ScanResult produced elsewhere (the GitHub Action uploads here)',
        description: 'Snippets are redacted again and the score and risk level recomputed from the issues.',
        body: ImportSchema,
        response: { 201: ImportResponse, ...errorResponses(413, 415) },
      },
    },
    async (request, reply) => {
      const actor = keyActor(request);
      const scan = await scans.importResult(actor, request.body as unknown as ImportBody);
      const r = scan.result;
      return reply.code(201).send({
        scan_id: scan.id,
        ...scanUrls(request, opts.publicUrl, scan.id),
        trust_score: r.trust_score,
        risk_level: r.risk_level,
        total_issues: r.total_issues,
      });
    },
  );
}
