/** Questions the Moltbook/OpenClaw rules ask of a Python file's flow facts. */
import type { AssignFact, CallFact, FunctionFact, PyModel } from '../flow/python.js';
import { assignsTo } from './facts.js';
import { field, type AstNode } from '../parse/index.js';
import { callSource } from '../frameworks/python.js';
import { FEED_ENDPOINT, OWN_ACCOUNT_ENDPOINT } from '../frameworks/moltbook.js';

/** Calls whose result is a fetched response (requests, httpx, aiohttp, urllib). */
export function isFetch(call: CallFact): boolean {
  return callSource(call.callee, call.receiverType)?.kind === 'web' || HTTP_CALL.test(call.flat);
}

/** HTTP client calls, including methods of sessions and clients (`requests.Session().get`). */
const HTTP_CALL = /^(?:requests|httpx|aiohttp|urllib3)(?:\.(?:Session|Client|AsyncClient|ClientSession|PoolManager))?\.(?:get|post|put|patch|request|head)$|^urllib\.request\.(?:urlopen|urlretrieve)$/;

/**
 * The text the URL of a fetch is written with: the argument itself, and for a name the value it
 * was assigned (two hops), so `requests.get(FEED_URL)` and `f"{API}/feed"` both read as the feed.
 */
export function urlText(model: PyModel, call: CallFact): string {
  const a = call.args.find((x) => x.name === 'url') ?? call.args.find((x) => x.index === 0);
  return a ? withAssignedValues(model, model.text(a.node), call.fn) : '';
}

/**
 * `text` plus the values assigned to the names in it (two hops), in `fn` or at module level:
 * what a name in a URL or path stands for.
 */
export function withAssignedValues(model: PyModel, text: string, fn: FunctionFact): string {
  const seen = new Set<string>();
  let frontier = text;
  for (let hop = 0; hop < 2; hop++) {
    const names = new Set([...frontier.matchAll(/\b([A-Za-z_]\w*)\b/g)].map((m) => m[1]).filter((n) => !seen.has(n)));
    names.forEach((n) => seen.add(n));
    const values = assignsNamed(model, names, fn).map((as) => model.text(as.value));
    if (!values.length) break;
    frontier = values.join(' ');
    text += ' ' + frontier;
  }
  return text;
}

const assignOrder = new WeakMap<PyModel, Map<AssignFact, number>>();

/**
 * `model.assigns.filter((as) => (as.fn === fn || as.fn.isModule) && names.has(as.target.replace(/^self\./, '')))`
 * through the by-target index: a name from the text is a word without dots, so the targets that
 * match it are the name itself and `self.<name>`. Back in the list's order afterwards.
 */
function assignsNamed(model: PyModel, names: ReadonlySet<string>, fn: FunctionFact): AssignFact[] {
  const out: AssignFact[] = [];
  const take = (list: readonly AssignFact[]) => {
    for (const as of list) if (as.fn === fn || as.fn.isModule) out.push(as);
  };
  for (const n of names) {
    take(assignsTo(model, n));
    take(assignsTo(model, `self.${n}`));
  }
  if (out.length > 1) {
    let order = assignOrder.get(model);
    if (!order) {
      order = new Map();
      model.assigns.forEach((as, i) => order!.set(as, i));
      assignOrder.set(model, order);
    }
    const o = order;
    out.sort((a, b) => o.get(a)! - o.get(b)!);
  }
  return out;
}

/**
 * Source lines of fetches that return other agents' writing: feed, posts, comments, DMs,
 * mentions, notifications. A fetch inside a helper (`def api(path): return requests.get(BASE + path)`)
 * counts when any call of the helper passes such a path.
 */
export function feedFetchLines(model: PyModel): Set<number> {
  const out = new Set<number>();
  for (const c of model.calls) {
    if (!isFetch(c)) continue;
    const text = urlText(model, c);
    if (FEED_ENDPOINT.test(text) && !OWN_ACCOUNT_ENDPOINT.test(text)) {
      out.add(c.line);
      continue;
    }
    const fn = c.fn;
    if (fn.isModule || !fn.params.some((p) => new RegExp(`\\b${p.name}\\b`).test(text))) continue;
    const viaHelper = model.calls.some((k) => k.target === fn && k.args.some((a) => FEED_ENDPOINT.test(model.text(a.node)) && !OWN_ACCOUNT_ENDPOINT.test(model.text(a.node))));
    if (viaHelper) out.add(c.line);
  }
  return out;
}

/**
 * Functions and methods that hand back feed content: their returned taint comes from a feed fetch,
 * or they fetch the feed and return something. Named, because the flow engine cannot follow a
 * method call on an object whose class it does not know (`client.get_feed()` on a parameter).
 */
export function feedFunctions(model: PyModel, feed: Set<number>): Set<string> {
  const out = new Set<string>();
  for (const fn of model.functions) {
    if (fn.returns.some((l) => l.kind === 'web' && feed.has(l.line))) out.add(fn.name);
    else if (fn.calls.some((c) => feed.has(c.line)) && model.returns.some((r) => r.fn === fn && r.value)) out.add(fn.name);
  }
  return out;
}

/**
 * Names that hold feed content inside one function body: loop variables over, and targets of, a
 * call of a feed function, and names built from those (`text = post["content"]`,
 * `history.append({... post ...})`). A text-level fallback for what the taint facts miss.
 */
export function feedNames(model: PyModel, fn: FunctionFact, feedFns: Set<string>): Set<string> {
  const names = new Set<string>();
  if (!feedFns.size) return names;
  const callsFeed = new RegExp(`(?:^|[.\\s(])(?:${[...feedFns].map(escapeRe).join('|')})\\s*\\(`);
  const mentions = () => (names.size ? new RegExp(`\\b(?:${[...names].map(escapeRe).join('|')})\\b`) : null);
  const stack: AstNode[] = [fn.node];
  const loops: { target: AstNode; iter: string }[] = [];
  while (stack.length) {
    const n = stack.pop()!;
    if (n !== fn.node && (n.type === 'function_definition' || n.type === 'class_definition')) continue;
    if (n.type === 'for_statement') {
      const left = field(n, 'left');
      const right = field(n, 'right');
      if (left && right) loops.push({ target: left, iter: model.text(right) });
    }
    for (const c of n.children) stack.push(c);
  }
  const assigns = model.assigns.filter((a) => a.fn === fn);
  const appends = fn.calls.filter((c) => /^(append|extend|insert|add|update)$/.test(c.name) && c.receiver);
  for (let round = 0; round < 4; round++) {
    const before = names.size;
    const m = mentions();
    for (const l of loops) {
      if (callsFeed.test(l.iter) || (m && m.test(l.iter))) for (const id of identifiers(model, l.target)) names.add(id);
    }
    for (const a of assigns) {
      const v = model.text(a.value);
      if (callsFeed.test(v) || (m && m.test(v))) names.add(a.target);
    }
    if (m) for (const c of appends) if (c.args.some((x) => m.test(model.text(x.node)))) names.add(model.text(c.receiver!));
    if (names.size === before) break;
  }
  return names;
}

function identifiers(model: PyModel, node: AstNode): string[] {
  if (node.type === 'identifier') return [model.text(node)];
  return node.children.flatMap((c) => identifiers(model, c));
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
