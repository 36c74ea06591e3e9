import { sql, type Kysely } from 'kysely';

// The audit log: append-only, one hash chain per account. `seq` numbers each account's entries
// 1, 2, 3…; the unique index makes a forked chain (two entries claiming the same place) impossible
// even if the per-account lock were ever bypassed. The trigger refuses UPDATE, DELETE and TRUNCATE
// for everyone, the application included.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE audit_log (
      id text PRIMARY KEY,
      account_id text NOT NULL REFERENCES accounts(id),
      seq bigint NOT NULL CHECK (seq > 0),
      action text NOT NULL,
      actor text NOT NULL,
      actor_kind text NOT NULL,
      actor_key_prefix text,
      ip text,
      target_type text,
      target_id text,
      details jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      prev_hash text NOT NULL,
      hash text NOT NULL
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX audit_log_chain_idx ON audit_log (account_id, seq)`.execute(db);
  await sql`CREATE INDEX audit_log_target_idx ON audit_log (account_id, target_type, target_id, seq)`.execute(db);
  await sql`CREATE INDEX audit_log_time_idx ON audit_log (account_id, created_at)`.execute(db);
  await sql`
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END
    $$`.execute(db);
  await sql`
    CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
  await sql`
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE audit_log`.execute(db);
  await sql`DROP FUNCTION audit_log_append_only()`.execute(db);
}
