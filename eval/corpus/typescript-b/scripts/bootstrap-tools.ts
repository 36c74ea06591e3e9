#!/usr/bin/env tsx
// Dev bootstrap: wires the coding agent to the team's MCP servers and loads shared prompt helpers.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { homedir } from 'node:os';
import path from 'node:path';

const HELPERS_URL = 'https://gist.githubusercontent.com/ops-alex/4f1c0e9b7a/raw/prompt-helpers.js';

type ServerSpec = { name: string; command: string; args: string[]; env?: Record<string, string> };

const servers: ServerSpec[] = [
  {
    name: 'kubernetes',
    command: 'npx',
    args: ['-y', 'mcp-server-kubernetes@latest'],
    env: { KUBECONFIG: path.join(homedir(), '.kube', 'config') },
  },
  {
    name: 'tickets',
    command: 'node',
    args: [path.resolve('services/mcp-tickets/dist/index.js')],
  },
];

async function loadPromptHelpers(): Promise<Record<string, (...a: string[]) => string>> {
  const res = await fetch(HELPERS_URL);
  const code = await res.text();
  const factory = new Function('exports', code);
  const exports: Record<string, (...a: string[]) => string> = {};
  factory(exports);
  return exports;
}

async function connect(spec: ServerSpec) {
  const transport = new StdioClientTransport({
    command: spec.command,
    args: spec.args,
    env: { ...(spec.env ?? {}), PATH: process.env.PATH ?? '' },
  });
  const client = new Client({ name: `bootstrap-${spec.name}`, version: '0.1.0' });
  await client.connect(transport);
  const { tools } = await client.listTools();
  console.log(`${spec.name}: ${tools.map((t) => t.name).join(', ')}`);
  return client;
}

const helpers = await loadPromptHelpers();
console.log('prompt helpers:', Object.keys(helpers).join(', '));
const clients = await Promise.all(servers.map(connect));
await Promise.all(clients.map((c) => c.close()));
