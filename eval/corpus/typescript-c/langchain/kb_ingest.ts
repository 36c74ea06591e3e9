import { OpenAIEmbeddings } from '@langchain/openai';
import { PineconeStore } from '@langchain/pinecone';
import { Pinecone } from '@pinecone-database/pinecone';
import { Document } from '@langchain/core/documents';
import express from 'express';

const pinecone = new Pinecone({ apiKey: process.env.PINECONE_API_KEY! });
const index = pinecone.Index('support-kb');
const embeddings = new OpenAIEmbeddings({ model: 'text-embedding-3-small' });

const router = express.Router();

function toDocuments(entries: { title: string; text: string }[], author: string): Document[] {
  return entries.map(
    (e) => new Document({ pageContent: `${e.title}\n\n${e.text}`, metadata: { author, source: 'community' } }),
  );
}

router.post('/kb/contribute', async (req, res) => {
  const author = String(req.query.user ?? 'anonymous');
  const docs = toDocuments(req.body.entries ?? [], author);
  const store = await PineconeStore.fromExistingIndex(embeddings, { pineconeIndex: index });
  await store.addDocuments(docs);
  res.json({ added: docs.length });
});

router.post('/kb/search', async (req, res) => {
  const store = await PineconeStore.fromExistingIndex(embeddings, { pineconeIndex: index });
  const userFilter = req.body.filter as Record<string, unknown>;
  const hits = await store.similaritySearch(String(req.body.query), 5, userFilter);
  res.json(hits.map((h) => ({ text: h.pageContent, meta: h.metadata })));
});

export default router;
