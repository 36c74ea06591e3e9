// The App's durable job queue: a table in the server's database (no second system to run). The
// webhook handler inserts a job and answers GitHub; a worker in any replica claims due jobs with
// FOR UPDATE SKIP LOCKED under a lease (the same pattern as webhook deliveries), so two replicas
// never run one job, and a job whose process died is taken over when its lease lapses. A job that
// throws is retried with backoff; after its last attempt it is `failed` and `onGiveUp` runs.
import type { FastifyBaseLogger } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database, GithubJobKind } from '../server/db/schema.js';
import { newId } from '../server/ids.js';
import { backoffMs } from '../server/modules/webhooks/worker.js';
import { PollLoop } from '../server/poll-loop.js';

export interface Job {
  id: string;
  kind: GithubJobKind;
  installation_id: number;
  payload: Record<string, unknown>;
  pr_scan_id: string | null;
  attempts: number;
  max_attempts: number;
  lease_id: string;
}

export interface QueueOptions {
  pollMs: number;
  batch: number;
  leaseMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_QUEUE_OPTIONS: QueueOptions = {
  pollMs: 1_000,
  batch: 4,
  // A PR scan of thousands of files takes a while; the lease must outlast it.
  leaseMs: 10 * 60_000,
  maxAttempts: 5,
  backoffBaseMs: 5_000,
  backoffMaxMs: 10 * 60_000,
};

export interface NewJob {
  kind: GithubJobKind;
  installation_id: number;
  payload: Record<string, unknown>;
  pr_scan_id?: string | null;
}

/** Inserts a job; pass a transaction to make it part of the change that asked for it. */
export async function enqueueJob(db: Kysely<Database>, job: NewJob, maxAttempts = DEFAULT_QUEUE_OPTIONS.maxAttempts): Promise<string> {
  const id = newId('ghjob');
  await db
    .insertInto('github_jobs')
    .values({ id, kind: job.kind, installation_id: job.installation_id, payload: JSON.stringify(job.payload), pr_scan_id: job.pr_scan_id ?? null, max_attempts: maxAttempts })
    .execute();
  return id;
}

export type JobHandler = (job: Job) => Promise<void>;

export class JobWorker extends PollLoop {
  private readonly idle = new Set<() => void>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly handle: JobHandler,
    private readonly onGiveUp: (job: Job, error: Error) => Promise<void>,
    private readonly opts: QueueOptions = DEFAULT_QUEUE_OPTIONS,
    log?: FastifyBaseLogger,
  ) {
    super({ pollMs: opts.pollMs, nudgeMs: 10, name: 'GitHub App job' }, log);
  }

  /** One round: claim up to `batch` due jobs and run them. Returns how many were claimed. */
  async runOnce(): Promise<number> {
    const jobs = await this.claim();
    await Promise.all(jobs.map((j) => this.run(j)));
    return jobs.length;
  }

  protected override async onQuiet(): Promise<void> {
    if (this.idle.size && !(await this.hasPending())) for (const resolve of [...this.idle]) resolve();
  }

  /** Resolves when no job is pending, due or waiting for a retry (tests and benchmarks wait on this). */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.idle.delete(done);
        resolve();
      };
      this.idle.add(done);
      this.nudge();
    });
  }

  private async hasPending(): Promise<boolean> {
    const row = await this.db.selectFrom('github_jobs').select('id').where('status', '=', 'pending').limit(1).executeTakeFirst().catch(() => undefined);
    return row !== undefined;
  }

  private async claim(): Promise<Job[]> {
    const lease = newId('lease');
    const { rows } = await sql<Job>`
      WITH due AS (
        SELECT id FROM github_jobs
         WHERE status = 'pending'
           AND next_attempt_at <= now()
           AND (locked_until IS NULL OR locked_until <= now())
         ORDER BY next_attempt_at, created_at, id
         LIMIT ${this.opts.batch}
         FOR UPDATE SKIP LOCKED
      )
      UPDATE github_jobs j
         SET attempts = j.attempts + 1,
             lease_id = ${lease},
             locked_until = now() + ${this.opts.leaseMs} * interval '1 millisecond'
        FROM due WHERE j.id = due.id
      RETURNING j.id, j.kind, j.installation_id, j.payload, j.pr_scan_id, j.attempts, j.max_attempts, j.lease_id`.execute(this.db);
    return rows.map((r) => ({ ...r, installation_id: Number(r.installation_id) }));
  }

  private async run(job: Job): Promise<void> {
    try {
      await this.handle(job);
      await this.db
        .updateTable('github_jobs')
        .set({ status: 'done', completed_at: sql<Date>`now()`, lease_id: null, locked_until: null, last_error: null })
        .where('id', '=', job.id)
        .where('lease_id', '=', job.lease_id)
        .execute();
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      const final = job.attempts >= job.max_attempts || (err as { permanent?: boolean }).permanent === true;
      this.log?.warn({ err: error, job_id: job.id, kind: job.kind, attempt: job.attempts, final }, 'GitHub App job failed');
      const delay = backoffMs(job.attempts, this.opts.backoffBaseMs, this.opts.backoffMaxMs);
      await this.db
        .updateTable('github_jobs')
        .set({
          status: final ? 'failed' : 'pending',
          last_error: error.message.slice(0, 2000),
          completed_at: final ? sql<Date>`now()` : null,
          next_attempt_at: sql<Date>`now() + ${delay} * interval '1 millisecond'`,
          lease_id: null,
          locked_until: null,
        })
        .where('id', '=', job.id)
        .where('lease_id', '=', job.lease_id)
        .execute()
        .catch((e) => this.log?.error({ err: e, job_id: job.id }, 'could not record a GitHub App job failure'));
      if (final) await this.onGiveUp(job, error).catch((e) => this.log?.error({ err: e, job_id: job.id }, 'could not mark a failed GitHub App job'));
    }
  }
}

/** An error no retry can fix (bad input); the job fails at once. */
export class PermanentJobError extends Error {
  readonly permanent = true;
}
