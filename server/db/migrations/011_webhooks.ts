import { sql, type Kysely } from 'kysely';

// Webhooks and their deliveries. The deliveries table is the durable queue: an event's deliveries
// are inserted in the transaction that made the change, and workers in any replica claim due rows
// with FOR UPDATE SKIP LOCKED, so a crash or restart loses none.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE webhooks (
      id text PRIMARY KEY,
      account_id text NOT NULL REFERENCES accounts(id),
      url text NOT NULL,
      events jsonb NOT NULL,
      description text,
      -- The HMAC signing key. It must be readable to sign with (it is not a password); the API
      -- never returns it after creation.
      secret text NOT NULL,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX webhooks_account_idx ON webhooks (account_id, created_at DESC, id DESC)`.execute(db);
  await sql`
    CREATE TABLE webhook_deliveries (
      id text PRIMARY KEY,
      account_id text NOT NULL REFERENCES accounts(id),
      webhook_id text NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
      event text NOT NULL,
      event_id text NOT NULL,
      -- The exact bytes that are signed and sent, the same on every attempt.
      body text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      max_attempts integer NOT NULL CHECK (max_attempts > 0),
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      -- A claim: the worker holding lease_id owns the row until locked_until.
      lease_id text,
      locked_until timestamptz,
      last_attempt_at timestamptz,
      response_status integer,
      last_error text,
      attempt_log jsonb NOT NULL DEFAULT '[]'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (webhook_id, created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE webhook_deliveries`.execute(db);
  await sql`DROP TABLE webhooks`.execute(db);
}
