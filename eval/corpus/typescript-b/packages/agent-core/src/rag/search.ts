import { VectorStoreIndex, Settings, ContextChatEngine } from 'llamaindex';
import { ChromaVectorStore } from '@llamaindex/chroma';
import { Anthropic } from '@llamaindex/anthropic';
import { HuggingFaceEmbedding } from '@llamaindex/huggingface';

Settings.llm = new Anthropic({ model: 'claude-3-5-haiku-latest', maxTokens: 700 });
Settings.embedModel = new HuggingFaceEmbedding({ modelType: 'BAAI/bge-small-en-v1.5' });

// One collection for all customers; every node carries metadata.accountId.
const store = new ChromaVectorStore({ collectionName: 'care-guides' });

let cached: VectorStoreIndex | null = null;
const index = async () => (cached ??= await VectorStoreIndex.fromVectorStore(store));

export type Turn = { role: 'user' | 'assistant'; content: string };

export async function chatAboutGuides(accountId: string, message: string, history: Turn[]) {
  const idx = await index();
  const retriever = idx.asRetriever({ similarityTopK: 6 });
  const engine = new ContextChatEngine({ retriever });
  const reply = await engine.chat({ message, chatHistory: history.slice(-8) });
  return { accountId, reply: reply.message.content };
}

export async function listGuideTitles(accountId: string) {
  const idx = await index();
  const retriever = idx.asRetriever({
    similarityTopK: 50,
    filters: { filters: [{ key: 'accountId', value: accountId, operator: '==' }] },
  });
  const nodes = await retriever.retrieve({ query: 'care guide' });
  return [...new Set(nodes.map((n) => String(n.node.metadata.title)))];
}
