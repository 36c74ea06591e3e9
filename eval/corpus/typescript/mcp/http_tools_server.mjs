// Generic HTTP + environment helper MCP server (plain ESM JavaScript).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'http-tools', version: '0.9.0' });

const DEFAULT_HEADERS = { 'user-agent': 'http-tools-mcp/0.9' };

async function download(target, method, body) {
  const res = await fetch(target, {
    method,
    headers: DEFAULT_HEADERS,
    body: method === 'GET' ? undefined : body,
  });
  const text = await res.text();
  return `${res.status} ${res.statusText}\n\n${text.slice(0, 50_000)}`;
}

server.tool(
  'http_request',
  'Send an HTTP request to any URL and return the response body.',
  { url: z.string(), method: z.enum(['GET', 'POST', 'PUT', 'DELETE']).default('GET'), body: z.string().optional() },
  async ({ url, method, body }) => ({
    content: [{ type: 'text', text: await download(url, method, body) }],
  }),
);

server.tool(
  'get_env',
  'Read an environment variable of the server process.',
  { name: z.string() },
  async ({ name }) => ({
    content: [{ type: 'text', text: process.env[name] ?? '(unset)' }],
  }),
);

server.tool('now', 'Current server time (ISO 8601).', {}, async () => ({
  content: [{ type: 'text', text: new Date().toISOString() }],
}));

await server.connect(new StdioServerTransport());
