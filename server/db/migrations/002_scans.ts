import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE scans (
      id text PRIMARY KEY,
      account_id text NOT NULL REFERENCES accounts(id),
      content_hash text,
      source text NOT NULL CHECK (source IN ('api', 'zip', 'import')),
      agent_name text,
      description text,
      framework text,
      filename text,
      trust_score integer NOT NULL CHECK (trust_score BETWEEN 0 AND 100),
      risk_level text NOT NULL,
      total_issues integer NOT NULL,
      files_scanned integer NOT NULL,
      result jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  // The cache: one stored result per account and content. Partial, because imports have no hash.
  await sql`CREATE UNIQUE INDEX scans_cache_idx ON scans (account_id, content_hash) WHERE content_hash IS NOT NULL`.execute(db);
  // History pages, newest first, with a tie-breaker so pages never overlap.
  await sql`CREATE INDEX scans_history_idx ON scans (account_id, created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX scans_agent_idx ON scans (account_id, agent_name, created_at DESC)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE scans`.execute(db);
}
