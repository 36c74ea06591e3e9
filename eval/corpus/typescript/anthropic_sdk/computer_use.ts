// Local "computer use" runner: lets Claude drive a workstation shell until the task is finished.
import Anthropic from '@anthropic-ai/sdk';
import { spawn } from 'node:child_process';

const client = new Anthropic();

function bash(command: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, cwd: process.env.HOME });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve(`${out.slice(-10_000)}\n[exit ${code}]`));
  });
}

export async function runTask(task: string) {
  const messages: Anthropic.Beta.BetaMessageParam[] = [{ role: 'user', content: task }];
  while (true) {
    const response = await client.beta.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      tools: [{ type: 'bash_20250124', name: 'bash' }],
      betas: ['computer-use-2025-01-24'],
      messages,
    });
    messages.push({ role: 'assistant', content: response.content });
    if (response.stop_reason !== 'tool_use') {
      return response.content.filter((b) => b.type === 'text').map((b) => b.text).join('\n');
    }
    const results: Anthropic.Beta.BetaToolResultBlockParam[] = [];
    for (const block of response.content) {
      if (block.type !== 'tool_use') continue;
      const input = block.input as { command?: string; restart?: boolean };
      const output = input.command ? await bash(input.command) : 'shell restarted';
      results.push({ type: 'tool_result', tool_use_id: block.id, content: output });
    }
    messages.push({ role: 'user', content: results });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runTask(process.argv.slice(2).join(' ')).then(console.log);
}
