/**
 * MCP servers launched from code rather than a config file: `new StdioClientTransport({ command,
 * args })`, Agents JS `new MCPServerStdio({ fullCommand })`, and the `{ command, args }` server
 * maps of Mastra's and LangChain's MCP clients. The rules read them as the command lines a config
 * would hold.
 */
import type { PyModel } from '../flow/python.js';
import { field, type AstNode } from '../parse/index.js';
import { splitCommand, type Word } from './agent-config.js';

export interface CodeLaunch {
  words: Word[];
  /** The constructor or function the options go to (`StdioClientTransport`, `spawn`), if any. */
  owner?: string;
}

function stringText(model: PyModel, n: AstNode): string | undefined {
  if (n.type === 'string') return model.text(n).slice(1, -1);
  if (n.type === 'template_string' && !n.children.some((c) => c.type === 'template_substitution')) return model.text(n).slice(1, -1);
  return undefined;
}

/** Literal command lines of MCP servers in a JS/TS file that speaks MCP. */
export function codeLaunches(model: PyModel): CodeLaunch[] {
  if (!model.frameworks.has('mcp') && !/mcp/i.test(model.file.source.slice(0, 4000))) return [];
  const out: CodeLaunch[] = [];
  const stack = [model.file.root];
  let guard = 0;
  while (stack.length && guard++ < 200_000) {
    const n = stack.pop()!;
    for (const c of n.children) if (c.named) stack.push(c);
    if (n.type !== 'object') continue;
    const holder = n.parent?.type === 'arguments' ? n.parent.parent : undefined;
    const ownerNode = holder ? field(holder, 'constructor') ?? field(holder, 'function') : undefined;
    const props = new Map<string, AstNode>();
    for (const p of n.children) {
      const k = p.type === 'pair' ? field(p, 'key') : undefined;
      const v = p.type === 'pair' ? field(p, 'value') : undefined;
      if (k && v) props.set(model.text(k).replace(/^["'`]|["'`]$/g, ''), v);
    }
    const full = props.get('fullCommand');
    const command = props.get('command');
    if (full && stringText(model, full) !== undefined) {
      out.push({ words: splitCommand(stringText(model, full)!).map((text) => ({ text, line: full.line })), owner: ownerNode ? model.text(ownerNode) : undefined });
    } else if (command && stringText(model, command) !== undefined) {
      const args = props.get('args');
      const items = args?.type === 'array' ? args.children.filter((c) => c.named) : [];
      const texts = items.map((i) => ({ text: stringText(model, i), line: i.line }));
      // An argument computed at run time may be the version or the folder: only literal launches are judged.
      if (texts.some((t) => t.text === undefined)) continue;
      out.push({ words: [{ text: stringText(model, command)!, line: command.line }, ...(texts as Word[])], owner: ownerNode ? model.text(ownerNode) : undefined });
    }
  }
  return out;
}
