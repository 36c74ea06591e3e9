// Support-article search API for white-label help centres (Hono + Pinecone + OpenAI).
import { Hono } from 'hono';
import { Pinecone } from '@pinecone-database/pinecone';
import OpenAI from 'openai';

const pc = new Pinecone({ apiKey: process.env.PINECONE_API_KEY! });
const openai = new OpenAI({ timeout: 20_000 });
const articles = pc.index('helpcentre-articles'); // one namespace per customer tenant

const app = new Hono();

async function embed(text: string): Promise<number[]> {
  const res = await openai.embeddings.create({ model: 'text-embedding-3-small', input: text.slice(0, 4000) });
  return res.data[0].embedding;
}

function tenantFrom(headers: Headers): string {
  // Set by the embed snippet on the customer's site.
  return headers.get('x-helpcentre-tenant') ?? 'public';
}

app.post('/search', async (c) => {
  const { query } = await c.req.json<{ query: string }>();
  const tenant = tenantFrom(c.req.raw.headers);
  const vector = await embed(query);
  const result = await articles.namespace(tenant).query({ vector, topK: 5, includeMetadata: true });
  return c.json(
    result.matches.map((m) => ({ id: m.id, score: m.score, title: m.metadata?.title, url: m.metadata?.url })),
  );
});

app.post('/answer', async (c) => {
  const { query } = await c.req.json<{ query: string }>();
  const tenant = tenantFrom(c.req.raw.headers);
  const vector = await embed(query);
  const hits = await articles.namespace(tenant).query({ vector, topK: 4, includeMetadata: true });
  const context = hits.matches.map((m) => String(m.metadata?.text ?? '')).join('\n---\n');
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    max_tokens: 400,
    messages: [
      { role: 'system', content: `Answer using only these help articles:\n${context}` },
      { role: 'user', content: query },
    ],
  });
  return c.json({ answer: completion.choices[0].message.content });
});

export default app;
