// API keys: `ac_` + 256 random bits. Only the SHA-256 is stored (a fast hash is right here: the
// secret has full entropy, so there is nothing for a slow hash to protect against), plus a short
// prefix so people can tell their keys apart. The secret is returned once, at creation.
import { hash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor, Scope } from '../../actor.js';
import { SCOPES } from '../../actor.js';
import type { ApiKeyRow, Database } from '../../db/schema.js';
import { ApiError, notFound } from '../../errors.js';
import type { EventBus } from '../../events.js';
import { newId } from '../../ids.js';
import { pageForAccount } from '../../db/page.js';

export const KEY_PATTERN = /^ac_[A-Za-z0-9_-]{32,128}$/;
export const EXPIRIES = ['30d', '60d', '90d', '1y', 'never'] as const;
export type Expiry = (typeof EXPIRIES)[number];
const EXPIRY_DAYS: Record<Exclude<Expiry, 'never'>, number> = { '30d': 30, '60d': 60, '90d': 90, '1y': 365 };
const PREFIX_LENGTH = 11; // `ac_` + 8 characters

export function generateKey(): string {
  return `ac_${randomBytes(32).toString('base64url')}`;
}

export function hashKey(key: string): string {
  // One-shot: every authenticated request hashes its key, and a Hash object per call cost more than the digest.
  return hash('sha256', key, 'hex');
}

export function keyPrefix(key: string): string {
  return key.slice(0, PREFIX_LENGTH);
}

export function expiryDate(expiry: Expiry, from = new Date()): Date | null {
  return expiry === 'never' ? null : new Date(from.getTime() + EXPIRY_DAYS[expiry] * 86_400_000);
}

export type KeyStatus = 'active' | 'revoked' | 'expired';

export interface KeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  status: KeyStatus;
  rate_limit_per_minute: number | null;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  rotated_from: string | null;
  created_at: string;
}

export function keyStatus(row: Pick<ApiKeyRow, 'revoked_at' | 'expires_at'>, now = Date.now()): KeyStatus {
  if (row.revoked_at && row.revoked_at.getTime() <= now) return 'revoked';
  if (row.expires_at && row.expires_at.getTime() <= now) return 'expired';
  return 'active';
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toKeyView(row: ApiKeyRow): KeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    status: keyStatus(row),
    rate_limit_per_minute: row.rate_limit_per_minute,
    expires_at: iso(row.expires_at),
    last_used_at: iso(row.last_used_at),
    revoked_at: iso(row.revoked_at),
    rotated_from: row.rotated_from,
    created_at: row.created_at.toISOString(),
  };
}

export interface CreateKeyInput {
  name: string;
  scopes: Scope[];
  expires_in?: Expiry;
  rate_limit_per_minute?: number | null;
}

/** A key may only hand out (or manage keys holding) scopes it holds itself; `admin` holds all. */
function assertCanGrant(actor: Actor, scopes: readonly string[]): void {
  if (actor.kind !== 'key' || actor.scopes.includes('admin')) return;
  const missing = scopes.filter((s) => !actor.scopes.includes(s as Scope));
  if (missing.length) {
    throw new ApiError(403, 'scope_escalation', `this key cannot grant or manage scopes it does not hold: ${missing.join(', ')}`);
  }
}

export class KeyService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly events: EventBus,
  ) {}

  /** Inserts a key; `db` may be a transaction. Returns the row and the secret (shown once). */
  static async insertKey(
    db: Kysely<Database>,
    accountId: string,
    input: CreateKeyInput & { secret?: string; created_by?: string | null; rotated_from?: string | null; expires_at?: Date | null },
  ): Promise<{ row: ApiKeyRow; secret: string }> {
    const secret = input.secret ?? generateKey();
    const scopes = [...new Set(input.scopes)].filter((s) => (SCOPES as readonly string[]).includes(s));
    const row = await db
      .insertInto('api_keys')
      .values({
        id: newId('key'),
        account_id: accountId,
        name: input.name,
        prefix: keyPrefix(secret),
        key_hash: hashKey(secret),
        scopes: JSON.stringify(scopes),
        rate_limit_per_minute: input.rate_limit_per_minute ?? null,
        expires_at: input.expires_at !== undefined ? input.expires_at : expiryDate(input.expires_in ?? '90d'),
        created_by: input.created_by ?? null,
        rotated_from: input.rotated_from ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { row, secret };
  }

  async create(actor: Actor, accountId: string, input: CreateKeyInput): Promise<{ view: KeyView; secret: string }> {
    assertCanGrant(actor, input.scopes);
    return this.db.transaction().execute(async (trx) => {
      const { row, secret } = await KeyService.insertKey(trx, accountId, { ...input, created_by: actor.kind === 'key' ? actor.key_id : null });
      await this.events.emit('key.created', eventOf(row), { db: trx, actor });
      return { view: toKeyView(row), secret };
    });
  }

  async list(accountId: string, page: number, limit: number): Promise<{ data: KeyView[]; total: number }> {
    const { rows, total } = await pageForAccount(this.db, 'api_keys', accountId, page, limit);
    return { data: rows.map(toKeyView), total };
  }

  /** Another account's key is indistinguishable from no key: 404. */
  async get(accountId: string, keyId: string): Promise<ApiKeyRow> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('id', '=', keyId).where('account_id', '=', accountId).executeTakeFirst();
    if (!row) throw notFound('key');
    return row;
  }

  /** Idempotent: revoking a revoked key answers with it unchanged. */
  async revoke(actor: Actor, accountId: string, keyId: string): Promise<KeyView> {
    const existing = await this.get(accountId, keyId);
    assertCanGrant(actor, existing.scopes);
    if (existing.revoked_at) return toKeyView(existing);
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('api_keys')
        .set({ revoked_at: new Date() })
        .where('id', '=', keyId)
        .where('account_id', '=', accountId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.events.emit('key.revoked', eventOf(row), { db: trx, actor });
      return toKeyView(row);
    });
  }

  /**
   * A new secret with the same name, scopes, limit and lifetime; the old key stops working now, or
   * after `graceSeconds` so deployments can roll over without an outage.
   */
  async rotate(actor: Actor, accountId: string, keyId: string, graceSeconds = 0): Promise<{ view: KeyView; secret: string; old: KeyView }> {
    const old = await this.get(accountId, keyId);
    assertCanGrant(actor, old.scopes);
    if (keyStatus(old) !== 'active') throw new ApiError(409, 'key_not_active', `key ${keyId} is ${keyStatus(old)} and cannot be rotated`);
    const lifetime = old.expires_at ? old.expires_at.getTime() - old.created_at.getTime() : null;
    return this.db.transaction().execute(async (trx) => {
      // Conditional on the key still being unrevoked: two concurrent rotations cannot both win.
      const retired = await trx
        .updateTable('api_keys')
        .set({ revoked_at: new Date(Date.now() + graceSeconds * 1000) })
        .where('id', '=', keyId)
        .where('account_id', '=', accountId)
        .where('revoked_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (!retired) throw new ApiError(409, 'key_not_active', `key ${keyId} was revoked or rotated meanwhile`);
      const { row, secret } = await KeyService.insertKey(trx, accountId, {
        name: old.name,
        scopes: old.scopes as Scope[],
        rate_limit_per_minute: old.rate_limit_per_minute,
        expires_at: lifetime === null ? null : new Date(Date.now() + lifetime),
        created_by: actor.kind === 'key' ? actor.key_id : null,
        rotated_from: old.id,
      });
      await this.events.emit('key.rotated', { ...eventOf(row), replaced_key_id: old.id }, { db: trx, actor });
      return { view: toKeyView(row), secret, old: toKeyView(retired) };
    });
  }
}

function eventOf(row: ApiKeyRow) {
  return { account_id: row.account_id, key_id: row.id, key_prefix: row.prefix, name: row.name, scopes: row.scopes };
}
