// The server's side of a `wasm` sandbox: one warm worker thread (worker.ts) per live sandbox,
// started at its first run, killed at a run's timeout, replaced after a violation, terminated when
// the sandbox is destroyed or expires. Runs on one sandbox are served one at a time, in order.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SandboxViolation } from '../../db/schema.js';
import type { RunRequest, WorkerInit, WorkerMessage } from './protocol.js';
import type { Scratch } from './scratch.js';

export interface RunOutcome {
  stdout: string;
  stderr: string;
  stdout_truncated: boolean;
  stderr_truncated: boolean;
  /** As the `python` command would exit; 124 when killed at the timeout (like timeout(1)). */
  exit_code: number;
  duration_ms: number;
  violation: SandboxViolation | null;
}

export const EXIT_TIMEOUT = 124;
export const EXIT_KILLED = 137;

const require = createRequire(import.meta.url);

/** The pyodide package directory (loaded from disk: never downloaded). */
export function pyodideDir(): string {
  return path.dirname(require.resolve('pyodide'));
}

let workerUrl: URL | undefined;
/**
 * Built output has worker.js next to this file. Running from source (tests, tsx), worker.ts is
 * compiled here with esbuild (a dev dependency) and started from a data: URL.
 */
export function sandboxWorkerUrl(): URL {
  if (workerUrl) return workerUrl;
  const built = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return (workerUrl = built);
  const source = fileURLToPath(new URL('./worker.ts', import.meta.url));
  const esbuild = require('esbuild') as typeof import('esbuild');
  const { code } = esbuild.transformSync(readFileSync(source, 'utf8'), { loader: 'ts', format: 'esm', target: 'node20' });
  return (workerUrl = new URL(`data:text/javascript,${encodeURIComponent(code)}`));
}

export interface WasmLimits {
  memoryBytes: number;
  maxOutputBytes: number;
  maxFileBytes: number;
  /** How long Pyodide may take to load before the start counts as failed. */
  loadTimeoutMs: number;
}

type Pending = { id: number; resolve: (m: Extract<WorkerMessage, { type: 'result' }>) => void; reject: (e: Error) => void };

export class WasmSandbox {
  private worker: Worker | undefined;
  private ready: Promise<Worker> | undefined;
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private seq = 0;
  private destroyed = false;
  /** Worker starts so far (a replacement after a violation counts). */
  starts = 0;

  constructor(
    readonly id: string,
    private readonly scratch: Scratch,
    private readonly limits: WasmLimits,
  ) {}

  /** Runs Python; resolves with the outcome whatever the code did (never rejects for the code's sake). */
  run(code: string, timeoutMs: number, deadline = Infinity): Promise<RunOutcome> {
    const next = this.queue.then(() => this.runNow(code, timeoutMs, deadline));
    this.queue = next.catch(() => {});
    return next;
  }

  /** Starts the worker now, if it is not running (for warming at create). */
  warm(): Promise<unknown> {
    return this.ensure().catch(() => {});
  }

  get live(): boolean {
    return this.worker !== undefined;
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    await this.kill();
  }

  private ensure(): Promise<Worker> {
    if (this.destroyed) return Promise.reject(new Error('sandbox destroyed'));
    this.ready ??= this.start().catch((err) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  private async start(): Promise<Worker> {
    const files = await this.scratch.readAll();
    const dir = pyodideDir();
    const init: WorkerInit = {
      indexURL: `${dir}${path.sep}`,
      moduleUrl: pathToFileURL(path.join(dir, 'pyodide.mjs')).href,
      memoryBytes: this.limits.memoryBytes,
      paths: this.scratch.paths,
      files,
      maxFileBytes: this.limits.maxFileBytes,
      maxOutputBytes: this.limits.maxOutputBytes,
    };
    const worker = new Worker(sandboxWorkerUrl(), {
      workerData: init,
      // Its own empty environment: nothing of the server's (DATABASE_URL, keys) is in reach.
      env: {},
      // Bounds the JS heap only; the Python heap (WebAssembly memory) is capped inside the worker.
      resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 },
      stdout: true,
      stderr: true,
    });
    this.starts++;
    // Pyodide's own fatal-error chatter; the run result carries what matters.
    worker.stdout.resume();
    worker.stderr.resume();
    this.worker = worker;
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'result' && this.pending?.id === m.id) {
        const p = this.pending;
        this.pending = undefined;
        p.resolve(m);
      }
    });
    const gone = (err: Error) => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.ready = undefined;
      }
      const p = this.pending;
      this.pending = undefined;
      p?.reject(err);
    };
    worker.on('error', gone);
    worker.on('exit', (code) => gone(Object.assign(new Error(`sandbox worker exited with code ${code}`), { code: 'ERR_WORKER_EXITED' })));

    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Pyodide did not load within ${this.limits.loadTimeoutMs} ms`)), this.limits.loadTimeoutMs);
      const onMessage = (m: WorkerMessage) => {
        if (m.type === 'ready') done();
        else if (m.type === 'load_failed') done(new Error(`Pyodide failed to load: ${m.message}`));
      };
      const onExit = () => done(new Error('sandbox worker exited while loading'));
      const done = (err?: Error) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        if (err) reject(err);
        else resolve();
      };
      worker.on('message', onMessage);
      worker.on('exit', onExit);
    }).catch(async (err) => {
      await worker.terminate();
      throw err;
    });
    return worker;
  }

  private async kill(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (w) await w.terminate();
  }

  private async runNow(code: string, requestedMs: number, deadline: number): Promise<RunOutcome> {
    const loading = performance.now();
    let worker: Worker;
    try {
      worker = await this.ensure();
    } catch (err) {
      // Destroyed (or expired) while the interpreter was still loading: the run never started.
      if (this.destroyed) return { ...empty, exit_code: EXIT_TIMEOUT, duration_ms: Math.round(performance.now() - loading), violation: { kind: 'timeout', message: 'the sandbox was destroyed or expired before the run could start' } };
      throw err;
    }
    // Loading (or waiting behind another run) does not extend the sandbox's life.
    const timeoutMs = Math.max(1, Math.min(requestedMs, deadline - Date.now()));
    const id = ++this.seq;
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const result = new Promise<Extract<WorkerMessage, { type: 'result' }>>((resolve, reject) => (this.pending = { id, resolve, reject }));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      // The only way to stop Python stuck in a loop; the next run gets a fresh worker.
      void this.kill();
    }, timeoutMs);
    worker.postMessage({ type: 'run', id, code } satisfies RunRequest);
    try {
      const r = await result;
      clearTimeout(timer);
      let violation: SandboxViolation | null = null;
      if (r.memory_limit_hit) violation = { kind: 'memory_limit', message: `the code needed more than the sandbox's ${this.limits.memoryBytes / 1_048_576} MB of memory` };
      else if (r.fatal) violation = { kind: 'interpreter_crash', message: 'the Python interpreter stopped abnormally; the sandbox starts a fresh one for the next run' };
      else if (r.files_truncated) violation = { kind: 'file_limit', message: `files under the sandbox's paths exceed ${this.limits.maxFileBytes} bytes; the excess was not kept` };
      if (r.memory_limit_hit || r.fatal) await this.kill(); // the heap cannot shrink; the state is suspect
      else await this.scratch.writeAll(r.files);
      return {
        stdout: r.stdout,
        stderr: r.stderr,
        stdout_truncated: r.stdout_truncated,
        stderr_truncated: r.stderr_truncated,
        exit_code: r.exit_code,
        duration_ms: elapsed(),
        violation,
      };
    } catch (err) {
      clearTimeout(timer);
      const duration_ms = elapsed();
      if (timedOut || this.destroyed) {
        return { ...empty, exit_code: EXIT_TIMEOUT, duration_ms, violation: { kind: 'timeout', message: timedOut ? `the run exceeded its ${timeoutMs / 1000} s timeout and was killed` : 'the sandbox was destroyed or expired during the run, which was killed' } };
      }
      await this.kill();
      const oom = (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      return {
        ...empty,
        exit_code: EXIT_KILLED,
        duration_ms,
        violation: oom
          ? { kind: 'memory_limit', message: 'the sandbox exceeded its memory limit and was killed' }
          : { kind: 'interpreter_crash', message: `the sandbox worker stopped: ${(err as Error).message}` },
      };
    }
  }
}

const empty = { stdout: '', stderr: '', stdout_truncated: false, stderr_truncated: false };
