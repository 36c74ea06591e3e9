import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any>: they describe the schema at their point in history, which the
// current `Database` interface may no longer match.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE accounts (
      id text PRIMARY KEY,
      name text NOT NULL,
      plan text NOT NULL CHECK (plan IN ('free', 'pro', 'enterprise')),
      is_operator boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE api_keys (
      id text PRIMARY KEY,
      account_id text NOT NULL REFERENCES accounts(id),
      name text NOT NULL,
      prefix text NOT NULL,
      key_hash text NOT NULL UNIQUE,
      scopes jsonb NOT NULL,
      rate_limit_per_minute integer CHECK (rate_limit_per_minute > 0),
      expires_at timestamptz,
      last_used_at timestamptz,
      revoked_at timestamptz,
      rotated_from text REFERENCES api_keys(id),
      created_by text REFERENCES api_keys(id),
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX api_keys_account_idx ON api_keys (account_id, created_at DESC, id DESC)`.execute(db);
  await sql`
    CREATE TABLE meta (
      key text PRIMARY KEY,
      value text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE meta`.execute(db);
  await sql`DROP TABLE api_keys`.execute(db);
  await sql`DROP TABLE accounts`.execute(db);
}
