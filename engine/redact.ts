/**
 * Secret token shapes. These regexes look at string values and snippet text, never at code
 * structure; each is anchored on a fixed prefix so a megabyte line stays linear.
 */
export interface SecretPattern {
  id: string;
  name: string;
  regex: RegExp;
}

export const SECRET_PATTERNS: SecretPattern[] = [
  { id: 'anthropic', name: 'Anthropic API key', regex: /sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{20,}/g },
  { id: 'openai', name: 'OpenAI API key', regex: /sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g },
  { id: 'aws-access-key', name: 'AWS access key id', regex: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { id: 'github', name: 'GitHub token', regex: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b/g },
  { id: 'slack', name: 'Slack token', regex: /\bxox[abpr]-[A-Za-z0-9-]{10,}/g },
  { id: 'google', name: 'Google API key', regex: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { id: 'huggingface', name: 'Hugging Face token', regex: /\bhf_[A-Za-z]{30,}\b/g },
  { id: 'stripe', name: 'Stripe secret key', regex: /\b(?:sk|rk)_live_[A-Za-z0-9]{20,}\b/g },
  { id: 'groq', name: 'Groq API key', regex: /\bgsk_[A-Za-z0-9]{40,}\b/g },
  { id: 'replicate', name: 'Replicate API token', regex: /\br8_[A-Za-z0-9]{30,}\b/g },
  { id: 'private-key', name: 'private key', regex: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----/g },
  { id: 'slack-webhook', name: 'Slack webhook URL', regex: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]{20,}/g },
  { id: 'discord-webhook', name: 'Discord webhook URL', regex: /https:\/\/(?:discord|discordapp)\.com\/api\/webhooks\/\d+\/[A-Za-z0-9_-]{20,}/g },
  { id: 'jwt', name: 'JSON Web Token', regex: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g },
  { id: 'connection-string', name: 'connection string with a password', regex: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@'"]{1,64}:[^\s@/'"]{3,128}@[^\s/'"]{1,255}/g },
];

export interface SecretHit {
  id: string;
  name: string;
  index: number;
  length: number;
  value: string;
}

export function findSecrets(text: string): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const p of SECRET_PATTERNS) {
    p.regex.lastIndex = 0;
    for (let m = p.regex.exec(text); m; m = p.regex.exec(text)) {
      // The Anthropic shape also matches the OpenAI one; keep the most specific hit per place.
      if (!hits.some((h) => m!.index >= h.index && m!.index < h.index + h.length)) {
        hits.push({ id: p.id, name: p.name, index: m.index, length: m[0].length, value: m[0] });
      }
    }
  }
  return hits.sort((a, b) => a.index - b.index);
}

export function shannonEntropy(s: string): number {
  if (!s) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Documentation keys and obvious stand-ins are not credentials. */
export function looksLikePlaceholder(value: string): boolean {
  const v = value.toLowerCase();
  if (/x{4,}|\*{3,}|\.{3}|<[^>]*>|\{[^}]*\}|your[_-]?|example|placeholder|changeme|dummy|redacted|replace[_-]?me|insert|fake|sample|test[_-]?key|not[_-]?a[_-]?real/.test(v)) return true;
  const body = value.replace(/^(sk-(proj-|ant-)?|ghp_|AKIA|xox[abpr]-|hf_|AIza)/, '');
  if (/^(.)\1+$/.test(body)) return true;
  if (/^(0123456789|abcdef|1234)/i.test(body) && shannonEntropy(body) < 3.5) return true;
  return false;
}

/** `sk-proj-abc…wxyz` -> `sk-proj-...wxyz`: enough to recognise, never enough to use. */
export function redactSecrets(text: string): string {
  const hits = findSecrets(text);
  if (!hits.length) return text;
  let out = '';
  let at = 0;
  for (const h of hits) {
    if (h.index < at) continue;
    out += text.slice(at, h.index) + mask(h);
    at = h.index + h.length;
  }
  return out + text.slice(at);
}

function mask(h: SecretHit): string {
  if (h.id === 'private-key') return '-----BEGIN PRIVATE KEY-----...';
  if (h.id === 'connection-string') return h.value.replace(/:\/\/([^:]+):[^@]+@/, '://$1:***@');
  const prefix = /^(sk-ant-(?:api|admin)\d{2}-|sk-(?:proj-|svcacct-|admin-)?|gh[pousr]_|github_pat_|xox[abpr]-|AKIA|ASIA|AIza|hf_|sk_live_|rk_live_|gsk_|r8_|eyJ|https:\/\/hooks\.slack\.com\/services\/|https:\/\/(?:discord|discordapp)\.com\/api\/webhooks\/)/.exec(h.value)?.[0] ?? h.value.slice(0, 3);
  return `${prefix}...${h.value.slice(-4)}`;
}
