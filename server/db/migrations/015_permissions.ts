import { sql, type Kysely } from 'kysely';

// Permission layers: one row per version, never updated. The current layer of an agent is its
// highest version; a DELETE appends a tombstone version (layer NULL) so history stays complete.
// The account-wide base layer is stored under the reserved agent id `_base` (agent ids must start
// with a letter or digit, so no agent can collide with it).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE permission_layers (
      account_id text NOT NULL REFERENCES accounts(id),
      agent_id text NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      layer jsonb,
      deleted boolean NOT NULL DEFAULT false,
      change text NOT NULL CHECK (change IN ('create', 'replace', 'patch', 'delete')),
      changed_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (account_id, agent_id, version),
      CHECK (deleted = (layer IS NULL))
    )`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE permission_layers`.execute(db);
}
