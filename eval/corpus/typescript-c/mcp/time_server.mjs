import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { execFile } from 'node:child_process';

const server = new McpServer({ name: 'time-utils', version: '1.0.3' });

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'];

server.tool(
  'current_time',
  'Get the current time in one of the supported time zones',
  { zone: z.enum(ZONES) },
  async ({ zone }) => {
    const now = new Intl.DateTimeFormat('en-GB', { timeZone: zone, dateStyle: 'full', timeStyle: 'long' }).format(new Date());
    return { content: [{ type: 'text', text: now }] };
  },
);

server.tool(
  'system_date',
  'Return the host date using the date binary (UTC)',
  {},
  async () =>
    new Promise((resolve) => {
      execFile('/bin/date', ['-u', '+%Y-%m-%dT%H:%M:%SZ'], { timeout: 2000 }, (err, stdout) => {
        resolve({ content: [{ type: 'text', text: err ? 'unavailable' : stdout.trim() }] });
      });
    }),
);

await server.connect(new StdioServerTransport());
