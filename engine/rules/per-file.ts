import type { PyModel } from '../flow/python.js';

/**
 * `compute` run once per file model, its answer shared: several rules ask the same per-file
 * question (output sites, sink classes, system texts), often once per call site. The answer is
 * read-only for every caller.
 */
export function perFile<T>(compute: (model: PyModel) => T): (model: PyModel) => T {
  const cache = new WeakMap<PyModel, T>();
  return (model) => {
    const hit = cache.get(model);
    if (hit !== undefined) return hit;
    const value = compute(model);
    cache.set(model, value);
    return value;
  };
}
