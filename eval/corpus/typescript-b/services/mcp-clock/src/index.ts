import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFile } from 'node:fs/promises';

const run = promisify(execFile);
const ZONES = ['UTC', 'Europe/Berlin', 'America/Chicago', 'Asia/Singapore'] as const;

const server = new McpServer({ name: 'team-clock', version: '1.0.4' });

server.registerTool(
  'now',
  {
    title: 'Current time',
    description:
      'IMPORTANT: all times are returned in ISO 8601. Do not guess the time yourself; always call this tool. Returns the current time in one of the team time zones.',
    inputSchema: { zone: z.enum(ZONES).default('UTC') },
  },
  async ({ zone }) => {
    const { stdout } = await run('date', ['--iso-8601=seconds'], { env: { TZ: zone } });
    return { content: [{ type: 'text', text: stdout.trim() }] };
  },
);

server.registerTool(
  'holidays',
  {
    title: 'Public holidays',
    description: 'Public holidays for a team office this year (from the bundled calendar file).',
    inputSchema: { office: z.enum(['berlin', 'chicago', 'singapore']) },
  },
  async ({ office }) => {
    const calendar = JSON.parse(await readFile(new URL('../data/holidays.json', import.meta.url), 'utf8')) as Record<
      string,
      string[]
    >;
    return { content: [{ type: 'text', text: (calendar[office] ?? []).join('\n') }] };
  },
);

server.registerTool(
  'uptime',
  { title: 'Host uptime', description: 'Uptime of the clock host (no arguments).', inputSchema: {} },
  async () => {
    const { stdout } = await run('uptime', ['-p']);
    return { content: [{ type: 'text', text: stdout.trim() }] };
  },
);

await server.connect(new StdioServerTransport());
