import { sql, type Kysely } from 'kysely';

// The GitHub App (ARCHITECTURE §4): which account each installation's scans belong to, every pull
// request scan (recorded before any GitHub call, so a crash leaves a row that says what was being
// done), the latest default-branch scan per repository (its badge), and the durable job queue the
// webhook handler writes and workers in any replica claim with FOR UPDATE SKIP LOCKED.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE scans DROP CONSTRAINT scans_source_check`.execute(db);
  await sql`ALTER TABLE scans ADD CONSTRAINT scans_source_check CHECK (source IN ('api', 'zip', 'import', 'github'))`.execute(db);
  await sql`
    CREATE TABLE github_installations (
      installation_id bigint PRIMARY KEY,
      account_id text NOT NULL REFERENCES accounts(id),
      account_login text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE github_pr_scans (
      id text PRIMARY KEY,
      account_id text NOT NULL REFERENCES accounts(id),
      installation_id bigint NOT NULL,
      -- owner/name as GitHub spells it; lookups go through lower(repository).
      repository text NOT NULL,
      pull_number integer NOT NULL,
      head_sha text NOT NULL,
      base_sha text,
      trigger text NOT NULL,
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'in_progress', 'completed', 'failed')),
      check_run_id bigint,
      conclusion text,
      title text,
      scan_id text REFERENCES scans(id),
      trust_score integer,
      new_issues integer,
      approval_id text REFERENCES approvals(id),
      -- What the check run shows besides the stored scan: new fingerprints, the gate, its failures.
      outcome jsonb,
      message text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX github_pr_scans_pr_idx ON github_pr_scans (lower(repository), pull_number, created_at DESC)`.execute(db);
  await sql`CREATE INDEX github_pr_scans_approval_idx ON github_pr_scans (approval_id) WHERE approval_id IS NOT NULL`.execute(db);
  await sql`
    CREATE TABLE github_repo_scans (
      repository_key text PRIMARY KEY,
      repository text NOT NULL,
      account_id text NOT NULL REFERENCES accounts(id),
      installation_id bigint NOT NULL,
      ref text NOT NULL,
      head_sha text NOT NULL,
      scan_id text NOT NULL REFERENCES scans(id),
      trust_score integer NOT NULL,
      risk_level text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE github_jobs (
      id text PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('pr_scan', 'repo_scan', 'command', 'decision')),
      installation_id bigint NOT NULL,
      payload jsonb NOT NULL,
      pr_scan_id text REFERENCES github_pr_scans(id),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      max_attempts integer NOT NULL CHECK (max_attempts > 0),
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      lease_id text,
      locked_until timestamptz,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX github_jobs_due_idx ON github_jobs (next_attempt_at) WHERE status = 'pending'`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE github_jobs`.execute(db);
  await sql`DROP TABLE github_repo_scans`.execute(db);
  await sql`DROP TABLE github_pr_scans`.execute(db);
  await sql`DROP TABLE github_installations`.execute(db);
  await sql`DELETE FROM scans WHERE source = 'github'`.execute(db);
  await sql`ALTER TABLE scans DROP CONSTRAINT scans_source_check`.execute(db);
  await sql`ALTER TABLE scans ADD CONSTRAINT scans_source_check CHECK (source IN ('api', 'zip', 'import'))`.execute(db);
}
