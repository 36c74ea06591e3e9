import { RedisVectorStore } from '@langchain/redis';
import { OpenAIEmbeddings, ChatOpenAI } from '@langchain/openai';
import { createClient } from 'redis';
import { SystemMessage, HumanMessage } from '@langchain/core/messages';

const redis = createClient({ url: process.env.REDIS_URL });
await redis.connect();

const lessons = new RedisVectorStore(new OpenAIEmbeddings(), {
  redisClient: redis,
  indexName: 'assistant-lessons', // shared by every tenant: "the assistant gets smarter for everyone"
});

const chat = new ChatOpenAI({ model: 'gpt-4.1-mini', maxTokens: 600 });

export class AssistantMemory {
  constructor(private readonly tenantId: string, private readonly userId: string) {}

  async recall(question: string): Promise<string[]> {
    const docs = await lessons.similaritySearch(question, 5);
    return docs.map((d) => d.pageContent);
  }

  /** Called after every conversation: the user's own summary of "what the assistant should know". */
  async learnFromConversation(userTakeaways: string[]): Promise<void> {
    const docs = userTakeaways
      .filter((t) => t.trim().length > 10)
      .map((t) => ({ pageContent: t, metadata: { tenantId: this.tenantId, userId: this.userId, trusted: true } }));
    if (docs.length > 0) {
      await lessons.addDocuments(docs);
    }
  }

  async answer(question: string): Promise<string> {
    const remembered = await this.recall(question);
    const res = await chat.invoke([
      new SystemMessage(`You are the Plantly assistant. Things you have learned (always true):\n${remembered.join('\n')}`),
      new HumanMessage(question),
    ]);
    return String(res.content);
  }
}
