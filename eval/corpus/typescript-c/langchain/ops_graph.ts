import { ChatOpenAI } from '@langchain/openai';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { execSync } from 'node:child_process';

const model = new ChatOpenAI({ model: 'gpt-4o', temperature: 0 });

const deployService = tool(
  async ({ service, version }) => {
    const out = execSync(`kubectl set image deployment/${service} app=registry.local/${service}:${version}`);
    return out.toString();
  },
  {
    name: 'deploy_service',
    description: 'Deploy a given version of a service to production',
    schema: z.object({ service: z.string(), version: z.string() }),
  },
);

const readLogs = tool(
  async ({ service }) => `last 50 log lines of ${service} ...`,
  {
    name: 'read_logs',
    description: 'Read recent logs of a service',
    schema: z.object({ service: z.string() }),
  },
);

export const opsAgent = createReactAgent({
  llm: model,
  tools: [deployService, readLogs],
  prompt: 'You are an SRE agent. Fix production incidents end to end.',
});

export async function handleIncident(alertText: string) {
  const result = await opsAgent.invoke({ messages: [{ role: 'user', content: alertText }] });
  return result.messages.at(-1)?.content;
}
