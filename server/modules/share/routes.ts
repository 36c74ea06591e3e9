// `GET /scan/{scan_id}` outside /api: the public, server-rendered report.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { packageInfo } from '../../../engine/report/version.js';
import { renderNotFoundPage, renderSharePage, SHARE_CSP } from './render.js';
import { repoScanOf } from '../../../app/store.js';

const Params = Type.Object({ scan_id: Type.String({ minLength: 1, maxLength: 100 }) });
const RepoParams = Type.Object({
  owner: Type.String({ minLength: 1, maxLength: 39, pattern: '^[A-Za-z0-9-]+$' }),
  repo: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._-]+$' }),
});

export default async function shareRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: Static<typeof Params> }>(
    '/scan/:scan_id',
    {
      config: { public: true },
      schema: {
        tags: ['share'],
        summary: 'Public HTML report for a scan (the share_url)',
        params: Params,
        produces: ['text/html'],
      },
    },
    async (request, reply) => {
      const scan = await app.services.scans.getPublic(request.params.scan_id);
      reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', SHARE_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('x-frame-options', 'DENY');
      if (!scan) return reply.code(404).header('cache-control', 'no-store').send(renderNotFoundPage());
      reply.header('cache-control', 'public, max-age=300');
      return reply.send(
        renderSharePage(scan.result, { badgePath: `/api/v1/badge/${encodeURIComponent(scan.id)}`, agentName: scan.agent_name, version: packageInfo().version }),
      );
    },
  );

  app.get<{ Params: Static<typeof RepoParams> }>(
    '/github/:owner/:repo',
    {
      config: { public: true },
      schema: {
        tags: ['share'],
        summary: "Public HTML report of a GitHub repository's default branch (the repository badge's page)",
        params: RepoParams,
        produces: ['text/html'],
      },
    },
    async (request, reply) => {
      const { owner, repo } = request.params;
      const row = await repoScanOf(app.db, `${owner}/${repo}`);
      const scan = row ? await app.services.scans.getPublic(row.scan_id) : undefined;
      reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', SHARE_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('x-frame-options', 'DENY');
      if (!row || !scan) return reply.code(404).header('cache-control', 'no-store').send(renderNotFoundPage());
      reply.header('cache-control', 'public, max-age=300');
      return reply.send(
        renderSharePage(scan.result, {
          badgePath: `/api/v1/badge/github/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`,
          agentName: `${row.repository} (${row.ref.replace(/^refs\/heads\//, '')} at ${row.head_sha.slice(0, 7)})`,
          version: packageInfo().version,
        }),
      );
    },
  );
}
