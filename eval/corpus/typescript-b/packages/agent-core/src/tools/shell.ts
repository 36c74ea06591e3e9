import { tool } from 'ai';
import { z } from 'zod';
import { spawn, execFile } from 'node:child_process';

export interface ShellResult {
  code: number | null;
  output: string;
}

const collect = (cmd: string, args: string[], opts: Parameters<typeof spawn>[2]): Promise<ShellResult> =>
  new Promise((resolve) => {
    const child = spawn(cmd, args, opts);
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code, output: output.slice(-16_000) }));
  });

/** Read-only helper used by the status tool: fixed argv, no shell. */
export const diskUsage = () =>
  new Promise<string>((resolve, reject) =>
    execFile('df', ['-h', '/workspace'], (err, stdout) => (err ? reject(err) : resolve(stdout))),
  );

export const makeWorkspaceTools = (workspaceDir: string) => ({
  status: tool({
    description: 'Disk usage of the workspace volume.',
    inputSchema: z.object({}),
    execute: async () => diskUsage(),
  }),

  runTests: tool({
    description: 'Run the project test command with optional extra flags.',
    inputSchema: z.object({ flags: z.string().default('') }),
    execute: async ({ flags }) => collect(`npm test -- ${flags}`, [], { cwd: workspaceDir, shell: true }),
  }),

  terminal: tool({
    description: 'Execute an arbitrary command in the workspace container and return stdout/stderr.',
    inputSchema: z.object({ command: z.string().min(1) }),
    execute: async ({ command }) => collect('/bin/sh', ['-c', command], { cwd: workspaceDir }),
  }),
});
