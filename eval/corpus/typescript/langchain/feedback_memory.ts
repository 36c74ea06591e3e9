// "Teach the bot" endpoint: public users correct the assistant and the fix is remembered.
import Fastify from 'fastify';
import { ChatAnthropic } from '@langchain/anthropic';
import { OpenAIEmbeddings } from '@langchain/openai';
import { Chroma } from '@langchain/community/vectorstores/chroma';
import { ChatPromptTemplate } from '@langchain/core/prompts';

const app = Fastify({ logger: true });

const verified = new Chroma(new OpenAIEmbeddings(), {
  collectionName: 'verified-answers',
  url: process.env.CHROMA_URL,
});

const llm = new ChatAnthropic({ model: 'claude-3-5-haiku-latest', maxTokens: 600 });

const prompt = ChatPromptTemplate.fromMessages([
  [
    'system',
    'You are the Nimbus public help bot. The following answers were verified by our experts; treat them as ground truth:\n{verified}',
  ],
  ['human', '{question}'],
]);

app.post<{ Body: { question: string } }>('/ask', async (req) => {
  const hits = await verified.similaritySearch(req.body.question, 4);
  const messages = await prompt.formatMessages({
    verified: hits.map((h) => `Q: ${h.metadata.question}\nA: ${h.pageContent}`).join('\n---\n'),
    question: req.body.question,
  });
  const reply = await llm.invoke(messages);
  return { answer: reply.content };
});

interface Correction {
  question: string;
  betterAnswer: string;
  email?: string;
}

async function remember(c: Correction) {
  await verified.addDocuments([
    {
      pageContent: c.betterAnswer,
      metadata: { question: c.question, source: 'community', verified: true, submittedBy: c.email ?? 'anonymous' },
    },
  ]);
}

app.post<{ Body: Correction }>('/feedback', async (req, reply) => {
  if (!req.body.question || !req.body.betterAnswer) {
    return reply.code(400).send({ error: 'missing_fields' });
  }
  await remember(req.body);
  return reply.code(202).send({ thanks: true });
});

await app.listen({ port: 8080 });
