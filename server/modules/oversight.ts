// Wiring for approvals, webhooks and the audit log: their services, their bus subscriptions and
// their background loops (the webhook delivery worker and the approval expiry sweep). build()
// calls `setUpOversight` once per process — not per route prefix — so each subscription and loop
// exists exactly once.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { EventBus } from '../events.js';
import type { QuotaService } from '../limits/service.js';
import type { SecretBox } from '../secret-box.js';
import { allowListOf } from '../ssrf.js';
import approvalRoutes from './approvals/routes.js';
import { ApprovalService } from './approvals/service.js';
import auditRoutes from './audit/routes.js';
import { AuditService, installAuditLog } from './audit/service.js';
import webhookRoutes from './webhooks/routes.js';
import { WebhookService } from './webhooks/service.js';
import { DEFAULT_WORKER_OPTIONS, WebhookWorker, type WebhookWorkerOptions } from './webhooks/worker.js';

export interface WebhookSettings extends Partial<Omit<WebhookWorkerOptions, 'allow' | 'box'>> {
  /** Attempts per delivery before it is `failed` (default 10: about 2.5 hours of retries). */
  maxAttempts?: number;
  /** Run the delivery worker in this process (default true). False: only queue deliveries. */
  worker?: boolean;
  /** Finished deliveries are kept this many days in the delivery log (default 30). */
  retentionDays?: number;
}

export interface OversightOptions {
  /** IPs or CIDRs that webhooks may target although private or loopback (e.g. ['127.0.0.1']). */
  webhookAllowPrivate?: string[];
  webhooks?: WebhookSettings;
  /** How often pending approvals past their deadline are persisted as expired (ms, default 30 s; 0 disables). */
  approvalSweepMs?: number;
}

export interface OversightServices {
  audit: AuditService;
  approvals: ApprovalService;
  webhooks: WebhookService;
}

export interface Oversight {
  services: OversightServices;
  worker: WebhookWorker | undefined;
  /** Starts the worker and the sweep. */
  start(): void;
  /** Stops both, letting deliveries in flight finish (within the grace period). */
  stop(): Promise<void>;
}

export function setUpOversight(db: Kysely<Database>, events: EventBus, quotas: QuotaService, box: SecretBox, options: OversightOptions, log?: FastifyBaseLogger): Oversight {
  const allow = allowListOf(options.webhookAllowPrivate ?? []);
  const settings = options.webhooks ?? {};
  const workerOptions: WebhookWorkerOptions = { ...DEFAULT_WORKER_OPTIONS, ...stripUndefined(settings), allow, box };
  const worker = settings.worker === false ? undefined : new WebhookWorker(db, workerOptions, log);

  const audit = new AuditService(db);
  const webhooks = new WebhookService(db, events, { allow, maxAttempts: settings.maxAttempts ?? 10, lookup: settings.lookup, onEnqueue: () => worker?.nudge(), box });
  const approvals = new ApprovalService(db, events, quotas, audit);

  // Webhooks first (named handlers), then the audit log (runs after them for every event).
  webhooks.subscribe();
  installAuditLog(events);

  const sweepMs = options.approvalSweepMs ?? 30_000;
  let sweep: NodeJS.Timeout | undefined;
  let prune: NodeJS.Timeout | undefined;
  let sweeping: Promise<unknown> | undefined;
  return {
    services: { audit, approvals, webhooks },
    worker,
    start() {
      worker?.start();
      if (sweepMs > 0) {
        sweep = setInterval(() => {
          if (sweeping) return;
          sweeping = approvals
            .expireDue()
            .catch((err) => log?.error({ err }, 'approval expiry sweep failed'))
            .finally(() => (sweeping = undefined));
        }, sweepMs);
        sweep.unref();
      }
      prune = setInterval(() => void webhooks.prune(settings.retentionDays ?? 30).catch((err) => log?.error({ err }, 'delivery log pruning failed')), 3_600_000);
      prune.unref();
    },
    async stop() {
      clearInterval(sweep);
      clearInterval(prune);
      await Promise.all([worker?.stop(), sweeping]);
    },
  };
}

/** The routes, for each API prefix. */
export async function oversightRoutes(scope: FastifyInstance): Promise<void> {
  await scope.register(approvalRoutes);
  await scope.register(webhookRoutes);
  await scope.register(auditRoutes);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
