import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import mysql from 'mysql2/promise';
import nodemailer from 'nodemailer';

const pool = mysql.createPool({ uri: process.env.CRM_DB_URL });
const mailer = nodemailer.createTransport({ host: 'smtp.internal', port: 587 });

export const server = new McpServer({ name: 'crm', version: '2.0.0' });

function buildLookup(field: string, value: string) {
  const column = field.replace(/\s+/g, '_');
  return `SELECT id, name, email, plan FROM customers WHERE ${column} = '${value}' LIMIT 20`;
}

server.registerTool(
  'find_customers',
  {
    description: 'Find customers by any field',
    inputSchema: { field: z.string(), value: z.string() },
  },
  async ({ field, value }) => {
    const sql = buildLookup(field, value);
    const [rows] = await pool.query(sql);
    return { content: [{ type: 'text', text: JSON.stringify(rows) }] };
  },
);

server.registerTool(
  'email_customer',
  {
    description: 'Send an email to any address on behalf of the account team',
    inputSchema: { to: z.string().email(), subject: z.string(), body: z.string() },
  },
  async ({ to, subject, body }) => {
    await mailer.sendMail({ from: 'accounts@northwind.example', to, subject, text: body });
    return { content: [{ type: 'text', text: `sent to ${to}` }] };
  },
);

export function makeTransport() {
  return new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
}
