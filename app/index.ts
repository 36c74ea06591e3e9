// The GitHub App inside the server process (ARCHITECTURE §4): Probot for webhooks and
// authenticated Octokit clients, the server's database for state, its approvals service for
// decisions. `setUpGithubApp` is called once per process by build().
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { pino, type Logger } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import type { Database } from '../server/db/schema.js';
import type { EventBus } from '../server/events.js';
import type { ScanService } from '../server/modules/scans/service.js';
import { intake } from './intake.js';
import { createJobRunner } from './jobs.js';
import { DEFAULT_QUEUE_OPTIONS, enqueueJob, JobWorker, type QueueOptions } from './queue.js';
import type { GithubAppSettings } from './settings.js';

export { githubSettingsFromEnv, type GithubAppSettings } from './settings.js';

export const WEBHOOK_PATH = '/api/github/webhooks';

export interface GithubAppOptions {
  /** Credentials; absent: the App is off (see `disabledReason`). */
  settings?: GithubAppSettings;
  /** Why the App is off, for the log and the webhook route's 503. */
  disabledReason?: string;
  /** The account new installations' scans and approvals belong to (default: the operator account). */
  accountId?: string;
  queue?: Partial<QueueOptions>;
  /** Run the job worker in this process (default true). */
  worker?: boolean;
  /**
   * Extra Octokit options merged into Probot's defaults, which already retry transient errors
   * (plugin-retry) and wait out rate limits (plugin-throttling). Tests shorten the delays here.
   */
  octokit?: Record<string, unknown>;
}

export interface GithubAppDeps {
  db: Kysely<Database>;
  events: EventBus;
  scans: ScanService;
  log: FastifyBaseLogger;
  /** false when the server was built without a logger. */
  quiet: boolean;
  publicUrl?: string;
}

/** One verified webhook delivery: `X-GitHub-Delivery`, `X-GitHub-Event` and the parsed body. */
export interface Delivery {
  id: string;
  name: string;
  payload: unknown;
}

export interface GithubApp {
  enabled: boolean;
  reason?: string;
  probot?: Probot;
  worker?: JobWorker;
  /** Runs the App's handlers on one verified delivery; rejects when a handler failed. */
  receive?: (delivery: Delivery) => Promise<void>;
  verify(payload: string, signature: string): Promise<boolean>;
  /** The address GitHub reached us at, for share links when AGENTCOP_PUBLIC_URL is not set. */
  noteBaseUrl(url: string): void;
  start(): void;
  stop(): Promise<void>;
}

export async function setUpGithubApp(deps: GithubAppDeps, options: GithubAppOptions = {}): Promise<GithubApp> {
  // Decisions on App approvals (by PR comment or through REST) redraw the check run. The job is
  // written in the decision's own transaction, so it happens even if the process dies right after.
  let worker: JobWorker | undefined;
  deps.events.on('approval.decided', async (e, ctx) => {
    if (e.source !== 'github') return;
    const row = await ctx.db.selectFrom('github_pr_scans').select(['id', 'installation_id', 'repository']).where('approval_id', '=', e.approval_id).executeTakeFirst();
    if (!row) return;
    const [owner, name] = row.repository.split('/');
    const installationId = Number(row.installation_id);
    await enqueueJob(ctx.db, {
      kind: 'decision',
      installation_id: installationId,
      pr_scan_id: row.id,
      payload: { event: { id: `decision-${e.approval_id}`, name: 'check_run', payload: { repository: { name, full_name: row.repository, owner: { login: owner } }, installation: { id: installationId } } } },
    });
    worker?.nudge();
  });

  const off = (reason: string): GithubApp => {
    deps.log.info(`GitHub App is off: ${reason}`);
    return { enabled: false, reason, verify: async () => false, noteBaseUrl() {}, start() {}, async stop() {} };
  };
  const settings = options.settings;
  if (!settings) return off(options.disabledReason ?? 'APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH) and WEBHOOK_SECRET are not set');

  const log: Logger = deps.quiet ? pino({ level: 'silent' }) : (deps.log as unknown as Logger).child({ name: 'github-app' });
  const Octokit = options.octokit ? ProbotOctokit.defaults(options.octokit) : ProbotOctokit;
  const probot = new Probot({
    appId: settings.appId,
    privateKey: settings.privateKey,
    secret: settings.webhookSecret,
    baseUrl: settings.baseUrl,
    log,
    Octokit: Octokit as typeof ProbotOctokit,
  });

  let seenBaseUrl: string | undefined;
  const queueOptions = { ...DEFAULT_QUEUE_OPTIONS, ...(options.queue ?? {}) };
  const runner = createJobRunner({
    db: deps.db,
    events: deps.events,
    scans: deps.scans,
    probot,
    publicUrl: () => deps.publicUrl ?? seenBaseUrl,
    log: deps.log,
    webUrl: settings.baseUrl ? settings.baseUrl.replace(/\/api\/v3\/?$/, '') : 'https://github.com',
    nudge: () => worker?.nudge(),
  });
  if (options.worker !== false) worker = new JobWorker(deps.db, runner.run, runner.giveUp, queueOptions, deps.log);

  const appFn = intake({ db: deps.db, accountId: options.accountId, nudge: () => worker?.nudge() });
  // The route verifies the signature and hands over the parsed delivery, rather than using
  // Probot's Node middleware, so that a handler failure answers in our error envelope.
  await probot.load(appFn);
  deps.log.info({ github: settings.baseUrl ?? 'https://api.github.com' }, `GitHub App ${settings.appId} is on at ${WEBHOOK_PATH}`);

  return {
    enabled: true,
    probot,
    worker,
    receive: (delivery) => probot.receive(delivery as Parameters<Probot['receive']>[0]),
    verify: (payload, signature) => probot.webhooks.verify(payload, signature),
    noteBaseUrl(url) {
      seenBaseUrl = url;
    },
    start() {
      worker?.start();
    },
    async stop() {
      await worker?.stop();
    },
  };
}
