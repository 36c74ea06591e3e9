import type { Rule, RuleContext } from '../types.js';
import { prop, propEntry, stringItems, strings, type JsonNode } from '../../parse/jsonc.js';

/**
 * Allow rules that amount to "any command": the bare tool, a wildcard, or a prefix that is an
 * interpreter, a downloader or a privilege switch (`Bash(python:*)` runs any Python; `Bash(curl:*)`
 * sends anything anywhere).
 */
const OPEN_ALLOW = /^(?:\*|Bash|Bash\(\s*\*?\s*\)|Bash\(\s*:?\*\s*\)|Bash\(\s*(?:sudo|su|doas|bash|sh|zsh|fish|pwsh|powershell|cmd|eval|exec|env|xargs|python[\d.]*|node|deno|bun|perl|ruby|php|curl|wget|nc|ncat|netcat|ssh|scp|rsync|rm|dd|chmod|chown|docker|kubectl|npx|uvx)(?:\s*:\s*\*|\s+\*)\s*\)|mcp__\*|WebFetch\(\s*\*?\s*\))$/;

/**
 * A project's `.claude/settings.json` is shared with everyone who opens the repository, and
 * `settings.local.json` is where a developer's own shortcuts accumulate. Bypass mode, a skipped
 * bypass warning, an allow list that covers any shell command, access to the whole disk or a
 * blanket trust of every MCP server in the repository's `.mcp.json` all let text the agent reads
 * (a README, an issue, a web page) turn into commands that run without a person seeing them.
 */
export const rule: Rule = {
  meta: {
    id: 'excessive-agency/agent-permission-bypass',
    owasp: 'LLM06',
    asi: 'ASI02',
    cwe: 'CWE-276',
    severity: 'HIGH',
    title: 'Coding-agent permission checks switched off',
    description: 'Coding-agent settings bypass the permission prompt (bypassPermissions, --dangerously-skip-permissions), allow any shell command (Bash, Bash(*), interpreters, curl), open the whole filesystem, or auto-enable every project MCP server.',
    fix: 'Use "defaultMode": "default" or "acceptEdits", allow specific commands (`Bash(npm run test:*)`, `Bash(git status)`), deny reads of secrets (`Read(./.env)`), and approve project MCP servers by name with enabledMcpjsonServers.',
    languages: ['claude-settings'],
  },
  check(ctx) {
    const root = ctx.json;
    if (root?.type !== 'object') return;
    const perms = prop(root, 'permissions');
    const mode = prop(perms, 'defaultMode') ?? prop(root, 'defaultMode');
    if (mode?.type === 'string' && /^(bypassPermissions|dontAsk|yolo)$/i.test(mode.value)) {
      ctx.report({ line: mode.line, message: `"defaultMode": "${mode.value}" runs every tool call, shell commands included, without asking.` });
    }
    for (const key of ['skipDangerousModePermissionPrompt', 'dangerouslySkipPermissions', 'dangerously_skip_permissions']) {
      const e = propEntry(root, key) ?? propEntry(perms, key);
      if (e?.value.type === 'boolean' && e.value.value) ctx.report({ line: e.value.line, message: `"${key}": true turns off the warning that guards bypass mode.` });
    }
    for (const item of stringItems(prop(perms, 'allow'))) {
      if (OPEN_ALLOW.test(item.value.trim())) ctx.report({ line: item.line, message: `The allow rule "${item.value}" lets the agent run any command of that kind without asking.` });
    }
    for (const item of stringItems(prop(perms, 'additionalDirectories'))) {
      if (/^(?:\/|~\/?|\$HOME\/?|\/Users\/?|\/home\/?|\/Users\/[^/]+\/?|\/home\/[^/]+\/?|[A-Za-z]:[\\/]?)$/.test(item.value.trim())) {
        ctx.report({ line: item.line, message: `additionalDirectories gives the agent ${item.value}: credentials and every other project are in reach.` });
      }
    }
    const all = propEntry(root, 'enableAllProjectMcpServers');
    if (all?.value.type === 'boolean' && all.value.value) {
      ctx.report({ line: all.value.line, message: '"enableAllProjectMcpServers": true starts every server in the repository\'s .mcp.json without review, including ones added later by anyone who can commit.' });
    }
    flagSkipFlag(ctx, root);
  },
};

/** `--dangerously-skip-permissions` inside any command the settings run (hooks, status line, aliases). */
function flagSkipFlag(ctx: RuleContext, root: JsonNode): void {
  for (const { node } of strings(root)) {
    if (/--dangerously-skip-permissions\b|--permission-mode[ =]bypassPermissions\b|--yolo\b/.test(node.value)) {
      ctx.report({ line: node.line, message: 'A command in these settings starts an agent with its permission checks skipped.' });
    }
  }
}
