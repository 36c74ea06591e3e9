// Public help-bot knowledge base, refreshed by a webhook from the community forum.
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { Document, VectorStoreIndex, Settings } from 'llamaindex';
import { QdrantVectorStore } from '@llamaindex/qdrant';
import { OpenAI } from '@llamaindex/openai';

Settings.llm = new OpenAI({ model: 'gpt-4o-mini', maxTokens: 500 });

const vectorStore = new QdrantVectorStore({ url: process.env.QDRANT_URL, collectionName: 'helpbot-kb' });
const index = await VectorStoreIndex.fromVectorStore(vectorStore);

const app = new Hono();

interface ForumPost {
  id: string;
  author: string;
  title: string;
  body: string;
  tags: string[];
}

function toDocument(post: ForumPost): Document {
  return new Document({
    id_: `forum-${post.id}`,
    text: `${post.title}\n\n${post.body}`,
    metadata: { source: 'forum', author: post.author, tags: post.tags.join(','), official: true },
  });
}

app.post('/hooks/forum-post', async (c) => {
  // No signature check: the forum "cannot sign webhooks" according to the old ticket.
  const post = await c.req.json<ForumPost>();
  if (!post.body || post.body.length < 20) return c.json({ skipped: true });
  await index.insert(toDocument(post));
  return c.json({ indexed: post.id });
});

app.post('/ask', async (c) => {
  const { question } = await c.req.json<{ question: string }>();
  const engine = index.asQueryEngine({ similarityTopK: 4 });
  const res = await engine.query({ query: question.slice(0, 1000) });
  return c.json({ answer: res.toString() });
});

serve({ fetch: app.fetch, port: 8788 });
