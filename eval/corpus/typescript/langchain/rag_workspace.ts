// Team knowledge-base Q&A over pgvector (Express + LangChain.js).
import express from 'express';
import { OpenAIEmbeddings, ChatOpenAI } from '@langchain/openai';
import { PGVectorStore } from '@langchain/community/vectorstores/pgvector';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import type { Document } from '@langchain/core/documents';
import { requireUser } from './auth.js';

const app = express();
app.use(express.json());

const store = await PGVectorStore.initialize(new OpenAIEmbeddings({ model: 'text-embedding-3-small' }), {
  postgresConnectionOptions: { connectionString: process.env.PG_URL },
  tableName: 'kb_chunks', // one table for every customer workspace; metadata.workspaceId tags the owner
});

const llm = new ChatOpenAI({ model: 'gpt-4o-mini', maxTokens: 700 });

const prompt = ChatPromptTemplate.fromMessages([
  ['system', 'Answer only from the context. If the answer is not there, say so.\n\nContext:\n{context}'],
  ['human', '{question}'],
]);

function formatDocs(docs: Document[]): string {
  return docs.map((d, i) => `[${i + 1}] ${d.metadata.title}\n${d.pageContent}`).join('\n\n');
}

async function retrieve(question: string): Promise<Document[]> {
  return store.similaritySearch(question, 6);
}

app.post('/api/kb/ask', requireUser, async (req, res) => {
  const { question } = req.body as { question: string };
  const docs = await retrieve(question);
  const messages = await prompt.formatMessages({ context: formatDocs(docs), question });
  const answer = await llm.invoke(messages);
  res.json({
    answer: answer.content,
    sources: docs.map((d) => ({ title: d.metadata.title, url: d.metadata.url })),
  });
});

app.post('/api/kb/ingest', requireUser, async (req, res) => {
  const { title, text } = req.body as { title: string; text: string };
  const workspaceId = (req as any).user.workspaceId as string;
  await store.addDocuments([{ pageContent: text, metadata: { title, workspaceId } }]);
  res.status(201).json({ ok: true });
});

app.listen(3000);
