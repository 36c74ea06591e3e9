import { sql, type Kysely } from 'kysely';

// Approval policies: priority-ordered rules applied when an approval request is created.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE approval_policies (
      id text PRIMARY KEY,
      account_id text NOT NULL REFERENCES accounts(id),
      name text NOT NULL,
      description text,
      priority integer NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      match jsonb NOT NULL,
      decision text NOT NULL CHECK (decision IN ('auto_approve', 'auto_deny', 'route_to_human')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (account_id, name)
    )`.execute(db);
  await sql`CREATE INDEX approval_policies_order_idx ON approval_policies (account_id, priority, created_at, id)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE approval_policies`.execute(db);
}
