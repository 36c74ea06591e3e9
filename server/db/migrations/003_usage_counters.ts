import { sql, type Kysely } from 'kysely';

// Counters live in the database so limits hold across restarts and across replicas.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE rate_windows (
      key_id text NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
      window_start integer NOT NULL,
      count integer NOT NULL,
      PRIMARY KEY (key_id, window_start)
    )`.execute(db);
  await sql`
    CREATE TABLE usage_daily (
      account_id text NOT NULL REFERENCES accounts(id),
      day text NOT NULL,
      metric text NOT NULL,
      count integer NOT NULL,
      PRIMARY KEY (account_id, day, metric)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE usage_daily`.execute(db);
  await sql`DROP TABLE rate_windows`.execute(db);
}
