// Sandboxes: their records and runs in the database, their live workers in this process.
//
// What matters is in the database: a sandbox is live while `status = 'ready'` and `expires_at` is
// ahead (computed in every read, as approvals do with their deadline), and the plan's concurrency
// limit is checked under a lock on the account row, so it holds across concurrent requests and
// replicas. What lives in memory is only the warm interpreter of a live sandbox, which a restart
// may lose without losing anything but warmth. A sandbox dies at its timeout: a timer here kills
// its worker, and the sweep persists the expiry.
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely, type Selectable } from 'kysely';
import { actorLabel, type KeyActor } from '../../actor.js';
import type { Database, Plan, SandboxConfig, SandboxesTable, SandboxMode, SandboxRunsTable, SandboxStatus, SandboxViolation } from '../../db/schema.js';
import { ApiError, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import type { PlanLimits } from '../../limits/plans.js';
import { DockerClient, parseDockerHost, runInContainer } from './docker.js';
import { invalidPaths, Scratch } from './scratch.js';
import { WasmSandbox, type RunOutcome } from './wasm.js';

export interface SandboxOptions {
  /** Docker Engine API for `container` mode (DOCKER_HOST: unix:///var/run/docker.sock, tcp://…). */
  dockerHost?: string;
  /** Image for `container` runs (needs python3). */
  containerImage?: string;
  /** Where per-sandbox scratch directories live (default: <tmp>/agentcop-sandboxes). */
  scratchDir?: string;
  /** How often live sandboxes past their timeout are persisted as expired (ms, default 30 s; 0 disables). */
  sweepMs?: number;
  /** stdout and stderr are each kept up to this many bytes (default 1 MiB). */
  maxOutputBytes?: number;
  /** Files under a sandbox's paths, in total (default 16 MiB). */
  maxFileBytes?: number;
  /** Pyodide load deadline (default 120 s). */
  loadTimeoutMs?: number;
}

export const MAX_LIFETIME_S = 3600;
export const MAX_RUN_TIMEOUT_S = 600;
export const DEFAULT_CONFIG: SandboxConfig = { filesystem: { paths: [] }, network: { allow: [] }, resources: { cpu: 1, memory: 256, timeout: 900 } };
/** A run still `running` this long past its timeout was lost with its server. */
const INTERRUPTED_GRACE_S = 60;

export interface SandboxView {
  sandbox_id: string;
  agent_id: string;
  mode: SandboxMode;
  status: SandboxStatus;
  config: SandboxConfig;
  created_at: string;
  expires_at: string;
  destroyed_at: string | null;
}

export interface RunView {
  run_id: string;
  sandbox_id: string;
  status: 'running' | 'completed' | 'interrupted';
  async: boolean;
  timeout: number;
  stdout: string | null;
  stderr: string | null;
  stdout_truncated: boolean | null;
  stderr_truncated: boolean | null;
  exit_code: number | null;
  duration_ms: number | null;
  violation: SandboxViolation | null;
  created_at: string;
  finished_at: string | null;
}

export interface CreateSandboxInput {
  agent_id: string;
  mode: SandboxMode;
  config?: {
    filesystem?: { paths?: string[] };
    network?: { allow?: string[] };
    resources?: { cpu?: number; memory?: number; timeout?: number };
  };
}

export interface RunInput {
  code: string;
  timeout?: number;
  async?: boolean;
}

const effectiveStatus = sql<SandboxStatus>`CASE WHEN status = 'ready' AND expires_at <= now() THEN 'expired' ELSE status END`;
const effectiveDestroyedAt = sql<Date | null>`CASE WHEN status = 'ready' AND expires_at <= now() THEN expires_at ELSE destroyed_at END`;

type SandboxRow = Selectable<SandboxesTable>;

function toView(row: SandboxRow): SandboxView {
  return {
    sandbox_id: row.id,
    agent_id: row.agent_id,
    mode: row.mode,
    status: row.status,
    config: row.config,
    created_at: row.created_at.toISOString(),
    expires_at: row.expires_at.toISOString(),
    destroyed_at: row.destroyed_at ? new Date(row.destroyed_at).toISOString() : null,
  };
}

function toRunView(row: Selectable<SandboxRunsTable>, nowMs: number): RunView {
  const lost = row.status === 'running' && row.created_at.getTime() + (row.timeout_seconds + INTERRUPTED_GRACE_S) * 1000 < nowMs;
  return {
    run_id: row.id,
    sandbox_id: row.sandbox_id,
    status: lost ? 'interrupted' : row.status,
    async: row.async,
    timeout: row.timeout_seconds,
    stdout: row.stdout,
    stderr: row.stderr,
    stdout_truncated: row.stdout_truncated,
    stderr_truncated: row.stderr_truncated,
    exit_code: row.exit_code,
    duration_ms: row.duration_ms,
    violation: row.violation,
    created_at: row.created_at.toISOString(),
    finished_at: row.finished_at ? row.finished_at.toISOString() : null,
  };
}

/** PostgreSQL text refuses NUL. */
const pgText = (s: string) => s.replace(/\u0000/g, '\uFFFD');

export class SandboxService {
  private readonly workers = new Map<string, WasmSandbox>();
  private readonly expiryTimers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly docker: DockerClient | undefined;
  private readonly scratchRoot: string;
  private stopped = false;
  private sweep: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly planLimits: Record<Plan, PlanLimits>,
    private readonly options: SandboxOptions = {},
  ) {
    this.docker = options.dockerHost ? new DockerClient(parseDockerHost(options.dockerHost)) : undefined;
    this.scratchRoot = options.scratchDir ?? path.join(os.tmpdir(), 'agentcop-sandboxes');
  }

  /** Which modes this server can run. */
  get modes(): SandboxMode[] {
    return this.docker ? ['wasm', 'container'] : ['wasm'];
  }

  async create(actor: KeyActor, input: CreateSandboxInput): Promise<SandboxView> {
    if (input.mode === 'container' && !this.docker) {
      throw new ApiError(501, 'sandbox_mode_unavailable', 'container sandboxes need a Docker engine; this server has none configured (set DOCKER_HOST). Mode `wasm` is available.', { available_modes: this.modes });
    }
    const config = resolveConfig(input.config);
    const limit = this.planLimits[actor.plan].sandboxes;
    const row = await this.db.transaction().execute(async (trx) => {
      // One creation at a time per account: the count below cannot race another replica's insert.
      await trx.selectFrom('accounts').select('id').where('id', '=', actor.account_id).forUpdate().executeTakeFirstOrThrow();
      const { n } = await trx
        .selectFrom('sandboxes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('account_id', '=', actor.account_id)
        .where('status', '=', 'ready')
        .where('expires_at', '>', sql<Date>`now()`)
        .executeTakeFirstOrThrow();
      if (limit !== null && Number(n) >= limit) {
        throw new ApiError(429, 'sandbox_limit_reached', `the ${actor.plan} plan allows ${limit} live sandboxes at once; destroy one or wait for one to expire`, { limit, live: Number(n) }, { 'retry-after': '60' });
      }
      return trx
        .insertInto('sandboxes')
        .values({
          id: newId('sbx'),
          account_id: actor.account_id,
          agent_id: input.agent_id,
          mode: input.mode,
          config: JSON.stringify(config),
          created_by: actorLabel(actor),
          expires_at: sql<Date>`now() + make_interval(secs => ${config.resources.timeout})`,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    await this.scratchOf(row).create(row.mode === 'container');
    this.scheduleExpiry(row.id, row.expires_at);
    return toView(row);
  }

  async get(accountId: string, id: string): Promise<SandboxView> {
    return toView(await this.row(accountId, id));
  }

  /** Destroys a sandbox (idempotent); the record stays, as `destroyed` (or `expired` if it already was). */
  async destroy(accountId: string, id: string): Promise<void> {
    const row = await this.row(accountId, id);
    if (row.status === 'ready') {
      await this.db
        .updateTable('sandboxes')
        .set({ status: 'destroyed', destroyed_at: sql<Date>`now()` })
        .where('id', '=', id)
        .where('status', '=', 'ready')
        .execute();
    }
    await this.release(row);
  }

  async run(actor: KeyActor, id: string, input: RunInput): Promise<{ run: RunView; done: Promise<RunView> }> {
    const row = await this.row(actor.account_id, id);
    if (row.status !== 'ready') {
      throw new ApiError(409, 'sandbox_not_live', `sandbox ${id} is ${row.status}; create a new one`, { status: row.status });
    }
    if (row.mode === 'container' && !this.docker) {
      throw new ApiError(501, 'sandbox_mode_unavailable', 'container sandboxes need a Docker engine; this server has none configured (set DOCKER_HOST)', { available_modes: this.modes });
    }
    const requested = input.timeout ?? 30;
    // Nothing outlives its sandbox: a run ends at the sandbox's expiry at the latest.
    const remainingMs = row.expires_at.getTime() - Date.now();
    const timeoutMs = Math.max(1, Math.min(requested * 1000, remainingMs));
    const runRow = await this.db
      .insertInto('sandbox_runs')
      .values({
        id: newId('run'),
        sandbox_id: id,
        account_id: actor.account_id,
        code: pgText(input.code),
        timeout_seconds: Math.ceil(timeoutMs / 1000),
        async: input.async ?? false,
        created_by: actorLabel(actor),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const done = this.execute(row, input.code, timeoutMs).then(
      (outcome) => this.finish(runRow.id, outcome),
      (err: Error) => this.finish(runRow.id, { stdout: '', stderr: '', stdout_truncated: false, stderr_truncated: false, exit_code: 1, duration_ms: 0, violation: { kind: 'interpreter_crash', message: `the sandbox could not run the code: ${err.message}` } }),
    );
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done)).catch(() => {});
    return { run: toRunView(runRow, Date.now()), done };
  }

  async getRun(accountId: string, sandboxId: string, runId: string): Promise<RunView> {
    const row = await this.db.selectFrom('sandbox_runs').selectAll().where('id', '=', runId).where('sandbox_id', '=', sandboxId).where('account_id', '=', accountId).executeTakeFirst();
    if (!row) throw notFound('sandbox run');
    return toRunView(row, Date.now());
  }

  /** Persists expiry of every live sandbox past its timeout and tears down its worker here. */
  async expireDue(): Promise<number> {
    const rows = await this.db
      .updateTable('sandboxes')
      .set({ status: 'expired', destroyed_at: sql<Date>`expires_at` })
      .where('status', '=', 'ready')
      .where('expires_at', '<=', sql<Date>`now()`)
      .returningAll()
      .execute();
    for (const row of rows) await this.release(row);
    return rows.length;
  }

  /** The warm worker of a sandbox in this process, if any (tests, metrics). */
  workerOf(id: string): WasmSandbox | undefined {
    return this.workers.get(id);
  }

  /** Starts the expiry sweep (every replica may run it: the UPDATE makes each expiry happen once). */
  start(): void {
    const ms = this.options.sweepMs ?? 30_000;
    if (ms <= 0 || this.sweep) return;
    this.sweep = setInterval(() => {
      if (this.sweeping) return;
      this.sweeping = this.expireDue()
        .catch(() => 0)
        .finally(() => (this.sweeping = undefined));
    }, ms);
    this.sweep.unref();
  }

  /** Terminates every worker and waits for runs in flight to be recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweep);
    await this.sweeping;
    for (const t of this.expiryTimers.values()) clearTimeout(t);
    this.expiryTimers.clear();
    const workers = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(workers.map((w) => w.destroy()));
    await Promise.allSettled([...this.inFlight]);
  }

  private async row(accountId: string, id: string): Promise<SandboxRow> {
    const row = await this.db
      .selectFrom('sandboxes')
      .selectAll()
      .select([effectiveStatus.as('status'), effectiveDestroyedAt.as('destroyed_at')])
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) throw notFound('sandbox');
    return row;
  }

  private scratchOf(row: SandboxRow): Scratch {
    return new Scratch(path.join(this.scratchRoot, row.id), row.config.filesystem.paths, this.options.maxFileBytes ?? 16 * 1_048_576);
  }

  private async execute(row: SandboxRow, code: string, timeoutMs: number): Promise<RunOutcome> {
    const maxOutputBytes = this.options.maxOutputBytes ?? 1_048_576;
    if (row.mode === 'container') {
      return runInContainer(this.docker!, code, timeoutMs, { image: this.options.containerImage ?? 'python:3.12-alpine', config: row.config, scratch: this.scratchOf(row), sandboxId: row.id, maxOutputBytes });
    }
    if (this.stopped) throw new Error('the server is shutting down');
    let worker = this.workers.get(row.id);
    if (!worker) {
      const scratch = this.scratchOf(row);
      await scratch.create();
      worker = new WasmSandbox(row.id, scratch, {
        memoryBytes: row.config.resources.memory * 1_048_576,
        maxOutputBytes,
        maxFileBytes: this.options.maxFileBytes ?? 16 * 1_048_576,
        loadTimeoutMs: this.options.loadTimeoutMs ?? 120_000,
      });
      this.workers.set(row.id, worker);
      this.scheduleExpiry(row.id, row.expires_at);
    }
    return worker.run(code, timeoutMs, row.expires_at.getTime());
  }

  private async finish(runId: string, o: RunOutcome): Promise<RunView> {
    const row = await this.db
      .updateTable('sandbox_runs')
      .set({
        status: 'completed',
        stdout: pgText(o.stdout),
        stderr: pgText(o.stderr),
        stdout_truncated: o.stdout_truncated,
        stderr_truncated: o.stderr_truncated,
        exit_code: o.exit_code,
        duration_ms: o.duration_ms,
        violation: o.violation ? JSON.stringify(o.violation) : null,
        finished_at: sql<Date>`now()`,
      })
      .where('id', '=', runId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRunView(row, Date.now());
  }

  /** Kills this process's worker at the sandbox's expiry, without waiting for the sweep. */
  private scheduleExpiry(id: string, expiresAt: Date): void {
    if (this.stopped || this.expiryTimers.has(id)) return;
    const ms = Math.max(0, expiresAt.getTime() - Date.now());
    if (ms > 2 ** 31 - 1) return;
    const timer = setTimeout(() => {
      this.expiryTimers.delete(id);
      void this.expireDue().catch(() => {});
    }, ms + 50);
    timer.unref();
    this.expiryTimers.set(id, timer);
  }

  private async release(row: SandboxRow): Promise<void> {
    clearTimeout(this.expiryTimers.get(row.id));
    this.expiryTimers.delete(row.id);
    const worker = this.workers.get(row.id);
    this.workers.delete(row.id);
    await worker?.destroy();
    await this.scratchOf(row).remove();
  }
}

function resolveConfig(input: CreateSandboxInput['config'] = {}): SandboxConfig {
  const paths = input.filesystem?.paths ?? DEFAULT_CONFIG.filesystem.paths;
  const bad = invalidPaths(paths);
  if (bad) throw new ApiError(400, 'invalid_sandbox_path', bad);
  const allow = input.network?.allow ?? [];
  if (allow.length > 0) {
    // Refused rather than ignored: an allow list that is silently not enforced would fail open
    // for the caller's expectations, and one that is silently blocked would be a confusing closed.
    throw new ApiError(400, 'sandbox_network_unsupported', 'sandboxes have no network; an egress allow list is not supported yet, so network.allow must be empty');
  }
  const r = input.resources ?? {};
  return {
    filesystem: { paths },
    network: { allow: [] },
    resources: {
      cpu: r.cpu ?? DEFAULT_CONFIG.resources.cpu,
      memory: r.memory ?? DEFAULT_CONFIG.resources.memory,
      timeout: r.timeout ?? DEFAULT_CONFIG.resources.timeout,
    },
  };
}
