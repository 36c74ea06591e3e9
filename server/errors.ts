// One error shape for every failure: {error, message, code, docs} (ARCHITECTURE §3). Anything that
// can go wrong — our own checks, Fastify's parsers, the router, plugins — ends up here.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const DOCS_URL = 'https://github.com/agentcop/agentcop/blob/main/README.md#errors';

export interface ErrorEnvelope {
  error: string;
  message: string;
  code: number;
  docs: string;
  details?: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (what = 'resource') => new ApiError(404, 'not_found', `${what} not found`);

export function envelope(statusCode: number, error: string, message: string, docsUrl: string, details?: unknown): ErrorEnvelope {
  return { error, message, code: statusCode, docs: `${docsUrl.replace(/#.*$/, '')}#${error.replace(/_/g, '-')}`, ...(details !== undefined ? { details } : {}) };
}

/** The JSON schema of the envelope, for every route's error responses in OpenAPI. */
export const ErrorSchema = {
  $id: 'Error',
  type: 'object',
  required: ['error', 'message', 'code', 'docs'],
  properties: {
    error: { type: 'string', description: 'machine-readable code, e.g. `payload_too_large`' },
    message: { type: 'string' },
    code: { type: 'integer', description: 'the HTTP status' },
    docs: { type: 'string' },
    details: {},
  },
} as const;

/** What Fastify and its plugins throw, mapped to our codes. */
const FRAMEWORK: Record<string, { status: number; error: string; message?: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, error: 'unsupported_media_type', message: 'unsupported Content-Type; this route takes application/json' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, error: 'payload_too_large', message: 'request body too large' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, error: 'bad_request', message: 'Content-Length does not match the body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, error: 'malformed_json', message: 'the body is empty but Content-Type is application/json' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, error: 'malformed_json', message: 'the body is not valid JSON' },
  FST_ERR_BAD_URL: { status: 400, error: 'bad_url', message: 'the request URL is malformed' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, error: 'uri_too_long', message: 'a path parameter is too long' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 415, error: 'unsupported_media_type', message: 'this route takes multipart/form-data with a `file` field' },
  FST_REQ_FILE_TOO_LARGE: { status: 413, error: 'payload_too_large', message: 'uploaded file too large' },
  FST_FILES_LIMIT_ERROR: { status: 400, error: 'too_many_files', message: 'send exactly one file, in the `file` field' },
  FST_FIELDS_LIMIT_ERROR: { status: 400, error: 'too_many_fields', message: 'too many form fields' },
  FST_PARTS_LIMIT_ERROR: { status: 400, error: 'too_many_parts', message: 'too many multipart parts' },
  FST_PROTO_VIOLATION: { status: 400, error: 'bad_request', message: 'prototype property in form field name' },
};

export function toEnvelope(err: FastifyError | ApiError | Error, docsUrl: string): { status: number; body: ErrorEnvelope; headers: Record<string, string> } {
  if (err instanceof ApiError) {
    return { status: err.statusCode, body: envelope(err.statusCode, err.error, err.message, docsUrl, err.details), headers: err.headers };
  }
  const fe = err as FastifyError;
  if (fe.validation) {
    const where = fe.validationContext ?? 'request';
    const details = fe.validation.map((v) => ({ path: `${where}${v.instancePath.replace(/\//g, '.')}`, message: v.message, ...(v.params ? { params: v.params } : {}) }));
    const first = details[0];
    return {
      status: 400,
      body: envelope(400, 'validation_failed', first ? `${first.path} ${first.message}` : `invalid ${where}`, docsUrl, details),
      headers: {},
    };
  }
  const known = fe.code ? FRAMEWORK[fe.code] : undefined;
  if (known) return { status: known.status, body: envelope(known.status, known.error, known.message ?? fe.message, docsUrl), headers: {} };
  if (err instanceof SyntaxError || fe.statusCode === 400) {
    // Parsers that throw a plain SyntaxError (a bad JSON body) or a 400 we have no name for.
    return { status: 400, body: envelope(400, err instanceof SyntaxError ? 'malformed_json' : 'bad_request', err instanceof SyntaxError ? 'the body is not valid JSON' : fe.message, docsUrl), headers: {} };
  }
  const status = typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 600 ? fe.statusCode : 500;
  if (status >= 500) {
    // Never echo an internal message: it can carry SQL, paths or data.
    return { status, body: envelope(status, 'internal_error', 'internal server error; the request id in the logs has the details', docsUrl), headers: {} };
  }
  return { status, body: envelope(status, 'request_error', fe.message, docsUrl), headers: {} };
}

/**
 * Installs the error handler, the 404/405 handler and the router's own errors. 405 needs the list
 * of routes: the router answers 404 for a known path with the wrong method, so we keep a matcher of
 * every registered path and its methods.
 */
export function installErrorHandling(app: FastifyInstance, docsUrl: string): void {
  const routes: { pattern: RegExp; methods: Set<string> }[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const pattern = routePattern(route.url ?? route.path);
    const existing = routes.find((r) => r.pattern.source === pattern.source);
    if (existing) methods.forEach((m) => existing.methods.add(m));
    else routes.push({ pattern, methods: new Set(methods) });
  });

  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body, headers } = toEnvelope(err, docsUrl);
    if (status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ error: body.error, status }, 'request refused');
    return reply.code(status).headers(headers).type('application/json; charset=utf-8').send(body);
  });

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const pathOnly = request.url.split('?')[0];
    const allowed = routes.filter((r) => r.pattern.test(pathOnly)).flatMap((r) => [...r.methods]);
    if (allowed.length > 0) {
      const allow = [...new Set(allowed)].sort().join(', ');
      return reply
        .code(405)
        .header('allow', allow)
        .send(envelope(405, 'method_not_allowed', `${request.method} is not allowed on ${pathOnly}; allowed: ${allow}`, docsUrl));
    }
    return reply.code(404).send(envelope(404, 'route_not_found', `no route ${request.method} ${pathOnly}`, docsUrl));
  });
}

/** Fastify's `frameworkErrors` option: router-level failures (a malformed URL) get the envelope too. */
export function frameworkErrors(docsUrl: string) {
  return (err: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = toEnvelope(err, docsUrl);
    reply.code(status).send(body);
  };
}

function routePattern(url: string): RegExp {
  const escaped = url
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg === '*' ? '.*' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${escaped}/?$`);
}
