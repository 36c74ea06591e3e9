// OpenAPI 3 from the route schemas (`/api/v1/openapi.json`) and Swagger UI (`/api/v1/docs`),
// served from the package's own assets: no CDN.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { packageInfo } from '../../../engine/report/version.js';

/** Must be registered before any route: @fastify/swagger collects routes as they are added. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'AgentCop API',
        version: packageInfo().version,
        description: 'Every route also exists under /api/ (unversioned alias). Errors are always {error, message, code, docs}.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'X-AgentCop-Key' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    // Shared schemas keep their names ("Error", "ScanResult") in components.schemas.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    // The /api aliases, the bare /health and the UI's own routes would only repeat /api/v1.
    transform: ({ schema, url, route }) => {
      const hidden = (url.startsWith('/api/') && !url.startsWith('/api/v1/')) || url.startsWith('/api/v1/docs') || url === '/health';
      const isPublic = (route.config as { public?: boolean } | undefined)?.public;
      const s = { ...(schema ?? {}), ...(hidden ? { hide: true } : {}) } as Record<string, unknown>;
      if (!isPublic && !hidden) s.security = [{ apiKey: [] }, { bearer: [] }];
      return { schema: s, url };
    },
  });
}

/** Swagger UI at /api/v1/docs; its routes are public (the spec is not a secret). */
export async function registerSwaggerUi(app: FastifyInstance): Promise<void> {
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/v1/docs')) route.config = { ...(route.config ?? {}), public: true };
  });
  await app.register(swaggerUi, { routePrefix: '/api/v1/docs', uiConfig: { deepLinking: false }, staticCSP: true });
}

/** `GET /openapi.json` under each API prefix. */
export async function docsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    reply.header('cache-control', 'no-cache');
    return app.swagger();
  });
}
