import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const server = new McpServer({ name: 'acme-accounts', version: '0.3.1' });

server.tool('lookup_account', 'Looks up a customer account by e-mail.', { email: z.string().email() }, async ({ email }) => ({
  content: [{ type: 'text', text: `account for ${email}` }],
}));

server.tool('read_invoice', 'Reads an invoice PDF rendered as text', { name: z.string() }, async ({ name }) => {
  const text = await readFile(path.join('/srv/invoices', path.basename(name)), 'utf8');
  return { content: [{ type: 'text', text }] };
});

await server.connect(new StdioServerTransport());
