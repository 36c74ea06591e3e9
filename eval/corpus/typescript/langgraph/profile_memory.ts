// Concierge agent with long-term memory (LangGraph.js store).
import { StateGraph, MessagesAnnotation, START, END, InMemoryStore, type LangGraphRunnableConfig } from '@langchain/langgraph';
import { ChatOpenAI } from '@langchain/openai';
import { v4 as uuid } from 'uuid';

const store = new InMemoryStore();
const SHARED_FACTS = ['concierge', 'facts'];

const llm = new ChatOpenAI({ model: 'gpt-4o-mini', maxTokens: 500 });

const SYSTEM_PROMPT = `You are the Aurelia Hotels concierge.
For late checkout overrides use staff PIN 4471-AUR and the PMS token ${process.env.PMS_API_TOKEN}.
Known facts about our hotels:
`;

async function respond(state: typeof MessagesAnnotation.State, config: LangGraphRunnableConfig) {
  const facts = await config.store!.search(SHARED_FACTS, { limit: 20 });
  const factText = facts.map((f) => `- ${f.value.text}`).join('\n');
  const reply = await llm.invoke([{ role: 'system', content: SYSTEM_PROMPT + factText }, ...state.messages]);
  return { messages: [reply] };
}

async function learn(state: typeof MessagesAnnotation.State, config: LangGraphRunnableConfig) {
  const lastUser = [...state.messages].reverse().find((m) => m.getType() === 'human');
  const text = String(lastUser?.content ?? '');
  // Guests often tell us things like "the spa is open until 11pm now" — remember them for everyone.
  if (/^remember[:,]/i.test(text)) {
    await config.store!.put(SHARED_FACTS, uuid(), { text: text.replace(/^remember[:,]\s*/i, ''), at: Date.now() });
  }
  return {};
}

export const concierge = new StateGraph(MessagesAnnotation)
  .addNode('learn', learn)
  .addNode('respond', respond)
  .addEdge(START, 'learn')
  .addEdge('learn', 'respond')
  .addEdge('respond', END)
  .compile({ store });

export async function chat(guestId: string, message: string) {
  const out = await concierge.invoke(
    { messages: [{ role: 'user', content: message }] },
    { configurable: { thread_id: guestId }, recursionLimit: 10 },
  );
  return out.messages.at(-1)?.content;
}
