// build(options) -> a ready Fastify instance. Opening the database, migrating it, wiring services
// and registering one plugin per API module happen here; listening and signals are in serve.ts.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Kysely } from 'kysely';
import { scan } from '../engine/index.js';
import { Gatekeeper } from './auth/gatekeeper.js';
import { installAuth } from './auth/plugin.js';
import { migrate, openDatabase, type DatabaseHandle, type DatabaseKind } from './db/index.js';
import type { Database, Plan } from './db/schema.js';
import { DOCS_URL, ErrorSchema, frameworkErrors, installErrorHandling } from './errors.js';
import { EventBus } from './events.js';
import { resolvePlanLimits, type PlanLimitOverrides, type PlanLimits } from './limits/plans.js';
import { pruneWindows, QuotaService } from './limits/service.js';
import accountRoutes from './modules/accounts/routes.js';
import { AccountService } from './modules/accounts/service.js';
import badgeRoutes from './modules/badges/routes.js';
import { docsRoutes, registerOpenApi, registerSwaggerUi } from './modules/docs/plugin.js';
import healthRoutes from './modules/health/routes.js';
import keyRoutes from './modules/keys/routes.js';
import { KeyService } from './modules/keys/service.js';
import scanRoutes from './modules/scans/routes.js';
import { ScanService } from './modules/scans/service.js';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from './modules/scans/zip.js';
import { oversightRoutes, setUpOversight, type OversightOptions, type OversightServices } from './modules/oversight.js';
import sandboxRoutes from './modules/sandbox/routes.js';
import { SandboxService, type SandboxOptions } from './modules/sandbox/service.js';
import { runtimeRoutes, setUpRuntime, type RuntimeServices } from './modules/runtime.js';
import shareRoutes from './modules/share/routes.js';
import githubRoutes from './modules/github/routes.js';
import { setUpGithubApp, type GithubApp, type GithubAppOptions } from '../app/index.js';
import { ScanResultSchema } from './schemas.js';
import { installValidators } from './validation.js';
import { loadSecretBox, type SecretBox } from './secret-box.js';
import { checkStoredSecrets } from './modules/webhooks/service.js';

export interface Services extends OversightServices, RuntimeServices {
  accounts: AccountService;
  keys: KeyService;
  scans: ScanService;
  quotas: QuotaService;
  sandboxes: SandboxService;
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>;
    dbKind: DatabaseKind;
    /** The internal event hook: `app.events.on('scan.completed', handler)`. See events.ts. */
    events: EventBus;
    services: Services;
    planLimits: Record<Plan, PlanLimits>;
    scannerReady: () => boolean;
    /** The GitHub App: `enabled`, its Probot instance and job worker. */
    github: GithubApp;
    /** Seals and opens stored webhook secrets. */
    secretBox: SecretBox;
  }
}

export interface BootstrapInfo {
  accountId: string;
  key: string;
  /** True when the key came from AGENTCOP_BOOTSTRAP_KEY (then it is not printed). */
  preset: boolean;
}

/** Approvals, webhooks and the audit log: `webhookAllowPrivate`, `webhooks`, `approvalSweepMs` (see oversight.ts). */
export interface BuildOptions extends OversightOptions {
  /** PostgreSQL URL; without it, PGlite in `dataDir`. */
  databaseUrl?: string;
  /** PGlite data directory (default `./.agentcop`); `memory://` for a throwaway database. */
  dataDir?: string;
  /** Key that seals stored webhook secrets (AGENTCOP_SECRET_KEY; 32 bytes, hex or base64). See secret-box.ts. */
  secretKey?: string;
  /** Older keys (AGENTCOP_SECRET_KEY_PREVIOUS, comma-separated) during a rotation. See secret-box.ts. */
  previousSecretKeys?: string;
  /** Start an empty PGlite data dir from this snapshot (tests: skips initdb and migrations). */
  pgliteSnapshot?: Blob;
  /** Fastify/pino logger options, or false. Key headers are always redacted. */
  logger?: boolean | Exclude<FastifyServerOptions['logger'], boolean | undefined>;
  /** The admin key to create on first start instead of a random one (AGENTCOP_BOOTSTRAP_KEY). */
  bootstrapKey?: string;
  /** Called once, on the first start of an empty database. Default: print the key to stderr. */
  onBootstrap?: (info: BootstrapInfo) => void;
  /** The embedded database died and cannot come back in this process (`agentcop serve` exits 1 so a supervisor restarts it). */
  onDatabaseLost?: (err: Error) => void;
  /** Base of share and badge URLs, e.g. https://agentcop.example.com (AGENTCOP_PUBLIC_URL). */
  publicUrl?: string;
  /** Where error envelopes' `docs` link points. */
  docsUrl?: string;
  planLimits?: PlanLimitOverrides;
  limits?: { codeBytes?: number; zipBytes?: number; importBytes?: number; zip?: Partial<ZipLimits> };
  /** Clock for rate limits and quotas (tests). */
  now?: () => number;
  trustProxy?: boolean;
  /** Sandboxes: Docker engine for container mode, scratch directory, expiry sweep (see sandbox/service.ts). */
  sandbox?: SandboxOptions;
  /** The GitHub App (APP_ID, PRIVATE_KEY/PRIVATE_KEY_PATH, WEBHOOK_SECRET, GHE_HOST); off without credentials. */
  github?: GithubAppOptions;
}

export const DEFAULT_LIMITS = { codeBytes: 100 * 1024, zipBytes: 10 * 1024 * 1024, importBytes: 10 * 1024 * 1024 };

/** Headers that carry secrets: never logged, whatever a serializer is later taught to print. */
export const REDACT_PATHS = ['req.headers["x-agentcop-key"]', 'req.headers.authorization', 'req.headers.cookie', 'headers["x-agentcop-key"]', 'headers.authorization'];

function loggerOptions(logger: BuildOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === false || logger === undefined) return false;
  const base = logger === true ? {} : logger;
  return { level: 'info', ...base, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
}

function defaultOnBootstrap(info: BootstrapInfo): void {
  if (info.preset) {
    process.stderr.write(`agentcop: first start: created account ${info.accountId} with the admin key from AGENTCOP_BOOTSTRAP_KEY\n`);
    return;
  }
  // Deliberately not through the logger: logs are shipped and kept; this is shown once, here.
  process.stderr.write(
    `\nagentcop: first start: created account ${info.accountId} and its admin key.\n` +
      `agentcop: store it now, it will not be shown again:\n\n    ${info.key}\n\n`,
  );
}

export async function build(options: BuildOptions = {}): Promise<FastifyInstance> {
  const docsUrl = options.docsUrl ?? DOCS_URL;
  const now = options.now ?? Date.now;

  const app = Fastify({
    logger: loggerOptions(options.logger),
    trustProxy: options.trustProxy ?? false,
    bodyLimit: 1024 * 1024,
    // Graceful close: stop accepting, finish what is in flight, then close.
    return503OnClosing: true,
    frameworkErrors: frameworkErrors(docsUrl),
  });

  let handle: DatabaseHandle;
  try {
    handle = await openDatabase({ databaseUrl: options.databaseUrl, dataDir: options.dataDir, pgliteSnapshot: options.pgliteSnapshot });
  } catch (err) {
    await app.close();
    throw err;
  }
  handle.onLost?.((err) => {
    app.log.fatal({ err }, 'the embedded database stopped: nothing can be read or stored until the server restarts');
    options.onDatabaseLost?.(err);
  });
  let pruner: NodeJS.Timeout | undefined;
  const gatekeeper = new Gatekeeper(handle.db, now);
  app.addHook('onClose', async () => {
    clearInterval(pruner);
    // Unflushed request counts go to the database before it closes: a restart loses none.
    await gatekeeper.stop().catch((err) => app.log.error({ err }, 'could not flush rate-limit counts'));
    await handle.close();
  });
  try {
    await setUp(app, handle, gatekeeper, options);
    gatekeeper.start();
    // Old rate-limit windows are dead weight; any replica may prune them.
    pruner = setInterval(() => void pruneWindows(handle.db, now()).catch(() => {}), 5 * 60_000).unref();
  } catch (err) {
    // Leave nothing open behind a failed start (the PGlite data dir stays lockable, pools drain).
    await app.close().catch(() => {});
    throw err;
  }
  return app;
}

async function setUp(app: FastifyInstance, handle: DatabaseHandle, gatekeeper: Gatekeeper, options: BuildOptions): Promise<void> {
  const docsUrl = options.docsUrl ?? DOCS_URL;
  const now = options.now ?? Date.now;
  const limits = { ...DEFAULT_LIMITS, ...(options.limits ?? {}) };
  const zipLimits: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...(options.limits?.zip ?? {}) };
  const planLimits = resolvePlanLimits(options.planLimits);
  await migrate(handle.db);

  const events = new EventBus();
  const quotas = new QuotaService(handle.db, planLimits, now);
  const secrets = await loadSecretBox(options);
  if (!secrets.box.sealing) app.log.warn('webhook secrets are stored unsealed: set AGENTCOP_SECRET_KEY (32 bytes, e.g. `openssl rand -base64 32`; the same on every replica)');
  const { sealed } = await checkStoredSecrets(handle.db, secrets.box);
  if (sealed) app.log.info({ sealed }, 'sealed webhook secrets under the current key (stored in the clear or under a previous key)');
  const oversight = setUpOversight(handle.db, events, quotas, secrets.box, options, app.log);
  // Added after the database's onClose hook, so it runs before it (onClose hooks run last-first).
  app.addHook('onClose', () => oversight.stop());
  const sandboxes = new SandboxService(handle.db, planLimits, options.sandbox);
  // Workers stop (and runs in flight are recorded) before the database closes.
  app.addHook('onClose', () => sandboxes.stop());
  const runtime = setUpRuntime(handle.db, events, quotas, planLimits, { now, log: app.log, copyRows: handle.copyRows });
  // Also before the database closes: buffered gate log rows and quota counts are written first.
  app.addHook('onClose', () => runtime.stop());
  const services: Services = {
    accounts: new AccountService(handle.db, events),
    keys: new KeyService(handle.db, events),
    scans: new ScanService(handle.db, events, quotas, { codeBytes: limits.codeBytes, zip: zipLimits }),
    quotas,
    sandboxes,
    ...oversight.services,
    ...runtime.services,
  };
  app.decorate('db', handle.db);
  app.decorate('secretBox', secrets.box);
  app.decorate('dbKind', handle.kind);
  app.decorate('events', events);
  app.decorate('services', services);
  app.decorate('planLimits', planLimits);

  const github = await setUpGithubApp(
    { db: handle.db, events, scans: services.scans, log: app.log, quiet: !options.logger, publicUrl: options.publicUrl },
    options.github,
  );
  app.decorate('github', github);
  // Runs before the database closes (onClose hooks run last-first); jobs in flight finish first.
  app.addHook('onClose', () => github.stop());

  // Warm the parser now (the first scan would otherwise pay for it) and learn whether it works.
  let scannerReady = false;
  app.decorate('scannerReady', () => scannerReady);
  try {
    await scan([{ path: 'warmup.py', content: 'x = 1\n' }]);
    scannerReady = true;
  } catch (err) {
    app.log.error({ err }, 'scanner failed to start; /health reports degraded');
  }

  installValidators(app);
  app.addSchema(ErrorSchema);
  app.addSchema(ScanResultSchema);
  // JSON in and out: Fastify's default text/plain parser would turn a wrong Content-Type into a
  // confusing validation error instead of a 415.
  app.removeContentTypeParser('text/plain');
  installErrorHandling(app, docsUrl);
  installAuth(app, gatekeeper, planLimits, now);
  // Cached key rows must not outlive a revocation or a plan change on this replica.
  events.on('key.revoked', (e) => gatekeeper.invalidate(e.key_id));
  events.on('key.rotated', (e) => {
    if (e.replaced_key_id) gatekeeper.invalidate(e.replaced_key_id);
  });
  events.on('account.updated', () => gatekeeper.invalidate());
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header('x-content-type-options', 'nosniff');
    done();
  });

  await registerOpenApi(app);
  const api = async (scope: FastifyInstance) => {
    await scope.register(healthRoutes);
    await scope.register(accountRoutes);
    await scope.register(keyRoutes);
    await scope.register(scanRoutes, { publicUrl: options.publicUrl, zipBytes: limits.zipBytes, importBytes: limits.importBytes });
    await scope.register(badgeRoutes);
    await scope.register(docsRoutes);
    await oversightRoutes(scope);
    await scope.register(sandboxRoutes);
    await runtimeRoutes(scope);
    await scope.register(githubRoutes, { github, publicUrl: options.publicUrl });
  };
  // Every API route under both prefixes; /api/v1 is what OpenAPI documents.
  await app.register(api, { prefix: '/api/v1' });
  await app.register(api, { prefix: '/api' });
  await app.register(healthRoutes);
  await app.register(shareRoutes);
  await registerSwaggerUi(app);

  // After every plugin is loaded, so subscribers (audit log, webhooks) see the bootstrap events.
  app.addHook('onReady', async () => {
    const created = await services.accounts.bootstrap(options.bootstrapKey);
    if (created) {
      (options.onBootstrap ?? defaultOnBootstrap)({ accountId: created.account.id, key: created.secret, preset: created.preset });
      app.log.info({ account_id: created.account.id }, 'first start: created the operator account and its admin key');
    } else if (options.bootstrapKey) {
      app.log.info('AGENTCOP_BOOTSTRAP_KEY ignored: the database already has accounts');
    }
    oversight.start();
    sandboxes.start();
    runtime.start();
    // After the bootstrap: new installations are given to the operator account.
    github.start();
  });
  await app.ready();
}
