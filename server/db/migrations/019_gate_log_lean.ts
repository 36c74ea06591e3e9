import { sql, type Kysely } from 'kysely';

// The gate log takes one row per allowed call, so its per-row write cost is a share of every
// evaluation (on PGlite, in WASM on the server's own thread). Three things cost more than they give:
// - the foreign key to accounts: a referential-integrity trigger per row, guarding an account id
//   that comes from the authenticated key. No code path deletes accounts; one that does must delete
//   the account's gate_log rows itself.
// - evaluated_at in the index: ids are time-ordered (newSortableId), so (account_id, agent_id, id DESC)
//   serves the log's newest-first pages alone, with one column less to build and compare.
// - jsonb for reasons and policy_version: both are only written and read back whole, never queried
//   inside, and json stores the text as given where jsonb parses it into its binary form.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE gate_log DROP CONSTRAINT gate_log_account_id_fkey`.execute(db);
  await sql`DROP INDEX gate_log_agent_idx`.execute(db);
  await sql`CREATE INDEX gate_log_agent_id_idx ON gate_log (account_id, agent_id, id DESC)`.execute(db);
  await sql`ALTER TABLE gate_log ALTER COLUMN reasons TYPE json USING reasons::json, ALTER COLUMN policy_version TYPE json USING policy_version::json`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE gate_log ALTER COLUMN reasons TYPE jsonb USING reasons::jsonb, ALTER COLUMN policy_version TYPE jsonb USING policy_version::jsonb`.execute(db);
  await sql`DROP INDEX gate_log_agent_id_idx`.execute(db);
  await sql`CREATE INDEX gate_log_agent_idx ON gate_log (account_id, agent_id, evaluated_at DESC, id DESC)`.execute(db);
  await sql`ALTER TABLE gate_log ADD CONSTRAINT gate_log_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts(id)`.execute(db);
}
