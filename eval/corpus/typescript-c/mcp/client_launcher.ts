import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

interface ServerSpec {
  name: string;
  command: string;
  args: string[];
}

const SERVERS: ServerSpec[] = [
  { name: 'github', command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'] },
  { name: 'filesystem', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem@2025.3.28', '/srv/data'] },
  { name: 'memory', command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory@0.6.2'] },
  { name: 'browser', command: 'npx', args: ['-y', 'mcp-browser-tools@latest'] },
];

export async function connectAll() {
  const clients = new Map<string, Client>();
  for (const spec of SERVERS) {
    const transport = new StdioClientTransport({
      command: spec.command,
      args: spec.args,
      env: { GITHUB_TOKEN: process.env.GITHUB_TOKEN ?? '' },
    });
    const client = new Client({ name: `hub-${spec.name}`, version: '1.0.0' });
    await client.connect(transport);
    clients.set(spec.name, client);
  }
  return clients;
}

export async function listAllTools() {
  const clients = await connectAll();
  const out: Record<string, string[]> = {};
  for (const [name, client] of clients) {
    const { tools } = await client.listTools();
    out[name] = tools.map((t) => t.name);
  }
  return out;
}
