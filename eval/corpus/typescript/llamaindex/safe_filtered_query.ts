// Contract search for law-firm clients: every query is filtered to the caller's client id.
import express from 'express';
import { VectorStoreIndex, Settings, MetadataMode } from 'llamaindex';
import { PGVectorStore } from '@llamaindex/postgres';
import { OpenAI, OpenAIEmbedding } from '@llamaindex/openai';
import { requireClient } from './auth.js';

Settings.llm = new OpenAI({ model: 'gpt-4o-mini', maxTokens: 500, timeout: 30_000 });
Settings.embedModel = new OpenAIEmbedding({ model: 'text-embedding-3-small' });

const vectorStore = new PGVectorStore({ clientConfig: { connectionString: process.env.PG_URL }, tableName: 'contracts' });
const index = await VectorStoreIndex.fromVectorStore(vectorStore);

const app = express();
app.use(express.json({ limit: '32kb' }));

app.post('/contracts/search', requireClient, async (req, res) => {
  const clientId = (req as any).client.id as string; // from the verified session, never from the body
  const question = String(req.body.question ?? '').slice(0, 1000);
  const retriever = index.asRetriever({
    similarityTopK: 5,
    filters: { filters: [{ key: 'clientId', value: clientId, operator: '==' }] },
  });
  const nodes = await retriever.retrieve({ query: question });
  res.json(
    nodes.map((n) => ({
      score: n.score,
      title: n.node.metadata.title,
      excerpt: n.node.getContent(MetadataMode.NONE).slice(0, 400),
    })),
  );
});

app.post('/contracts/ask', requireClient, async (req, res) => {
  const clientId = (req as any).client.id as string;
  const engine = index.asQueryEngine({
    similarityTopK: 4,
    preFilters: { filters: [{ key: 'clientId', value: clientId, operator: '==' }] },
  });
  const answer = await engine.query({ query: String(req.body.question ?? '').slice(0, 1000) });
  res.json({ answer: answer.toString() });
});

app.listen(3010);
