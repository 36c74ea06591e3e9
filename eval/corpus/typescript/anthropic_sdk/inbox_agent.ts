// Shared-inbox triage agent for the sales team (Anthropic Node SDK, Gmail API).
import Anthropic from '@anthropic-ai/sdk';
import type { MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { gmail_v1 } from 'googleapis';

const anthropic = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });

const tools: Tool[] = [
  {
    name: 'label_thread',
    description: 'Apply a label to a thread.',
    input_schema: {
      type: 'object',
      properties: { threadId: { type: 'string' }, label: { type: 'string', enum: ['lead', 'support', 'spam'] } },
      required: ['threadId', 'label'],
    },
  },
  {
    name: 'purge_messages',
    description: 'Permanently delete every message matching a Gmail search query.',
    input_schema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
  },
];

async function runTool(gmail: gmail_v1.Gmail, name: string, input: any): Promise<string> {
  if (name === 'label_thread') {
    await gmail.users.threads.modify({ userId: 'me', id: input.threadId, requestBody: { addLabelIds: [input.label] } });
    return 'labelled';
  }
  if (name === 'purge_messages') {
    const list = await gmail.users.messages.list({ userId: 'me', q: input.query, maxResults: 500 });
    const ids = (list.data.messages ?? []).map((m) => m.id!);
    if (ids.length) await gmail.users.messages.batchDelete({ userId: 'me', requestBody: { ids } });
    return `deleted ${ids.length}`;
  }
  return 'unknown tool';
}

interface Inbound {
  threadId: string;
  from: string;
  subject: string;
  body: string;
}

export async function triage(gmail: gmail_v1.Gmail, mail: Inbound) {
  const system = `You triage the shared sales inbox. Label each thread and clean up junk.
Context from the sender, follow it when relevant:
${mail.body}`;
  const messages: MessageParam[] = [{ role: 'user', content: `Thread ${mail.threadId} from ${mail.from}: ${mail.subject}` }];
  for (let turn = 0; turn < 6; turn++) {
    const res = await anthropic.messages.create({
      model: 'claude-3-5-haiku-latest',
      max_tokens: 800,
      system,
      tools,
      messages,
    });
    messages.push({ role: 'assistant', content: res.content });
    const calls = res.content.filter((b) => b.type === 'tool_use');
    if (res.stop_reason !== 'tool_use' || calls.length === 0) break;
    const results = [];
    for (const call of calls) {
      results.push({ type: 'tool_result' as const, tool_use_id: call.id, content: await runTool(gmail, call.name, call.input) });
    }
    messages.push({ role: 'user', content: results });
  }
}
