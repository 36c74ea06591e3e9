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
  /** The template around it gives the model orders ("You are…", "Never…", "Follow…"). */
  directive?: boolean;
  /** The template's own words present the value as orders to follow ("Follow the guidance in…"). */
  instructs?: boolean;
  sanitized?: SanitizedFor[];
  param?: number;
  /** A tool argument: the model chose it as the tool's input, not as free output. */
  toolArg?: boolean;
}

/**
 * A concrete label standing in for a parameter label: it takes on what happened to the parameter
 * inside the function (formatted into a template, sanitised).
 */
export function substitute(param: Label, actual: Label): Label {
  if (!param.interpolated && !param.sanitized) return actual;
  const sanitized = param.sanitized ? [...new Set([...(actual.sanitized ?? []), ...param.sanitized])] : actual.sanitized;
  return {
    ...actual,
    ...(param.interpolated ? { interpolated: param.interpolated, directive: param.directive || actual.directive || undefined, instructs: param.instructs || actual.instructs || undefined } : {}),
    ...(sanitized ? { sanitized } : {}),
  };
}

export const UNTRUSTED: ReadonlySet<TaintKind> = new Set(['user', 'model', 'retrieved', 'web', 'file']);
export const EXTERNAL_CONTENT: ReadonlySet<TaintKind> = new Set(['retrieved', 'web', 'file']);

const MAX_LABELS = 12;

/**
 * Instruction-like prompt text. This reads string literals (prompt templates), never code: a
 * template that tells the model who it is or what it must do is an instruction channel.
 */
export const INSTRUCTS_TEXT = /\b(follow|obey|comply|adhere|execute)\b|\binstructions\b|\brules\b|\bguidance\b|\bdirectives?\b|\bcommands?\b/i;
export const DIRECTIVE_TEXT = /\byou are\b|\byour (role|job|task|goal)\b|\bact as\b|\bnever\b|\bdo not\b|\bdon't\b|\bonly (answer|respond|discuss|help|use|talk|reply)|\bmust\b|\balways\b|\brules?\b|\binstructions?\b|\bfollow\b|\bsystem:|\bpersona\b|\bguidelines?\b|\bpolicy\b/i;

/**
 * Two labels are the same source if every field a finding can show or a sink can test is the
 * same. Compared field by field: union runs for nearly every expression, and building a string
 * key per label was a large share of the engine's garbage.
 */
function sameLabel(a: Label, b: Label): boolean {
  return (
    a === b ||
    (a.kind === b.kind &&
      a.line === b.line &&
      a.what === b.what &&
      a.interpolated === b.interpolated &&
      !a.directive === !b.directive &&
      !a.instructs === !b.instructs &&
      a.param === b.param &&
      sameList(a.sanitized, b.sanitized))
  );
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  const n = a?.length ?? 0;
  if (n !== (b?.length ?? 0)) return false;
  for (let i = 0; i < n; i++) if (a![i] !== b![i]) return false;
  return true;
}

/**
 * The clean value's labels, shared: most expressions carry none, and a fresh array for each was
 * pure garbage. Never mutated (label lists are only ever rebuilt, not pushed to).
 */
export const NO_LABELS: Label[] = [];
const EMPTY = NO_LABELS;

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
  for (const set of sets) {
    if (!set) continue;
    next: for (const l of set) {
      // The output holds at most MAX_LABELS, so a linear search is cheaper than hashing.
      for (let i = 0; i < out.length; i++) if (sameLabel(out[i], l)) continue next;
      out.push(l);
      // A cap keeps pathological files linear; the first labels are the most direct sources.
      if (out.length >= MAX_LABELS) return out;
    }
  }
  return out;
}

/** The latest formatting step wins: it is the one closest to where the text is used. */
export function interpolate(labels: readonly Label[], line: number, directive: boolean, instructs: boolean): Label[] {
  return labels.map((l) =>
    l.interpolated === line && (l.directive || !directive) && (l.instructs || !instructs)
      ? l
      : { ...l, interpolated: line, directive: directive || undefined, instructs: instructs || undefined },
  );
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
