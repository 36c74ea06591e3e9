// Who is making a request. Every request carries one (`request.actor`), so the audit log can say
// who did what without each route having to remember to pass it along.
import type { Plan } from './db/schema.js';

export const SCOPES = [
  'scan:write',
  'scan:read',
  'approvals:read',
  'approvals:write',
  'approvals:decide',
  'webhooks:manage',
  'sandbox:read',
  'sandbox:write',
  'keys:manage',
  'gate:evaluate',
  'gate:read',
  'gate:manage',
  'policies:manage',
  'admin',
] as const;
export type Scope = (typeof SCOPES)[number];

export interface KeyActor {
  kind: 'key';
  account_id: string;
  key_id: string;
  /** The display prefix (`ac_AbCdEf12`), safe to log and show. */
  key_prefix: string;
  scopes: Scope[];
  plan: Plan;
  /** The operator account may create and change other accounts. */
  is_operator: boolean;
  ip: string;
}

export type Actor = KeyActor | { kind: 'anonymous'; ip: string } | { kind: 'system'; reason: string };

/** `admin` holds every scope. */
export function hasScope(actor: Actor, scope: Scope): boolean {
  return actor.kind === 'key' && (actor.scopes.includes('admin') || actor.scopes.includes(scope));
}

/** A stable one-line name for logs and audit entries. */
export function actorLabel(actor: Actor): string {
  if (actor.kind === 'key') return `key:${actor.key_id}`;
  if (actor.kind === 'system') return `system:${actor.reason}`;
  return 'anonymous';
}
