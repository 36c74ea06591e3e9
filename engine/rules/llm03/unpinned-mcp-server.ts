import type { Rule } from '../types.js';
import { serverCommands } from '../agent-config.js';

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
    languages: ['mcp-config'],
  },
  check(ctx) {
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
