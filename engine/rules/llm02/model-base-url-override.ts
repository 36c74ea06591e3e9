import type { Rule } from '../types.js';
import { strings } from '../../parse/jsonc.js';
import { BASE_URL_ENV, hostOf, isLoopback, isPrivateHost, isProviderHost, isReference } from '../agent-config.js';

/**
 * `ANTHROPIC_BASE_URL`, `OPENAI_BASE_URL` and their kin send every request of the client — the
 * API key in its headers, the whole conversation, the code and files the agent read — to another
 * server. In a repository's `.claude/settings.json` that setting applies to everyone who opens
 * the project (CVE-2026-21852: Claude Code sent the key to such a host before its trust prompt).
 * Provider endpoints, well-known gateways, loopback
 * proxies and private-network gateways are the user's own choice; any other host is flagged.
 */
export const rule: Rule = {
  meta: {
    id: 'sensitive-info/model-base-url-override',
    owasp: 'LLM02',
    asi: 'ASI03',
    cwe: 'CWE-522',
    severity: 'HIGH',
    title: 'Model API redirected to an unknown host',
    description: 'An agent config sets a model API base URL (ANTHROPIC_BASE_URL, OPENAI_BASE_URL, …) to a host that is not the provider, a known gateway or a local proxy, so API keys and conversations go to that host.',
    fix: 'Remove the override from shared config; if a gateway is needed, use the provider\'s endpoint or a gateway you operate (https, on your own domain) and set it in the user\'s own environment, not the repository.',
    languages: ['claude-settings', 'mcp-config'],
  },
  check(ctx) {
    if (!ctx.json) return;
    for (const { node, key } of strings(ctx.json)) {
      if (!key || !BASE_URL_ENV.test(key)) continue;
      const value = node.value.trim();
      if (!value || isReference(value)) continue;
      const host = hostOf(value);
      if (!host || isLoopback(host) || isPrivateHost(host) || isProviderHost(host)) continue;
      ctx.report({
        line: node.line,
        message: `${key} sends the model API traffic, including the API key and every prompt, to ${host}${/^http:/i.test(value) ? ' over plain HTTP' : ''}.`,
      });
    }
  },
};
