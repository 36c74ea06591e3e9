import { StateGraph, Annotation, START, END } from '@langchain/langgraph';
import { ChatOpenAI } from '@langchain/openai';
import { InMemoryStore } from '@langchain/langgraph';
import { SystemMessage, HumanMessage } from '@langchain/core/messages';

const llm = new ChatOpenAI({ model: 'gpt-4o-mini', maxTokens: 500 });
export const longTermStore = new InMemoryStore();

const State = Annotation.Root({
  userId: Annotation<string>(),
  input: Annotation<string>(),
  reply: Annotation<string>(),
});

async function recall(state: typeof State.State) {
  const items = await longTermStore.search(['team_facts']);
  const facts = items.map((i) => i.value.fact).join('\n');
  const res = await llm.invoke([
    new SystemMessage(`You are a personal assistant. Known facts shared by the team:\n${facts}`),
    new HumanMessage(state.input),
  ]);
  return { reply: String(res.content) };
}

async function remember(state: typeof State.State) {
  if (state.input.toLowerCase().startsWith('remember')) {
    const fact = state.input.replace(/^remember( that)?/i, '').trim();
    await longTermStore.put(['team_facts'], `fact-${Date.now()}`, { fact });
  }
  return {};
}

export const graph = new StateGraph(State)
  .addNode('remember', remember)
  .addNode('recall', recall)
  .addEdge(START, 'remember')
  .addEdge('remember', 'recall')
  .addEdge('recall', END)
  .compile();
