// Authentication, the per-key rate limit and scope checks, for every route. Routes say what they
// need in their config: `{ scope: 'scan:write' }`, or `{ public: true }` for the badge, the share
// page, health and docs. Anything else needs a valid key: new routes are closed by default.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasScope, SCOPES, type Actor, type Scope } from '../actor.js';
import type { Plan } from '../db/schema.js';
import { ApiError } from '../errors.js';
import { slidingWindow } from '../limits/service.js';
import type { Gatekeeper } from './gatekeeper.js';
import type { PlanLimits } from '../limits/plans.js';
import { hashKey, KEY_PATTERN } from '../modules/keys/service.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a key needs for this route (`admin` holds them all). */
    scope?: Scope;
    /** No key needed (and none counted). */
    public?: boolean;
  }
  interface FastifyRequest {
    actor: Actor;
  }
}

const WWW_AUTH = { 'www-authenticate': 'Bearer realm="agentcop"' };

/** `X-AgentCop-Key: ac_…`, or `Authorization: Bearer ac_…`. */
export function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-agentcop-key'];
  if (typeof header === 'string' && header.trim()) return header.trim();
  const auth = request.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  return undefined;
}

export function installAuth(app: FastifyInstance, gatekeeper: Gatekeeper, limits: Record<Plan, PlanLimits>, now: () => number): void {
  // A placeholder per request shape (V8 hidden classes); the hook below always sets it.
  app.decorateRequest('actor', null as never);

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const config = request.routeOptions.config ?? {};
    if (request.is404 || config.public) {
      request.actor = { kind: 'anonymous', ip: request.ip };
      return;
    }
    const key = presentedKey(request);
    if (!key) throw new ApiError(401, 'missing_api_key', 'send your API key in the X-AgentCop-Key header (or Authorization: Bearer)', undefined, WWW_AUTH);
    // A malformed key cannot exist: refuse it without a database round trip.
    if (!KEY_PATTERN.test(key)) throw new ApiError(401, 'invalid_api_key', 'the API key is not valid', undefined, WWW_AUTH);

    const t = now();
    const limitOf = (row: { rate_limit_per_minute: number | null; plan: Plan }) => {
      const planLimit = limits[row.plan].perMinute;
      return row.rate_limit_per_minute ? Math.min(row.rate_limit_per_minute, planLimit) : planLimit;
    };
    const admitted = await gatekeeper.admit(hashKey(key), limitOf);
    const row = admitted?.row;
    if (!admitted || !row) throw new ApiError(401, 'invalid_api_key', 'the API key is not valid', undefined, WWW_AUTH);
    if (!row.valid) {
      const revoked = row.revoked_at !== null && row.revoked_at.getTime() <= t;
      throw revoked
        ? new ApiError(401, 'revoked_api_key', `the API key ${row.prefix}… has been revoked`, undefined, WWW_AUTH)
        : new ApiError(401, 'expired_api_key', `the API key ${row.prefix}… expired at ${row.expires_at?.toISOString()}`, undefined, WWW_AUTH);
    }

    const limit = limitOf(row);
    const window = slidingWindow(admitted.current, admitted.previous, limit, t);
    reply.header('x-ratelimit-limit', String(window.limit));
    reply.header('x-ratelimit-remaining', String(window.remaining));
    reply.header('x-ratelimit-reset', String(window.resetSeconds));

    request.actor = {
      kind: 'key',
      account_id: row.account_id,
      key_id: row.id,
      key_prefix: row.prefix,
      scopes: row.scopes.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)),
      plan: row.plan,
      is_operator: row.is_operator,
      ip: request.ip,
    };
    if (!window.allowed) {
      throw new ApiError(429, 'rate_limited', `more than ${window.limit} requests per minute for this key; retry in ${window.retryAfter} s`, undefined, {
        'retry-after': String(window.retryAfter),
      });
    }
    if (config.scope && !hasScope(request.actor, config.scope)) {
      throw new ApiError(403, 'insufficient_scope', `this key lacks the ${config.scope} scope`);
    }
  });
}

/** For services: the calling key, or a 401 if a route forgot to require one. */
export function keyActor(request: FastifyRequest) {
  if (request.actor.kind !== 'key') throw new ApiError(401, 'missing_api_key', 'an API key is required');
  return request.actor;
}
