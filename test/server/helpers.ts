// Shared set-up for the server tests: database targets (PGlite always, PostgreSQL when
// TEST_DATABASE_URL is set), a migrated PGlite snapshot made once per machine, and small helpers.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { it } from 'vitest';
import { build, type BuildOptions } from '../../server/index.js';
import { migrate } from '../../server/db/index.js';
import { MIGRATIONS } from '../../server/db/migrations/index.js';
import type { Database } from '../../server/db/schema.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const CHROMIUM = '/usr/bin/chromium';

export interface Target {
  name: 'pglite' | 'postgres';
  available: boolean;
  reason?: string;
}

/** Every suite runs once per target; PostgreSQL only when TEST_DATABASE_URL says where. */
export const TARGETS: Target[] = [
  { name: 'pglite', available: true },
  { name: 'postgres', available: !!TEST_DATABASE_URL, reason: 'TEST_DATABASE_URL is not set' },
];

/** `it`, or a loud skip when the target cannot run here. */
export function itOn(target: Target): typeof it | typeof it.skip {
  return target.available ? it : it.skip;
}

const warned = new Set<string>();
export function warnSkip(what: string, reason: string): void {
  if (warned.has(what)) return;
  warned.add(what);
  console.warn(`\n⚠️  SKIPPING ${what}: ${reason}\n`);
}

// ---- PGlite snapshot ----------------------------------------------------------------------------

// package.json is not exported by PGlite: read it next to the resolved entry point.
const pgliteVersion = (() => {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  let dir = path.dirname(entry);
  for (let i = 0; i < 5; i++, dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      const json = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string; version?: string };
      if (json.name === '@electric-sql/pglite') return json.version ?? 'unknown';
    }
  }
  return 'unknown';
})();

/**
 * A freshly initialised and migrated PGlite data dir, as a tarball. initdb costs seconds and most
 * of a gigabyte per instance; loading this snapshot costs well under one. Cached on disk keyed by
 * the PGlite version and the migration list, so test files (separate workers) share one.
 */
export async function pgliteSnapshot(): Promise<Blob> {
  // Keyed by the migrations' names and source: editing one (before it ships) must not reuse a stale snapshot.
  const source = createHash('sha256').update(Object.entries(MIGRATIONS).map(([name, m]) => `${name}\n${String(m.up)}`).join('\n')).digest('hex').slice(0, 12);
  const key = `${pgliteVersion}-${Object.keys(MIGRATIONS).length}-${source}`.replace(/[^A-Za-z0-9_.+-]/g, '_');
  const file = path.join(os.tmpdir(), `agentcop-pglite-snapshot-${key}.tar`);
  if (existsSync(file)) return new Blob([await readFile(file)]);
  const pglite = new PGlite('memory://');
  await pglite.waitReady;
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  await migrate(db);
  const dump = await pglite.dumpDataDir('none');
  const bytes = Buffer.from(await dump.arrayBuffer());
  await db.destroy();
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, bytes);
  await rename(tmp, file); // atomic: a concurrent worker sees the whole file or none
  return new Blob([bytes]);
}

// ---- PostgreSQL databases -----------------------------------------------------------------------

/** A new, empty database on the TEST_DATABASE_URL server, and its removal. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const name = `agentcop_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

// ---- servers ------------------------------------------------------------------------------------

export const BOOTSTRAP_KEY = `ac_${'T'.repeat(20)}bootstrap${'0'.repeat(14)}`;

export interface TestServer {
  app: FastifyInstance;
  /** The operator account's admin key. */
  key: string;
  /** Database options to build again on the same data (restart tests). */
  dbOptions: Pick<BuildOptions, 'databaseUrl' | 'dataDir'>;
  close(): Promise<void>;
}

/**
 * A server on the target's database. PGlite: an in-memory (or given) data dir started from the
 * snapshot. PostgreSQL: a database of its own, dropped at close.
 */
/** AGENTCOP_SECRET_KEY for the PostgreSQL test servers (32 bytes). */
export const TEST_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

export async function startServer(target: Target, opts: BuildOptions = {}): Promise<TestServer> {
  const quiet = { onBootstrap: () => {}, logger: false as const, bootstrapKey: BOOTSTRAP_KEY };
  if (target.name === 'postgres') {
    const pgdb = await freshPostgresDatabase();
    // Replicas on PostgreSQL share a sealing key from the environment; the tests play that part.
    const app = await build({ ...quiet, secretKey: TEST_SECRET_KEY, ...opts, databaseUrl: pgdb.url });
    return {
      app,
      key: BOOTSTRAP_KEY,
      dbOptions: { databaseUrl: pgdb.url },
      close: async () => {
        await app.close();
        await pgdb.drop();
      },
    };
  }
  const dataDir = opts.dataDir ?? 'memory://';
  const app = await build({ ...quiet, ...opts, dataDir, pgliteSnapshot: await pgliteSnapshot() });
  return { app, key: BOOTSTRAP_KEY, dbOptions: { dataDir }, close: () => app.close() };
}

export async function tempDir(prefix = 'agentcop-test-'): Promise<string> {
  const dir = path.join(os.tmpdir(), `${prefix}${randomBytes(6).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

export function withKey(key: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'x-agentcop-key': key, ...extra };
}

/** Asserts the error envelope and returns it. */
export function envelopeOf(res: LightMyRequestResponse | { statusCode: number; body: string }): { error: string; message: string; code: number; docs: string } {
  const body = JSON.parse(res.body) as { error: string; message: string; code: number; docs: string };
  if (typeof body.error !== 'string' || typeof body.message !== 'string' || body.code !== res.statusCode || typeof body.docs !== 'string' || !body.docs.startsWith('http')) {
    throw new Error(`not an error envelope (status ${res.statusCode}): ${res.body.slice(0, 300)}`);
  }
  return body;
}

export async function inject(app: FastifyInstance, opts: InjectOptions): Promise<LightMyRequestResponse> {
  return app.inject(opts);
}

/** Creates an account through the API (operator key) and returns its admin key. */
export async function createAccount(app: FastifyInstance, operatorKey: string, name: string, plan: 'free' | 'pro' | 'enterprise' = 'free') {
  const res = await app.inject({ method: 'POST', url: '/api/v1/accounts', headers: withKey(operatorKey), payload: { name, plan } });
  if (res.statusCode !== 201) throw new Error(`account create failed: ${res.statusCode} ${res.body}`);
  const body = res.json() as { account: { id: string }; key: { key: string; id: string } };
  return { accountId: body.account.id, key: body.key.key, keyId: body.key.id };
}

export async function createKey(app: FastifyInstance, adminKey: string, body: Record<string, unknown>) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/keys', headers: withKey(adminKey), payload: body });
  if (res.statusCode !== 201) throw new Error(`key create failed: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; key: string; prefix: string; scopes: string[] };
}

export const VULNERABLE_AGENT = `import os
from openai import OpenAI

client = OpenAI(api_key="sk-proj-Zq3xV8bN2mK7pL4wR9tY6uI1oE5aS0dF")

def handle(user_input):
    prompt = f"You are a helpful bot. The user says: {user_input}"
    reply = client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": prompt}])
    os.system(reply.choices[0].message.content)
`;
