import { JS_LANGUAGES } from '../types.js';
import { findSecrets, looksLikePlaceholder } from '../../redact.js';
import { reaching } from '../helpers.js';
import { flowLine, promptSites } from '../prompts.js';
import type { AstNode } from '../../parse/index.js';
import type { PyModel } from '../../flow/python.js';
import { deepPath, directLabels, formatLine, functionOf } from '../llm02/direct.js';
import type { Rule } from '../types.js';
import { lineAt, systemTexts } from './system-text.js';
import { NOT_A_VALUE_NAME, realSecret, SECRET_NAME, templateConnection } from '../llm02/hardcoded-secret.js';

/** `scheme://user:password@host`, the password not a template slot. */
const CREDENTIAL_URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/'"]+:([^\s@/'"]+)@[\w.-]+/gi;
/** `password is X`, `API key: X`, `admin override code = X`. */
const CREDENTIAL_PHRASE = /\b(passwords?|passwd|passcodes?|pass ?phrase|pwd|pins?|api[ _-]?keys?|secret keys?|secrets?|access (?:keys?|tokens?|codes?)|auth(?:entication|orization)? (?:tokens?|codes?|keys?)|bearer tokens?|tokens?|(?:admin|override|master|root|unlock|bypass|emergency|staff|manager|discount|coupon|promo|voucher|referral|gift) (?:codes?|passwords?|pins?|keys?|tokens?)|credentials?|login)(?:\s+(?:for|to|of)\s+(?:the\s+)?[\w.-]+(?:\s+[\w.-]+)?)?\s*(?:\bis\b|\bare\b|:|=)\s*(?:set to\s+)?(["'`]?)([^\s"'`,;)]{4,})\2/gi;
/** `the discount override code STAFF-OVR-7731 gives…`: a named code written out with no `is`/`:`. */
const NAMED_CODE = /\b(admin|override|master|root|unlock|bypass|emergency|staff|manager|employee|discount|coupon|promo|voucher|referral|gift|access|secret|internal)(?:\s+(?:override|discount|access|unlock|admin))?\s+(codes?|passwords?|pins?|passphrases?)\s+(?:is\s+)?(["'`]?)([A-Za-z0-9][A-Za-z0-9_-]{3,})\3/gi;
/** Internal-only hosts: naming them tells an attacker where to go next. */
const INTERNAL_URL = /\b(?:https?:\/\/(?:[\w-]+\.)*[\w-]+\.local\b|(?:[\w-]+\.)*[\w-]+\.(?:internal|corp|intranet|lan)\b|(?:10\.\d{1,3}|192\.168|172\.(?:1[6-9]|2\d|3[01])\.\d{1,3})\.\d{1,3}\.\d{1,3}\b)/gi;
const GUARDED_SECRET = /\b(never|do not|don't|must not|under no circumstances)\s+(reveal|disclose|share|give out|leak)\b|\b(confidential|internal only|top secret)\b/i;
/** Codes, figures and thresholds: `SAVE40NOW`, `7731`, `42%`, `$1,500`. */
const SECRET_VALUE = /\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9-]{5,}\b|\b\d{4,}\b|\b\d{1,3}(\.\d+)?\s?%|\$\s?\d[\d,]*/;
const STOP_WORDS = /^(NOT|NEVER|NONE|NULL|REQUIRED|SECRET|CONFIDENTIAL|PRIVATE|HIDDEN|REDACTED|UNKNOWN|UNAVAILABLE|VALID|INVALID|ONLY|ALWAYS)$/;
const SLOT = /^[{<[$%]|[{}<>]|x{3,}|\*{3,}|\.\.\.|^(your|my|the|their|our)[-_]/i;

function credentialValueOk(word: string, value: string, quoted: boolean): boolean {
  const v = value.replace(/[.:!?]+$/, '');
  if (v.length < 4 || SLOT.test(v) || looksLikePlaceholder(v)) return false;
  // A bare number is a PIN or code only after those words: `max tokens = 4096` is a setting.
  if (/^\d+$/.test(v)) return v.length >= 4 && /pin|code|pass/i.test(word);
  if (quoted) return true;
  if (/\d/.test(v) && /[A-Za-z]/.test(v)) return true;
  if (/[!@#$%^&*_-]/.test(v) && /[A-Za-z0-9]/.test(v) && !/^[a-z]+(-[a-z]+)*$/.test(v)) return true;
  if (/^[A-Z][A-Z0-9]{3,}$/.test(v) && !STOP_WORDS.test(v)) return true;
  return false;
}

interface Hit {
  index: number;
  what: string;
}

export function secretsInText(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const s of findSecrets(text)) if (realSecret(text, s)) hits.push({ index: s.index, what: `a secret (${s.name})` });
  for (const m of text.matchAll(CREDENTIAL_URL)) {
    if (!SLOT.test(m[1]) && !looksLikePlaceholder(m[1]) && !templateConnection(m[0])) hits.push({ index: m.index, what: 'a connection string with a password' });
  }
  for (const m of text.matchAll(CREDENTIAL_PHRASE)) {
    if (credentialValueOk(m[1], m[3], m[2] !== '')) hits.push({ index: m.index, what: `a written-out ${m[1].toLowerCase()}` });
  }
  for (const m of text.matchAll(NAMED_CODE)) {
    const v = m[4];
    const ok = (/\d/.test(v) && /[A-Za-z]/.test(v)) || (/^\d{4,}$/.test(v) && /code|pin|pass/i.test(m[2]));
    if (ok && !SLOT.test(v) && !looksLikePlaceholder(v) && !hits.some((h) => Math.abs(h.index - m.index) < 40)) hits.push({ index: m.index, what: `a written-out ${m[1].toLowerCase()} ${m[2].toLowerCase()}` });
  }
  for (const m of text.matchAll(INTERNAL_URL)) hits.push({ index: m.index, what: 'an internal host address' });
  // A value the prompt itself is told to keep secret: the prompt is the only guard, and prompts leak.
  const guard = GUARDED_SECRET.exec(text);
  if (guard) {
    const around = text.slice(Math.max(0, guard.index - 150), guard.index + 150);
    const value = SECRET_VALUE.exec(around);
    if (value) hits.push({ index: Math.max(0, guard.index - 150) + value.index, what: 'confidential information the prompt is told to keep secret' });
  }
  return hits.sort((a, b) => a.index - b.index);
}

const ENV_SECRET = /\b(os\.getenv|os\.environ|getenv|environ)\b[^\n]*?["'][\w-]*(KEY|TOKEN|SECRET|PASSWORD|PASSWD|PWD|CREDENTIAL)[\w-]*["']/i;

/** `f"... {os.environ['API_TOKEN']} ..."` or `{DB_PASSWORD}`: a credential formatted into the prompt text. */
function interpolatedSecret(model: PyModel, s: AstNode): Hit | undefined {
  const fn = functionOf(model, s);
  for (const c of s.children) {
    if (c.type !== 'interpolation') continue;
    const p = deepPath(model, c, fn);
    const texts = [model.text(c), ...[...p.names.values()].flat().map((v) => model.text(v))];
    const named = [...p.names.keys()].some((n) => {
      const last = n.split('.').pop() ?? n;
      return SECRET_NAME.test(last) && !NOT_A_VALUE_NAME.test(last);
    });
    if (named || texts.some((t) => ENV_SECRET.test(t))) return { index: c.startIndex - s.startIndex, what: 'a credential formatted into it' };
  }
  return undefined;
}

/**
 * Anything in a system prompt can be extracted by asking the model for it, so credentials,
 * connection strings and internal addresses placed there are disclosed to every user.
 */
export const rule: Rule = {
  meta: {
    id: 'system-prompt-leakage/secret-in-system-prompt',
    owasp: 'LLM07',
    cwe: 'CWE-200',
    severity: 'HIGH',
    title: 'Secret embedded in a system prompt',
    description: 'The system prompt contains a credential, connection string or internal address. Users can make the model reveal its system prompt, so whatever it holds must be treated as public.',
    fix: 'Remove secrets and internal details from prompts; give the agent tools that use credentials server-side, and enforce rules in code rather than in prompt text.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    for (const s of systemTexts(model)) {
      const hit = secretsInText(model.text(s.node))[0] ?? interpolatedSecret(model, s.node);
      if (!hit) continue;
      ctx.report({ node: s.node, line: lineAt(model, s.node, hit.index), message: `The system prompt (${s.via}) contains ${hit.what}; users can extract it by asking the model.` });
    }
    // Secrets formatted into the system prompt at run time.
    for (const site of promptSites(model)) {
      if (site.role !== 'system') continue;
      const fn = site.call?.fn ?? functionOf(model, site.node);
      const l = directLabels(model, site.node, fn, reaching(site.taint, ['secret']))[0];
      if (!l) continue;
      // JS: a secret spliced into a prompt constant is reported where the constant writes it in.
      const inText = model.language ? systemTexts(model).find((t) => l.line >= t.node.line && l.line <= t.node.endLine) : undefined;
      ctx.report({ node: site.node, line: inText ? l.line : formatLine(model, site.node, fn, l.line) ?? flowLine(site, l), source: l, message: `A secret (${l.what}, line ${l.line}) is placed in the system prompt via ${site.what}; users can extract it by asking the model.` });
    }
  },
};
