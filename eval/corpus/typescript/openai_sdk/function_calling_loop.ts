// Docs assistant using raw function calling against the OpenAI Node SDK.
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const client = new OpenAI();
const DOCS_ROOT = '/srv/docs/public';

const tools: ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'read_doc',
      description: 'Read a documentation page by relative path, e.g. guides/setup.md',
      parameters: {
        type: 'object',
        properties: { file: { type: 'string' } },
        required: ['file'],
      },
    },
  },
];

async function readDoc(file: string): Promise<string> {
  const full = path.join(DOCS_ROOT, file);
  return readFile(full, 'utf8');
}

async function dispatch(name: string, rawArgs: string): Promise<string> {
  const args = JSON.parse(rawArgs) as { file: string };
  if (name === 'read_doc') return readDoc(args.file);
  return `unknown tool ${name}`;
}

export async function answer(question: string): Promise<string> {
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: 'Answer using the documentation. Open pages with read_doc.' },
    { role: 'user', content: question },
  ];
  for (;;) {
    const res = await client.chat.completions.create({ model: 'gpt-4o', messages, tools, max_tokens: 800 });
    const msg = res.choices[0].message;
    messages.push(msg);
    if (!msg.tool_calls?.length) return msg.content ?? '';
    for (const call of msg.tool_calls) {
      const output = await dispatch(call.function.name, call.function.arguments);
      messages.push({ role: 'tool', tool_call_id: call.id, content: output.slice(0, 12_000) });
    }
  }
}
