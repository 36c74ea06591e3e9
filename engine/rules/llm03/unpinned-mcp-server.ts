import type { Rule } from '../types.js';
import { JS_LANGUAGES } from '../types.js';
import type { PyModel } from '../../flow/python.js';
import { field, type AstNode } from '../../parse/index.js';
import { packageRun, serverCommands, splitCommand, type PackageRun, type Word } from '../agent-config.js';

/**
 * `npx -y pkg`, `uvx pkg` and `docker run image` fetch the server's code at every launch. Without
 * an exact version (or an image digest) the client runs whatever the registry serves that day,
 * with the user's files, tokens and shell in reach: a hijacked maintainer account or a typo-squat
 * becomes code execution on every developer machine that shares the config. A local path or a
 * pinned version makes the running code a reviewed choice.
 */
export const rule: Rule = {
  meta: {
    id: 'supply-chain/unpinned-mcp-server',
    owasp: 'LLM03',
    asi: 'ASI04',
    cwe: 'CWE-1357',
    severity: 'MEDIUM',
    title: 'MCP server package or image not pinned',
    description: 'An MCP server is launched from a package registry or container registry without an exact version or digest, so each launch runs whatever was published last.',
    fix: 'Pin the server: `npx -y pkg@1.2.3`, `uvx pkg==1.2.3` (or `uvx --from pkg==1.2.3 cmd`), `image:1.2.3@sha256:…`; update it deliberately after review.',
    languages: ['mcp-config', ...JS_LANGUAGES],
  },
  check(ctx) {
    if (ctx.model?.language) {
      for (const run of codeLaunches(ctx.model)) {
        const what = run.runner === 'docker' || run.runner === 'podman' || run.runner === 'nerdctl' ? 'image' : 'package';
        ctx.report({ line: run.line, message: `The MCP server launched here runs the ${run.runner} ${what} ${run.spec}, which ${run.problem}: every launch can run a different release.` });
      }
      return;
    }
    for (const { server, cmd, run } of serverCommands(ctx.json)) {
      if (!run || run.pinned) continue;
      const what = run.runner === 'docker' || run.runner === 'podman' || run.runner === 'nerdctl' ? 'image' : 'package';
      ctx.report({
        line: run.line,
        message: `MCP server "${server.name}" runs the ${run.runner} ${what} ${run.spec}, which ${run.problem}: every launch can run a different release.`,
      });
    }
  },
};

function stringText(model: PyModel, n: AstNode): string | undefined {
  if (n.type === 'string') return model.text(n).slice(1, -1);
  if (n.type === 'template_string' && !n.children.some((c) => c.type === 'template_substitution')) return model.text(n).slice(1, -1);
  return undefined;
}

/**
 * MCP clients in code launch servers the same way a config does: `new StdioClientTransport({ command:
 * 'npx', args: ['-y', 'pkg'] })`, Agents JS `new MCPServerStdio({ fullCommand: 'npx -y pkg' })`,
 * Mastra and LangChain server maps `{ command, args }`. Only files that speak MCP are read.
 */
function codeLaunches(model: PyModel): PackageRun[] {
  if (!model.frameworks.has('mcp') && !/mcp/i.test(model.file.source.slice(0, 4000))) return [];
  const out: PackageRun[] = [];
  const stack = [model.file.root];
  let guard = 0;
  while (stack.length && guard++ < 200_000) {
    const n = stack.pop()!;
    for (const c of n.children) if (c.named) stack.push(c);
    if (n.type !== 'object') continue;
    // `new StdioClientTransport({...})` and child processes are supply-chain/dynamic-code-load's finding.
    const owner = n.parent?.type === 'arguments' ? n.parent.parent : undefined;
    const ownerName = owner ? field(owner, 'constructor') ?? field(owner, 'function') : undefined;
    if (ownerName && /(StdioClientTransport|spawn|execFile|execFileSync|spawnSync|execSync|exec)$/.test(model.text(ownerName))) continue;
    const props = new Map<string, AstNode>();
    for (const p of n.children) {
      const k = p.type === 'pair' ? field(p, 'key') : undefined;
      const v = p.type === 'pair' ? field(p, 'value') : undefined;
      if (k && v) props.set(model.text(k).replace(/^["'`]|["'`]$/g, ''), v);
    }
    let words: Word[] | undefined;
    const full = props.get('fullCommand');
    const command = props.get('command');
    if (full && stringText(model, full) !== undefined) {
      words = splitCommand(stringText(model, full)!).map((text) => ({ text, line: full.line }));
    } else if (command && stringText(model, command) !== undefined) {
      const args = props.get('args');
      const items = args?.type === 'array' ? args.children.filter((c) => c.named) : [];
      const texts = items.map((i) => ({ text: stringText(model, i), line: i.line }));
      // An argument computed at run time may be the version: only fully literal launches are judged.
      if (texts.some((t) => t.text === undefined)) continue;
      words = [{ text: stringText(model, command)!, line: command.line }, ...(texts as Word[])];
    }
    const run = words ? packageRun(words) : null;
    if (run && !run.pinned) out.push(run);
  }
  return out;
}
