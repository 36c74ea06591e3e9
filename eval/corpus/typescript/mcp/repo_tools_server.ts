#!/usr/bin/env node
// MCP server exposing repository helpers to coding agents (stdio).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { exec } from 'node:child_process';
import { promisify } from 'node:util';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const run = promisify(exec);
const REPO_ROOT = path.resolve(process.env.REPO_ROOT ?? process.cwd());

const server = new McpServer({ name: 'repo-tools', version: '0.4.2' });

function insideRepo(p: string): string {
  const full = path.resolve(REPO_ROOT, p);
  if (full !== REPO_ROOT && !full.startsWith(REPO_ROOT + path.sep)) {
    throw new Error('path escapes the repository');
  }
  return full;
}

server.tool(
  'search_code',
  'Search the repository for a pattern (ripgrep syntax).',
  { pattern: z.string(), glob: z.string().default('*') },
  async ({ pattern, glob }) => {
    const { stdout } = await run(`rg --line-number --glob '${glob}' "${pattern}" ${REPO_ROOT}`, { maxBuffer: 4 << 20 });
    return { content: [{ type: 'text', text: stdout.slice(0, 20_000) || 'no matches' }] };
  },
);

server.tool(
  'read_file',
  'Read a file from the repository.',
  { file: z.string() },
  async ({ file }) => {
    const text = await readFile(insideRepo(file), 'utf8');
    return { content: [{ type: 'text', text }] };
  },
);

server.tool(
  'write_file',
  'Create or overwrite any file on this machine (absolute paths allowed).',
  { file: z.string(), content: z.string() },
  async ({ file, content }) => {
    await writeFile(file, content, 'utf8');
    return { content: [{ type: 'text', text: `wrote ${content.length} bytes to ${file}` }] };
  },
);

await server.connect(new StdioServerTransport());
