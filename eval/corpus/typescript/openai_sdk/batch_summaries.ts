// Public batch summarisation API (Fastify + OpenAI).
import Fastify from 'fastify';
import OpenAI from 'openai';

const app = Fastify();
const openai = new OpenAI({ timeout: 60_000 });

interface BatchBody {
  documents: { id: string; text: string }[];
  style?: 'bullets' | 'paragraph';
  max_tokens?: number;
}

async function summariseOne(text: string, style: string, maxTokens: number) {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: `Summarise the document as ${style}.` },
      { role: 'user', content: text },
    ],
    max_tokens: maxTokens,
  });
  return completion.choices[0].message.content ?? '';
}

app.post<{ Body: BatchBody }>('/v1/summaries', async (req, reply) => {
  const { documents, style = 'bullets' } = req.body;
  if (!Array.isArray(documents) || documents.length === 0) {
    return reply.code(400).send({ error: 'no_documents' });
  }
  const maxTokens = req.body.max_tokens ?? 300;
  const style2 = style === 'paragraph' ? 'one paragraph' : 'five bullets';
  const summaries = await Promise.all(documents.map((d) => summariseOne(d.text, style2, maxTokens)));
  return { summaries: documents.map((d, i) => ({ id: d.id, summary: summaries[i] })) };
});

app.get('/v1/health', async () => ({ ok: true }));

await app.listen({ port: Number(process.env.PORT ?? 8080), host: '0.0.0.0' });
