/**
 * Secret token shapes, placeholder detection and redaction.
 *
 * These regexes read string values and snippet text, never code structure. Every pattern starts
 * with a fixed prefix behind a look-behind that refuses to start inside a run of token characters,
 * so each run is tried once and a megabyte line stays linear; no pattern nests quantifiers.
 */

export interface SecretPattern {
  id: string;
  name: string;
  /** Not global, so `.test()` on a shared pattern has no `lastIndex` state to trip over. */
  regex: RegExp;
}

export interface SecretHit {
  id: string;
  name: string;
  /** Where `value` starts in the text. */
  index: number;
  length: number;
  /** The secret itself: the whole token, or for a connection string only its password. */
  value: string;
}

interface PatternSpec extends SecretPattern {
  /** Shape alone is not enough for some prefixes (`sk-` starts ordinary words too). */
  validate?: (m: RegExpExecArray) => boolean;
  mask?: (m: RegExpExecArray) => string;
}

const hasDigitOrMixedCase = (s: string) => /\d/.test(s) || (/[a-z]/.test(s) && /[A-Z]/.test(s));
const body = (m: RegExpExecArray) => m[0].slice(m.groups?.prefix?.length ?? 0);

const SPECS: PatternSpec[] = [
  {
    id: 'anthropic',
    name: 'Anthropic API key',
    regex: /(?<![A-Za-z0-9_-])(?<prefix>sk-ant-)[A-Za-z0-9_-]{20,}/,
  },
  {
    id: 'openai',
    name: 'OpenAI API key',
    regex: /(?<![A-Za-z0-9_-])(?<prefix>sk-(?!ant-)(?:(?:proj|svcacct|admin|None)-)?)[A-Za-z0-9_-]{20,}/,
    validate: (m) => hasDigitOrMixedCase(body(m)),
  },
  {
    id: 'aws-access-key',
    name: 'AWS access key id',
    regex: /(?<![A-Za-z0-9])(?<prefix>AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])/,
  },
  {
    id: 'github',
    name: 'GitHub token',
    regex: /(?<![A-Za-z0-9_])(?<prefix>gh[pousr]_)[A-Za-z0-9]{36,}(?![A-Za-z0-9_])/,
  },
  {
    id: 'github-pat',
    name: 'GitHub fine-grained token',
    regex: /(?<![A-Za-z0-9_])(?<prefix>github_pat_)[A-Za-z0-9_]{22,}/,
    validate: (m) => /\d/.test(body(m)),
  },
  {
    id: 'slack',
    name: 'Slack token',
    regex: /(?<![A-Za-z0-9_-])(?<prefix>xox[abpr]-)[A-Za-z0-9-]{10,}/,
    validate: (m) => /\d/.test(body(m)),
  },
  {
    id: 'google',
    name: 'Google API key',
    regex: /(?<![A-Za-z0-9_-])(?<prefix>AIza)[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/,
  },
  {
    id: 'huggingface',
    name: 'Hugging Face token',
    regex: /(?<![A-Za-z0-9_])(?<prefix>hf_)[A-Za-z0-9]{30,}(?![A-Za-z0-9_])/,
    validate: (m) => /[a-z]/.test(body(m)) && /[A-Z]/.test(body(m)),
  },
  {
    id: 'stripe',
    name: 'Stripe live secret key',
    regex: /(?<![A-Za-z0-9_])(?<prefix>[sr]k_live_)[A-Za-z0-9]{16,}/,
  },
  {
    id: 'groq',
    name: 'Groq API key',
    regex: /(?<![A-Za-z0-9_])(?<prefix>gsk_)[A-Za-z0-9]{20,}/,
    validate: (m) => hasDigitOrMixedCase(body(m)),
  },
  {
    id: 'replicate',
    name: 'Replicate API token',
    regex: /(?<![A-Za-z0-9_])(?<prefix>r8_)[A-Za-z0-9]{30,}/,
    validate: (m) => hasDigitOrMixedCase(body(m)),
  },
  {
    id: 'pinecone',
    name: 'Pinecone API key',
    regex: /(?<![A-Za-z0-9_])(?<prefix>pcsk_)[A-Za-z0-9_]{40,}/,
    validate: (m) => hasDigitOrMixedCase(body(m)),
  },
  {
    id: 'tavily',
    name: 'Tavily API key',
    regex: /(?<![A-Za-z0-9_-])(?<prefix>tvly-(?:dev-|prod-)?)[A-Za-z0-9]{20,}/,
    validate: (m) => hasDigitOrMixedCase(body(m)),
  },
  {
    id: 'langsmith',
    name: 'LangSmith API key',
    regex: /(?<![A-Za-z0-9_])(?<prefix>lsv2_(?:pt|sk)_)[a-f0-9]{32}_[a-f0-9]{10}/,
  },
  {
    id: 'perplexity',
    name: 'Perplexity API key',
    regex: /(?<![A-Za-z0-9_-])(?<prefix>pplx-)[A-Za-z0-9]{40,}/,
    validate: (m) => /\d/.test(body(m)),
  },
  {
    id: 'xai',
    name: 'xAI API key',
    regex: /(?<![A-Za-z0-9_-])(?<prefix>xai-)[A-Za-z0-9]{60,}/,
    validate: (m) => hasDigitOrMixedCase(body(m)),
  },
  {
    id: 'firecrawl',
    name: 'Firecrawl API key',
    regex: /(?<![A-Za-z0-9_-])(?<prefix>fc-)[a-f0-9]{32}(?![A-Za-z0-9])/,
  },
  {
    id: 'sendgrid',
    name: 'SendGrid API key',
    regex: /(?<![A-Za-z0-9_-])(?<prefix>SG\.)[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/,
  },
  {
    id: 'private-key',
    name: 'private key',
    // The body may hold `\n` escapes and PEM headers (`DEK-Info: AES-128-CBC,…`); a dash run
    // that opens the END line stops it, so the footer is kept rather than swallowed.
    regex:
      /(?<prefix>-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----)(?<body>(?:[A-Za-z0-9+/=\s\\:,.]|-(?!----END))*)(?<suffix>-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----)?/,
    // A bare header is code that handles keys (`startswith("-----BEGIN …")`), not a key.
    validate: (m) => (m.groups!.body.match(/[A-Za-z0-9+/]/g)?.length ?? 0) >= 32,
    mask: (m) => `${m.groups!.prefix}...${m.groups!.suffix ?? ''}`,
  },
  {
    id: 'slack-webhook',
    name: 'Slack webhook URL',
    regex: /(?<prefix>https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9_/-]{20,}/,
  },
  {
    id: 'discord-webhook',
    name: 'Discord webhook URL',
    regex: /(?<prefix>https:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/api\/webhooks\/)\d{5,}\/[A-Za-z0-9_-]{20,}/,
  },
  {
    id: 'jwt',
    name: 'JSON Web Token',
    regex: /(?<![A-Za-z0-9_-])(?<prefix>eyJ)[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/,
  },
  {
    id: 'connection-string',
    name: 'connection string with a password',
    // Only the password is the secret; user and host stay readable. `/` ends the password so
    // `https://host:8080/path@x` is a port and a path, not credentials.
    regex:
      /(?<![A-Za-z0-9+.-])(?<prefix>[A-Za-z][A-Za-z0-9+.-]{1,30}:\/\/[^\s:@/'"`\\]{1,128}:)(?<secret>[^\s@/'"`\\]{1,256})@(?=[A-Za-z0-9[])/,
  },
];

/** The token shapes rules may look for. Each regex is non-global; see `findSecrets` to scan. */
export const SECRET_PATTERNS: SecretPattern[] = SPECS.map(({ id, name, regex }) => ({ id, name, regex }));

const GLOBAL = SPECS.map((s) => ({ spec: s, re: new RegExp(s.regex.source, s.regex.flags.includes('g') ? s.regex.flags : s.regex.flags + 'g') }));

interface Span {
  index: number;
  end: number;
  replacement: string;
}

interface RawHit extends SecretHit {
  matchIndex: number;
  matchEnd: number;
  replacement: string;
}

/**
 * A literal every SPECS regex needs (its prefix, or `://` for connection strings). Most strings
 * hold none, and one alternation of plain literals rejects them far faster than sixteen
 * lookbehind-led scans. Keep in step with SPECS when adding a pattern.
 */
const ANY_NEEDLE = /sk-|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abpr]-|AIza|hf_|k_live_|gsk_|r8_|-----BEGIN |hooks\.slack\.com|discord|eyJ|:\/\//;

function scanTokens(text: string): RawHit[] {
  if (!ANY_NEEDLE.test(text)) return [];
  const hits: RawHit[] = [];
  for (const { spec, re } of GLOBAL) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      if (spec.validate && !spec.validate(m)) continue;
      const prefix = m.groups?.prefix ?? '';
      const secret = m.groups?.secret;
      const value = secret ?? m[0];
      const index = secret !== undefined ? m.index + prefix.length : m.index;
      // The replacement covers the whole match: prefix kept, secret masked, anything after kept.
      const replacement = spec.mask
        ? spec.mask(m)
        : secret !== undefined
          ? `${prefix}${maskTail(secret)}${m[0].slice(prefix.length + secret.length)}`
          : `${prefix}${maskTail(m[0].slice(prefix.length))}`;
      hits.push({ id: spec.id, name: spec.name, index, length: value.length, value, matchIndex: m.index, matchEnd: m.index + m[0].length, replacement });
    }
  }
  // Where shapes overlap, the earliest and then longest is the one a reader recognises.
  hits.sort((a, b) => a.matchIndex - b.matchIndex || b.matchEnd - a.matchEnd);
  const kept: RawHit[] = [];
  let end = -1;
  for (const h of hits) {
    if (h.matchIndex < end) continue;
    kept.push(h);
    end = h.matchEnd;
  }
  return kept;
}

/** Every token-shaped secret in `text`, in order, placeholders included (filter with `looksLikePlaceholder`). */
export function findSecrets(text: string): SecretHit[] {
  return scanTokens(text).map(({ id, name, index, length, value }) => ({ id, name, index, length, value }));
}

/**
 * Bits per character. Random keys sit near log2 of their alphabet (base62 ≈ 5.95, less for short
 * strings); words and stand-ins sit well below.
 */
export function shannonEntropy(s: string): number {
  if (!s) return 0;
  const counts = new Map<string, number>();
  let n = 0;
  for (const ch of s) {
    counts.set(ch, (counts.get(ch) ?? 0) + 1);
    n++;
  }
  let h = 0;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

const KNOWN_PREFIX = /^(?:sk-ant-(?:api\d\d-|admin\d\d-)?|sk-(?:proj-|svcacct-|admin-|None-)?|[sr]k_(?:live|test)_|gh[pousr]_|github_pat_|xox[abpr]-|AKIA|ASIA|AIza|hf_|gsk_|r8_)/;

/** Words that only appear in stand-ins. Substrings are fine: random base62 almost never spells them. */
const PLACEHOLDER_TEXT =
  /(?:^|[^a-z])your|example|placeholder|change[-_ ]?me|dummy|redacted|replace[-_ ]?(?:me|this|with)|insert[-_ ]?(?:your|key|token|here)|fake|sample|not[-_ ]?a[-_ ]?real|do[-_ ]?not[-_ ]?use|(?:demo|test)[-_ ]?(?:key|token|secret|password)|(?:key|token|secret)[-_ ]?here|x{4}|\*{3}|\.{3}|…|<[^>\n]{0,80}>|\{\{?[^}\n]{0,80}\}|\$\{|^\$[A-Za-z_]\w*$|%\(\w+\)s|^%s$/i;

/** Whole values that name a secret rather than being one. */
const PLACEHOLDER_WORDS = new Set([
  '', 'password', 'passwd', 'pass', 'pwd', 'secret', 'token', 'key', 'apikey', 'api_key', 'api-key', 'access_key', 'secret_key',
  'changeme', 'none', 'null', 'nil', 'undefined', 'empty', 'string', 'str', 'test', 'testing', 'todo', 'tbd', 'fixme', 'foo', 'bar', 'foobar',
  'sk-', 'n/a', 'na',
]);

/**
 * Documentation keys and obvious stand-ins (`sk-xxxx`, `your-api-key`, `<KEY>`, `sk-...`,
 * `changeme`, `AKIAIOSFODNN7EXAMPLE`, one character repeated, `1234567890abcdef…`) are not
 * credentials; flagging them teaches users to ignore the rule.
 */
export function looksLikePlaceholder(value: string): boolean {
  const v = value.trim().replace(/^["'`]|["'`]$/g, '');
  if (PLACEHOLDER_WORDS.has(v.toLowerCase())) return true;
  if (!/[A-Za-z0-9]/.test(v)) return true;
  if (PLACEHOLDER_TEXT.test(v)) return true;
  const b = v.replace(KNOWN_PREFIX, '');
  if (b.length === 0) return true;
  if (new Set(b).size <= 2) return true;
  if (/(.)\1{7}/.test(b)) return true;
  if (b.length >= 8 && ascendingShare(b) >= 0.5) return true;
  if (b.length >= 12 && shannonEntropy(b) < 2.5) return true;
  if (b.length >= 9 && isRepetition(b)) return true;
  return false;
}

/** Share of neighbouring characters that count up by one: `0123456789abcdef` is typed, not generated. */
function ascendingShare(s: string): number {
  let up = 0;
  for (let i = 1; i < s.length; i++) if (s.charCodeAt(i) === s.charCodeAt(i - 1) + 1) up++;
  return up / (s.length - 1);
}

/** `abcabcabc`, `ab12ab12ab12`: a short unit repeated at least three times. */
function isRepetition(s: string): boolean {
  for (let unit = 1; unit <= 8 && unit * 3 <= s.length; unit++) {
    let ok = true;
    for (let i = unit; i < s.length && ok; i++) if (s[i] !== s[i - unit]) ok = false;
    if (ok) return true;
  }
  return false;
}

/** Show at most the last four characters, and only when at least twelve others stay hidden. */
function maskTail(secret: string): string {
  return secret.length >= 16 ? `...${secret.slice(-4)}` : '...';
}

/** For values without a recognisable prefix, the first three may be shown when the rest is long. */
function maskBare(secret: string): string {
  return secret.length >= 28 ? `${secret.slice(0, 3)}...${secret.slice(-4)}` : maskTail(secret);
}

// ---- Context: values that are secrets because of what they are assigned to ----

/** A credential name: the word that says this variable, key or keyword holds one. */
const CREDENTIAL_NAME =
  /api[-_]?key|secret|token|passw(?:or)?d|pwd|passphrase|credential|private[-_]?key|access[-_]?key|signing[-_]?key|encryption[-_]?key|master[-_]?key|session[-_]?key|authorization|auth[-_]?(?:token|key|header|code)|^auth$|(?:^|[-_])dsn$|conn(?:ection)?[-_]?str(?:ing)?/i;
/** Names that mention a credential but hold something else: where it lives, how long it is, what it counts. */
const NOT_A_VALUE_NAME =
  /(?:url|uri|endpoint|path|file|filename|dir|name|type|env|var|prefix|suffix|pattern|regex|len|length|limit|count|id|ids|usage|model|scope|scopes|hint|label|placeholder|prompt|help|message|msg|field|header_name|format|expiry|expires|ttl|timeout|encoding|size|domain|method|mode|kind|algorithm|alg)$|^(?:max|min|num|n|total)[-_]?tokens?|tokeni[sz]er/i;

/** `name = "value"`, `"name": "value"`, `name: 'value'`, `name == "value"`; a quoted value, possibly JSON-escaped. */
const ASSIGNMENT =
  /(?<![\w$-])(?<q0>["']?)(?<name>[A-Za-z_$][\w$-]{0,63})\k<q0>\]?[ \t]{0,8}(?::=|=>|={1,3}|!==?|:)[ \t]{0,8}(?:[rbfuRBFU]{1,2})?\\?(?<q>["'`])(?<value>(?:(?:Bearer|Basic|Token) )?(?:\\[^\s"'`]|[^\s"'`\\]){6,512})\\?\k<q>/g;

/** Prose in prompts and docs: `the admin password is X`, `API key: X`, `discount override code = X`. */
const PROSE =
  /(?<![A-Za-z_])(?<what>passwords?|passwd|passcodes?|pass ?phrases?|pins?|pwd|api[ _-]?keys?|secrets?|secret keys?|credentials?|(?:access|auth|api|bearer|session|refresh) tokens?|tokens?|access (?:keys?|codes?)|auth(?:entication|orization)? (?:codes?|keys?)|(?:admin|override|master|root|unlock|bypass|emergency|staff|manager|discount|promo|coupon) (?:codes?|passwords?|pins?|keys?|tokens?))(?:[ \t]+(?:for|to|of)[ \t]+(?:the[ \t]+)?[\w.-]{1,40}(?:[ \t]+[\w.-]{1,40})?)?[ \t]*(?<sep>\bis\b|\bare\b|:|=)[ \t]*(?:set to[ \t]+)?(?<q>["'`]?)(?<value>[^\s"'`,;)]{4,128})\k<q>/gi;

/** `Authorization: Bearer <token>` outside any assignment we recognise. */
const BEARER = /(?<![A-Za-z])(?<prefix>Bearer[ \t]+)(?<value>[A-Za-z0-9._~+/-]{16,}=*)/g;

const STOP_WORDS = /^(?:not|never|none|null|required|secret|confidential|private|hidden|redacted|unknown|unavailable|valid|invalid|only|always|stored|kept|managed|provided|needed|set|shown|given|available)$/i;

function isTemplateSlot(v: string): boolean {
  return /^\$\{|^\{|^<|^%\(|^\$[A-Za-z_]|\{\{/.test(v);
}

/** An environment variable's name (`OPENAI_API_KEY`) says where the secret is, not what it is. */
function isEnvName(v: string): boolean {
  return /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v);
}

function assignedValueIsSecret(name: string, value: string): boolean {
  if (!CREDENTIAL_NAME.test(name) || NOT_A_VALUE_NAME.test(name)) return false;
  const v = value.replace(/^(?:Bearer|Basic|Token) /, '');
  if (v.length < 6 || isTemplateSlot(v) || isEnvName(v) || looksLikePlaceholder(v)) return false;
  if (/^[a-z]+:\/\//i.test(v) && !/:\/\/[^/@]*:[^/@]*@/.test(v)) return false;
  if (/^[\w.-]+\.(?:py|json|txt|ya?ml|env|pem|key|crt|cfg|ini|toml)$/i.test(v)) return false;
  return true;
}

function proseValueIsSecret(value: string, quoted: boolean): boolean {
  const v = value.replace(/[.:!?]+$/, '');
  if (v.length < 4 || isTemplateSlot(v) || isEnvName(v) || looksLikePlaceholder(v) || STOP_WORDS.test(v)) return false;
  if (quoted) return true;
  if (/\d/.test(v) && /[A-Za-z]/.test(v)) return true;
  if (/^\d{4,}$/.test(v)) return true;
  if (/[!@#$%^&*_-]/.test(v) && /[A-Za-z0-9]/.test(v) && !/^[a-z]+(?:-[a-z]+)*$/.test(v)) return true;
  return /^[A-Z][A-Z0-9]{3,}$/.test(v);
}

/** `sorted` is ordered and non-overlapping, so its ends ascend and a binary search finds the one candidate. */
function overlapsAny(sorted: Span[], s: Span): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].end <= s.index) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo].index < s.end;
}

function contextSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(ASSIGNMENT)) {
    const { name, value } = m.groups!;
    if (!assignedValueIsSecret(name, value)) continue;
    const scheme = /^(?:Bearer|Basic|Token) /.exec(value)?.[0] ?? '';
    const secret = value.slice(scheme.length);
    const start = m.index + m[0].lastIndexOf(value) + scheme.length;
    // After `Bearer ` the scheme already says what it is; the head of the token adds nothing.
    spans.push({ index: start, end: start + secret.length, replacement: scheme ? maskTail(secret) : maskBare(secret) });
  }
  for (const m of text.matchAll(PROSE)) {
    const { what, sep, q, value } = m.groups!;
    const v = value.replace(/[.:!?]+$/, '');
    // Unquoted after `=` is code (`api_key = get_key()`), and member access or a call is never a credential.
    if (q === '' && (sep === '=' || /[([{]|^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(v))) continue;
    // `max tokens: 4096` is a budget, not a credential.
    if (/^tokens?$/i.test(what) && /^\d+$/.test(v)) continue;
    if (!proseValueIsSecret(v, q !== '')) continue;
    const start = m.index + m[0].length - q.length - value.length;
    spans.push({ index: start, end: start + v.length, replacement: maskTail(v) });
  }
  for (const m of text.matchAll(BEARER)) {
    const value = m.groups!.value;
    if (looksLikePlaceholder(value) || isEnvName(value)) continue;
    const start = m.index + m.groups!.prefix.length;
    spans.push({ index: start, end: start + value.length, replacement: maskTail(value) });
  }
  return spans;
}

/**
 * `sk-proj-abc…wxyz` -> `sk-proj-...wxyz`: enough to recognise which key leaked, never enough to
 * use it. Covers token shapes anywhere, connection-string passwords, values assigned to
 * credential names (`password = "…"`, `"api_key": "…"`), credentials written out in prose and
 * bearer tokens. Short secrets lose their tail too, since four characters of a password are a
 * real hint.
 */
export function redactSecrets(text: string): string {
  if (text.length === 0) return text;
  // A templated or already-redacted password (`${DB_PASSWORD}`, `...`) is no secret and tells the reader something.
  const tokens = scanTokens(text).filter((h) => !(h.id === 'connection-string' && (isTemplateSlot(h.value) || looksLikePlaceholder(h.value))));
  const spans: Span[] = tokens.map((h) => ({ index: h.matchIndex, end: h.matchEnd, replacement: h.replacement }));
  // Token shapes win over context: their masks keep the recognisable prefix.
  const context = contextSpans(text).sort((a, b) => a.index - b.index || b.end - a.end);
  const taken = [...spans];
  let lastEnd = -1;
  for (const s of context) {
    if (s.index < lastEnd || overlapsAny(spans, s)) continue;
    taken.push(s);
    lastEnd = s.end;
  }
  if (taken.length === 0) return text;
  taken.sort((a, b) => a.index - b.index || b.end - a.end);
  let out = '';
  let at = 0;
  for (const s of taken) {
    if (s.index < at) continue;
    out += text.slice(at, s.index) + s.replacement;
    at = s.end;
  }
  return out + text.slice(at);
}
