import type { Plan, QuotaMetric } from '../db/schema.js';

export interface PlanLimits {
  /** Requests per key per minute (sliding window). */
  perMinute: number;
  /** Per-account daily quotas; null means unlimited. */
  daily: Record<QuotaMetric, number | null>;
  /** Live sandboxes per account at once; null means unlimited. */
  sandboxes: number | null;
}

/** ARCHITECTURE §3. The per-minute figures are ours: generous enough for CI fan-out on free. */
export const DEFAULT_PLAN_LIMITS: Readonly<Record<Plan, PlanLimits>> = Object.freeze({
  // Sandboxes: free 3 is ARCHITECTURE's; pro and enterprise are ours (a warm wasm sandbox holds
  // tens of MB to its memory cap, so even enterprise gets a bound a single server can carry).
  free: { perMinute: 60, daily: { scans: 100, gate_evaluations: 1_000, approval_requests: 500 }, sandboxes: 3 },
  pro: { perMinute: 600, daily: { scans: 10_000, gate_evaluations: 100_000, approval_requests: 50_000 }, sandboxes: 20 },
  enterprise: { perMinute: 6_000, daily: { scans: null, gate_evaluations: null, approval_requests: null }, sandboxes: 100 },
});

export type PlanLimitOverrides = Partial<Record<Plan, Partial<Omit<PlanLimits, 'daily'>> & { daily?: Partial<PlanLimits['daily']> }>>;

export function resolvePlanLimits(overrides: PlanLimitOverrides = {}): Record<Plan, PlanLimits> {
  const out = {} as Record<Plan, PlanLimits>;
  for (const plan of Object.keys(DEFAULT_PLAN_LIMITS) as Plan[]) {
    const base = DEFAULT_PLAN_LIMITS[plan];
    const o = overrides[plan] ?? {};
    out[plan] = {
      perMinute: o.perMinute ?? base.perMinute,
      daily: { ...base.daily, ...(o.daily ?? {}) },
      sandboxes: o.sandboxes !== undefined ? o.sandboxes : base.sandboxes,
    };
  }
  return out;
}
