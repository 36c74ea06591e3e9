// Parameter conditions, shared by approval policies and gate policies:
//   { "amount": { "$gt": 100 }, "currency": { "$in": ["EUR", "USD"] }, "to": { "$regex": "@corp\\.com$" },
//     "mode": "fast" }
// A key is a dotted path into the parameters; a plain value means equality. Conditions are
// compiled once (regexes checked and built) into plain closures, so matching allocates nothing.
//
// `$regex` runs user-supplied patterns on the request path, with no RE2 available: a pattern is
// refused unless it is short, compiles, has no backreference and passes safe-regex2's star-height
// check (no nested quantifiers, the shape behind catastrophic backtracking). Matching also only
// looks at the first MAX_REGEX_INPUT characters of a value, which bounds what is left.
import safeRegex from 'safe-regex2';
import { ApiError } from '../../errors.js';

export const OPERATORS = ['$eq', '$ne', '$in', '$nin', '$lt', '$gt', '$lte', '$gte', '$regex', '$exists'] as const;
export type Operator = (typeof OPERATORS)[number];

export const MAX_REGEX_LENGTH = 256;
export const MAX_REGEX_INPUT = 4_096;
const MAX_PATH_DEPTH = 8;

export type Matcher = (params: Record<string, unknown>) => boolean;

/** The value at a dotted path (`to.email`), or undefined. */
export function valueAt(obj: unknown, path: readonly string[]): unknown {
  let v = obj;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** Compiles `pattern` for `$regex`, or throws 400 `unsafe_regex` / `invalid_regex`. */
export function compileSafeRegex(pattern: unknown, where: string): RegExp {
  if (typeof pattern !== 'string' || pattern.length === 0) throw new ApiError(400, 'invalid_regex', `${where}: $regex takes a non-empty string`);
  if (pattern.length > MAX_REGEX_LENGTH) throw new ApiError(400, 'unsafe_regex', `${where}: $regex patterns are limited to ${MAX_REGEX_LENGTH} characters`);
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (err) {
    throw new ApiError(400, 'invalid_regex', `${where}: ${(err as Error).message}`);
  }
  // Backreferences (\1, \k<name>) make matching NP-hard in general; nothing a policy needs.
  if (/\\[1-9]|\\k</.test(pattern.replace(/\\\\/g, ''))) {
    throw new ApiError(400, 'unsafe_regex', `${where}: $regex ${JSON.stringify(pattern)} uses a backreference, which can take exponential time`);
  }
  if (!safeRegex(pattern)) {
    throw new ApiError(400, 'unsafe_regex', `${where}: $regex ${JSON.stringify(pattern)} nests quantifiers (like (a+)+) and can take exponential time; rewrite it without a repeated group that itself repeats`);
  }
  return re;
}

const isNumberLike = (v: unknown): v is number | string => typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)));

function compare(op: '$lt' | '$gt' | '$lte' | '$gte', bound: number | string): (v: unknown) => boolean {
  const numeric = typeof bound === 'number';
  return (v) => {
    let a: number | string;
    if (numeric) {
      if (!isNumberLike(v)) return false;
      a = Number(v);
    } else {
      if (typeof v !== 'string') return false;
      a = v;
    }
    switch (op) {
      case '$lt':
        return a < bound;
      case '$gt':
        return a > bound;
      case '$lte':
        return a <= bound;
      case '$gte':
        return a >= bound;
    }
  };
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

function isOperatorObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => k.startsWith('$'));
}

/** One field's test, from `{ $gt: 1, $lt: 10 }` (all must hold) or a plain value (equality). */
function compileField(spec: unknown, where: string): (v: unknown) => boolean {
  if (!isOperatorObject(spec)) return (v) => equal(v, spec);
  const tests: ((v: unknown) => boolean)[] = [];
  for (const [op, arg] of Object.entries(spec)) {
    const at = `${where}.${op}`;
    switch (op as Operator) {
      case '$eq':
        tests.push((v) => equal(v, arg));
        break;
      case '$ne':
        tests.push((v) => !equal(v, arg));
        break;
      case '$in':
      case '$nin': {
        if (!Array.isArray(arg)) throw new ApiError(400, 'invalid_condition', `${at} takes an array`);
        const set = new Set(arg.filter((x) => typeof x !== 'object' || x === null));
        const objects = arg.filter((x) => typeof x === 'object' && x !== null);
        // An array value matches when any element is in the list (tags: ["a", "b"]).
        const one = (v: unknown) => set.has(v) || objects.some((o) => equal(o, v));
        const any = (v: unknown) => (Array.isArray(v) ? v.some(one) : one(v));
        tests.push(op === '$in' ? any : (v) => v !== undefined && !any(v));
        break;
      }
      case '$lt':
      case '$gt':
      case '$lte':
      case '$gte':
        if (typeof arg !== 'number' && typeof arg !== 'string') throw new ApiError(400, 'invalid_condition', `${at} takes a number or a string`);
        if (typeof arg === 'number' && !Number.isFinite(arg)) throw new ApiError(400, 'invalid_condition', `${at} takes a finite number`);
        tests.push(compare(op as '$lt', arg));
        break;
      case '$regex': {
        const re = compileSafeRegex(arg, at);
        tests.push((v) => typeof v === 'string' && re.test(v.length > MAX_REGEX_INPUT ? v.slice(0, MAX_REGEX_INPUT) : v));
        break;
      }
      case '$exists':
        if (typeof arg !== 'boolean') throw new ApiError(400, 'invalid_condition', `${at} takes true or false`);
        tests.push(arg ? (v) => v !== undefined : (v) => v === undefined);
        break;
      default:
        throw new ApiError(400, 'invalid_condition', `${at}: unknown operator; use one of ${OPERATORS.join(', ')}`);
    }
  }
  return (v) => {
    for (const t of tests) if (!t(v)) return false;
    return true;
  };
}

/**
 * `{ "amount": { "$gt": 100 } }` -> a function of the parameters that is true when every field
 * holds. Throws 400 (`invalid_condition`, `unsafe_regex`, `invalid_regex`) on a bad condition.
 */
export function compileConditions(conditions: unknown, where = 'parameters'): Matcher {
  if (conditions === undefined || conditions === null) return () => true;
  if (typeof conditions !== 'object' || Array.isArray(conditions)) throw new ApiError(400, 'invalid_condition', `${where} must be an object of field conditions`);
  const fields = Object.entries(conditions as Record<string, unknown>).map(([key, spec]) => {
    const path = key.split('.');
    if (path.length > MAX_PATH_DEPTH || path.some((p) => p === '')) throw new ApiError(400, 'invalid_condition', `${where}: ${JSON.stringify(key)} is not a valid field path`);
    return { path, test: compileField(spec, `${where}.${key}`) };
  });
  if (fields.length === 0) return () => true;
  return (params) => {
    for (const f of fields) if (!f.test(valueAt(params, f.path))) return false;
    return true;
  };
}
