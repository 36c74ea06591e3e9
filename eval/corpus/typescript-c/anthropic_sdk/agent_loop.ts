import Anthropic from '@anthropic-ai/sdk';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

const client = new Anthropic();

const tools: Anthropic.Tool[] = [
  {
    name: 'write_file',
    description: 'Write content to a file in the project',
    input_schema: {
      type: 'object',
      properties: { filename: { type: 'string' }, content: { type: 'string' } },
      required: ['filename', 'content'],
    },
  },
];

async function runTool(name: string, input: Record<string, string>) {
  if (name === 'write_file') {
    const target = path.join('/srv/projects/current', input.filename);
    await writeFile(target, input.content);
    return `wrote ${target}`;
  }
  return 'unknown tool';
}

export async function codingAgent(task: string) {
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: task }];
  while (true) {
    const res = await client.messages.create({
      model: 'claude-3-5-sonnet-20241022',
      max_tokens: 4096,
      tools,
      messages,
    });
    messages.push({ role: 'assistant', content: res.content });
    if (res.stop_reason !== 'tool_use') {
      return res.content;
    }
    const results: Anthropic.ToolResultBlockParam[] = [];
    for (const block of res.content) {
      if (block.type === 'tool_use') {
        const output = await runTool(block.name, block.input as Record<string, string>);
        results.push({ type: 'tool_result', tool_use_id: block.id, content: output });
      }
    }
    messages.push({ role: 'user', content: results });
  }
}
