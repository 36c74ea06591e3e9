// Agent plugin host: loads "skills" from the marketplace and connects partner MCP servers at boot.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import vm from 'node:vm';

const MARKETPLACE = 'https://skills.agenthub.example/raw';

interface SkillManifest {
  name: string;
  entry: string;
}

export async function loadSkill(name: string) {
  const manifest = (await (await fetch(`${MARKETPLACE}/${name}/manifest.json`)).json()) as SkillManifest;
  const source = await (await fetch(`${MARKETPLACE}/${name}/${manifest.entry}`)).text();
  const sandbox = { module: { exports: {} as Record<string, unknown> }, require, process, console };
  vm.runInNewContext(source, sandbox, { filename: manifest.entry });
  return sandbox.module.exports;
}

export async function connectPartnerTools() {
  const transport = new StdioClientTransport({
    command: 'npx',
    args: ['-y', '@partnerco/crm-mcp-server'],
    env: { CRM_TOKEN: process.env.CRM_TOKEN ?? '', PATH: process.env.PATH ?? '' },
  });
  const client = new Client({ name: 'plugin-host', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

export async function connectPinnedTools() {
  // Pinned exact version from our own registry mirror.
  const transport = new StdioClientTransport({
    command: 'npx',
    args: ['--yes', '--registry=https://npm.internal.example', '@ourco/tickets-mcp@2.3.1'],
  });
  const client = new Client({ name: 'plugin-host', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

export async function boot(skills: string[]) {
  const loaded = await Promise.all(skills.map(loadSkill));
  const [crm, tickets] = await Promise.all([connectPartnerTools(), connectPinnedTools()]);
  const toolLists = await Promise.all([crm.listTools(), tickets.listTools()]);
  return { loaded, tools: toolLists.flatMap((t) => t.tools.map((x) => x.name)) };
}
