// PGlite on its own thread: what the server relies on when it talks to the embedded database.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../server/db/index.js';
import { PGliteThread } from '../../server/db/pglite-thread.js';
import { copyText } from '../../server/db/copy.js';
import { pgliteSnapshot } from './helpers.js';

/**
 * Runs a script (an ES module) in a child Node process with tsx. It gets `data` and `snapshot` as JS
 * string literals: a fresh data dir, and the migrated PGlite snapshot as a file (initdb alone would
 * cost the child several seconds).
 */
async function runChild(script: (paths: { data: string; snapshot: string }) => string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'agentcop-child-'));
  try {
    const snapshot = path.join(dir, 'snapshot.tar');
    await writeFile(snapshot, Buffer.from(await (await pgliteSnapshot()).arrayBuffer()));
    const source = script({ data: JSON.stringify(path.join(dir, 'data')), snapshot: JSON.stringify(snapshot) });
    return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { encoding: 'utf8', timeout: 60_000 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openDatabase({ dataDir: 'memory://', pgliteSnapshot: await pgliteSnapshot() });
  await sql`CREATE TABLE t (id integer PRIMARY KEY, note text, doc json, at timestamptz)`.execute(handle.db);
});
afterAll(() => handle.close());

describe('the PGlite thread', () => {
  it('hands back rows with the types the services expect, and database errors with their SQLSTATE', async () => {
    const { rows } = await sql<{ n: number; big: number; at: Date; doc: unknown }>`SELECT count(*) AS n, 9007199254740991::bigint AS big, now() AS at, '{"a":[1]}'::jsonb AS doc`.execute(handle.db);
    expect(rows[0]).toMatchObject({ n: 1, big: 9007199254740991, doc: { a: [1] } });
    expect(rows[0].at).toBeInstanceOf(Date);

    await sql`INSERT INTO t (id, note) VALUES (1, 'x')`.execute(handle.db);
    const err = await sql`INSERT INTO t (id, note) VALUES (1, 'y')`.execute(handle.db).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: '23505', constraint: 't_pkey' });
    expect((err as Error).message).toMatch(/duplicate key/);
  });

  it('keeps a transaction to itself: statements from other callers wait for its commit or rollback', async () => {
    const order: string[] = [];
    const trx = handle.db.transaction().execute(async (tx) => {
      await sql`INSERT INTO t (id, note) VALUES (10, 'in trx')`.execute(tx);
      order.push('trx insert');
      await new Promise((r) => setTimeout(r, 50));
      throw new Error('roll back');
    });
    await new Promise((r) => setImmediate(r));
    const outside = sql<{ n: number }>`SELECT count(*) AS n FROM t WHERE id = 10`.execute(handle.db).then((r) => {
      order.push('outside read');
      return r.rows[0].n;
    });
    await expect(trx).rejects.toThrow('roll back');
    expect(await outside).toBe(0);
    expect(order).toEqual(['trx insert', 'outside read']);
  });

  it('COPY rows round-trip tabs, newlines, backslashes, NULLs and JSON exactly', async () => {
    const rows = [
      { id: 100, note: 'tab\there\nnew line\\back\rslash', doc: { evidence: 'a\tb\nc\\d "q" ✓' }, at: '2026-11-23T10:00:00.000Z' },
      { id: 101, note: null, doc: [], at: '2026-11-23T10:00:00.001Z' },
    ];
    expect(copyText(rows, ['id', 'note'])).toBe('100\ttab\\there\\nnew line\\\\back\\rslash\n101\t\\N\n');
    await handle.copyRows!('t', ['id', 'note', 'doc', 'at'], rows);
    const { rows: back } = await sql<{ id: number; note: string | null; doc: unknown; at: Date }>`SELECT id, note, doc, at FROM t WHERE id >= 100 ORDER BY id`.execute(handle.db);
    expect(back.map((r) => ({ ...r, at: r.at.toISOString() }))).toEqual(rows);
  });

  it('runs statements off the server thread: timers keep firing while the database works', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = performance.now();
    await sql`SELECT count(*) FROM generate_series(1, 1500000)`.execute(handle.db);
    const took = performance.now() - started;
    clearInterval(timer);
    // In process, PGlite's WASM held the event loop for the whole statement: zero ticks.
    expect(took).toBeGreaterThan(60);
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(took / 5 / 3));
  });
});

describe('when the thread dies', () => {
  it('every waiting and later query fails with a clear error, the loss is announced once, and close still works', async () => {
    const thread = await PGliteThread.open({ location: 'memory://', snapshot: await pgliteSnapshot() });
    const lost: Error[] = [];
    thread.onLost((err) => lost.push(err));
    const slow = thread.query('SELECT count(*) FROM generate_series(1, 3000000)');
    // What a WASM abort or an out-of-memory kill of the thread looks like from outside.
    await (thread as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await expect(slow).rejects.toThrow(/database thread exited/);
    await expect(thread.query('SELECT 1')).rejects.toThrow(/database thread exited/);
    expect(lost).toHaveLength(1);
    await thread.close();
  });

  it('`agentcop serve` shuts down with exit code 1 instead of answering errors forever', async () => {
    // The test reaches the database thread the way a crash would: from outside the server's code.
    const run = await runChild(({ data, snapshot }) => `
      import { readFileSync } from 'node:fs';
      import { Worker } from 'node:worker_threads';
      import { serve } from ${JSON.stringify(new URL('../../server/serve.ts', import.meta.url).href)};
      let dbThread;
      const post = Worker.prototype.postMessage;
      Worker.prototype.postMessage = function (m, t) { if (m && m.op) dbThread = this; return post.call(this, m, t); };
      const app = await serve({ port: 0, dataDir: ${data}, pgliteSnapshot: new Blob([readFileSync(${snapshot})]), bootstrapKey: 'ac_${'L'.repeat(40)}', logger: { level: 'fatal' } });
      const health = await app.inject({ url: '/health' });
      console.log('health before', health.statusCode);
      await dbThread.terminate();
      setTimeout(() => { console.log('still running'); process.exit(0); }, 20000).unref();`);
    expect(run.stdout).toContain('health before 200');
    expect(run.stdout).not.toContain('still running');
    expect(run.stdout).toMatch(/the embedded database stopped/);
    expect(run.status).toBe(1);
  }, 90_000);
});

describe('a process using the embedded database', () => {
  it('exits on its own when its work is done, and finishes the statement it awaits first', async () => {
    const run = await runChild(({ data, snapshot }) => `
      import { readFileSync } from 'node:fs';
      import { openDatabase } from ${JSON.stringify(new URL('../../server/db/index.ts', import.meta.url).href)};
      import { sql } from 'kysely';
      const h = await openDatabase({ dataDir: ${data}, pgliteSnapshot: new Blob([readFileSync(${snapshot})]) });
      const { rows } = await sql\`SELECT 41 + 1 AS answer\`.execute(h.db);
      console.log('answer', rows[0].answer);`);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.stdout).toContain('answer 42');
    expect(run.status).toBe(0);
  }, 90_000);
});
