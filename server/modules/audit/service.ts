// The audit log: every mutation, appended with who, what, which target, when, and the previous
// entry's hash. One chain per account:
//
//   hash = sha256_hex(prev_hash + canonical_json(entry))
//
// where `entry` is every stored field except the two hashes, `prev_hash` of the first entry is 64
// zeros, and canonical JSON sorts object keys and has no insignificant whitespace. Anyone with a
// copy of the rows can recompute the chain (see `verifyAuditChain`).
//
// Appends are serialized per account with a transaction-scoped advisory lock, taken inside the
// transaction that makes the change: the entry commits with the change or not at all, and two
// concurrent mutations cannot both link to the same predecessor (the unique (account_id, seq)
// index would refuse the second anyway). Rows are protected by a trigger that refuses UPDATE,
// DELETE and TRUNCATE.
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { redactSecrets } from '../../../engine/redact.js';
import { actorLabel, type Actor } from '../../actor.js';
import type { AuditLogTable, Database } from '../../db/schema.js';
import type { EventBus, EventName } from '../../events.js';
import { newId } from '../../ids.js';
import type { Selectable } from 'kysely';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditRow = Selectable<AuditLogTable>;

export interface AuditInput {
  account_id: string;
  action: string;
  actor: Actor;
  target_type?: string | null;
  target_id?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditEntryView {
  id: string;
  seq: number;
  action: string;
  actor: { label: string; kind: string; key_prefix: string | null; ip: string | null };
  target: { type: string | null; id: string | null };
  details: Record<string, unknown>;
  created_at: string;
  prev_hash: string;
  hash: string;
}

/** JSON with object keys sorted at every level and no whitespace: one byte string per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const s = JSON.stringify(value);
    // undefined, functions and symbols have no JSON form; inside objects they are dropped (below).
    return s === undefined ? 'null' : s;
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalJson((value as { toJSON(): unknown }).toJSON());
  const keys = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** The fields the hash covers, in the form they are stored and read back. */
function hashedFields(row: Omit<AuditRow, 'hash' | 'prev_hash'>): Record<string, unknown> {
  return {
    id: row.id,
    account_id: row.account_id,
    seq: Number(row.seq),
    action: row.action,
    actor: row.actor,
    actor_kind: row.actor_kind,
    actor_key_prefix: row.actor_key_prefix,
    ip: row.ip,
    target_type: row.target_type,
    target_id: row.target_id,
    details: row.details,
    created_at: row.created_at instanceof Date ? row.created_at.toISOString() : String(row.created_at),
  };
}

export function entryHash(prevHash: string, row: Omit<AuditRow, 'hash' | 'prev_hash'>): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(hashedFields(row))).digest('hex');
}

/**
 * Details are stored as jsonb and must hash the same after the round trip: drop what JSON drops,
 * strip NUL (jsonb refuses it), and redact anything that looks like a secret in string values.
 */
function cleanDetails(details: Record<string, unknown> | undefined): Record<string, unknown> {
  const clean = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redactSecrets(v.replace(/\u0000/g, ''));
    if (v === null || typeof v !== 'object') return typeof v === 'number' && !Number.isFinite(v) ? null : v;
    if (depth > 20) return '[too deep]';
    if (Array.isArray(v)) return v.map((x) => clean(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined && typeof x !== 'function') out[k.replace(/\u0000/g, '')] = clean(x, depth + 1);
    return out;
  };
  return JSON.parse(JSON.stringify(clean(details ?? {}, 0))) as Record<string, unknown>;
}

/** 64-bit advisory lock key per account, distinct from any other use of advisory locks. */
const lockKey = (accountId: string) => sql`hashtextextended(${`agentcop:audit:${accountId}`}, 0)`;

/**
 * Appends one entry. Pass the transaction that makes the change; with the root handle it opens its
 * own. Takes the account's chain lock until that transaction ends.
 */
export async function appendAudit(db: Kysely<Database>, input: AuditInput): Promise<AuditRow> {
  if (!db.isTransaction) return db.transaction().execute((trx) => appendAudit(trx, input));
  await sql`SELECT pg_advisory_xact_lock(${lockKey(input.account_id)})`.execute(db);
  const last = await db
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .where('account_id', '=', input.account_id)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const actor = input.actor;
  const base = {
    id: newId('aud'),
    account_id: input.account_id,
    seq: last ? Number(last.seq) + 1 : 1,
    action: input.action,
    actor: actorLabel(actor),
    actor_kind: actor.kind,
    actor_key_prefix: actor.kind === 'key' ? actor.key_prefix : null,
    ip: actor.kind === 'system' ? null : actor.ip,
    target_type: input.target_type ?? null,
    target_id: input.target_id ?? null,
    details: cleanDetails(input.details),
    // Milliseconds, written explicitly: the stored value reads back exactly, so the hash holds.
    created_at: new Date(),
  };
  const prev_hash = last?.hash ?? GENESIS_HASH;
  const hash = entryHash(prev_hash, base);
  return db
    .insertInto('audit_log')
    .values({ ...base, details: JSON.stringify(base.details), prev_hash, hash })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * What an event says about its target: the type is the event's prefix (`approval.decided` ->
 * `approval`), the id is the payload's `<type>_id`. A payload field named after the type holding
 * the full object (`approval: {...}`) is left out of the details: the entry records the change,
 * the table holds the object.
 */
export function auditFromEvent(name: string, payload: Record<string, unknown>): Omit<AuditInput, 'actor'> {
  const type = name.split('.')[0];
  const id = payload[`${type}_id`];
  const { account_id, [type]: _full, ...details } = payload;
  return {
    account_id: String(account_id),
    action: name,
    target_type: type,
    target_id: typeof id === 'string' ? id : null,
    details,
  };
}

/**
 * Subscribes the audit log to every event on the bus: each one is appended in the transaction that
 * emitted it. Events that are not changes (none yet) can be listed in `skip`.
 */
export function installAuditLog(events: EventBus, skip: ReadonlySet<string> = new Set()): () => void {
  return events.onAny(async (name: EventName, payload, ctx) => {
    if (skip.has(name)) return;
    const p = payload as unknown as Record<string, unknown>;
    if (typeof p.account_id !== 'string') return;
    await appendAudit(ctx.db, { ...auditFromEvent(name, p), actor: ctx.actor });
  });
}

export function toAuditView(row: AuditRow): AuditEntryView {
  return {
    id: row.id,
    seq: Number(row.seq),
    action: row.action,
    actor: { label: row.actor, kind: row.actor_kind, key_prefix: row.actor_key_prefix, ip: row.ip },
    target: { type: row.target_type, id: row.target_id },
    details: row.details,
    created_at: row.created_at.toISOString(),
    prev_hash: row.prev_hash,
    hash: row.hash,
  };
}

export interface AuditQuery {
  page: number;
  limit: number;
  action?: string;
  actor?: string;
  target_type?: string;
  target_id?: string;
  from?: Date;
  to?: Date;
  order?: 'asc' | 'desc';
}

export interface ChainVerification {
  valid: boolean;
  entries_checked: number;
  head: { seq: number; hash: string } | null;
  /** The first entry that does not verify, and why. */
  broken_at?: { seq: number; id: string | null; reason: string };
}

/**
 * Walks an account's chain from the first entry: every `seq` in order with no gap, every
 * `prev_hash` equal to the previous entry's hash, every `hash` recomputed from the stored fields.
 * Tampering with any stored field, deleting or inserting an entry breaks it.
 */
export async function verifyAuditChain(db: Kysely<Database>, accountId: string, batch = 1_000): Promise<ChainVerification> {
  let prev = GENESIS_HASH;
  let expected = 1;
  let checked = 0;
  let head: ChainVerification['head'] = null;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('seq', '>=', expected)
      .orderBy('seq', 'asc')
      .limit(batch)
      .execute();
    for (const row of rows) {
      const seq = Number(row.seq);
      const fail = (reason: string): ChainVerification => ({ valid: false, entries_checked: checked, head, broken_at: { seq, id: row.id, reason } });
      if (seq !== expected) return { valid: false, entries_checked: checked, head, broken_at: { seq: expected, id: null, reason: `entry ${expected} is missing (next is ${seq})` } };
      if (row.prev_hash !== prev) return fail('prev_hash does not match the previous entry’s hash');
      const { hash: _h, prev_hash: _p, ...rest } = row;
      if (entryHash(row.prev_hash, rest) !== row.hash) return fail('hash does not match the entry’s contents');
      prev = row.hash;
      expected += 1;
      checked += 1;
      head = { seq, hash: row.hash };
    }
    if (rows.length < batch) break;
  }
  return { valid: true, entries_checked: checked, head };
}

export class AuditService {
  constructor(private readonly db: Kysely<Database>) {}

  /** Appends outside any event (for a change that emits none). Prefer emitting an event. */
  append(db: Kysely<Database>, input: AuditInput): Promise<AuditRow> {
    return appendAudit(db, input);
  }

  async list(accountId: string, q: AuditQuery): Promise<{ data: AuditEntryView[]; total: number }> {
    let base = this.db.selectFrom('audit_log').where('account_id', '=', accountId);
    if (q.action !== undefined) {
      // `approval.*` matches a family of actions.
      base = q.action.endsWith('.*') ? base.where('action', 'like', `${q.action.slice(0, -1).replace(/[%_\\]/g, '\\$&')}%`) : base.where('action', '=', q.action);
    }
    if (q.actor !== undefined) base = base.where('actor', '=', q.actor);
    if (q.target_type !== undefined) base = base.where('target_type', '=', q.target_type);
    if (q.target_id !== undefined) base = base.where('target_id', '=', q.target_id);
    if (q.from) base = base.where('created_at', '>=', q.from);
    if (q.to) base = base.where('created_at', '<=', q.to);
    const order = q.order ?? 'desc';
    const [rows, count] = await Promise.all([
      base
        .selectAll()
        .orderBy('seq', order)
        .limit(q.limit)
        .offset((q.page - 1) * q.limit)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { data: rows.map(toAuditView), total: Number(count.n) };
  }

  /** One target's entries, oldest first (the per-approval trail). */
  async forTarget(accountId: string, type: string, id: string): Promise<AuditEntryView[]> {
    const rows = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('target_type', '=', type)
      .where('target_id', '=', id)
      .orderBy('seq', 'asc')
      .execute();
    return rows.map(toAuditView);
  }

  verify(accountId: string): Promise<ChainVerification> {
    return verifyAuditChain(this.db, accountId);
  }
}
