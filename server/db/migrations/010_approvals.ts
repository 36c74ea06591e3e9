import { sql, type Kysely } from 'kysely';

// Approval requests from every source (REST, the gate, GitHub PR comments): one table, one service.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE approvals (
      id text PRIMARY KEY,
      account_id text NOT NULL REFERENCES accounts(id),
      agent_id text NOT NULL,
      action text NOT NULL,
      parameters jsonb NOT NULL,
      context jsonb NOT NULL,
      urgency text NOT NULL CHECK (urgency IN ('low', 'medium', 'high', 'critical')),
      source text NOT NULL CHECK (source IN ('api', 'gate', 'github')),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied', 'expired')),
      requested_by text NOT NULL,
      expires_at timestamptz,
      approver text,
      note text,
      reason text,
      decided_by text,
      decided_at timestamptz,
      result jsonb,
      confirmed_by text,
      confirmed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      -- A decision is complete or absent; a denial always has its reason; only approvals are confirmed.
      CHECK ((status IN ('approved', 'denied')) = (decided_at IS NOT NULL)),
      CHECK (status <> 'denied' OR reason IS NOT NULL),
      CHECK (confirmed_at IS NULL OR status = 'approved')
    )`.execute(db);
  await sql`CREATE INDEX approvals_list_idx ON approvals (account_id, created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX approvals_agent_idx ON approvals (account_id, agent_id, created_at DESC)`.execute(db);
  await sql`CREATE INDEX approvals_status_idx ON approvals (account_id, status, created_at DESC)`.execute(db);
  // The expiry sweep: only pending requests with a deadline.
  await sql`CREATE INDEX approvals_expiry_idx ON approvals (expires_at) WHERE status = 'pending' AND expires_at IS NOT NULL`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE approvals`.execute(db);
}
