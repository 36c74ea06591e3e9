import type { Kysely } from 'kysely';
import type { Actor, Scope } from '../../actor.js';
import type { Account, Database, Plan } from '../../db/schema.js';
import { ApiError, notFound } from '../../errors.js';
import type { EventBus } from '../../events.js';
import { newId } from '../../ids.js';
import { KEY_PATTERN, KeyService, type KeyView, toKeyView } from '../keys/service.js';

export interface AccountView {
  id: string;
  name: string;
  plan: Plan;
  is_operator: boolean;
  created_at: string;
}

export function toAccountView(a: Account): AccountView {
  return { id: a.id, name: a.name, plan: a.plan, is_operator: a.is_operator, created_at: a.created_at.toISOString() };
}

const ADMIN_SCOPES: Scope[] = ['admin'];

export class AccountService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly events: EventBus,
  ) {}

  async get(id: string): Promise<Account> {
    const row = await this.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('account');
    return row;
  }

  /** A new account with its first admin key (which never expires: it is how the account gets in). */
  async create(actor: Actor, input: { name: string; plan: Plan }): Promise<{ account: AccountView; key: KeyView; secret: string }> {
    return this.db.transaction().execute(async (trx) => {
      const account = await trx.insertInto('accounts').values({ id: newId('acct'), name: input.name, plan: input.plan }).returningAll().executeTakeFirstOrThrow();
      const { row, secret } = await KeyService.insertKey(trx, account.id, { name: 'admin', scopes: ADMIN_SCOPES, expires_at: null, created_by: actor.kind === 'key' ? actor.key_id : null });
      const ctx = { db: trx, actor };
      await this.events.emit('account.created', { account_id: account.id, name: account.name, plan: account.plan }, ctx);
      await this.events.emit('key.created', { account_id: account.id, key_id: row.id, key_prefix: row.prefix, name: row.name, scopes: row.scopes }, ctx);
      return { account: toAccountView(account), key: toKeyView(row), secret };
    });
  }

  async list(page: number, limit: number): Promise<{ data: AccountView[]; total: number }> {
    const [rows, count] = await Promise.all([
      this.db.selectFrom('accounts').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset((page - 1) * limit).execute(),
      this.db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { data: rows.map(toAccountView), total: Number(count.n) };
  }

  async update(actor: Actor, id: string, patch: { name?: string; plan?: Plan }): Promise<AccountView> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.updateTable('accounts').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
      if (!row) throw notFound('account');
      await this.events.emit('account.updated', { account_id: row.id, name: row.name, plan: row.plan }, { db: trx, actor });
      return toAccountView(row);
    });
  }

  /**
   * First start on an empty database: one operator account and an admin key. The `meta` row is
   * the once-only guard — of several replicas starting together, only the one whose insert lands
   * creates anything. Returns the secret to print, or null when the database was already set up.
   */
  async bootstrap(presetKey: string | undefined): Promise<{ account: AccountView; secret: string; preset: boolean } | null> {
    if (presetKey !== undefined && !KEY_PATTERN.test(presetKey)) {
      throw new ApiError(500, 'invalid_bootstrap_key', 'AGENTCOP_BOOTSTRAP_KEY must look like ac_ followed by at least 32 url-safe characters');
    }
    return this.db.transaction().execute(async (trx) => {
      const claimed = await trx
        .insertInto('meta')
        .values({ key: 'bootstrap', value: new Date().toISOString() })
        .onConflict((oc) => oc.column('key').doNothing())
        .returning('key')
        .executeTakeFirst();
      if (!claimed) return null;
      const actor: Actor = { kind: 'system', reason: 'bootstrap' };
      const account = await trx
        .insertInto('accounts')
        .values({ id: newId('acct'), name: 'default', plan: 'enterprise', is_operator: true })
        .returningAll()
        .executeTakeFirstOrThrow();
      const { row, secret } = await KeyService.insertKey(trx, account.id, { name: 'bootstrap admin', scopes: ADMIN_SCOPES, expires_at: null, secret: presetKey });
      const ctx = { db: trx, actor };
      await this.events.emit('account.created', { account_id: account.id, name: account.name, plan: account.plan }, ctx);
      await this.events.emit('key.created', { account_id: account.id, key_id: row.id, key_prefix: row.prefix, name: row.name, scopes: row.scopes }, ctx);
      return { account: toAccountView(account), secret, preset: presetKey !== undefined };
    });
  }
}
