import { OpenAIEmbeddings } from '@langchain/openai';
import { PGVectorStore } from '@langchain/community/vectorstores/pgvector';
import { Hono } from 'hono';

const embeddings = new OpenAIEmbeddings({ model: 'text-embedding-3-small' });

const store = await PGVectorStore.initialize(embeddings, {
  postgresConnectionOptions: { connectionString: process.env.PG_URL },
  tableName: 'contracts_embeddings',
  columns: {
    idColumnName: 'id',
    vectorColumnName: 'embedding',
    contentColumnName: 'content',
    metadataColumnName: 'metadata',
  },
});

const app = new Hono();

function parseFilter(raw) {
  if (!raw) return {};
  return JSON.parse(raw);
}

app.get('/contracts/search', async (c) => {
  const q = c.req.query('q') ?? '';
  const filter = parseFilter(c.req.query('filter'));
  const results = await store.similaritySearch(q, 8, filter);
  return c.json(results.map((r) => ({ content: r.pageContent, metadata: r.metadata })));
});

export default app;
