// PGlite on a thread of its own. PGlite runs PostgreSQL as WASM on the thread that calls it: a
// statement costs 0.1–0.5 ms of that thread's CPU, a batch of gate-log rows several ms, and in
// process all of it stalled the HTTP event loop (the gate's p99 was those stalls). Here the server
// thread only posts the statement and awaits the rows; the work runs on the second core.
// kysely-pglite-dialect needs only `query` and `close`, and already runs one statement at a time
// (its single connection is queued), so transactions keep their meaning across the hop.
import { readFile } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../engine/start-worker.js';
import type { PGliteReply, PGliteRequest, PGliteWorkerData } from './pglite-protocol.js';

/**
 * PGlite's WASM and file-system bundle, compiled and read once per process and handed to every
 * thread: compiling the 10 MB module again in each new thread cost about a second per database.
 */
let artifacts: Promise<Pick<PGliteWorkerData, 'pgliteWasmModule' | 'initdbWasmModule' | 'fsBundle'>> | undefined;
function pgliteArtifacts(): NonNullable<typeof artifacts> {
  artifacts ??= (async () => {
    const dist = new URL('.', import.meta.resolve('@electric-sql/pglite'));
    const [pglite, initdb, data] = await Promise.all(['pglite.wasm', 'initdb.wasm', 'pglite.data'].map((f) => readFile(new URL(f, dist))));
    // lib ES2023 declares WebAssembly's types but not the global; Node has it.
    const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> } }).WebAssembly;
    const [pgliteWasmModule, initdbWasmModule] = await Promise.all([wasm.compile(pglite), wasm.compile(initdb)]);
    return { pgliteWasmModule, initdbWasmModule, fsBundle: new Blob([data]) };
  })();
  return artifacts;
}

type Pending = { resolve: (r: PGliteReply & { ok: true }) => void; reject: (err: Error) => void };


/** A database error as PGlite raised it, with the fields (`code`, `constraint`…) callers test. */
export class PGliteThreadError extends Error {
  constructor(message: string, fields: Record<string, string>) {
    super(message);
    Object.assign(this, fields);
  }
}

export class PGliteThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | undefined;
  private closed = false;
  private readonly lostListeners: ((err: Error) => void)[] = [];

  private constructor(data: PGliteWorkerData) {
    this.worker = startWorker(import.meta.url, 'pglite-worker', { workerData: data });
    // Idle, the thread must not keep the process alive (PGlite in process did not); while a
    // statement is in flight it must, or a CLI awaiting its last query would exit under it.
    this.worker.unref();
    this.worker.on('message', (reply: PGliteReply) => this.settle(reply));
    this.worker.on('error', (err) => this.fail(new Error(`the database thread failed: ${err.message}`, { cause: err })));
    this.worker.on('exit', (code) => this.fail(new Error(`the database thread exited (code ${code})`)));
  }

  static async open(data: Pick<PGliteWorkerData, 'location' | 'snapshot'>): Promise<PGliteThread> {
    const thread = new PGliteThread({ ...data, ...(await pgliteArtifacts()) });
    try {
      await thread.send({ id: 0, op: 'ready' });
    } catch (err) {
      await thread.worker.terminate();
      throw err;
    }
    return thread;
  }

  /** Called once if the thread dies while open: every query fails from then on. */
  onLost(listener: (err: Error) => void): void {
    this.lostListeners.push(listener);
  }

  async query(sql: string, params: unknown[] = [], options?: { blob?: Blob }): Promise<{ rows: Record<string, unknown>[]; affectedRows?: number }> {
    const r = await this.send({ id: 0, op: 'query', sql, params, ...(options?.blob ? { blob: options.blob } : {}) });
    return { rows: r.rows, affectedRows: r.affectedRows };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (!this.failure) await this.send({ id: 0, op: 'close' });
    } finally {
      this.closed = true;
      await this.worker.terminate();
    }
  }

  private send(req: PGliteRequest): Promise<PGliteReply & { ok: true }> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('the database is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id });
    });
  }

  private settle(reply: PGliteReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.ok) p.resolve(reply);
    else p.reject(new PGliteThreadError(reply.message, reply.fields));
  }

  private fail(err: Error): void {
    if (this.closed || this.failure) return;
    this.failure = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.worker.unref();
    for (const listener of this.lostListeners) listener(err);
  }
}
