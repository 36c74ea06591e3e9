/**
 * What kind of untrusted (or sensitive) data a value carries. Findings say which kind reached a
 * sink, because "user text into a shell" and "model output into a shell" need different fixes.
 */
export type TaintKind =
  | 'user' // web request data, input(), argv
  | 'model' // LLM output, and tool arguments the model chooses
  | 'retrieved' // documents from vector stores and retrievers
  | 'web' // fetched web pages and search results
  | 'file' // file contents
  | 'env' // environment values that are not secrets
  | 'secret' // credentials: key-shaped literals, key-named environment values
  | 'pii' // personal data fields
  | 'sysprompt' // system prompt text
  | 'param'; // symbolic: the n-th parameter of the enclosing function (resolved after analysis)

/** Sink classes a sanitiser makes a value safe for. */
export type SanitizedFor = 'shell' | 'html' | 'sql' | 'path' | 'url' | 'code' | 'prompt' | 'all';

export interface Label {
  kind: TaintKind;
  /** Line of the source. */
  line: number;
  what: string;
  /** Line where the value was formatted into a larger string (f-string, +, %, .format). */
  interpolated?: number;
  sanitized?: SanitizedFor[];
  param?: number;
}

export const UNTRUSTED: ReadonlySet<TaintKind> = new Set(['user', 'model', 'retrieved', 'web', 'file']);
export const EXTERNAL_CONTENT: ReadonlySet<TaintKind> = new Set(['retrieved', 'web', 'file']);

const MAX_LABELS = 12;

function key(l: Label): string {
  return `${l.kind}|${l.line}|${l.what}|${l.interpolated ?? ''}|${l.sanitized?.join(',') ?? ''}|${l.param ?? ''}`;
}

const EMPTY: Label[] = [];

export function union(...sets: (readonly Label[] | undefined)[]): Label[] {
  // Most values are clean or carry one set: return it as it is, without allocating.
  let only: readonly Label[] | undefined;
  let nonEmpty = 0;
  for (const set of sets) {
    if (set && set.length) {
      nonEmpty++;
      only = set;
    }
  }
  if (nonEmpty === 0) return EMPTY;
  if (nonEmpty === 1) return only as Label[];
  const out: Label[] = [];
  const seen = new Set<string>();
  for (const set of sets) {
    if (!set) continue;
    for (const l of set) {
      const k = key(l);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(l);
      // A cap keeps pathological files linear; the first labels are the most direct sources.
      if (out.length >= MAX_LABELS) return out;
    }
  }
  return out;
}

export function interpolate(labels: readonly Label[], line: number): Label[] {
  return labels.map((l) => (l.interpolated ? l : { ...l, interpolated: line }));
}

export function sanitize(labels: readonly Label[], forWhat: SanitizedFor): Label[] {
  return labels.map((l) => (l.sanitized?.includes(forWhat) ? l : { ...l, sanitized: [...(l.sanitized ?? []), forWhat] }));
}

/** Labels that still matter for a sink of class `sink`, among the given kinds. */
export function reaching(labels: readonly Label[] | undefined, kinds: ReadonlySet<TaintKind> | TaintKind[], sink?: SanitizedFor): Label[] {
  if (!labels) return [];
  const ks = Array.isArray(kinds) ? new Set(kinds) : kinds;
  return labels.filter(
    (l) => ks.has(l.kind) && !l.sanitized?.includes('all') && !(sink && l.sanitized?.includes(sink)),
  );
}

export function describeKind(kind: TaintKind): string {
  switch (kind) {
    case 'user':
      return 'user input';
    case 'model':
      return 'model-controlled data';
    case 'retrieved':
      return 'retrieved document content';
    case 'web':
      return 'fetched web content';
    case 'file':
      return 'file content';
    case 'env':
      return 'an environment value';
    case 'secret':
      return 'a secret';
    case 'pii':
      return 'personal data';
    case 'sysprompt':
      return 'the system prompt';
    case 'param':
      return 'a parameter';
  }
}
