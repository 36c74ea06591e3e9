import { generateText, tool, stepCountIs } from 'ai';
import { openai } from '@ai-sdk/openai';
import { z } from 'zod';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

const ALLOWED_CHECKS = ['disk', 'uptime', 'memory'] as const;
const CHECK_BINARIES: Record<(typeof ALLOWED_CHECKS)[number], [string, string[]]> = {
  disk: ['/bin/df', ['-h']],
  uptime: ['/usr/bin/uptime', []],
  memory: ['/usr/bin/free', ['-m']],
};

const healthTool = tool({
  description: 'Run one of a fixed set of read-only host health checks',
  inputSchema: z.object({ check: z.enum(ALLOWED_CHECKS) }),
  execute: async ({ check }) => {
    const [bin, args] = CHECK_BINARIES[check];
    const { stdout } = await execFileAsync(bin, args, { timeout: 5000 });
    return stdout.slice(0, 4000);
  },
});

export async function hostStatus(question: string) {
  const { text } = await generateText({
    model: openai('gpt-4o-mini'),
    system: 'You report host health. Only use the health tool.',
    messages: [{ role: 'user', content: question }],
    tools: { health: healthTool },
    stopWhen: stepCountIs(4),
    maxOutputTokens: 800,
    abortSignal: AbortSignal.timeout(30_000),
  });
  return text;
}
