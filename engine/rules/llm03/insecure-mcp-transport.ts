import type { Rule } from '../types.js';
import { hostOf, isLoopback, isPrivateHost, mcpServers } from '../agent-config.js';

/**
 * A remote MCP server reached over plain `http://` can be read and rewritten by anyone on the
 * path: tool descriptions (which the model obeys), tool results, and the bearer tokens in the
 * headers. Loopback and private-network addresses are the user's own machine or network and are
 * left alone; a public host has no reason to skip TLS.
 */
export const rule: Rule = {
  meta: {
    id: 'supply-chain/insecure-mcp-transport',
    owasp: 'LLM03',
    asi: 'ASI07',
    cwe: 'CWE-319',
    severity: 'MEDIUM',
    title: 'Remote MCP server over plain HTTP',
    description: 'A remote MCP server is configured with an http:// URL on a public host, so its tool definitions, results and any credentials travel unencrypted and can be tampered with in transit.',
    fix: 'Use the server\'s https:// endpoint (and keep tokens in headers sourced from ${env:…} or ${input:…}); only loopback addresses should use plain http.',
    languages: ['mcp-config'],
  },
  check(ctx) {
    for (const server of mcpServers(ctx.json)) {
      const candidates = [
        ...(server.url ? [{ text: server.url.value, line: server.url.line }] : []),
        // Bridges such as `npx mcp-remote http://…` take the remote address as an argument.
        ...server.argv.filter((w) => /^http:\/\//i.test(w.text)),
      ];
      for (const c of candidates) {
        if (!/^http:\/\//i.test(c.text)) continue;
        const host = hostOf(c.text);
        if (!host || isLoopback(host) || isPrivateHost(host)) continue;
        const auth = server.headers.some((h) => /^(authorization|x-api-key|api-key|x-auth-token)$/i.test(h.key));
        ctx.report({
          line: c.line,
          severity: auth ? 'HIGH' : undefined,
          message: `MCP server "${server.name}" is reached over plain HTTP at ${host}${auth ? ', with credentials in its headers' : ''}: tool definitions and results can be read and rewritten in transit.`,
        });
      }
    }
  },
};
