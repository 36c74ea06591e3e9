import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { keyActor } from '../../auth/plugin.js';
import { errorResponses } from '../../schemas.js';
import { DEFAULT_CONFIG, MAX_LIFETIME_S, MAX_RUN_TIMEOUT_S } from './service.js';

const tags = ['sandbox'];
const nullable = <T extends ReturnType<typeof Type.String | typeof Type.Integer | typeof Type.Boolean>>(t: T) => Type.Union([t, Type.Null()]);
const Mode = Type.Unsafe<'wasm' | 'container'>({ type: 'string', enum: ['wasm', 'container'] });

const ConfigSchema = Type.Object({
  filesystem: Type.Object({ paths: Type.Array(Type.String()) }),
  network: Type.Object({ allow: Type.Array(Type.String()) }),
  resources: Type.Object({ cpu: Type.Number(), memory: Type.Integer(), timeout: Type.Integer() }),
});

const SandboxSchema = Type.Object({
  sandbox_id: Type.String(),
  agent_id: Type.String(),
  mode: Mode,
  status: Type.Unsafe<string>({ type: 'string', enum: ['ready', 'destroyed', 'expired'] }),
  config: ConfigSchema,
  created_at: Type.String({ format: 'date-time' }),
  expires_at: Type.String({ format: 'date-time', description: 'created_at + config.resources.timeout; the sandbox is destroyed then' }),
  destroyed_at: nullable(Type.String({ format: 'date-time' })),
});

const ViolationSchema = Type.Union([
  Type.Object({ kind: Type.Unsafe<string>({ type: 'string', enum: ['timeout', 'memory_limit', 'file_limit', 'interpreter_crash'] }), message: Type.String() }),
  Type.Null(),
]);

const RunSchema = Type.Object({
  run_id: Type.String(),
  sandbox_id: Type.String(),
  status: Type.Unsafe<string>({ type: 'string', enum: ['running', 'completed', 'interrupted'], description: '`interrupted`: the server running it stopped before it finished' }),
  async: Type.Boolean(),
  timeout: Type.Integer({ description: 'seconds the run was allowed (the request’s, cut to the sandbox’s remaining life)' }),
  stdout: nullable(Type.String()),
  stderr: nullable(Type.String()),
  stdout_truncated: nullable(Type.Boolean()),
  stderr_truncated: nullable(Type.Boolean()),
  exit_code: nullable(Type.Integer({ description: 'as `python` exits: 0, 1 on an uncaught exception, sys.exit’s code; 124 killed at the timeout; 137 killed for memory' })),
  duration_ms: nullable(Type.Integer()),
  violation: ViolationSchema,
  created_at: Type.String({ format: 'date-time' }),
  finished_at: nullable(Type.String({ format: 'date-time' })),
});

const CreateBody = Type.Object(
  {
    agent_id: Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001f\\u007f]*$' }),
    mode: Mode,
    config: Type.Optional(
      Type.Object(
        {
          filesystem: Type.Optional(
            Type.Object(
              { paths: Type.Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 16, description: 'absolute paths inside the sandbox, backed by its scratch directory; nothing else of the host is visible' })) },
              { additionalProperties: false },
            ),
          ),
          network: Type.Optional(Type.Object({ allow: Type.Optional(Type.Array(Type.String({ maxLength: 255 }), { maxItems: 100, description: 'must be empty: sandboxes have no network (a non-empty list answers 400 `sandbox_network_unsupported`)' })) }, { additionalProperties: false })),
          resources: Type.Optional(
            Type.Object(
              {
                cpu: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 8, default: DEFAULT_CONFIG.resources.cpu, description: 'CPUs (container mode); a wasm sandbox is one thread' })),
                memory: Type.Optional(Type.Integer({ minimum: 64, maximum: 2048, default: DEFAULT_CONFIG.resources.memory, description: 'MB' })),
                timeout: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIFETIME_S, default: DEFAULT_CONFIG.resources.timeout, description: 'seconds until the sandbox is destroyed' })),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const RunBody = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 100_000, description: 'Python source' }),
    timeout: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RUN_TIMEOUT_S, default: 30, description: 'seconds' })),
    async: Type.Optional(Type.Boolean({ default: false, description: 'answer 202 with a run id at once; read the result from GET /sandbox/{id}/runs/{run_id}' })),
  },
  { additionalProperties: false },
);

const Params = Type.Object({ sandbox_id: Type.String({ minLength: 1, maxLength: 100 }) });
const RunParams = Type.Object({ sandbox_id: Type.String({ minLength: 1, maxLength: 100 }), run_id: Type.String({ minLength: 1, maxLength: 100 }) });

export default async function sandboxRoutes(app: FastifyInstance): Promise<void> {
  const sandboxes = app.services.sandboxes;

  app.post<{ Body: Static<typeof CreateBody> }>(
    '/sandbox/create',
    {
      config: { scope: 'sandbox:write' },
      schema: {
        tags,
        summary: 'Create a sandbox',
        description:
          'Mode `wasm`: Python (Pyodide) in a worker thread with no host filesystem beyond the declared paths, no network, a memory cap and a wall-clock kill. Mode `container`: a Docker container per run (501 `sandbox_mode_unavailable` without a Docker engine). Live sandboxes per account are limited by plan (429 `sandbox_limit_reached`).',
        body: CreateBody,
        response: { 201: SandboxSchema, ...errorResponses(501) },
      },
    },
    async (request, reply) => {
      const view = await sandboxes.create(keyActor(request), request.body);
      return reply.code(201).header('location', request.url.replace(/\/create\/?$/, `/${view.sandbox_id}`)).send(view);
    },
  );

  app.get<{ Params: Static<typeof Params> }>(
    '/sandbox/:sandbox_id',
    { config: { scope: 'sandbox:read' }, schema: { tags, summary: 'One sandbox', params: Params, response: { 200: SandboxSchema, ...errorResponses(404) } } },
    async (request) => sandboxes.get(keyActor(request).account_id, request.params.sandbox_id),
  );

  app.delete<{ Params: Static<typeof Params> }>(
    '/sandbox/:sandbox_id',
    {
      config: { scope: 'sandbox:write' },
      schema: { tags, summary: 'Destroy a sandbox (its record and runs are kept)', params: Params, response: { 204: Type.Null(), ...errorResponses(404) } },
    },
    async (request, reply) => {
      await sandboxes.destroy(keyActor(request).account_id, request.params.sandbox_id);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: Static<typeof Params>; Body: Static<typeof RunBody> }>(
    '/sandbox/:sandbox_id/run',
    {
      config: { scope: 'sandbox:write' },
      schema: {
        tags,
        summary: 'Run Python in a sandbox',
        description: 'Waits for the result (200), or with `async: true` answers 202 at once. A destroyed or expired sandbox answers 409 `sandbox_not_live`.',
        params: Params,
        body: RunBody,
        response: { 200: RunSchema, 202: RunSchema, ...errorResponses(404, 409, 501) },
      },
    },
    async (request, reply) => {
      const actor = keyActor(request);
      const { run, done } = await sandboxes.run(actor, request.params.sandbox_id, request.body);
      const location = `${request.url.replace(/\/run\/?$/, '')}/runs/${run.run_id}`;
      if (request.body.async) {
        done.catch((err) => request.log.error({ err, run_id: run.run_id }, 'recording a sandbox run failed'));
        return reply.code(202).header('location', location).send(run);
      }
      return reply.code(200).header('location', location).send(await done);
    },
  );

  app.get<{ Params: Static<typeof RunParams> }>(
    '/sandbox/:sandbox_id/runs/:run_id',
    { config: { scope: 'sandbox:read' }, schema: { tags, summary: 'One run and, once it has finished, its result', params: RunParams, response: { 200: RunSchema, ...errorResponses(404) } } },
    async (request) => sandboxes.getRun(keyActor(request).account_id, request.params.sandbox_id, request.params.run_id),
  );
}
