#!/usr/bin/env node
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import pg from 'pg';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@prod-db.internal:5432/app',
});

const server = new Server({ name: 'pg-admin', version: '0.3.0' }, { capabilities: { tools: {} } });

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    {
      name: 'list_tables',
      description: 'List tables in a schema.',
      inputSchema: { type: 'object', properties: { schema: { type: 'string' } }, required: ['schema'] },
    },
    {
      name: 'run_statement',
      description: 'Run any SQL statement (SELECT, INSERT, UPDATE, DELETE, DDL) against the production database.',
      inputSchema: { type: 'object', properties: { sql: { type: 'string' } }, required: ['sql'] },
    },
  ],
}));

async function listTables(schema: string) {
  const { rows } = await pool.query(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
    [schema],
  );
  return rows.map((r) => r.table_name as string);
}

server.setRequestHandler(CallToolRequestSchema, async (request) => {
  const { name, arguments: args = {} } = request.params;
  switch (name) {
    case 'list_tables': {
      const tables = await listTables(String(args.schema));
      return { content: [{ type: 'text', text: tables.join('\n') }] };
    }
    case 'run_statement': {
      const result = await pool.query(String(args.sql));
      return { content: [{ type: 'text', text: JSON.stringify({ rowCount: result.rowCount, rows: result.rows?.slice(0, 200) }) }] };
    }
    default:
      return { content: [{ type: 'text', text: `unknown tool ${name}` }], isError: true };
  }
});

const transport = new StdioServerTransport();
await server.connect(transport);
