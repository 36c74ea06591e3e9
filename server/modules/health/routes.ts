import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { pingDatabase } from '../../db/index.js';
import { packageInfo } from '../../../engine/report/version.js';
import { allRules } from '../../../engine/rules/index.js';

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  version: Type.String(),
  scanner: Type.Object({ status: Type.String(), version: Type.String(), rules: Type.Integer() }),
  database: Type.Object({ status: Type.String(), kind: Type.String(), latency_ms: Type.Number(), error: Type.Optional(Type.String()) }),
  uptime_seconds: Type.Integer(),
});

const DB_TIMEOUT_MS = 2_000;

export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  const started = Date.now();
  const version = packageInfo().version;
  const rules = allRules().length;

  app.get(
    '/health',
    {
      config: { public: true },
      schema: { tags: ['health'], summary: 'Liveness and readiness, with a real database round trip', response: { 200: Health, 503: Health } },
    },
    async (_request, reply) => {
      const t = performance.now();
      let dbError: string | undefined;
      try {
        // A hung database must not hang the health check: load balancers want an answer.
        await Promise.race([
          pingDatabase(app.db),
          new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${DB_TIMEOUT_MS} ms`)), DB_TIMEOUT_MS).unref()),
        ]);
      } catch (err) {
        dbError = (err as Error).message?.split('\n')[0] ?? 'unreachable';
      }
      const scannerOk = app.scannerReady();
      const ok = !dbError && scannerOk;
      reply.header('cache-control', 'no-store');
      return reply.code(ok ? 200 : 503).send({
        status: ok ? 'ok' : 'degraded',
        version,
        scanner: { status: scannerOk ? 'ok' : 'unavailable', version, rules },
        database: {
          status: dbError ? 'unreachable' : 'ok',
          kind: app.dbKind,
          latency_ms: Math.round((performance.now() - t) * 100) / 100,
          ...(dbError ? { error: dbError } : {}),
        },
        uptime_seconds: Math.floor((Date.now() - started) / 1000),
      });
    },
  );
}
