import { JS_LANGUAGES } from '../types.js';
import type { AstNode } from '../../parse/index.js';
import { field } from '../../parse/index.js';
import type { PyModel } from '../../flow/python.js';
import { findSecrets, looksLikePlaceholder, shannonEntropy, type SecretHit } from '../../redact.js';
import type { Rule } from '../types.js';
import { snakeCase } from '../../flow/javascript.js';
import { lineAt, stringContent, systemTextStarts } from '../llm07/system-text.js';

/** Names that hold a credential: the last word is the credential itself, not a count or a URL. */
export const SECRET_NAME = /(^|_)(api_?key|apikey|secret|secret_?key|client_?secret|token|access_?token|auth_?token|refresh_?token|bearer_?token|bot_?token|password|passwd|pwd|passphrase|private_?key|access_?key|signing_?key|encryption_?key|master_?key|webhook_?secret|subscription_?key|credentials?|conn(ection)?_?str(ing)?|dsn)$/i;
export const NOT_A_VALUE_NAME = /(_|^)(url|uri|endpoint|path|file|filename|name|header|type|field|env|var|prefix|suffix|pattern|regex|re|len|length|limit|count|id|ids|usage|model|scope|scopes|hint|label|placeholder|prompt|help|message|msg)$/i;
/** One opaque token: no spaces, no template or path structure. */
const OPAQUE = /^[A-Za-z0-9+/=_\-.~!@#$%^&*:]{16,}$/;

function isOpaqueCredential(value: string): boolean {
  if (!OPAQUE.test(value)) return false;
  if (/^[A-Z][A-Z0-9_]+$/.test(value)) return false; // an environment variable name
  if (/^[a-z0-9]+([-_][a-z0-9]+){2,}$/.test(value)) return false; // words in kebab or snake case: a name
  if (/:\/\/|^\/|\.(py|json|txt|ya?ml|env|pem|key)$/.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(value)).length;
  if (classes < 2) return false;
  if (shannonEntropy(value) <= 3.5) return false;
  return !looksLikePlaceholder(value);
}

const PASSWORD_NAME = /(^|_)(password|passwd|pwd|passphrase|db_?pass)$/i;
const DEFAULT_PASSWORD = /^(postgres|password|passw0rd|admin|root|guest|changeme|secret|test|testing|example|default|neo4j|redis|mysql|minio|minioadmin)\d*$/i;

/** A literal password: shorter than a key, so shape matters more than entropy. */
function isLiteralPassword(value: string): boolean {
  if (value.length < 8 || value.length > 64 || /\s/.test(value) || DEFAULT_PASSWORD.test(value)) return false;
  if (/^[A-Z][A-Z0-9_]+$/.test(value) || /:\/\/|^\/|\{|\}|%\(|\$/.test(value)) return false;
  // Words joined by separators, or a value that names itself a secret, read as a stand-in.
  if (/^[a-z]+([-_][a-z]+)+$/i.test(value) || /secret|passw|changeme|dummy|sample/i.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9_-]/].filter((r) => r.test(value)).length;
  if (classes < 2 || (!/[0-9]/.test(value) && !/[^A-Za-z0-9_-]/.test(value))) return false;
  return !looksLikePlaceholder(value) && shannonEntropy(value) > 2.5;
}

/** UI hints and documentation keywords show a format, not a credential in use. */
function isHint(model: PyModel, s: AstNode): boolean {
  const p = s.parent;
  return p?.type === 'keyword_argument' && /^(placeholder|help|help_text|description|example|examples|hint|label|caption|info)$/.test(model.text(field(p, 'name')!));
}

/** A hit of findSecrets that is a credential in use, not a stand-in or a documented format. */
export function realSecret(text: string, hit: SecretHit): boolean {
  if (looksLikePlaceholder(hit.value)) return false;
  if (hit.id !== 'connection-string') return true;
  const start = text.lastIndexOf('://', hit.index);
  const from = start < 0 ? hit.index : Math.max(0, text.slice(0, start).search(/[a-z][a-z0-9+.-]*$/i));
  const url = /^\S+/.exec(text.slice(from))?.[0] ?? hit.value;
  return !templateConnection(url) && !looksLikePlaceholder(url);
}

/** `postgresql://user:pass@host/db`: a format shown to people, or a throwaway local default. */
export function templateConnection(url: string): boolean {
  const m = /:\/\/([^:/@]*):([^@]*)@([^/:?]*)/.exec(url);
  if (!m) return false;
  const [, user, pass, host] = m;
  if (/^(pass|password|passwd|pwd|secret|changeme|admin|root|postgres|guest|test|user|mypassword|yourpassword|\*+|x+)$/i.test(pass) || pass === user) return true;
  if (/(^|\.)(example\.(com|org|net)|test|example|invalid|localhost)$|^\[/.test(host) || /(secret|password|passwd|redacted|placeholder)$/i.test(pass)) return true;
  return /^(host|hostname|your[-_]?host|server|localhost|127\.0\.0\.1|0\.0\.0\.0)$/i.test(host) && pass.length < 12;
}

/** The name a string literal is bound to: assignment target, keyword, dict key or parameter default. */
function boundName(model: PyModel, s: AstNode): string | undefined {
  const p = s.parent;
  if (!p) return undefined;
  if (model.language) return jsBoundName(model, s, p);
  if (p.type === 'assignment' && field(p, 'right') === s) {
    const left = field(p, 'left')!;
    if (left.type === 'identifier') return model.text(left);
    if (left.type === 'attribute') return model.text(field(left, 'attribute')!);
    if (left.type === 'subscript') {
      const key = field(left, 'subscript');
      return key?.type === 'string' ? stringContent(model, key) : undefined;
    }
  }
  if (p.type === 'keyword_argument' && field(p, 'value') === s) return model.text(field(p, 'name')!);
  if (p.type === 'pair' && field(p, 'value') === s) {
    const k = field(p, 'key')!;
    return k.type === 'string' ? stringContent(model, k) : undefined;
  }
  if ((p.type === 'default_parameter' || p.type === 'typed_default_parameter') && field(p, 'value') === s) return model.text(field(p, 'name')!);
  return undefined;
}

/** JS/TS: `const apiKey = '...'`, `this.token = '...'`, `{ password: '...' }`, camelCase read as words. */
function jsBoundName(model: PyModel, s: AstNode, p: AstNode): string | undefined {
  let name: string | undefined;
  if (p.type === 'variable_declarator' && field(p, 'value') === s) name = model.text(field(p, 'name')!);
  else if (p.type === 'assignment_expression' && field(p, 'right') === s) name = model.text(field(p, 'left')!).split('.').pop();
  else if ((p.type === 'pair' || p.type === 'public_field_definition') && (field(p, 'value') === s)) {
    const k = field(p, 'key') ?? field(p, 'name');
    name = k ? model.text(k).replace(/^["'`]|["'`]$/g, '') : undefined;
  } else if (p.type === 'assignment_pattern' || p.type === 'required_parameter' || p.type === 'optional_parameter') {
    const k = field(p, 'left') ?? field(p, 'pattern');
    name = k ? model.text(k) : undefined;
  }
  return name && /^[\w$]+$/.test(name) ? snakeCase(name) : undefined;
}

/**
 * Credentials written into source end up in version control, images and logs; for agents they
 * also tend to be copied into prompts. Key-shaped literals are found anywhere; opaque high-entropy
 * literals only where a credential-named variable or keyword receives them. Literals that are
 * system-prompt text are the system-prompt leakage rule's.
 */
export const rule: Rule = {
  meta: {
    id: 'sensitive-info/hardcoded-secret',
    owasp: 'LLM02',
    asi: 'ASI03',
    cwe: 'CWE-798',
    severity: 'HIGH',
    title: 'Hard-coded secret in agent code',
    description: 'An API key, token or password is written into the source, where anyone with the code (or a model that reads it) can use it.',
    fix: 'Load credentials from the environment or a secret manager (os.environ, vault, cloud secret store), rotate the exposed key, and keep .env files out of version control.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    const system = systemTextStarts(model);
    for (const s of model.strings) {
      if (system.has(s.node.startIndex)) continue;
      // Docstrings document; an example key there is not a credential in use.
      if (s.node.parent?.type === 'expression_statement' && s.node.parent.children.length === 1) continue;
      // Import specifiers and `require('...')` name modules.
      if (s.node.parent?.type === 'import_statement' || s.node.parent?.type === 'arguments' && /^require|import$/.test(model.text(s.node.parent.parent?.children[0] ?? s.node))) continue;
      // Every credential shape is longer than this; most strings in code are short.
      if (s.node.endIndex - s.node.startIndex < 10) continue;
      if (isHint(model, s.node)) continue;
      const raw = model.text(s.node);
      const hits = findSecrets(raw).filter((h) => realSecret(raw, h));
      if (hits.length) {
        ctx.report({ node: s.node, line: lineAt(model, s.node, hits[0].index), message: `${hits[0].name} written into the source code.` });
        continue;
      }
      const name = boundName(model, s.node);
      if (!name || !SECRET_NAME.test(name) || NOT_A_VALUE_NAME.test(name)) continue;
      if (s.node.children.some((c) => c.type === 'interpolation' || c.type === 'template_substitution')) continue;
      if (isOpaqueCredential(s.value) || (PASSWORD_NAME.test(name) && isLiteralPassword(s.value))) ctx.report({ node: s.node, message: `A credential-like literal is assigned to '${name}' in the source code.` });
    }
  },
};
