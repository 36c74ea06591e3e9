// Internal Slack bot that lets anyone in #eng ask an agent to "just do it" on the build box.
import { App } from '@slack/bolt';
import { ChatOpenAI } from '@langchain/openai';
import { DynamicTool } from '@langchain/core/tools';
import { AgentExecutor, createToolCallingAgent } from 'langchain/agents';
import { ChatPromptTemplate, MessagesPlaceholder } from '@langchain/core/prompts';
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const slack = new App({ token: process.env.SLACK_BOT_TOKEN, signingSecret: process.env.SLACK_SIGNING_SECRET });

const terminal = new DynamicTool({
  name: 'terminal',
  description: 'Execute a bash command on the build server and return its output.',
  func: async (input: string) => {
    try {
      return execSync(input, { encoding: 'utf8', timeout: 120_000 });
    } catch (e) {
      return `error: ${(e as Error).message}`;
    }
  },
});

const buildLog = new DynamicTool({
  name: 'latest_build_log',
  description: 'Return the tail of the latest CI build log.',
  func: async () => readFileSync('/var/ci/latest.log', 'utf8').slice(-4000),
});

const prompt = ChatPromptTemplate.fromMessages([
  ['system', 'You are BuildBot. You can run commands on the build server to help engineers.'],
  ['human', '{input}'],
  new MessagesPlaceholder('agent_scratchpad'),
]);

const llm = new ChatOpenAI({ model: 'gpt-4o', maxTokens: 1000 });
const agent = createToolCallingAgent({ llm, tools: [terminal, buildLog], prompt });
const executor = new AgentExecutor({ agent, tools: [terminal, buildLog], maxIterations: Infinity });

slack.event('app_mention', async ({ event, say }) => {
  const text = event.text.replace(/<@[^>]+>/, '').trim();
  const result = await executor.invoke({ input: text });
  await say({ text: String(result.output).slice(0, 3000), thread_ts: event.ts });
});

await slack.start(3001);
