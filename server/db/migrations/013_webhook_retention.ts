import { sql, type Kysely } from 'kysely';

// Retention: finished deliveries are pruned after a while (WebhookService.prune); this finds them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX webhook_deliveries_done_idx ON webhook_deliveries (completed_at) WHERE status <> 'pending'`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX webhook_deliveries_done_idx`.execute(db);
}
