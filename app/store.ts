// The App's rows: installation -> account, pull request scans, repository badges.
import { sql, type Kysely } from 'kysely';
import type { Database, GithubPrScansTable, PrScanStatus } from '../server/db/schema.js';
import type { Selectable } from 'kysely';
import { newId } from '../server/ids.js';

export type PrScanRow = Selectable<GithubPrScansTable>;

/**
 * The account an installation's scans and approvals belong to. Decided on the installation's first
 * event: the account named by AGENTCOP_GITHUB_ACCOUNT_ID, else the operator account (the one the
 * first start created), so the operator's key sees App approvals in `GET /api/approvals`.
 */
export async function accountForInstallation(db: Kysely<Database>, installationId: number, login: string | null, preferred?: string): Promise<string> {
  const found = await db.selectFrom('github_installations').select('account_id').where('installation_id', '=', installationId).executeTakeFirst();
  if (found) return found.account_id;
  let accountId = preferred;
  if (accountId) {
    const exists = await db.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst();
    if (!exists) throw new Error(`AGENTCOP_GITHUB_ACCOUNT_ID ${accountId} is not an account`);
  } else {
    const operator = await db.selectFrom('accounts').select('id').where('is_operator', '=', true).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
    if (!operator) throw new Error('no operator account yet: the server has not finished its first start');
    accountId = operator.id;
  }
  await db
    .insertInto('github_installations')
    .values({ installation_id: installationId, account_id: accountId, account_login: login })
    .onConflict((oc) => oc.column('installation_id').doNothing())
    .execute();
  const row = await db.selectFrom('github_installations').select('account_id').where('installation_id', '=', installationId).executeTakeFirstOrThrow();
  return row.account_id;
}

export interface NewPrScan {
  account_id: string;
  installation_id: number;
  repository: string;
  pull_number: number;
  head_sha: string;
  base_sha: string | null;
  trigger: string;
}

export async function insertPrScan(db: Kysely<Database>, scan: NewPrScan): Promise<string> {
  const id = newId('ghpr');
  await db.insertInto('github_pr_scans').values({ id, ...scan }).execute();
  return id;
}

/** A scan of this commit that is queued, running or done: a second event for it adds nothing. */
export async function existingPrScan(db: Kysely<Database>, repository: string, pullNumber: number, headSha: string): Promise<PrScanRow | undefined> {
  return db
    .selectFrom('github_pr_scans')
    .selectAll()
    .where(sql`lower(repository)`, '=', repository.toLowerCase())
    .where('pull_number', '=', pullNumber)
    .where('head_sha', '=', headSha)
    .where('status', '!=', 'failed')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The newest scan of the pull request at this commit (any status). */
export async function latestPrScan(db: Kysely<Database>, repository: string, pullNumber: number, headSha: string): Promise<PrScanRow | undefined> {
  return db
    .selectFrom('github_pr_scans')
    .selectAll()
    .where(sql`lower(repository)`, '=', repository.toLowerCase())
    .where('pull_number', '=', pullNumber)
    .where('head_sha', '=', headSha)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function getPrScan(db: Kysely<Database>, id: string): Promise<PrScanRow | undefined> {
  return db.selectFrom('github_pr_scans').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updatePrScan(
  db: Kysely<Database>,
  id: string,
  patch: Partial<{
    status: PrScanStatus;
    check_run_id: number;
    conclusion: string;
    title: string;
    scan_id: string;
    trust_score: number;
    new_issues: number;
    approval_id: string;
    outcome: string;
    message: string | null;
    base_sha: string;
  }>,
): Promise<void> {
  await db
    .updateTable('github_pr_scans')
    .set({ ...patch, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export async function upsertRepoScan(
  db: Kysely<Database>,
  row: { repository: string; account_id: string; installation_id: number; ref: string; head_sha: string; scan_id: string; trust_score: number; risk_level: string },
): Promise<void> {
  await db
    .insertInto('github_repo_scans')
    .values({ repository_key: row.repository.toLowerCase(), ...row })
    .onConflict((oc) =>
      oc.column('repository_key').doUpdateSet({
        repository: row.repository,
        account_id: row.account_id,
        installation_id: row.installation_id,
        ref: row.ref,
        head_sha: row.head_sha,
        scan_id: row.scan_id,
        trust_score: row.trust_score,
        risk_level: row.risk_level,
        updated_at: sql<Date>`now()`,
      }),
    )
    .execute();
}

export async function repoScanOf(db: Kysely<Database>, repository: string) {
  return db.selectFrom('github_repo_scans').selectAll().where('repository_key', '=', repository.toLowerCase()).executeTakeFirst();
}
