import type { Plan, QuotaMetric } from '../db/schema.js';

export interface PlanLimits {
  /** Requests per key per minute (sliding window). */
  perMinute: number;
  /** Per-account daily quotas; null means unlimited. */
  daily: Record<QuotaMetric, number | null>;
}

/** ARCHITECTURE §3. The per-minute figures are ours: generous enough for CI fan-out on free. */
export const DEFAULT_PLAN_LIMITS: Readonly<Record<Plan, PlanLimits>> = Object.freeze({
  free: { perMinute: 60, daily: { scans: 100, gate_evaluations: 1_000, approval_requests: 500 } },
  pro: { perMinute: 600, daily: { scans: 10_000, gate_evaluations: 100_000, approval_requests: 50_000 } },
  enterprise: { perMinute: 6_000, daily: { scans: null, gate_evaluations: null, approval_requests: null } },
});

export type PlanLimitOverrides = Partial<Record<Plan, Partial<Omit<PlanLimits, 'daily'>> & { daily?: Partial<PlanLimits['daily']> }>>;

export function resolvePlanLimits(overrides: PlanLimitOverrides = {}): Record<Plan, PlanLimits> {
  const out = {} as Record<Plan, PlanLimits>;
  for (const plan of Object.keys(DEFAULT_PLAN_LIMITS) as Plan[]) {
    const base = DEFAULT_PLAN_LIMITS[plan];
    const o = overrides[plan] ?? {};
    out[plan] = { perMinute: o.perMinute ?? base.perMinute, daily: { ...base.daily, ...(o.daily ?? {}) } };
  }
  return out;
}
