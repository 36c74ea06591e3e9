import { JS_LANGUAGES } from '../types.js';
import type { Rule } from '../types.js';
import { reaching, type Label } from '../helpers.js';
import { isMasked } from './masking.js';
import { directLabels, partLine } from './direct.js';
import { isServerFile, outputSites, outputWhat } from './outputs.js';
import type { AstNode } from '../../parse/index.js';
import { field } from '../../parse/index.js';
import type { AssignFact, FunctionFact, PyModel } from '../../flow/python.js';
import { assignsTo } from '../facts.js';
import { exposesSystemPrompt } from '../llm07/system-prompt-exposed.js';
import { perFile } from '../per-file.js';

/**
 * A login endpoint returning the token it just issued, or a key-management endpoint showing a new
 * key once, is the purpose of the route; the server's own environment secrets, passwords and
 * personal data fields are not something a response should carry.
 */
function leaksInResponse(l: Label): boolean {
  if (l.kind === 'pii') return true;
  return /^environment secret|password|passwd|secret_key/i.test(l.what);
}

export const rule: Rule = {
  meta: {
    id: 'sensitive-info/secret-in-output',
    owasp: 'LLM02',
    asi: 'ASI03',
    cwe: 'CWE-532',
    severity: 'MEDIUM',
    title: 'Secret or personal data written to logs or responses',
    description: 'A credential or personal data value is printed, logged, shown in the UI or returned in an HTTP response, where it is exposed to people and systems that should not see it.',
    fix: 'Do not log or return secrets; log a masked form (last four characters) or a boolean "is set", and filter personal data out of responses and log records.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    for (const site of outputSites(model)) {
      // JS models drop secrets at client constructors already; the Python walk reads Python syntax.
      let labels = model.language ? reaching(site.taint, ['secret', 'pii']) : directLabels(model, site.node, site.fn, reaching(site.taint, ['secret', 'pii']));
      if (site.kind === 'response') labels = labels.filter(leaksInResponse);
      const l = labels[0];
      if (!l || isMasked(model, site.node, l.interpolated)) continue;
      // A system prompt that holds a secret and is returned is the system-prompt rules' finding.
      if (exposesSystemPrompt(model, site)) continue;
      ctx.report({
        node: site.call?.node ?? site.node,
        line: model.language ? (l.interpolated ?? site.node.line) : partLine(model, site.node, site.fn, (p) => p.lines.has(l.line)),
        source: l,
        message: `${l.kind === 'secret' ? 'A secret' : 'Personal data'} (${l.what}, line ${l.line}) is written to ${outputWhat(site)}.`,
      });
    }
    // The whole process environment (every key and token in it) handed to the model or a client.
    const dumps: { node: AstNode; fn: FunctionFact; what: string }[] = [];
    for (const r of model.returns) {
      if (r.value && (r.fn.isTool || r.fn.isHandler)) dumps.push({ node: r.value, fn: r.fn, what: r.fn.isTool ? `the result of the tool ${r.fn.name}(), which the model reads` : `the HTTP response of ${r.fn.name}()` });
    }
    for (const site of outputSites(model)) {
      if (site.call && (site.kind !== 'print' || isServerFile(model))) dumps.push({ node: site.node, fn: site.fn, what: outputWhat(site) });
    }
    for (const d of dumps) {
      const at = wholeEnvironment(model, d.node, d.fn);
      if (!at) continue;
      ctx.report({ node: d.node, line: d.node.line, message: `The whole process environment (${model.text(at).slice(0, 40)}, line ${at.line}), API keys and tokens included, is written to ${d.what}.` });
    }
  },
};

const ENV_WHOLE_METHOD = /^(copy|items|keys|values)$/;

/** An `os.environ` read as a whole (`dict(os.environ)`, `os.environ.copy()`, `{**os.environ}`), directly or through a local. */
function wholeEnvironment(model: PyModel, n: AstNode, fn: FunctionFact, depth = 0): AstNode | undefined {
  // Every hit is an `os.environ` attribute, so a file that never spells `environ` has none.
  if (!mentionsEnviron(model)) return undefined;
  const stack = [n];
  let guard = 0;
  while (stack.length && guard++ < 2000) {
    const c = stack.pop()!;
    // Only `environ` (7 characters) or `os.environ` (10) can match: other attributes are not sliced.
    if (c.type === 'attribute' && (c.endIndex - c.startIndex === 7 || c.endIndex - c.startIndex === 10) && /^(os\.)?environ$/.test(model.text(c)) && (model.text(c) === 'os.environ' || model.imports.get('environ') === 'os.environ')) {
      const p = c.parent;
      const subscripted = p?.type === 'subscript' && field(p, 'value') === c;
      const method = p?.type === 'attribute' && field(p, 'object') === c ? model.text(field(p, 'attribute')!) : undefined;
      if (!subscripted && (method === undefined || ENV_WHOLE_METHOD.test(method))) return c;
    }
    if (c.type === 'identifier' && depth < 2) {
      const def = lastAssignBefore(assignsTo(model, model.text(c)), fn, c.startIndex);
      if (def) {
        const hit = wholeEnvironment(model, def.value, fn, depth + 1);
        if (hit) return hit;
      }
    }
    const kids = c.children;
    for (let i = 0; i < kids.length; i++) if (kids[i].named) stack.push(kids[i]);
  }
  return undefined;
}

const mentionsEnviron = perFile((model) => model.file.source.includes('environ'));

/**
 * The last assignment in `fn` that starts before `before`, in list order, among `assigns` (the
 * assignments to one target): the index by target and the one by function keep the list's order.
 */
function lastAssignBefore(assigns: readonly AssignFact[], fn: FunctionFact, before: number): AssignFact | undefined {
  for (let i = assigns.length - 1; i >= 0; i--) {
    const a = assigns[i];
    if (a.fn === fn && a.node.startIndex < before) return a;
  }
  return undefined;
}
