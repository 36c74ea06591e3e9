// Starting the server for real: options from flags and environment, listen, stop cleanly.
import type { FastifyInstance } from 'fastify';
import { build, type BuildOptions } from './app.js';
import { githubSettingsFromEnv } from '../app/settings.js';

export interface ServeOptions extends BuildOptions {
  port?: number;
  host?: string;
}

/** Environment variables, for `npm start`, the Docker image and `agentcop serve` defaults. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): ServeOptions {
  const port = env.PORT ? Number(env.PORT) : undefined;
  return {
    port: Number.isInteger(port) ? port : undefined,
    host: env.HOST || undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.AGENTCOP_DATA_DIR || undefined,
    bootstrapKey: env.AGENTCOP_BOOTSTRAP_KEY || undefined,
    secretKey: env.AGENTCOP_SECRET_KEY || undefined,
    previousSecretKeys: env.AGENTCOP_SECRET_KEY_PREVIOUS || undefined,
    publicUrl: env.AGENTCOP_PUBLIC_URL || undefined,
    trustProxy: env.AGENTCOP_TRUST_PROXY === '1' || env.AGENTCOP_TRUST_PROXY === 'true',
    // Comma-separated IPs/CIDRs webhooks may target although private (e.g. 10.0.0.0/8,127.0.0.1).
    webhookAllowPrivate: env.AGENTCOP_WEBHOOK_ALLOW_PRIVATE?.split(',').map((v) => v.trim()).filter(Boolean),
    sandbox: { dockerHost: env.DOCKER_HOST || undefined, containerImage: env.AGENTCOP_SANDBOX_IMAGE || undefined, scratchDir: env.AGENTCOP_SANDBOX_DIR || undefined },
    logger: { level: env.LOG_LEVEL || 'info' },
    github: githubOptionsFromEnv(env),
  };
}

/**
 * Builds, listens, and on SIGTERM/SIGINT stops taking connections, lets requests in flight finish
 * (new ones get 503 meanwhile), flushes rate-limit counts, closes the database and exits. A second
 * signal exits at once.
 */
export async function serve(options: ServeOptions): Promise<FastifyInstance> {
  // A dead embedded database cannot come back in this process: stop, so a supervisor restarts us
  // on the data directory (PGlite recovers from its WAL), instead of answering 500s forever.
  let app: FastifyInstance | undefined;
  let stopping = false;
  const stop = (signal: NodeJS.Signals | 'database lost', exitCode = 0): void => {
    if (stopping) return;
    stopping = true;
    if (!app) {
      // Lost while starting: build() fails on its own; nothing to close yet.
      process.exitCode = exitCode;
      return;
    }
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
    // A second signal during shutdown means "now".
    process.once('SIGTERM', () => process.exit(1));
    process.once('SIGINT', () => process.exit(1));
    const running = app;
    running.log.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      running.log.error('shutdown took over 10 s; exiting');
      process.exit(1);
    }, 10_000).unref();
    running.close().then(
      () => {
        clearTimeout(deadline);
        process.exitCode = exitCode;
      },
      (err) => {
        running.log.error({ err }, 'error during shutdown');
        process.exitCode = 1;
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals) => stop(signal);
  app = await build({ ...options, onDatabaseLost: () => stop('database lost', 1) });
  const port = options.port ?? 3000;
  // Loopback unless told otherwise: a laptop run should not open a port to the network.
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port, host });
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return app;
}

/** The GitHub App's part of the environment: Probot's variables plus AGENTCOP_GITHUB_ACCOUNT_ID. */
export function githubOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): BuildOptions['github'] {
  const found = githubSettingsFromEnv(env);
  const accountId = env.AGENTCOP_GITHUB_ACCOUNT_ID?.trim() || undefined;
  return found.enabled ? { settings: found.settings, accountId } : { disabledReason: found.reason, accountId };
}
