// Dialect choice: PostgreSQL through `pg` when a URL is given, else PGlite (PostgreSQL compiled to
// WASM, in-process) in a data directory. Same Kysely types, same SQL, same migrations.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { StaticMigrationProvider } from './migrations/index.js';
import { int8ToNumber, PG_TYPE_OIDS } from './pglite-protocol.js';
import { PGliteThread } from './pglite-thread.js';
import { pgliteCopyRows, type CopyRows } from './copy.js';
import type { Database } from './schema.js';

export type DatabaseKind = 'postgres' | 'pglite';

export interface DatabaseOptions {
  /** postgres://… — when set, PostgreSQL through `pg`. */
  databaseUrl?: string;
  /** PGlite data directory (default `./.agentcop`); `memory://` keeps everything in memory. */
  dataDir?: string;
  /** A PGlite data dir snapshot (from `dumpDataDir`) to start from when the directory is empty. */
  pgliteSnapshot?: Blob;
  /** `pg` pool size (default 10). */
  poolSize?: number;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Bulk append by COPY where the database offers a cheaper path than INSERT (PGlite). */
  copyRows?: CopyRows;
  /**
   * For an embedded database that cannot come back by itself (PGlite's thread died): called once.
   * PostgreSQL reconnects on its own, so it has none.
   */
  onLost?: (listener: (err: Error) => void) => void;
  close(): Promise<void>;
}

const { INT8_OID, NUMERIC_OID } = PG_TYPE_OIDS;

export async function openDatabase(opts: DatabaseOptions): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      // Per pool, not pg.types.setTypeParser: other pg users in the process keep their defaults.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID ? int8ToNumber : oid === NUMERIC_OID ? Number : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
      },
    });
    // An idle client that loses its connection emits 'error' on the pool; unhandled, it would
    // crash the process. The next query gets a fresh connection, and /health reports the outage.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }

  const dataDir = opts.dataDir ?? './.agentcop';
  let location = 'memory://';
  if (!dataDir.startsWith('memory://')) {
    // The database lives in a subfolder so the data dir can hold other things later.
    location = path.resolve(dataDir, 'pgdata');
    await mkdir(location, { recursive: true });
  }
  const pglite = await PGliteThread.open({
    location,
    ...(opts.pgliteSnapshot && !(await hasPgData(location)) ? { snapshot: opts.pgliteSnapshot } : {}),
  });
  // The dialect closes PGlite (and its thread) when Kysely is destroyed; it only calls query().
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite as unknown as ConstructorParameters<typeof PGliteDialect>[0]) });
  return { db, kind: 'pglite', copyRows: pgliteCopyRows(db, pglite), onLost: (l) => pglite.onLost(l), close: () => db.destroy() };
}

async function hasPgData(location: string): Promise<boolean> {
  if (location.startsWith('memory://')) return false;
  const { readdir } = await import('node:fs/promises');
  return (await readdir(location)).includes('PG_VERSION');
}

/** Runs every pending migration; throws with the failing migration's name. */
export async function migrate(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** A real round trip, for /health. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
