// The internal event hook. Services emit after a change (`scan.completed`, `key.created`, …);
// later modules (webhooks, audit log) subscribe without the emitting module knowing them.
//
// Handlers run inside the transaction that made the change and are awaited in order: a webhook
// delivery row or an audit entry commits together with the change it describes, or neither does,
// so a crash can lose nothing. A handler that throws aborts the change. Handlers should therefore
// only write rows; network I/O (delivering webhooks) belongs in a worker reading those rows.
import type { Kysely } from 'kysely';
import type { Actor } from './actor.js';
import type { Database } from './db/schema.js';

export interface ScanCompletedEvent {
  account_id: string;
  scan_id: string;
  source: 'api' | 'zip' | 'import' | 'github';
  trust_score: number;
  risk_level: string;
  total_issues: number;
  files_scanned: number;
  agent_name: string | null;
  created_at: string;
}

export interface KeyEvent {
  account_id: string;
  key_id: string;
  key_prefix: string;
  name: string;
  scopes: string[];
  /** For rotation: the key that was replaced. */
  replaced_key_id?: string;
}

export interface AccountEvent {
  account_id: string;
  name: string;
  plan: string;
}

/**
 * Every event and its payload. Modules add their own events by declaration merging:
 * `declare module '../events.js' { interface AppEvents { 'approval.created': {...} } }`.
 */
export interface AppEvents {
  'scan.completed': ScanCompletedEvent;
  'key.created': KeyEvent;
  'key.revoked': KeyEvent;
  'key.rotated': KeyEvent;
  'account.created': AccountEvent;
  'account.updated': AccountEvent;
}

export type EventName = keyof AppEvents;

export interface EventContext {
  /** The transaction the change is in; write through this, not the root handle. */
  db: Kysely<Database>;
  actor: Actor;
}

export type EventHandler<K extends EventName> = (payload: AppEvents[K], ctx: EventContext) => void | Promise<void>;
export type AnyEventHandler = <K extends EventName>(name: K, payload: AppEvents[K], ctx: EventContext) => void | Promise<void>;

export class EventBus {
  private readonly handlers = new Map<EventName, EventHandler<EventName>[]>();
  private readonly any: AnyEventHandler[] = [];

  /** Subscribes to one event; returns the unsubscribe function. */
  on<K extends EventName>(name: K, handler: EventHandler<K>): () => void {
    const list = this.handlers.get(name) ?? [];
    list.push(handler as unknown as EventHandler<EventName>);
    this.handlers.set(name, list);
    return () => list.splice(list.indexOf(handler as unknown as EventHandler<EventName>) >>> 0, 1);
  }

  /** Subscribes to every event (the audit log). Runs after the named handlers. */
  onAny(handler: AnyEventHandler): () => void {
    this.any.push(handler);
    return () => this.any.splice(this.any.indexOf(handler) >>> 0, 1);
  }

  async emit<K extends EventName>(name: K, payload: AppEvents[K], ctx: EventContext): Promise<void> {
    for (const h of this.handlers.get(name) ?? []) await h(payload as AppEvents[EventName], ctx);
    for (const h of this.any) await h(name, payload, ctx);
  }
}
