/** What the poisoning rules share: which writes persist content, and what counts as vetting it. */
import type { ArgFact, CallFact, FunctionFact, PyModel } from '../../flow/python.js';
import type { AstNode } from '../../parse/index.js';
import { hasApprovalStep, literal, reaching, type Label, type TaintKind } from '../helpers.js';
import { callSource, plain } from '../../frameworks/python.js';

/**
 * Checks people put between untrusted content and a shared store: moderation, injection scanners,
 * provenance checks and review queues. Any of them in the writing function counts as vetting.
 */
const VETTING_CALL = /(moderat|detect_(prompt_)?injection|scan_(for_)?injection|injection_score|is_safe|is_trusted|trusted_source|verify_source|check_provenance|content_filter|guardrail|quarantine|enqueue_for_review|queue_for_review|submit_for_review|pending_review|human_review|manual_review|flag_for_review)/i;
/** A condition naming an allow-list or trust check gates what follows it. */
const TRUST_CONDITION = /(allow|trust|whitelist|approved|verified|moderat|flagged)/i;

export function isVetted(model: PyModel, fn: FunctionFact, before: number): boolean {
  if (hasApprovalStep(model, fn)) return true;
  if (fn.calls.some((c) => c.node.startIndex < before && VETTING_CALL.test(c.callee))) return true;
  return model.ifs.some((i) => i.fn === fn && i.node.startIndex < before && TRUST_CONDITION.test(model.text(i.condition)));
}

/** Local prompts (input(), getpass, CLI arguments, Streamlit widgets) are the operator typing, not an outsider. */
const OPERATOR = /(command-line|streamlit|input\(\)|getpass|stdin|click\.prompt|typer\.prompt|Prompt\.ask)/;

/** Untrusted labels among `kinds`, sanitiser-cleaned ones left out. */
export function untrusted(labels: Label[], kinds: TaintKind[]): Label[] {
  return reaching(labels, kinds).filter((l) => !OPERATOR.test(l.what));
}

/**
 * Web content counts when an outsider picked it: search results, or a page whose address came from
 * a user, the model or other fetched content. Indexing a fixed, known page is curating a corpus.
 */
export function chosenByOutsider(model: PyModel, l: Label): boolean {
  if (l.kind !== 'web') return true;
  if (/search results/.test(l.what)) return true;
  const fetch = model.calls.find((c) => c.line === l.line && callSource(c.callee, c.receiverType)?.kind === 'web');
  if (!fetch) return true;
  // A parameter counts when nothing in the file calls the function: the address is picked at run
  // time by outside callers. Local callers resolve it to what they pass.
  const inputs = [...fetch.receiverTaint, ...fetch.args.flatMap((a) => a.taint)];
  const called = model.calls.some((c) => c.target === fetch.fn);
  return untrusted(inputs, called ? ['user', 'model', 'web', 'retrieved'] : ['user', 'model', 'web', 'retrieved', 'param']).length > 0;
}

/**
 * File contents whose path the user chose (an upload saved and loaded, `open(request_path)`) are the
 * user's words, not the developer's corpus: the file label of such a read, seen as user input.
 */
export function uploadedContent(model: PyModel, labels: Label[]): Label | undefined {
  for (const l of labels) {
    if (l.kind !== 'file' || l.sanitized?.includes('all')) continue;
    const read = model.calls.find((c) => c.line === l.line && (/^(load|aload|lazy_load|load_and_split|load_data|read_text|read_bytes)$/.test(c.name) || /^(open|io\.open|codecs\.open)$/.test(c.callee)));
    if (!read) continue;
    const from = untrusted([...read.receiverTaint, ...read.args.flatMap((a) => a.taint)], ['user', 'web']);
    if (from.length) return { ...from[0], what: `a file the user supplied (${from[0].what})` };
  }
  return undefined;
}

/** A scoping argument (user id, namespace) that varies per caller rather than a shared constant. */
export function isScopedValue(model: PyModel, a: ArgFact | undefined): boolean {
  if (!a) return false;
  const n = a.node;
  if (n.type === 'none' || n.type === 'null' || n.type === 'undefined') return false;
  if (literal(model, a) !== undefined) return false;
  // A module-level constant (`SHARED_NS = ("team", "facts")`) is the same for every caller.
  if (n.type === 'identifier') {
    const def = model.assigns.filter((x) => x.fn.isModule && x.target === model.text(n)).pop();
    if (def && isConstant(def.value)) return false;
  }
  if (n.type === 'tuple' || n.type === 'list' || n.type === 'array') return n.children.some((c) => c.named && c.type !== 'string' && c.type !== 'integer' && c.type !== 'number');
  return true;
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function isConstant(n: AstNode): boolean {
  if (n.type === 'string') return !n.children.some((c) => c.type === 'interpolation');
  if (n.type === 'template_string') return !n.children.some((c) => c.type === 'template_substitution');
  if (n.type === 'integer' || n.type === 'none' || n.type === 'number' || n.type === 'null') return true;
  if (n.type === 'as_expression' || n.type === 'satisfies_expression') return !!n.children[0] && isConstant(n.children[0]);
  if (n.type === 'tuple' || n.type === 'list' || n.type === 'array') return n.children.filter((c) => c.named).every(isConstant);
  return false;
}

/** The table a JS data-layer call touches: `prisma.feedback.create` -> feedback, `INSERT INTO feedback` -> feedback. */
export function tableOf(model: PyModel, call: CallFact, verbs: RegExp, sql: RegExp): string | undefined {
  const recv = call.receiver ? model.text(call.receiver) : '';
  const orm = /^(?:this\.)?(?:prisma|db|tx|client)\.(\w+)$/.exec(recv) ?? (/PrismaClient/.test(call.callee) ? /\.(\w+)$/.exec(recv) : null);
  if (orm && verbs.test(call.name)) return orm[1].toLowerCase();
  // MongoDB `db.collection('facts').insertOne(...)`; Redis and KV stores keyed by a literal (`redis.rpush('facts', x)`).
  const coll = /\.collection\(\s*['"`]([\w.-]+)['"`]\s*\)$/.exec(recv);
  if (coll && verbs.test(call.name)) return coll[1].toLowerCase();
  const stmt = call.args.find((a) => a.index === 0);
  if (/(redis|kv|upstash|valkey)/i.test(`${recv} ${call.callee}`) && verbs.test(call.name) && stmt && (stmt.node.type === 'string' || (stmt.node.type === 'template_string' && !stmt.node.children.some((c) => c.type === 'template_substitution')))) return model.text(stmt.node).slice(1, -1).toLowerCase();
  const m = stmt && (stmt.node.type === 'string' || stmt.node.type === 'template_string') ? sql.exec(model.text(stmt.node)) : null;
  return m ? m[1].replace(/"/g, '').toLowerCase() : undefined;
}
