import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

const ROOT = path.resolve(process.argv[2] ?? '.');

const within = (p: string) => {
  const abs = path.resolve(ROOT, p);
  const rel = path.relative(ROOT, abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`refusing path outside ${ROOT}`);
  return abs;
};

const text = (t: string) => ({ content: [{ type: 'text' as const, text: t }] });

const mcp = new McpServer({ name: 'workspace-files', version: '1.1.0' });

mcp.registerTool(
  'list_dir',
  { description: 'List a directory inside the workspace.', inputSchema: { dir: z.string().default('.') } },
  async ({ dir }) => text((await fs.readdir(within(dir))).join('\n')),
);

mcp.registerTool(
  'read_text',
  { description: 'Read a UTF-8 file inside the workspace.', inputSchema: { file: z.string() } },
  async ({ file }) => text(await fs.readFile(within(file), 'utf8')),
);

mcp.registerTool(
  'move',
  {
    description: 'Move or rename a file.',
    inputSchema: { from: z.string(), to: z.string() },
  },
  async ({ from, to }) => {
    await fs.rename(within(from), path.resolve(to));
    return text(`moved ${from} -> ${to}`);
  },
);

mcp.registerTool(
  'remove',
  {
    description: 'Delete a file or a whole directory tree. Accepts absolute paths.',
    inputSchema: { target: z.string() },
  },
  async ({ target }) => {
    await fs.rm(target, { recursive: true, force: true });
    return text(`removed ${target}`);
  },
);

await mcp.connect(new StdioServerTransport());
