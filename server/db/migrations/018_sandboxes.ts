import { sql, type Kysely } from 'kysely';

// Sandboxes and their runs. A sandbox is live while `status = 'ready'` and `expires_at` is ahead;
// past it, it reads as `expired` at once and a sweep persists that. Records are kept after
// destruction: the run history is the audit trail of what an agent executed.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE sandboxes (
      id text PRIMARY KEY,
      account_id text NOT NULL REFERENCES accounts(id),
      agent_id text NOT NULL,
      mode text NOT NULL CHECK (mode IN ('wasm', 'container')),
      config jsonb NOT NULL,
      status text NOT NULL DEFAULT 'ready' CHECK (status IN ('ready', 'destroyed', 'expired')),
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      destroyed_at timestamptz,
      CHECK ((status = 'ready') = (destroyed_at IS NULL))
    )`.execute(db);
  // Counting an account's live sandboxes (the plan's concurrency limit) and the expiry sweep.
  await sql`CREATE INDEX sandboxes_live_idx ON sandboxes (account_id, expires_at) WHERE status = 'ready'`.execute(db);
  await sql`CREATE INDEX sandboxes_expiry_idx ON sandboxes (expires_at) WHERE status = 'ready'`.execute(db);
  await sql`
    CREATE TABLE sandbox_runs (
      id text PRIMARY KEY,
      sandbox_id text NOT NULL REFERENCES sandboxes(id),
      account_id text NOT NULL REFERENCES accounts(id),
      code text NOT NULL,
      timeout_seconds integer NOT NULL,
      async boolean NOT NULL,
      status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed')),
      stdout text,
      stderr text,
      stdout_truncated boolean,
      stderr_truncated boolean,
      exit_code integer,
      duration_ms integer,
      violation jsonb,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      CHECK ((status = 'completed') = (finished_at IS NOT NULL))
    )`.execute(db);
  await sql`CREATE INDEX sandbox_runs_sandbox_idx ON sandbox_runs (sandbox_id, created_at DESC)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE sandbox_runs`.execute(db);
  await sql`DROP TABLE sandboxes`.execute(db);
}
