import { sql, type Kysely } from 'kysely';

// The execution gate: versioned gate policies per agent, the decision log, per-run compute
// counters, and the binding of gate-created approvals to the exact call they approve.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE gate_policies (
      account_id text NOT NULL REFERENCES accounts(id),
      agent_id text NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      format text NOT NULL CHECK (format IN ('yaml', 'json')),
      source text NOT NULL,
      policy jsonb NOT NULL,
      changed_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (account_id, agent_id, version)
    )`.execute(db);
  await sql`
    CREATE TABLE gate_log (
      id text PRIMARY KEY,
      account_id text NOT NULL REFERENCES accounts(id),
      agent_id text NOT NULL,
      tool_name text NOT NULL,
      decision text NOT NULL CHECK (decision IN ('allow', 'block', 'require_approval')),
      reason text NOT NULL,
      reasons jsonb NOT NULL,
      risk_score integer NOT NULL,
      run_id text,
      approval_request_id text,
      policy_version jsonb NOT NULL,
      evaluated_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX gate_log_agent_idx ON gate_log (account_id, agent_id, evaluated_at DESC, id DESC)`.execute(db);
  // Compute caps per run: incremented atomically by the evaluation that spends them.
  await sql`
    CREATE TABLE gate_runs (
      account_id text NOT NULL REFERENCES accounts(id),
      agent_id text NOT NULL,
      run_id text NOT NULL,
      tool_calls integer NOT NULL DEFAULT 0,
      tokens bigint NOT NULL DEFAULT 0,
      started_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (account_id, agent_id, run_id)
    )`.execute(db);
  // A gate approval approves one call: the hash of agent, tool and parameters; spent once.
  await sql`ALTER TABLE approvals ADD COLUMN gate_call_hash text`.execute(db);
  await sql`ALTER TABLE approvals ADD COLUMN consumed_at timestamptz`.execute(db);
  await sql`ALTER TABLE approvals ADD CONSTRAINT approvals_consumed_approved CHECK (consumed_at IS NULL OR status = 'approved')`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE approvals DROP CONSTRAINT approvals_consumed_approved`.execute(db);
  await sql`ALTER TABLE approvals DROP COLUMN consumed_at`.execute(db);
  await sql`ALTER TABLE approvals DROP COLUMN gate_call_hash`.execute(db);
  await sql`DROP TABLE gate_runs`.execute(db);
  await sql`DROP TABLE gate_log`.execute(db);
  await sql`DROP TABLE gate_policies`.execute(db);
}
