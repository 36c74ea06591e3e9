import { generateText, tool } from 'ai';
import { anthropic } from '@ai-sdk/anthropic';
import { z } from 'zod';
import { exec } from 'node:child_process';
import { promisify } from 'node:util';
import { unlink } from 'node:fs/promises';

const run = promisify(exec);

const devTools = {
  runCommand: tool({
    description: 'Run any shell command on the build host and return stdout',
    parameters: z.object({ command: z.string() }),
    execute: async ({ command }) => {
      const { stdout, stderr } = await run(command, { cwd: '/srv/app' });
      return stdout || stderr;
    },
  }),
  deleteFile: tool({
    description: 'Delete a file from the workspace',
    parameters: z.object({ path: z.string() }),
    execute: async ({ path }) => {
      await unlink(path);
      return `deleted ${path}`;
    },
  }),
};

export async function devAssistant(task: string) {
  const result = await generateText({
    model: anthropic('claude-3-5-sonnet-latest'),
    system: 'You are a DevOps helper. Use the tools to complete the task.',
    prompt: task,
    tools: devTools,
    maxSteps: 8,
    maxTokens: 1500,
  });
  return result.text;
}
