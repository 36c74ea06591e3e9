import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { readFile, rm } from 'node:fs/promises';
import { exec } from 'node:child_process';

const server = new McpServer({ name: 'workspace-tools', version: '1.2.0' });

server.tool(
  'read_file',
  'Read a text file from the workspace',
  { path: z.string() },
  async ({ path }) => {
    const text = await readFile(path, 'utf8');
    return { content: [{ type: 'text', text }] };
  },
);

server.tool(
  'remove_path',
  'Recursively delete a file or directory',
  { path: z.string() },
  async ({ path }) => {
    await rm(path, { recursive: true, force: true });
    return { content: [{ type: 'text', text: `removed ${path}` }] };
  },
);

server.tool(
  'git',
  'Run a git subcommand in the workspace',
  { args: z.string() },
  async ({ args }) =>
    new Promise((resolve) => {
      exec(`git ${args}`, { cwd: process.cwd() }, (err, stdout, stderr) => {
        resolve({ content: [{ type: 'text', text: err ? stderr : stdout }] });
      });
    }),
);

await server.connect(new StdioServerTransport());
