/** Questions the Moltbook/OpenClaw rules ask of a Python file's flow facts. */
import type { CallFact, FunctionFact, PyModel } from '../flow/python.js';
import { callSource } from '../frameworks/python.js';
import { FEED_ENDPOINT, OWN_ACCOUNT_ENDPOINT } from '../frameworks/moltbook.js';

/** Calls whose result is a fetched response (requests, httpx, aiohttp, urllib). */
export function isFetch(call: CallFact): boolean {
  return callSource(call.callee, call.receiverType)?.kind === 'web';
}

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
    const values = model.assigns.filter((as) => (as.fn === fn || as.fn.isModule) && names.has(as.target.replace(/^self\./, ''))).map((as) => model.text(as.value));
    if (!values.length) break;
    frontier = values.join(' ');
    text += ' ' + frontier;
  }
  return text;
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
