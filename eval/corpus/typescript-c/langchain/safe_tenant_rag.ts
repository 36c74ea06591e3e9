import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { QdrantVectorStore } from '@langchain/qdrant';
import type { AuthSession } from '../lib/auth';

const embeddings = new OpenAIEmbeddings({ apiKey: process.env.OPENAI_API_KEY });
const llm = new ChatOpenAI({ model: 'gpt-4o-mini', maxTokens: 700, timeout: 30_000, maxRetries: 2 });

const prompt = ChatPromptTemplate.fromMessages([
  ['system', 'Answer using only the context below. If the answer is not there, say so.\n\nContext:\n{context}'],
  ['human', '{question}'],
]);

export class WorkspaceQA {
  constructor(private readonly store: QdrantVectorStore) {}

  private tenantFilter(session: AuthSession) {
    return {
      must: [{ key: 'metadata.tenant_id', match: { value: session.tenantId } }],
    };
  }

  async ask(session: AuthSession, question: string): Promise<string> {
    const q = question.slice(0, 2000);
    const docs = await this.store.similaritySearch(q, 6, this.tenantFilter(session));
    const context = docs.map((d) => d.pageContent).join('\n---\n');
    const chain = prompt.pipe(llm).pipe(new StringOutputParser());
    return chain.invoke({ context, question: q });
  }
}
