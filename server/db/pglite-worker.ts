// The thread that owns PGlite (see pglite-thread.ts): PostgreSQL compiled to WASM runs every
// statement synchronously on whichever thread calls it, so here it cannot stall the HTTP loop.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_PARSERS, type PGliteReply, type PGliteRequest, type PGliteWorkerData } from './pglite-protocol.js';

const port = parentPort!;
const init = workerData as PGliteWorkerData;
const pglite = new PGlite(init.location, {
  parsers: PGLITE_PARSERS,
  ...(init.snapshot ? { loadDataDir: init.snapshot } : {}),
  pgliteWasmModule: init.pgliteWasmModule,
  initdbWasmModule: init.initdbWasmModule,
  fsBundle: init.fsBundle,
});

/** What a caller may test on a database error (Kysely and our services read `code`). */
function errorFields(err: unknown): PGliteReply & { ok: false } {
  const e = err as Record<string, unknown>;
  const fields: Record<string, string> = {};
  for (const k of ['code', 'detail', 'hint', 'constraint', 'table', 'column', 'schema', 'severity', 'where', 'position']) {
    if (typeof e?.[k] === 'string') fields[k] = e[k] as string;
  }
  return { id: 0, ok: false, message: err instanceof Error ? err.message : String(err), fields };
}

port.on('message', async (req: PGliteRequest) => {
  let reply: PGliteReply;
  try {
    await pglite.waitReady;
    if (req.op === 'ready') {
      reply = { id: req.id, ok: true, rows: [] };
    } else if (req.op === 'close') {
      await pglite.close();
      reply = { id: req.id, ok: true, rows: [] };
    } else {
      const result = await pglite.query(req.sql, req.params, req.blob ? { blob: req.blob } : undefined);
      reply = { id: req.id, ok: true, rows: result.rows as Record<string, unknown>[], affectedRows: result.affectedRows };
    }
  } catch (err) {
    reply = { ...errorFields(err), id: req.id };
  }
  port.postMessage(reply);
});
