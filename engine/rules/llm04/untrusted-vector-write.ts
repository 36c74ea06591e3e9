import { snakeCase } from '../../flow/javascript.js';
import { JS_LANGUAGES } from '../types.js';
import type { ArgFact, CallFact, PyModel } from '../../flow/python.js';
import type { Rule } from '../types.js';
import { describeKind, kw, plain } from '../helpers.js';
import { capitalise, chosenByOutsider, isScopedValue, isVetted, untrusted, uploadedContent } from './common.js';

/** Methods that only vector stores and indexes have. */
const STORE_METHODS = /^a?(add_texts|add_documents|from_texts|from_documents|add_embeddings|from_embeddings|insert_nodes|ainsert_nodes|add_vectors)$/;
/** Generic write verbs, counted only on receivers that are vector stores or collections. */
const GENERIC_METHODS = /^a?(upsert|add|insert|add_object|insert_many|upsert_records)$/;
const VECTOR_RECEIVER_TYPE = /(chromadb|Collection|get_or_create_collection|get_collection|create_collection|pinecone|Pinecone|\.Index$|^Index$|Qdrant|Milvus|weaviate|Weaviate|VectorStoreIndex|VectorStore|Chroma|FAISS|PGVector|Redis(Vector)?Store|LanceDB|lancedb|Pgvector|OpenSearchVectorSearch|ElasticsearchStore|MongoDBAtlasVectorSearch|TurbopufferNamespace|load_index_from_storage|from_vector_store|GPTVectorStoreIndex)/;
const VECTOR_RECEIVER_NAME = /^(collection|\w*_collection|collection_\w+|index|vector_?store|\w*_vector_?store|vectordb|vector_db|\w*_vectordb|\w*_vector_index|vector_index|kb|knowledge_base|qdrant|\w*_qdrant|pinecone_index|milvus|\w+_index)$/i;
const CONTENT_KEYWORDS = new Set(['documents', 'texts', 'text', 'metadatas', 'metadata', 'nodes', 'points', 'vectors', 'data', 'records', 'objects', 'properties', 'document', 'payload', 'payloads', 'entities']);
const SCOPE_KEY = /["'](user_?id|tenant(_id)?|owner(_id)?|account_id|org_id|organization_id|customer_id|session_id|company_id|client_id|workspace_id|team_id|project_id|member_id|patient_id)["']\s*:\s*[^"'\s]/;

/** An argument's text, with a local it names spelled out (`doc = Document(..., metadata={...})`). */
function argText(model: PyModel, call: CallFact, a: ArgFact): string {
  let out = model.text(a.node);
  const names = a.node.type === 'identifier' ? [out] : a.node.type === 'list' ? a.node.children.filter((c) => c.type === 'identifier').map(model.text) : [];
  for (const name of names) {
    const def = model.assigns.filter((x) => x.fn === call.fn && x.target === name && x.node.startIndex < call.node.startIndex).pop();
    if (def) out += ' ' + model.text(def.value);
  }
  return out;
}
/** An INSERT whose column list carries an embedding: the row is retrievable by similarity. */
const EMBEDDING_INSERT = /\binsert\s+into\s+[\w."]+\s*\([^)]*\b(embedding|embeddings|vector|vec)\b[^)]*\)/i;
/** JS object keys are bare and camelCase: `metadata: { workspaceId }`, `{ userId: id }`. */
const JS_SCOPE_KEY = /[{,]\s*(userId|user_id|tenantId|tenant_id|tenant|ownerId|owner_id|owner|accountId|orgId|customerId|sessionId|workspaceId|workspace_id|teamId)\s*(:\s*[^"'`\s,}]|[,}])/;

/** Content arguments of a vector-store write, or null when the call is not one. */
export function vectorWriteArgs(model: PyModel, call: CallFact): ArgFact[] | null {
  // JS spells the same methods and names in camelCase: `vectorStore.addDocuments(docs)`.
  const method = model.language ? snakeCase(call.name) : call.name;
  const rtype = plain(call.receiverType ?? '');
  const rtext = call.receiver ? (model.language ? snakeCase(model.text(call.receiver)) : model.text(call.receiver)) : '';
  let isWrite = STORE_METHODS.test(method);
  if (!isWrite && GENERIC_METHODS.test(method) && call.receiver) {
    // `collection.data.insert(...)` (Weaviate v4) and typed or well-named store receivers.
    const rname = rtext.split('.').pop() ?? '';
    isWrite = VECTOR_RECEIVER_TYPE.test(rtype) || (!rtype && VECTOR_RECEIVER_NAME.test(rname)) || /collection\w*\.data$/i.test(rtext);
    // Plain containers and SQL sessions share the verbs.
    if (/^(set|list|dict|deque|sqlalchemy|Session|session)\b/.test(rtype) || /^(self\.)?(seen|visited|items|results|cache|queue|tasks|session|db)$/.test(rtext)) isWrite = false;
    if (method === 'add' && !(VECTOR_RECEIVER_TYPE.test(rtype) || /collection/i.test(rname))) isWrite = false;
  }
  // JS: `index.namespace(ns).upsert(records)` (Pinecone) and rows written with their `embedding` (pgvector, Supabase).
  if (!isWrite && model.language && /^(upsert|upsert_records|insert|insert_many|add|create|create_many)$/.test(method) && call.receiver) {
    isWrite = /\.namespace\([^)]*\)$/.test(model.text(call.receiver)) || call.args.some((a) => /\bembeddings?\b\s*[:,}]/.test(model.text(a.node)));
  }
  // Cloudflare Vectorize bindings: `env.VECTORIZE.upsert(vectors)`, `c.env.KB_INDEX.insert(vectors)`.
  if (!isWrite && model.language && /^(upsert|insert)$/.test(method) && call.receiver && (/\benv\.\w*(VECTOR|INDEX|EMBED|KB)\w*$/i.test(model.text(call.receiver)) || /Vectorize/.test(rtype))) isWrite = true;
  // Weaviate v3 JS: `client.collections.get('Docs').data.insert(obj)`, held in a local or not.
  if (!isWrite && model.language && /^(insert|insert_many)$/.test(method) && /(^weaviate[\w-]*\.|\.collections\.(get|use)\.)[\w.]*\bdata\.\w+$/i.test(plain(call.callee))) isWrite = true;
  // pgvector rows written with SQL: `INSERT INTO documents (content, embedding) VALUES ($1, $2)`.
  if (!isWrite && model.language) {
    const stmt = call.args.find((a) => a.index === 0);
    if (stmt && (stmt.node.type === 'string' || stmt.node.type === 'template_string') && EMBEDDING_INSERT.test(model.text(stmt.node)) && (/^(query|execute|sql|\$executeRaw|\$executeRawUnsafe|run|exec|unsafe)$/.test(call.name))) {
      // Bound values follow the statement; a tagged template carries them inside.
      const values = call.args.filter((a) => a.index >= 1);
      return values.length ? values : [stmt];
    }
  }
  // Drizzle/Kysely rows into an embeddings table: `db.insert(embeddings).values(rows)`, `db.insertInto('chunks').values(rows)`.
  if (!isWrite && model.language && method === 'values' && call.receiver?.type === 'call_expression') {
    const inner = model.calls.find((o) => o.node === call.receiver);
    const table = inner?.args.find((a) => a.index === 0);
    isWrite = !!inner && /^(insert|insert_into)$/.test(snakeCase(inner.name)) && !!table && /(embedding|vector|chunk|knowledge|kb_|document_sections)/i.test(model.text(table.node));
    if (isWrite) return call.args.filter((a) => a.index >= 0);
  }
  if (!isWrite) return null;
  return call.args.filter((a) => (a.name === null && !a.splat) || (a.name !== null && CONTENT_KEYWORDS.has(model.language ? snakeCase(a.name) : a.name)) || a.splat);
}

/**
 * A vector store is read back into prompts for every later user. Writing text that a user, a web
 * page or the model supplied puts attacker-chosen instructions and false facts in front of all of
 * them (RAG poisoning). Corpora loaded from the developer's own files, and content that a
 * moderation step, allow-list or review queue vets first, stay silent.
 */
export const rule: Rule = {
  meta: {
    id: 'data-poisoning/untrusted-vector-write',
    owasp: 'LLM04',
    asi: 'ASI06',
    cwe: 'CWE-345',
    severity: 'HIGH',
    title: 'Untrusted content written to a vector store',
    description: 'Text from users, fetched web pages or model output is embedded into a shared vector store or index without vetting, so anyone who can supply it can plant instructions or false facts that later retrievals feed to the model (RAG poisoning).',
    fix: 'Vet content before indexing it: moderate or scan it for injected instructions, restrict sources to an allow-list, queue user contributions for review, record provenance in metadata, and keep user-supplied content in a per-user namespace that other users never retrieve.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    for (const call of model.calls) {
      const args = vectorWriteArgs(model, call);
      if (!args) continue;
      const perUser = isScopedValue(model, kw(call, 'namespace')) || isScopedValue(model, kw(call, 'partition')) || isScopedValue(model, kw(call, 'tenant')) || args.some((a) => SCOPE_KEY.test(argText(model, call, a)) || (!!model.language && JS_SCOPE_KEY.test(model.text(a.node))));
      const kinds = perUser ? (['web', 'model'] as const) : (['user', 'web', 'model'] as const);
      let label;
      for (const a of args) {
        label = untrusted(a.taint, [...kinds]).filter((l) => chosenByOutsider(model, l))[0] ?? (perUser ? undefined : uploadedContent(model, a.taint));
        if (label) break;
      }
      if (!label) continue;
      if (isVetted(model, call.fn, call.node.startIndex)) continue;
      ctx.report({
        node: call.node,
        source: label,
        message: `${capitalise(describeKind(label.kind))} (${label.what}, line ${label.line}) is written to a vector store by ${call.name}() without moderation, provenance checks or review; later retrievals will feed it to the model.`,
      });
    }
  },
};
