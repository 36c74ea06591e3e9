// Wiring for the runtime control plane: permission layers, the execution gate and approval
// policies. build() calls `setUpRuntime` once per process (not per route prefix), so the gate's
// snapshot cache, quota meter and log buffer exist once.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database, Plan } from '../db/schema.js';
import type { EventBus } from '../events.js';
import type { PlanLimits } from '../limits/plans.js';
import type { QuotaService } from '../limits/service.js';
import gateRoutes from './gate/routes.js';
import type { CopyRows } from '../db/copy.js';
import { GateService } from './gate/service.js';
import permissionRoutes from './permissions/routes.js';
import { PermissionService } from './permissions/service.js';
import policyRoutes from './policies/routes.js';
import { PolicyService } from './policies/service.js';

export interface RuntimeServices {
  permissions: PermissionService;
  gate: GateService;
  policies: PolicyService;
}

export interface Runtime {
  services: RuntimeServices;
  start(): void;
  /** Flushes the gate's buffered log rows and quota counts. */
  stop(): Promise<void>;
}

export function setUpRuntime(db: Kysely<Database>, events: EventBus, quotas: QuotaService, limits: Record<Plan, PlanLimits>, opts: { now?: () => number; log?: FastifyBaseLogger; copyRows?: CopyRows } = {}): Runtime {
  const gate = new GateService(db, events, quotas, limits, { now: opts.now, log: opts.log, copyRows: opts.copyRows });
  const permissions = new PermissionService(db, events, (accountId, agentId) => gate.invalidate(accountId, agentId));
  const policies = new PolicyService(db, events);
  return {
    services: { permissions, gate, policies },
    start: () => gate.start(),
    stop: () => gate.stop(),
  };
}

/** The routes, for each API prefix. */
export async function runtimeRoutes(scope: FastifyInstance): Promise<void> {
  await scope.register(permissionRoutes);
  await scope.register(gateRoutes);
  await scope.register(policyRoutes);
}
