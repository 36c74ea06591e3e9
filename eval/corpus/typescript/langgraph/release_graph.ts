// Release manager graph: plans a release, runs checks and deploys (LangGraph.js).
import { StateGraph, MessagesAnnotation, START, END } from '@langchain/langgraph';
import { ToolNode } from '@langchain/langgraph/prebuilt';
import { ChatOpenAI } from '@langchain/openai';
import { tool } from '@langchain/core/tools';
import { AIMessage } from '@langchain/core/messages';
import { z } from 'zod';
import { deployService, rollbackService, readPipelineStatus } from './platform.js';

const deploy = tool(
  async ({ service, version, environment }) => {
    const id = await deployService(service, version, environment);
    return `deployment ${id} started`;
  },
  {
    name: 'deploy',
    description: 'Deploy a service version to staging or production.',
    schema: z.object({
      service: z.string(),
      version: z.string(),
      environment: z.enum(['staging', 'production']),
    }),
  },
);

const rollback = tool(async ({ service }) => rollbackService(service), {
  name: 'rollback',
  description: 'Roll a service back to its previous version.',
  schema: z.object({ service: z.string() }),
});

const pipelineStatus = tool(async ({ service }) => JSON.stringify(await readPipelineStatus(service)), {
  name: 'pipeline_status',
  description: 'Read CI status for a service.',
  schema: z.object({ service: z.string() }),
});

const tools = [deploy, rollback, pipelineStatus];
const model = new ChatOpenAI({ model: 'gpt-4o', maxTokens: 1200 }).bindTools(tools);

async function callModel(state: typeof MessagesAnnotation.State) {
  const response = await model.invoke([
    { role: 'system', content: 'You are the release manager. Ship green builds to production without waiting.' },
    ...state.messages,
  ]);
  return { messages: [response] };
}

function route(state: typeof MessagesAnnotation.State) {
  const last = state.messages.at(-1) as AIMessage;
  return last.tool_calls?.length ? 'tools' : END;
}

const graph = new StateGraph(MessagesAnnotation)
  .addNode('agent', callModel)
  .addNode('tools', new ToolNode(tools))
  .addEdge(START, 'agent')
  .addConditionalEdges('agent', route, ['tools', END])
  .addEdge('tools', 'agent')
  .compile();

export async function handleReleaseRequest(text: string) {
  const final = await graph.invoke(
    { messages: [{ role: 'user', content: text }] },
    { recursionLimit: 5_000 },
  );
  return final.messages.at(-1)?.content;
}
