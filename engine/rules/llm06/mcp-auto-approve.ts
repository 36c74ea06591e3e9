import type { Rule } from '../types.js';
import { propEntry, stringItems } from '../../parse/jsonc.js';
import { mcpServers } from '../agent-config.js';

/** Tool names that change the world: a call to one of them should pass a human first. */
const DESTRUCTIVE_TOOL = /(^|[_.-])(delete|remove|rm|write|edit|move|rename|create|update|upsert|insert|drop|truncate|exec|execute|run|shell|bash|command|terminal|eval|push|merge|deploy|publish|release|send|post|transfer|pay|charge|refund|kill|terminate|destroy|reset|revoke|grant|invite|commit|apply|install|uninstall)(?=$|[_.-])/i;

/** Per-server keys that skip the confirmation prompt: Cline/Roo, Amazon Q, Gemini CLI. */
const APPROVE_KEYS = ['autoApprove', 'alwaysAllow', 'auto_approve', 'autoApproveTools', 'approvedTools', 'trust', 'trusted', 'alwaysApprove'];

/**
 * Clients ask before a tool runs so a person sees what the model is about to do, which is the
 * one defence left once a tool description or a tool result carries injected instructions.
 * `autoApprove: ["*"]`, `"trust": true` (Gemini CLI) or `alwaysAllow` lists of every write or
 * execute tool remove that check: any text the model reads can then act through the server.
 * Approving read-only tools (`read_file`, `search`, `list_*`) is a reasonable trade and stays
 * silent.
 */
export const rule: Rule = {
  meta: {
    id: 'excessive-agency/mcp-auto-approve',
    owasp: 'LLM06',
    asi: 'ASI02',
    cwe: 'CWE-862',
    severity: 'HIGH',
    title: 'MCP tools run without confirmation',
    description: 'An MCP server is configured so that all of its tools, or tools that write, delete, send or execute, run without asking the user first.',
    fix: 'Auto-approve only read-only tools by name; keep confirmation for tools that modify files, run commands, send messages or spend money, and never use a wildcard or `"trust": true` for a server you do not control.',
    languages: ['mcp-config'],
  },
  check(ctx) {
    for (const server of mcpServers(ctx.json)) {
      for (const key of APPROVE_KEYS) {
        const entry = propEntry(server.node, key);
        if (!entry) continue;
        const v = entry.value;
        if (v.type === 'boolean' && v.value) {
          ctx.report({ line: v.line, message: `MCP server "${server.name}" sets "${key}": true, so every one of its tools runs without asking the user.` });
          continue;
        }
        if (v.type === 'string' && /^(\*|all|always)$/i.test(v.value)) {
          ctx.report({ line: v.line, message: `MCP server "${server.name}" auto-approves all of its tools ("${key}": "${v.value}").` });
          continue;
        }
        const items = stringItems(v.type === 'array' ? v : undefined);
        const all = items.find((i) => /^(\*|all|\.\*)$/i.test(i.value.trim()));
        if (all) {
          ctx.report({ line: all.line, message: `MCP server "${server.name}" auto-approves every tool with a wildcard in "${key}".` });
          continue;
        }
        const risky = items.filter((i) => DESTRUCTIVE_TOOL.test(i.value));
        if (risky.length) {
          ctx.report({
            line: risky[0].line,
            severity: 'MEDIUM',
            message: `MCP server "${server.name}" runs ${risky.map((r) => r.value).slice(0, 4).join(', ')} without confirmation; these tools change state outside the conversation.`,
          });
        }
      }
    }
  },
};
