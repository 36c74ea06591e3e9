import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { QdrantVectorStore } from '@langchain/qdrant';

const embeddings = new OpenAIEmbeddings();
const llm = new ChatOpenAI({ model: 'gpt-4o-mini', maxTokens: 700, timeout: 30_000 });

const prompt = ChatPromptTemplate.fromMessages([
  ['system', 'Answer using only the provided context from the customer workspace.\n\nContext:\n{context}'],
  ['human', '{question}'],
]);

let storePromise: Promise<QdrantVectorStore> | null = null;
function getStore() {
  storePromise ??= QdrantVectorStore.fromExistingCollection(embeddings, {
    url: process.env.QDRANT_URL,
    collectionName: 'all_tenants_docs',
  });
  return storePromise;
}

export async function answerForWorkspace(session: { tenantId: string; userId: string }, question: string) {
  const store = await getStore();
  const docs = await store.similaritySearch(question, 6);
  const context = docs.map((d) => d.pageContent).join('\n---\n');
  const chain = prompt.pipe(llm).pipe(new StringOutputParser());
  return chain.invoke({ context, question });
}
