import { snakeCase } from '../../flow/javascript.js';
/** Vector store queries across LangChain, LlamaIndex, Chroma, Pinecone, Qdrant, Weaviate and Milvus, and their filter arguments. */
import type { AstNode } from '../../parse/index.js';
import { field } from '../../parse/index.js';
import type { ArgFact, CallFact, FunctionFact, PyModel } from '../../flow/python.js';
import { calleeOf } from '../helpers.js';
import { perFile } from '../per-file.js';

/** Search methods only vector stores have. */
const STORE_SEARCH = /^a?(similarity_search\w*|max_marginal_relevance_search\w*|search_by_vector)$/;
const RETRIEVER_FACTORY = /^(as_retriever|as_query_engine|as_chat_engine)$/;
const RAW_QUERY = /^(query|search|query_points|get|get_all|hybrid|near_text|near_vector|bm25)$/;
const RAW_CLIENT_TYPE = /(chromadb|get_or_create_collection|get_collection|create_collection|Collection|pinecone|Pinecone|(^|\.)Index$|qdrant|Qdrant|weaviate|pymilvus|MilvusClient|lancedb|Elasticsearch|OpenSearch)/;
/** Keywords that only a vector query takes: they tell a Chroma `query` from an ORM's. */
const RAW_QUERY_KW = /^(query_texts|query_embeddings|n_results|query_vector|top_k|vector|include_metadata|collection_name|anns_field|limit|near_text|include|knn)$/;

export const FILTER_KW = /^(filter|filters|where|where_document|namespace|search_kwargs|query_filter|pre_filter|post_filter|expr|metadata_filter|metadata_filters|partition_name|partition_names|tenant|doc_ids|node_ids)$/;

export interface VectorQuery {
  call: CallFact;
  /** Builds a retriever or engine rather than searching at once. */
  factory: boolean;
  /** A fetch by id or filter (`collection.get`), not a similarity search. */
  fetch: boolean;
  filters: ArgFact[];
}

/** pgvector distance operators and functions in SQL text, and Supabase-style match functions. */
const VECTOR_SQL = /(<->|<=>|<#>|<\+>|\bcosine_distance\b|\bl2_distance\b|\binner_product\b|\bvector_distance\b|\bmatch_documents\b|\bVEC_DISTANCE|\bvec_distance_cosine\b)/i;

/** Several rules ask this of every call; the answer depends on the call alone (kept on the fact). Read-only result. */
export function vectorQuery(model: PyModel, call: CallFact): VectorQuery | null {
  let hit = call.vectorQuery;
  if (hit === undefined) call.vectorQuery = hit = vectorQueryUncached(model, call);
  return hit;
}

function vectorQueryUncached(model: PyModel, call: CallFact): VectorQuery | null {
  // JS spells the same APIs in camelCase and passes LangChain.js filters positionally: `similaritySearch(q, k, filter)`.
  const name = model.language ? snakeCase(call.name) : call.name;
  // Most calls are no query at all: their filter list is built only on the way to an answer.
  let filterList: ArgFact[] | undefined;
  const filters = (): ArgFact[] => {
    if (filterList) return filterList;
    filterList = call.args.filter((a) => a.name !== null && FILTER_KW.test(model.language ? snakeCase(a.name) : a.name));
    if (model.language && STORE_SEARCH.test(name)) filterList.push(...call.args.filter((a) => a.index === 2));
    return filterList;
  };
  if (STORE_SEARCH.test(name)) return { call, factory: false, fetch: false, filters: filters() };
  // OpenAI vector stores: a direct search, or file_search over fixed store ids in a run.
  if (/\.vector_stores\.search$/.test(calleeOf(call))) return { call, factory: false, fetch: false, filters: filters() };
  if (fileSearchIn(model) && call.args.some((a) => FILE_SEARCH.test(model.text(a.node)) && /vector_store_ids/.test(model.text(a.node)))) return { call, factory: false, fetch: false, filters: [] };
  // Raw SQL over pgvector (`ORDER BY embedding <=> %s`) or a Supabase match function.
  if (/^(execute|fetch|fetchrow|fetchall|query|rpc|exec_driver_sql)$/.test(name) && call.args.some((a) => (a.node.type === 'string' || a.node.type === 'concatenated_string') && VECTOR_SQL.test(model.text(a.node)))) {
    return { call, factory: false, fetch: false, filters: filters() };
  }
  if (RETRIEVER_FACTORY.test(name) && call.receiver) return { call, factory: true, fetch: false, filters: filters() };
  if (!RAW_QUERY.test(name) || !call.receiver) return null;
  // Pinecone JS: `index.namespace(ns).query({ vector, topK })`: the namespace is the tenant boundary.
  if (model.language && call.receiver.type === 'call_expression') {
    const ns = model.calls.find((c) => c.node === call.receiver && c.name === 'namespace');
    const nsArg = ns?.args.find((a) => a.index === 0);
    if (ns && nsArg) return { call, factory: false, fetch: false, filters: [...filters(), { ...nsArg, name: 'namespace' }] };
  }
  const c = calleeOf(call);
  // Weaviate v4: `collection.query.near_text(...)`.
  if (/\.query\.(near_text|near_vector|hybrid|bm25|fetch_objects)$/.test(c)) return { call, factory: false, fetch: false, filters: filters() };
  const typed = RAW_CLIENT_TYPE.test(call.receiverType ?? '');
  const kwSignal = call.args.some((a) => a.name !== null && RAW_QUERY_KW.test(a.name));
  // mem0 memories are a vector store with an owner filter: `memory.search(q, filters={...})`.
  if ((name === 'search' || name === 'get_all') && filters().some((f) => f.name === 'filters') && (/mem0|Memory/.test(call.receiverType ?? '') || /mem/i.test(model.text(call.receiver)))) return { call, factory: false, fetch: name === 'get_all', filters: filters() };
  if (name === 'get') {
    if (typed && filters().length) return { call, factory: false, fetch: true, filters: filters() };
    return null;
  }
  if (typed && (kwSignal || filters().length)) return { call, factory: false, fetch: false, filters: filters() };
  if (!typed && kwSignal && /(collection|index|qdrant|client|pinecone|store|db)/i.test(model.text(call.receiver))) return { call, factory: false, fetch: false, filters: filters() };
  return null;
}

const FILE_SEARCH = /["']file_search["']/;
/**
 * Whether the file spells a `file_search` tool with store ids at all. The per-argument test reads
 * every argument's text of every call; a text without a match cannot contain one.
 */
const fileSearchIn = perFile((model) => FILE_SEARCH.test(model.file.source) && /vector_store_ids/.test(model.file.source));

/** A filter value's own entries, when written as a dict literal: `{"user_id": uid, "k": 4}`. */
export function dictPairs(model: PyModel, n: AstNode): { key: string; value: AstNode }[] {
  if (n.type !== 'dictionary' && n.type !== 'object') return [];
  const out: { key: string; value: AstNode }[] = [];
  for (const p of n.children) {
    if (p.type !== 'pair') continue;
    const k = field(p, 'key')!;
    const v = field(p, 'value')!;
    if (k.type === 'string') out.push({ key: model.text(k).replace(/^[a-zA-Z]*["']+|["']+$/g, ''), value: v });
    else if (k.type === 'property_identifier') out.push({ key: model.text(k), value: v });
  }
  // JS shorthand `{ tenantId }` is `{ tenantId: tenantId }`.
  for (const p of n.children) if (p.type === 'shorthand_property_identifier') out.push({ key: model.text(p), value: p });
  return out;
}

/** The dict literal a name was last assigned in `fn` (or the module), for `filter=flt`. */
export function resolveDict(model: PyModel, n: AstNode, fn: FunctionFact): AstNode {
  if (n.type !== 'identifier') return n;
  const name = model.text(n);
  for (const f of [fn, model.module]) {
    const hit = model.assigns.filter((a) => a.fn === f && a.target === name && a.node.startIndex < n.startIndex).pop();
    if (hit) return /^(dictionary|call|object|call_expression)$/.test(hit.value.type) ? hit.value : n;
  }
  return n;
}
