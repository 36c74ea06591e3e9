import type { Rule } from '../types.js';
import { JS_LANGUAGES } from '../types.js';
import type { PyModel } from '../../flow/python.js';
import { packageRun, serverCommands, type PackageRun } from '../agent-config.js';
import { codeLaunches } from '../mcp-launch-code.js';

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
      for (const run of unpinnedLaunches(ctx.model)) {
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

/** Unpinned launches in code; transports and child processes are supply-chain/dynamic-code-load's finding. */
function unpinnedLaunches(model: PyModel): PackageRun[] {
  const out: PackageRun[] = [];
  for (const l of codeLaunches(model)) {
    if (l.owner && /(StdioClientTransport|spawn|execFile|execFileSync|spawnSync|execSync|exec)$/.test(l.owner)) continue;
    const run = packageRun(l.words);
    if (run && !run.pinned) out.push(run);
  }
  return out;
}
