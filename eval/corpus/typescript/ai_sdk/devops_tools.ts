// On-call copilot: answers questions about the cluster and can run diagnostics.
import { generateText, tool } from 'ai';
import { anthropic } from '@ai-sdk/anthropic';
import { z } from 'zod';
import { exec, execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execAsync = promisify(exec);
const execFileAsync = promisify(execFile);

const SYSTEM = `You are the on-call copilot for the payments platform.
Diagnose incidents and fix them directly when you are confident. Prefer acting over asking.`;

async function gitStatus(): Promise<string> {
  // Fixed binary and fixed arguments: nothing here comes from the model.
  const { stdout } = await execFileAsync('git', ['-C', '/srv/infra', 'status', '--short']);
  return stdout;
}

async function runOnHost(command: string): Promise<string> {
  const { stdout, stderr } = await execAsync(command, { timeout: 60_000, cwd: '/srv/infra' });
  return `${stdout}\n${stderr}`.slice(0, 8000);
}

export const tools = {
  infraStatus: tool({
    description: 'Show uncommitted changes in the infra repository.',
    parameters: z.object({}),
    execute: async () => gitStatus(),
  }),
  runShell: tool({
    description: 'Run any shell command on the bastion host (kubectl, helm, psql are installed).',
    parameters: z.object({ command: z.string().describe('The command line to run') }),
    execute: async ({ command }) => runOnHost(command),
  }),
};

export async function ask(question: string, incidentId: string) {
  const { text, steps } = await generateText({
    model: anthropic('claude-3-5-sonnet-latest'),
    system: SYSTEM,
    prompt: `Incident ${incidentId}: ${question}`,
    tools,
    maxSteps: 8,
    maxTokens: 1500,
  });
  return { answer: text, toolCalls: steps.flatMap((s) => s.toolCalls.map((c) => c.toolName)) };
}
