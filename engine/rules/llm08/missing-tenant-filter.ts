import { snakeCase } from '../../flow/javascript.js';
import { JS_LANGUAGES } from '../types.js';
import type { AstNode } from '../../parse/index.js';
import { field } from '../../parse/index.js';
import type { AssignFact, CallFact, FunctionFact, PyModel } from '../../flow/python.js';
import type { Rule } from '../types.js';
import { resolveDict, vectorQuery, type VectorQuery } from './vector.js';
import { assignsTo } from '../facts.js';

/** Annotations and names of an authenticated principal. */
const IDENTITY_TYPE = /(User|Principal|Tenant|Account|Customer|Workspace|Organi[sz]ation|Org|Team|Member|Identity|Claims|Company|Client|current_user|principal|tenant|workspace|account|customer|company|member|user|org)/;

const LOGIN_DECORATOR = /(^|\.)(login_required|jwt_required|auth_required|requires_auth|authenticated|permission_required|user_passes_test)$/;

/** Values that identify whose data a request is about. */
const TENANT_NAME = /^(user_?id|tenant_?id|org_?id|organization_?id|customer_?id|account_?id|workspace_?id|team_?id|current_user|company_?id|client_?id|firm_?id|clinic_?id|school_?id|household_?id|project_?id)$/i;
const TENANT_KEY = /^(user_?id|userid|owner|owner_?id|tenant|tenant_?id|org_?id|organization_?id|customer_?id|account_?id|workspace_?id|team_?id|company_?id|client_?id|firm_?id|clinic_?id|school_?id|household_?id|project_?id)$/i;
const METADATA_KW = /^(metadata|metadatas|filter|filters|where|payload|payloads|search_kwargs|query_filter|pre_filter|must|namespace)$/;
const WRITE_METHODS = /^(add_texts|add_documents|aadd_texts|aadd_documents|from_texts|from_documents|upsert|add|insert|upsert_documents)$/;
const PRIVATE_COLLECTION = /(user|tenant|customer|client|account|private|personal|upload|employee|patient|member)/i;

/**
 * Signs that one store holds several owners' documents: records tagged with an owner key, a
 * per-caller namespace, owner ids written with the documents, or a collection named for users'
 * own files. Without one, an unfiltered search of a shared knowledge base is how RAG works.
 */
/** Docstrings and comments that say the data belongs to many customers. */
const MULTI_TENANT_TEXT = /\b(multi-?tenant|tenants\b|each (customer|client|company|user|tenant|organi[sz]ation|workspace|team)'?s?\b|per-(user|tenant|customer|company|client)\b|every (customer|client|company|tenant)'?s?\b|all (our )?(customers|clients|companies|tenants|client companies)'?\b|one (store|index|collection) (for|shared by) (everything|everyone|all)|shared by all (customers|clients|tenants|companies))/i;

function saysMultiTenant(model: PyModel, n: AstNode): boolean {
  // A docstring: a string standing alone as the first statement of a module, class or function.
  if (n.type === 'expression_statement' && n.children.length === 1 && n.children[0].type === 'string') {
    const parent = n.parent;
    const first = parent?.children.find((c) => c.named && c.type !== 'comment');
    if (first === n) return MULTI_TENANT_TEXT.test(model.text(n));
  }
  return false;
}

function multiTenantStore(model: PyModel): boolean {
  // The tree drops comments; whole-line comments are prose, read as text.
  for (const m of model.file.source.matchAll(/^[ \t]*#(.*)$/gm)) if (MULTI_TENANT_TEXT.test(m[1])) return true;
  // JS and TS prose lives in `//` lines and `/** ... */` doc comments.
  if (model.language) for (const m of model.file.source.matchAll(/^[ \t]*(?:\/\/|\/\*+|\*)(.*)$/gm)) if (MULTI_TENANT_TEXT.test(m[1])) return true;
  const stack: AstNode[] = [model.file.root];
  let guard = 0;
  while (stack.length && guard++ < 500_000) {
    const n = stack.pop()!;
    if (saysMultiTenant(model, n)) return true;
    if (n.type === 'keyword_argument') {
      const k = model.text(field(n, 'name')!);
      const v = field(n, 'value')!;
      if (METADATA_KW.test(k) && tenantKeyIn(model, v)) return true;
      if (k === 'key' && v.type === 'string' && TENANT_KEY.test(unquote(model.text(v)))) return true;
      if (k === 'namespace' && v.type !== 'string' && v.type !== 'none') return true;
      if (/^(collection_name|index_name|table_name)$/.test(k) && v.type === 'string' && PRIVATE_COLLECTION.test(model.text(v))) return true;
    } else if (n.type === 'pair') {
      const k = field(n, 'key')!;
      if (k.type === 'string' && /^(metadata|filter|where|payload)$/.test(unquote(model.text(k))) && tenantKeyIn(model, field(n, 'value')!)) return true;
      // JS options objects are keyword arguments: `{ namespace: tenantId }`, `{ metadata: { userId } }`.
      if (model.language && k.type === 'property_identifier') {
        const key = snakeCase(model.text(k));
        const v = field(n, 'value')!;
        if (METADATA_KW.test(key) && tenantKeyIn(model, v)) return true;
        if (key === 'namespace' && v.type !== 'string' && v.type !== 'null' && v.type !== 'undefined') return true;
        if (/^(collection_name|index_name|table_name)$/.test(key) && v.type === 'string' && PRIVATE_COLLECTION.test(model.text(v))) return true;
      }
    }
    for (const c of n.children) if (c.named) stack.push(c);
  }
  for (const c of model.calls) {
    const cname = model.language ? snakeCase(c.name) : c.name;
    if (WRITE_METHODS.test(cname) && c.args.some((a) => tenantMention(model.language ? snakeCase(model.text(a.node)) : model.text(a.node)))) return true;
    if (/^(get_or_create_collection|get_collection|create_collection|Index|index)$/.test(cname)) {
      const first = c.args.find((a) => a.index === 0 || a.name === 'name');
      if (first?.node.type === 'string' && PRIVATE_COLLECTION.test(model.text(first.node))) return true;
    }
  }
  return false;
}

function unquote(s: string): string {
  return s.replace(/^[a-zA-Z]*["']+|["']+$/g, '');
}

function tenantKeyIn(model: PyModel, n: AstNode): boolean {
  const stack = [n];
  while (stack.length) {
    const c = stack.pop()!;
    if (c.type === 'string' && TENANT_KEY.test(unquote(model.text(c)))) return true;
    if ((c.type === 'property_identifier' || c.type === 'shorthand_property_identifier') && c.parent?.type !== 'member_expression' && TENANT_KEY.test(model.text(c))) return true;
    for (const ch of c.children) if (ch.named) stack.push(ch);
  }
  return false;
}

function tenantMention(text: string): boolean {
  return /\b(user_?id|tenant_?id|org_?id|organization_?id|customer_?id|account_?id|workspace_?id|team_?id|current_user|company_?id|client_?id|firm_?id|clinic_?id|school_?id|household_?id|project_?id)\b/i.test(text);
}

/** Tenant-identifying names visible in `fn`: parameters, locals, and `self.` attributes of its class. */
function tenantsIn(model: PyModel, fn: FunctionFact, tenantAssigns: TenantAssigns): string[] {
  const out = new Set<string>();
  for (const p of fn.params) {
    if (TENANT_NAME.test(p.name)) out.add(p.name);
    // The authenticated caller, injected by the framework: `user: User = Depends(get_current_user)`.
    else if (p.default && /^(Depends|Security)\(/.test(model.text(p.default)) && IDENTITY_TYPE.test(`${p.annotation ?? ''} ${p.name}`)) out.add(p.name);
  }
  // Session-based logins (`@login_required`, Flask-Login, JWT): the caller's identity lives in
  // `request.user` / `current_user` / `g.user`, whatever the parameters are.
  if (fn.decorators.some((d) => LOGIN_DECORATOR.test(d.qname)) || fn.params.some((p) => p.name === 'request') && /\brequest\.user\b/.test(model.text(fn.node))) {
    for (const t of ['request.user', 'current_user', 'g.user', 'get_jwt_identity']) out.add(t);
  }
  // Only assignments of this function, or of its class, can add a name; `tenantAssigns` is grouped that way.
  for (const a of (fn.className ? tenantAssigns.byClass.get(fn.className) : tenantAssigns.byFn.get(fn)) ?? []) {
    const last = a.target.split('.').pop() ?? a.target;
    if (a.fn === fn && !a.target.includes('.')) out.add(a.target);
    if (fn.className && (a.target === `self.${last}` || a.target === `this.${last}`) && a.fn.className === fn.className) out.add(a.target);
  }
  return [...out];
}

/** Whether the expression, or what its names were assigned in `fn`, refers to a tenant value. */
function mentions(model: PyModel, fn: FunctionFact, n: AstNode, tenants: string[], depth = 0): boolean {
  const t = model.text(n);
  if (tenants.some((name) => new RegExp(`(^|[^\\w.])${name.replace('.', '\\.')}\\b`).test(t))) return true;
  if (depth > 3) return false;
  const names = new Set<string>();
  const stack = [n];
  while (stack.length) {
    const c = stack.pop()!;
    if (c.type === 'identifier') names.add(model.text(c));
    else if ((c.type === 'attribute' && /^self\.\w+$/.test(model.text(c))) || (c.type === 'member_expression' && /^this\.\w+$/.test(model.text(c)))) names.add(model.text(c));
    else if (c.type === 'shorthand_property_identifier') names.add(model.text(c));
    for (const ch of c.children) if (ch.named) stack.push(ch);
  }
  for (const name of names) {
    for (const a of assignsTo(model, name)) {
      if (a.target !== name || (a.fn !== fn && a.fn !== model.module && !(name.startsWith('self.') && a.fn.className === fn.className))) continue;
      if (mentions(model, a.fn, a.value, tenants, depth + 1)) return true;
    }
  }
  return false;
}

function scoped(model: PyModel, fn: FunctionFact, call: CallFact, tenants: string[]): boolean {
  const bare = tenants.filter((t) => !t.includes('.'));
  for (const a of call.args) {
    if (mentions(model, fn, a.node, tenants)) return true;
    if (a.taint.some((l) => l.kind === 'param' && bare.includes(l.what))) return true;
  }
  if (call.receiver && mentions(model, fn, call.receiver, tenants)) return true;
  return call.receiverTaint.some((l) => l.kind === 'param' && bare.includes(l.what));
}

/**
 * In a request made on behalf of one user or tenant, a search of a store that holds several
 * tenants' documents must be restricted to that tenant; otherwise any question can surface
 * another customer's data.
 */
export const rule: Rule = {
  meta: {
    id: 'vector-weakness/missing-tenant-filter',
    owasp: 'LLM08',
    asi: 'ASI06',
    cwe: 'CWE-284',
    severity: 'MEDIUM',
    title: 'Vector search not scoped to the current tenant',
    description: 'A vector store holding several users\u2019 or tenants\u2019 documents is searched on behalf of one of them without a filter or namespace for that tenant, so results can include other tenants\u2019 data.',
    fix: 'Pass a server-side metadata filter or namespace built from the authenticated tenant on every query (filter={"tenant_id": tenant_id}), or keep one collection per tenant.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    const reported = new Set<CallFact>();
    // Documents written with an owner key are known to be per-owner: every similarity search of
    // them must filter on that key, whatever names the request handler uses for the caller.
    const { keys: ownerKeys, stores } = ownerKeysWritten(model);
    if (ownerKeys.size) {
      for (const call of model.calls) {
        const q = vectorQuery(model, call);
        if (!q || q.fetch || !call.receiver || !stores.has(storeName(model, call.receiver))) continue;
        const filterText = q.filters.map((f) => model.text(resolveDict(model, f.node, call.fn))).join(' ');
        if ([...ownerKeys].some((k) => filterText.includes(k))) continue;
        if (q.filters.length && q.filters.every((f) => f.node.type !== 'dictionary' && f.node.type !== 'object' && f.node.type !== 'identifier')) continue;
        reported.add(call);
        ctx.report({
          node: call.node,
          message: `Documents in this store are tagged with ${[...ownerKeys].map((k) => `'${k}'`).join(', ')}, but ${call.name}() does not filter on it; one tenant's question can return another tenant's documents.`,
        });
      }
    }
    let multi: boolean | undefined;
    const tenantAssigns = groupTenantAssigns(model.assigns.filter((a) => TENANT_NAME.test(a.target.split('.').pop() ?? a.target)));
    for (const fn of model.functions) {
      const tenants = tenantsIn(model, fn, tenantAssigns);
      if (!tenants.length) continue;
      for (const call of fn.calls) {
        const q = vectorQuery(model, call) ?? sharedRetrieverUse(model, call);
        if (!q || q.fetch) continue;
        if (reported.has(call) || scoped(model, fn, call, tenants)) continue;
        // A filter the caller supplies is the user-controlled-filter finding, not a missing one.
        if (q.filters.some((f) => f.taint.some((l) => l.kind === 'user' || l.kind === 'model'))) continue;
        multi ??= multiTenantStore(model);
        if (!multi) return;
        ctx.report({
          node: call.node,
          message: `${call.name}() runs in ${fn.name}() for ${/^(request\.user|current_user|g\.user|get_jwt_identity)$/.test(tenants[0]) ? 'the signed-in user' : `a specific ${tenants[0].replace(/^self\./, '')}`} but ${q.filters.length ? 'its filter does not restrict results to that tenant' : 'has no tenant filter or namespace'}; other tenants' documents can be returned.`,
        });
      }
    }
  },
};

/** The variable a store is held in: `vectorstore`, `self.store`, `index`. */
function storeName(model: PyModel, receiver: AstNode): string {
  let n = receiver;
  while (n.type === 'call' || n.type === 'call_expression' || (n.type === 'attribute' || n.type === 'member_expression') && !/^(self|cls|this)$/.test(model.text(field(n, 'object')!))) {
    if (n.type === 'call' || n.type === 'call_expression') n = field(n, 'function')!;
    else n = field(n, 'object')!;
  }
  return model.text(n);
}

/**
 * Owner keys (`workspace_id`, `owner`, …) in the metadata of documents written to a store, and
 * the stores written that way.
 */
function ownerKeysWritten(model: PyModel): { keys: Set<string>; stores: Set<string> } {
  const keys = new Set<string>();
  const stores = new Set<string>();
  for (const c of model.calls) {
    if (!WRITE_METHODS.test(model.language ? snakeCase(c.name) : c.name) || !c.receiver) continue;
    const before = keys.size;
    for (const a of c.args) {
      const stack = [resolveDict(model, a.node, c.fn)];
      while (stack.length) {
        const n = stack.pop()!;
        if (n.type === 'keyword_argument' && !/^(metadata|metadatas|payload|payloads)$/.test(model.text(field(n, 'name')!))) continue;
        if (n.type === 'pair') {
          const k = field(n, 'key')!;
          if (k.type === 'string' && TENANT_KEY.test(unquote(model.text(k))) && inMetadata(model, n, a)) keys.add(unquote(model.text(k)));
          if (k.type === 'property_identifier' && TENANT_KEY.test(model.text(k)) && inMetadata(model, n, a)) keys.add(model.text(k));
        }
        if (n.type === 'shorthand_property_identifier' && TENANT_KEY.test(model.text(n)) && inMetadata(model, n, a)) keys.add(model.text(n));
        for (const ch of n.children) if (ch.named) stack.push(ch);
      }
    }
    if (keys.size > before || c.args.some((a) => a.name && /^(metadata|metadatas)$/.test(a.name) && tenantKeyIn(model, a.node))) stores.add(storeName(model, c.receiver));
  }
  return { keys, stores };
}

/** The pair sits in a metadata argument: `metadatas=[{...}]` or `Document(..., metadata={...})`. */
function inMetadata(model: PyModel, pair: AstNode, arg: { name: string | null; node: AstNode }): boolean {
  if (arg.name && /^(metadata|metadatas|payload|payloads)$/.test(arg.name)) return true;
  for (let p = pair.parent; p && p !== arg.node.parent; p = p.parent) {
    if (p.type === 'keyword_argument' && /^(metadata|metadatas|payload|payloads)$/.test(model.text(field(p, 'name')!))) return true;
    if (p.type === 'pair' && /^(metadata|metadatas|payload|payloads)$/.test(model.text(field(p, 'key')!).replace(/^["'`]|["'`]$/g, ''))) return true;
  }
  return false;
}

const RETRIEVER_USE = /^a?(invoke|get_relevant_documents|query|chat|retrieve|run|stream|batch)$/;
const sharedCache = new WeakMap<PyModel, Set<string>>();

/**
 * Retrievers, query engines and the chains around them built once at module level with no
 * filter: every request that uses them searches the whole store.
 */
function sharedRetrievers(model: PyModel): Set<string> {
  const hit = sharedCache.get(model);
  if (hit) return hit;
  const names = new Set<string>();
  const moduleAssigns = model.assigns.filter((a) => a.fn === model.module);
  for (const a of moduleAssigns) {
    const factory = model.calls.find((c) => c.fn === model.module && c.node.startIndex >= a.value.startIndex && c.node.endIndex <= a.value.endIndex && vectorQuery(model, c)?.factory);
    if (!factory) continue;
    const q = vectorQuery(model, factory)!;
    const filtered = q.filters.some((f) => f.name !== 'search_kwargs' || /filter|namespace|where|tenant/.test(model.text(f.node)));
    if (!filtered) names.add(a.target);
  }
  for (let round = 0; round < 2; round++) {
    for (const a of moduleAssigns) {
      if (names.has(a.target)) continue;
      const stack = [a.value];
      let uses = false;
      while (stack.length && !uses) {
        const n = stack.pop()!;
        if (n.type === 'identifier' && names.has(model.text(n))) uses = true;
        for (const c of n.children) if (c.named) stack.push(c);
      }
      if (uses) names.add(a.target);
    }
  }
  sharedCache.set(model, names);
  return names;
}

function sharedRetrieverUse(model: PyModel, call: CallFact): VectorQuery | null {
  if (!call.receiver || call.receiver.type !== 'identifier' || !RETRIEVER_USE.test(call.name)) return null;
  if (!sharedRetrievers(model).has(model.text(call.receiver))) return null;
  return { call, factory: false, fetch: false, filters: [] };
}

interface TenantAssigns {
  byFn: Map<FunctionFact, AssignFact[]>;
  byClass: Map<string, AssignFact[]>;
}

/** Groups keep the list's order, so the tenant names come out in the order a full scan finds them. */
function groupTenantAssigns(list: AssignFact[]): TenantAssigns {
  const byFn = new Map<FunctionFact, AssignFact[]>();
  const byClass = new Map<string, AssignFact[]>();
  for (const a of list) {
    const f = byFn.get(a.fn);
    if (f) f.push(a);
    else byFn.set(a.fn, [a]);
    if (a.fn.className) {
      const c = byClass.get(a.fn.className);
      if (c) c.push(a);
      else byClass.set(a.fn.className, [a]);
    }
  }
  return { byFn, byClass };
}
