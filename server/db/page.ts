import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';

/** Tables listed per account, newest first: the same query shape for every such list route. */
type AccountListed = 'api_keys' | 'webhooks';

export async function pageForAccount<T extends AccountListed>(
  db: Kysely<Database>,
  table: T,
  accountId: string,
  page: number,
  limit: number,
): Promise<{ rows: Selectable<Database[T]>[]; total: number }> {
  // The union of table names defeats Kysely's column inference; every member has these columns.
  const q = db as unknown as Kysely<{ listed: { id: string; account_id: string; created_at: Date } }>;
  const from = table as unknown as 'listed';
  const [rows, count] = await Promise.all([
    q
      .selectFrom(from)
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .offset((page - 1) * limit)
      .execute(),
    q.selectFrom(from).select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as unknown as Selectable<Database[T]>[], total: Number(count.n) };
}
