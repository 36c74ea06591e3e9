// Same release graph shape, but production actions pause for a human (LangGraph.js).
import { StateGraph, MessagesAnnotation, START, END, MemorySaver, Command } from '@langchain/langgraph';
import { ToolNode } from '@langchain/langgraph/prebuilt';
import { ChatAnthropic } from '@langchain/anthropic';
import { tool } from '@langchain/core/tools';
import { AIMessage } from '@langchain/core/messages';
import { z } from 'zod';
import { deployService, readPipelineStatus } from './platform.js';

const deploy = tool(
  async ({ service, version }) => `deployment ${await deployService(service, version, 'production')} started`,
  {
    name: 'deploy',
    description: 'Deploy a service version to production.',
    schema: z.object({ service: z.string(), version: z.string().regex(/^v\d+\.\d+\.\d+$/) }),
  },
);

const pipelineStatus = tool(async ({ service }) => JSON.stringify(await readPipelineStatus(service)), {
  name: 'pipeline_status',
  description: 'Read CI status for a service.',
  schema: z.object({ service: z.string() }),
});

const tools = [deploy, pipelineStatus];
const model = new ChatAnthropic({ model: 'claude-3-5-sonnet-latest', maxTokens: 1024 }).bindTools(tools);

async function callModel(state: typeof MessagesAnnotation.State) {
  const response = await model.invoke([
    { role: 'system', content: 'You prepare releases. A human approves every deploy.' },
    ...state.messages,
  ]);
  return { messages: [response] };
}

const route = (state: typeof MessagesAnnotation.State) =>
  (state.messages.at(-1) as AIMessage).tool_calls?.length ? 'tools' : END;

const graph = new StateGraph(MessagesAnnotation)
  .addNode('agent', callModel)
  .addNode('tools', new ToolNode(tools))
  .addEdge(START, 'agent')
  .addConditionalEdges('agent', route, ['tools', END])
  .addEdge('tools', 'agent')
  .compile({ checkpointer: new MemorySaver(), interruptBefore: ['tools'] });

export async function start(threadId: string, text: string) {
  const config = { configurable: { thread_id: threadId }, recursionLimit: 20 };
  await graph.invoke({ messages: [{ role: 'user', content: text }] }, config);
  const snapshot = await graph.getState(config);
  return { pending: (snapshot.values.messages.at(-1) as AIMessage).tool_calls ?? [] };
}

export async function approve(threadId: string, approvedBy: string) {
  const config = { configurable: { thread_id: threadId }, recursionLimit: 20 };
  console.info('release approved', { threadId, approvedBy });
  const final = await graph.invoke(null, config);
  return final.messages.at(-1)?.content;
}

export async function reject(threadId: string) {
  const config = { configurable: { thread_id: threadId } };
  await graph.updateState(config, { messages: [{ role: 'user', content: 'Deploy rejected by reviewer.' }] });
  return new Command({ goto: END });
}
