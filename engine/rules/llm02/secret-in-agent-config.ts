import type { Rule } from '../types.js';
import { strings } from '../../parse/jsonc.js';
import { findSecrets, looksLikePlaceholder, shannonEntropy } from '../../redact.js';
import { realSecret, SECRET_NAME, NOT_A_VALUE_NAME } from './hardcoded-secret.js';
import { isReference, mcpServers, type Word } from '../agent-config.js';

/**
 * MCP client configs and `.claude/settings.json` are copied between machines, pasted into issues
 * and committed (`.mcp.json`, `.vscode/mcp.json` and `.claude/settings.json` live in the repo).
 * A token written into `env`, `headers`, `args` or a URL travels with them. Clients can resolve
 * `${env:NAME}`, `${input:id}` (prompted, stored in the OS keychain) and `${NAME}` at launch, so a
 * literal is never needed. Key-shaped tokens are found anywhere; opaque high-entropy values only
 * under credential names (`*_TOKEN`, `*_API_KEY`, `Authorization`, `--api-key`).
 */
export const rule: Rule = {
  meta: {
    id: 'sensitive-info/secret-in-agent-config',
    owasp: 'LLM02',
    asi: 'ASI03',
    cwe: 'CWE-798',
    severity: 'HIGH',
    title: 'Credential written into an agent config',
    description: 'An MCP client config or coding-agent settings file holds a literal API key, token or password (in env, headers, args or a URL) instead of a reference resolved at launch.',
    fix: 'Rotate the credential, then reference it: `"${env:GITHUB_TOKEN}"` or a VS Code `${input:…}` prompt with `"password": true`; keep the real value in the environment or a secret manager.',
    languages: ['mcp-config', 'claude-settings'],
  },
  check(ctx) {
    if (!ctx.json) return;
    const reported = new Set<number>();
    const report = (line: number, what: string) => {
      if (reported.has(line)) return;
      reported.add(line);
      ctx.report({ line, message: `${what} is written into this agent config in clear text.` });
    };
    for (const { node, key } of strings(ctx.json)) {
      const value = node.value;
      if (!value || isReference(value)) continue;
      const hit = findSecrets(value).find((h) => realSecret(value, h));
      if (hit) {
        report(node.line, `${/^[aeiou]/i.test(hit.name) ? 'An' : 'A'} ${hit.name}`);
        continue;
      }
      if (key && credentialName(key) && literalCredential(key, value)) {
        report(node.line, `The value of ${key}`);
        continue;
      }
      for (const m of value.matchAll(/[?&]((?:api[_-]?key|apikey|key|token|access_token|auth|secret|password|sig))=([^&#\s]+)/gi)) {
        if (literalCredential(m[1], decodeURIComponentSafe(m[2]))) report(node.line, `The URL parameter ${m[1]}`);
      }
    }
    for (const server of mcpServers(ctx.json)) checkArgs(server.argv, report);
  },
};

/** `--api-key=VALUE` and `--token VALUE` on a command line. */
function checkArgs(argv: Word[], report: (line: number, what: string) => void): void {
  for (let i = 0; i < argv.length; i++) {
    const m = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/s.exec(argv[i].text);
    if (!m || !credentialName(m[1])) continue;
    const value = m[2] ?? (argv[i + 1] && !argv[i + 1].text.startsWith('-') ? argv[i + 1].text : undefined);
    const line = m[2] !== undefined ? argv[i].line : argv[i + 1]?.line;
    if (value !== undefined && line !== undefined && !isReference(value) && literalCredential(m[1], value)) report(line, `The value of ${m[0].split('=')[0]}`);
  }
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function credentialName(key: string): boolean {
  const k = key.replace(/-/g, '_').replace(/^_+/, '');
  if (/^(authorization|proxy_authorization|cookie|x_api_key|api_key|apikey|x_auth_token|x_access_token)$/i.test(k)) return true;
  return SECRET_NAME.test(k) && !NOT_A_VALUE_NAME.test(k);
}

const PASSWORD_NAME = /(^|[_-])(password|passwd|pwd|passphrase|pass)$/i;
const DEFAULT_PASSWORD = /^(postgres|password|passw0rd|admin|root|guest|changeme|secret|test|testing|example|default|neo4j|redis|mysql|minio|minioadmin)\d*$/i;

function literalCredential(key: string, raw: string): boolean {
  const value = raw.trim().replace(/^(?:Bearer|Basic|Token)\s+/i, '');
  if (!value || isReference(value) || looksLikePlaceholder(value)) return false;
  // Environment variable names and dashed or dotted words (`my-server-v2`, `us-east-1`) are names, not keys.
  if (/\s/.test(value) || /^[A-Z][A-Z0-9_]+$/.test(value) || /^[a-z]+\d{0,2}(?:[-_.][a-z]+\d{0,2})+$/.test(value)) return false;
  if (/^(?:https?:|file:)?\/\/|^[~.]?\//.test(value) || /\.(?:json|txt|ya?ml|env|pem|key|sh|py|js)$/i.test(value)) return false;
  if (PASSWORD_NAME.test(key.replace(/-/g, '_'))) {
    if (value.length < 8 || DEFAULT_PASSWORD.test(value)) return false;
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(value)).length;
    return classes >= 2 && shannonEntropy(value) > 2.5;
  }
  if (value.length < 12) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(value)).length;
  return classes >= 2 && shannonEntropy(value) > 3.2;
}

