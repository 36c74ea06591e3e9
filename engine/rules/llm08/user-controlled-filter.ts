import { JS_LANGUAGES } from '../types.js';
import type { AstNode } from '../../parse/index.js';
import { field } from '../../parse/index.js';
import type { ArgFact, CallFact, FunctionFact, PyModel } from '../../flow/python.js';
import type { Label } from '../../flow/labels.js';
import type { Rule } from '../types.js';
import { reaching } from '../helpers.js';
import { dictPairs, resolveDict, vectorQuery } from './vector.js';
import { callAt } from '../facts.js';

/** Metadata keys that decide whose documents a query may see. */
export const ACCESS_KEY = /^(user|user_?id|userid|uid|owner|owner_?id|tenant|tenant_?id|org|org_?id|organization|organization_?id|customer_?id|account_?id|workspace_?id|team_?id|group_?id|groups|namespace|access|access_?level|acl|allowed_users|permissions?|roles?|visibility|clearance|security_level|classification|is_public|is_private|private)$/i;
const OPERATOR_INPUT = /command-line|^(builtins\.)?input\(\)|getpass|click\.prompt|typer\.prompt|rich\.prompt/;

function steering(labels: Label[]): Label | undefined {
  return reaching(labels, ['user', 'model']).find((l) => !(l.kind === 'user' && OPERATOR_INPUT.test(l.what)));
}

/** Taint of an expression, read back from the call's own argument facts where possible. */
function taintOf(model: PyModel, call: CallFact, arg: ArgFact, n: AstNode, fn: FunctionFact): Label[] {
  if (n === arg.node) return arg.taint;
  // Sub-expressions have no facts of their own; a value built from a parameter or request read
  // is matched by the labels whose source line lies inside it or on a name it uses.
  const root = rootName(model, n);
  return arg.taint.filter((l) => (l.line >= n.line && l.line <= n.endLine) || (root !== undefined && nameAssignedFrom(model, fn, root, l)));
}

/** `q.user_id`, `data["tenant"]`, `body.get("ns")` -> `q`, `data`, `body`. */
function rootName(model: PyModel, n: AstNode): string | undefined {
  let cur: AstNode | undefined = n;
  for (let i = 0; cur && i < 20; i++) {
    if (cur.type === 'identifier' || cur.type === 'shorthand_property_identifier') return model.text(cur);
    if (cur.type === 'attribute' || cur.type === 'member_expression') cur = field(cur, 'object');
    else if (cur.type === 'subscript') cur = field(cur, 'value');
    else if (cur.type === 'call') {
      const f: AstNode | undefined = field(cur, 'function');
      cur = f?.type === 'attribute' ? field(f, 'object') : undefined;
    } else return undefined;
  }
  return undefined;
}

function nameAssignedFrom(model: PyModel, fn: FunctionFact, name: string, l: Label): boolean {
  if (!/^[A-Za-z_]\w*$/.test(name)) return false;
  const param = fn.params.find((p) => p.name === name);
  // A parameter carries its own label, or labels of the callers' arguments (sources outside `fn`).
  if (param && (l.line === param.node.line || l.line < fn.node.line || l.line > fn.node.endLine)) return true;
  return model.assigns.some((a) => a.fn === fn && a.target === name && l.line >= a.node.line && l.line <= a.node.endLine);
}

/**
 * The filter of a vector query is the access control of retrieval. When the user or the model
 * writes it (a whole filter dict from the request, a tenant id or namespace they choose), they
 * choose whose documents come back.
 */
export const rule: Rule = {
  meta: {
    id: 'vector-weakness/user-controlled-filter',
    owasp: 'LLM08',
    asi: 'ASI06',
    cwe: 'CWE-639',
    severity: 'HIGH',
    title: 'Vector search filter controlled by the user or the model',
    description: 'The metadata filter, namespace or tenant of a vector store query comes from user input or model output, so a caller can read other users\u2019 or tenants\u2019 documents.',
    fix: 'Build retrieval filters on the server from the authenticated identity (session, token claims); accept only allow-listed facet values from the user and never let the model choose the tenant or namespace.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    for (const call of model.calls) {
      const q = vectorQuery(model, call);
      if (!q) continue;
      const viaStore = q.filters.length ? undefined : storeScope(model, call);
      if (viaStore) {
        ctx.report({
          node: call.node,
          source: viaStore.label,
          message: `The ${viaStore.what} of the store ${call.name}() searches comes from ${viaStore.label.kind === 'model' ? 'the model' : 'user input'} (${viaStore.label.what}, line ${viaStore.label.line}); a caller can pick another tenant's documents.`,
        });
        continue;
      }
      for (const f of q.filters) {
        const hit = inspect(f, f.node, f.name ?? '', 0);
        if (!hit) continue;
        ctx.report({
          node: hit.node,
          source: hit.label,
          message: `The ${hit.what} of ${call.name}() comes from ${hit.label.kind === 'model' ? 'the model' : 'user input'} (${hit.label.what}, line ${hit.label.line}); a caller can widen retrieval to other users' documents.`,
        });
        break;
      }

      function inspect(arg: ArgFact, node: AstNode, key: string, depth: number): { node: AstNode; label: Label; what: string } | undefined {
        if (depth > 3) return undefined;
        const value = resolveDict(model, node, call.fn);
        const pairs = dictPairs(model, value);
        if (value.type === 'dictionary' || value.type === 'object') {
          for (const p of pairs) {
            // `search_kwargs={"filter": {...}}` nests the filter one level down.
            if (/^(filter|where|filters|namespace|pre_filter|expr|\$and|\$or)$/.test(p.key)) {
              const inner = inspect(arg, p.value, p.key, depth + 1);
              if (inner) return inner;
              continue;
            }
            if (!ACCESS_KEY.test(p.key) && !(key !== 'search_kwargs' && depth > 0 && ACCESS_KEY.test(key))) continue;
            const l = steering(taintOf(model, call, arg, p.value, call.fn));
            if (l) return { node: p.value, label: l, what: `'${p.key}' filter` };
          }
          return undefined;
        }
        if (value.type === 'list' || value.type === 'array') {
          for (const item of value.children.filter((c) => c.named)) {
            const inner = inspect(arg, item, key, depth + 1);
            if (inner) return inner;
          }
          return undefined;
        }
        // Filter objects (`Filter(must=[FieldCondition(key="category", ...)])`) name their keys.
        if (value.type === 'call') {
          const keys = [...model.text(value).matchAll(/\bkey\s*=\s*["']([\w.-]+)["']/g)].map((m) => m[1]);
          if (keys.length && !keys.some((k) => ACCESS_KEY.test(k))) return undefined;
        }
        // A whole filter or namespace handed over from outside.
        const l = steering(node === arg.node ? arg.taint : taintOf(model, call, arg, node, call.fn));
        return l ? { node, label: l, what: key === 'namespace' || key === 'tenant' ? key : key === 'search_kwargs' ? 'search settings (filter included)' : 'filter' } : undefined;
      }
    }
  },
};

const STORE_SCOPE_KW = /^(namespace|tenant|collection_name|index_name|partition_name|table_name|collection)$/;

/**
 * A store opened for the query's caller: `PineconeVectorStore(..., namespace=ns).similarity_search(q)`,
 * directly, through a local variable, or through a local factory (`store_for(ns)`). When the
 * namespace or collection comes from the request, the caller chooses whose documents it searches.
 */
function storeScope(model: PyModel, call: CallFact): { label: Label; what: string } | undefined {
  if (!call.receiver) return undefined;
  // Weaviate multi-tenancy: `collection.with_tenant(t).query.near_text(...)`.
  for (let n: AstNode | undefined = call.receiver; n && (n.type === 'attribute' || n.type === 'call'); n = n.type === 'attribute' ? field(n, 'object') : field(n, 'function')) {
    const c = n.type === 'call' ? callAt(model, n) : undefined;
    if (c && /^(with_tenant|with_namespace|namespace|tenant|Namespace)$/.test(c.name)) {
      const l = c.args.map((a) => steering(a.taint)).find(Boolean);
      if (l) return { label: l, what: 'tenant' };
    }
  }
  let recv = callAt(model, call.receiver);
  if (!recv && call.receiver.type === 'identifier') {
    const name = model.text(call.receiver);
    const def = model.assigns.filter((a) => a.fn === call.fn && a.target === name && a.node.startIndex < call.node.startIndex).pop();
    if (def?.value.type === 'call') recv = callAt(model, def.value);
  }
  if (!recv) return undefined;
  for (const a of recv.args) {
    if (!a.name || !STORE_SCOPE_KW.test(a.name)) continue;
    const l = steering(a.taint);
    if (l) return { label: l, what: a.name };
  }
  const target = recv.target;
  if (!target || target.className) return undefined;
  for (const inner of target.calls) {
    for (const a of inner.args) {
      if (!a.name || !STORE_SCOPE_KW.test(a.name)) continue;
      for (const pl of a.taint) {
        if (pl.kind !== 'param' || pl.param === undefined) continue;
        const pname = target.params[pl.param]?.name;
        const actual = recv.args.find((x) => x.name === pname) ?? recv.args.find((x) => x.index === pl.param);
        const l = actual ? steering(actual.taint) : undefined;
        if (l) return { label: l, what: a.name };
      }
    }
  }
  return undefined;
}
