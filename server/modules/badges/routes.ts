// `GET /badge/{scan_id}`: an SVG for READMEs. Public: the scan id is the capability.
import { Type, type Static } from '@sinclair/typebox';
import { makeBadge } from 'badge-maker';
import type { FastifyInstance } from 'fastify';
import { Lru } from '../../lru.js';
import { repoScanOf } from '../../../app/store.js';

const COLOURS: Record<string, string> = {
  SAFE: 'brightgreen',
  LOW: 'green',
  MODERATE: 'yellow',
  HIGH: 'orange',
  CRITICAL: 'red',
};

// A scan never changes, so its badge may be cached for a day; an unknown id briefly, in case the
// scan is being imported right now.
const CACHE_KNOWN = 'public, max-age=86400';
const CACHE_UNKNOWN = 'public, max-age=60';

/** The same score and level always draw the same badge: at most 101 × 6 distinct SVGs. */
const svgs = new Lru<string, string>(1_000);

export function badgeSvg(facts: { trust_score: number; risk_level: string } | undefined): string {
  const k = facts ? `${facts.trust_score}|${facts.risk_level}` : 'unknown';
  let svg = svgs.get(k);
  if (!svg) {
    svg = facts
      ? makeBadge({ label: 'agentcop', message: `${facts.trust_score}/100 ${facts.risk_level.toLowerCase()}`, color: COLOURS[facts.risk_level] ?? 'lightgrey' })
      : makeBadge({ label: 'agentcop', message: 'unknown', color: 'lightgrey' });
    svgs.set(k, svg);
  }
  return svg;
}

const Params = Type.Object({ scan_id: Type.String({ minLength: 1, maxLength: 100 }) });
// GitHub's own limits: owner 39 characters, repository 100.
const RepoParams = Type.Object({
  owner: Type.String({ minLength: 1, maxLength: 39, pattern: '^[A-Za-z0-9-]+$' }),
  repo: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._-]+$' }),
});
// A repository badge follows the default branch: short caching, revalidated by ETag.
const CACHE_REPO = 'public, max-age=300';

export default async function badgeRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: Static<typeof Params> }>(
    '/badge/:scan_id',
    {
      config: { public: true },
      schema: {
        tags: ['badges'],
        summary: 'Trust score badge (SVG) for a scan',
        description: 'No key needed. Colour by risk level. An unknown id answers 404 with a grey "unknown" badge, so an embedded image never breaks.',
        params: Params,
        produces: ['image/svg+xml'],
        response: { 200: { type: 'string', description: 'image/svg+xml' }, 404: { type: 'string', description: 'image/svg+xml' } },
      },
    },
    async (request, reply) => {
      const id = request.params.scan_id;
      const facts = await app.services.scans.badgeFactsOf(id);
      reply.type('image/svg+xml; charset=utf-8').header('x-content-type-options', 'nosniff');
      if (!facts) return reply.code(404).header('cache-control', CACHE_UNKNOWN).send(badgeSvg(undefined));
      const etag = `"${id}-${facts.trust_score}"`;
      reply.header('cache-control', CACHE_KNOWN).header('etag', etag);
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.send(badgeSvg(facts));
    },
  );

  app.get<{ Params: Static<typeof RepoParams> }>(
    '/badge/github/:owner/:repo',
    {
      config: { public: true },
      schema: {
        tags: ['badges'],
        summary: 'Trust score badge (SVG) for a GitHub repository',
        description:
          'The latest scan of the default branch by the GitHub App (made on every push to it). No key needed. ' +
          'A repository the App has not scanned answers 404 with a grey "unknown" badge.',
        params: RepoParams,
        produces: ['image/svg+xml'],
        response: { 200: { type: 'string', description: 'image/svg+xml' }, 404: { type: 'string', description: 'image/svg+xml' } },
      },
    },
    async (request, reply) => {
      const row = await repoScanOf(app.db, `${request.params.owner}/${request.params.repo}`);
      reply.type('image/svg+xml; charset=utf-8').header('x-content-type-options', 'nosniff');
      if (!row) return reply.code(404).header('cache-control', CACHE_UNKNOWN).send(badgeSvg(undefined));
      const etag = `"${row.scan_id}-${row.trust_score}"`;
      reply.header('cache-control', CACHE_REPO).header('etag', etag);
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.send(badgeSvg(row));
    },
  );
}
