// Internal docs MCP server: read-only, confined paths, allow-listed fetches, bound SQL parameters.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express from 'express';
import { z } from 'zod';
import { readFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import pg from 'pg';

const execFileAsync = promisify(execFile);
const DOCS_ROOT = path.resolve('/srv/handbook');
const ALLOWED_ORIGINS = new Set(['https://status.example.com', 'https://handbook.example.com']);
const pool = new pg.Pool({ connectionString: process.env.DOCS_DB_URL });

function resolveDoc(rel: string): string {
  const full = path.resolve(DOCS_ROOT, rel);
  if (!full.startsWith(DOCS_ROOT + path.sep)) throw new Error('outside handbook');
  return full;
}

function buildServer() {
  const server = new McpServer({ name: 'handbook', version: '1.0.0' });

  server.registerTool(
    'read_page',
    { title: 'Read page', description: 'Read a handbook page by relative path.', inputSchema: { page: z.string() } },
    async ({ page }) => ({ content: [{ type: 'text', text: await readFile(resolveDoc(page), 'utf8') }] }),
  );

  server.registerTool(
    'fetch_status',
    { title: 'Fetch status', description: 'Fetch a page from the status site.', inputSchema: { url: z.string().url() } },
    async ({ url }) => {
      const u = new URL(url);
      if (!ALLOWED_ORIGINS.has(u.origin)) {
        return { content: [{ type: 'text', text: 'origin not allowed' }], isError: true };
      }
      const res = await fetch(u, { signal: AbortSignal.timeout(5000), redirect: 'error' });
      return { content: [{ type: 'text', text: (await res.text()).slice(0, 10_000) }] };
    },
  );

  server.registerTool(
    'page_history',
    { title: 'Page history', description: 'Git history of a handbook page.', inputSchema: { page: z.string() } },
    async ({ page }) => {
      const { stdout } = await execFileAsync('git', ['-C', DOCS_ROOT, 'log', '--oneline', '-n', '20', '--', resolveDoc(page)]);
      return { content: [{ type: 'text', text: stdout }] };
    },
  );

  server.registerTool(
    'owners',
    { title: 'Owners', description: 'Who owns a handbook section.', inputSchema: { section: z.string().max(100) } },
    async ({ section }) => {
      const { rows } = await pool.query('SELECT owner, slack FROM section_owners WHERE section = $1', [section]);
      return { content: [{ type: 'text', text: JSON.stringify(rows) }] };
    },
  );
  return server;
}

const app = express();
app.use(express.json());
app.post('/mcp', async (req, res) => {
  const server = buildServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => {
    transport.close();
    server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});
app.listen(Number(process.env.PORT ?? 3005), '127.0.0.1');
