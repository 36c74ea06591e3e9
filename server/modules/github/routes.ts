// `POST /github/webhooks`: GitHub's deliveries for the App, handed to the Probot App's handlers. The body
// is kept as the exact bytes received, because the signature is an HMAC over them.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { GithubApp } from '../../../app/index.js';
import { ApiError } from '../../errors.js';
import { errorResponses } from '../../schemas.js';
import { baseUrl } from '../../urls.js';

/** GitHub sends at most 25 MB per delivery. */
const MAX_DELIVERY_BYTES = 25 * 1024 * 1024;

export interface GithubRouteOptions {
  github: GithubApp;
  publicUrl?: string;
}

export default async function githubRoutes(app: FastifyInstance, opts: GithubRouteOptions): Promise<void> {
  const { github } = opts;
  // Only in this plugin's scope: every other route keeps the JSON parser.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_DELIVERY_BYTES }, (_req, body, done) => done(null, body));

  app.post(
    '/github/webhooks',
    {
      config: { public: true },
      bodyLimit: MAX_DELIVERY_BYTES,
      schema: {
        tags: ['github'],
        summary: 'GitHub App webhook deliveries',
        description:
          'For GitHub only: set as the App\'s webhook URL. Checks `X-Hub-Signature-256` over the raw body with WEBHOOK_SECRET, then Probot handles the event. ' +
          '503 `app_disabled` when the server runs without App credentials.',
        headers: Type.Object({
          'x-github-event': Type.Optional(Type.String()),
          'x-github-delivery': Type.Optional(Type.String()),
          'x-hub-signature-256': Type.Optional(Type.String()),
        }),
        response: { 200: { type: 'string', description: 'ok' }, ...errorResponses(400, 401, 413, 415, 500, 503) },
      },
    },
    async (request, reply) => {
      if (!github.enabled || !github.receive) {
        throw new ApiError(503, 'app_disabled', `the GitHub App is off on this server (${github.reason ?? 'no credentials'}); set APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, and WEBHOOK_SECRET`);
      }
      const type = String(request.headers['content-type'] ?? '');
      if (!/^\s*application\/json\s*(;|$)/i.test(type)) {
        throw new ApiError(415, 'unsupported_media_type', 'GitHub App webhooks must be sent as application/json (set the App\'s webhook content type to JSON)');
      }
      const missing = ['x-github-event', 'x-github-delivery', 'x-hub-signature-256'].filter((h) => typeof request.headers[h] !== 'string' || !request.headers[h]);
      if (missing.length) throw new ApiError(400, 'missing_webhook_headers', `not a GitHub delivery: missing ${missing.join(', ')}`);
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (!(await github.verify(body.toString('utf8'), String(request.headers['x-hub-signature-256'])))) {
        throw new ApiError(401, 'invalid_signature', 'X-Hub-Signature-256 does not match the body and WEBHOOK_SECRET');
      }
      let payload: unknown;
      try {
        payload = JSON.parse(body.toString('utf8'));
      } catch {
        throw new ApiError(400, 'invalid_json', 'the delivery body is not valid JSON');
      }
      github.noteBaseUrl(baseUrl(request, opts.publicUrl));
      try {
        await github.receive({ id: String(request.headers['x-github-delivery']), name: String(request.headers['x-github-event']), payload });
      } catch (err) {
        // Intake only writes rows; if that fails nothing was recorded, so GitHub should redeliver.
        request.log.error({ err, delivery: request.headers['x-github-delivery'] }, 'GitHub delivery failed');
        throw new ApiError(500, 'delivery_failed', 'AgentCop could not record this delivery; redeliver it from the App\'s advanced settings');
      }
      return reply.type('text/plain').send('ok');
    },
  );
}
