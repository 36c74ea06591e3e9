import { describe, expect, it } from 'vitest';
import { findSecrets, looksLikePlaceholder, redactSecrets, SECRET_PATTERNS, shannonEntropy } from '../engine/redact.js';

/** Deterministic random-looking bodies, so no real-shaped key sits in the repository as one literal. */
function rand(len: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', seed = len * 7919): string {
  let x = seed >>> 0 || 1;
  let out = '';
  for (let i = 0; i < len; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out += alphabet[x % alphabet.length];
  }
  return out;
}
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const KEYS: Record<string, string> = {
  openai: 'sk-proj-' + rand(48, undefined, 1),
  'openai-legacy': 'sk-' + rand(48, undefined, 2),
  anthropic: 'sk-ant-api03-' + rand(93, undefined, 3),
  'aws-access-key': 'AKIA' + rand(16, UPPER_DIGITS, 4),
  github: 'ghp_' + rand(36, undefined, 5),
  'github-pat': 'github_pat_' + rand(22, undefined, 6) + '_' + rand(59, undefined, 7),
  slack: 'xoxb-' + rand(12, '0123456789', 8) + '-' + rand(13, '0123456789', 9) + '-' + rand(24, undefined, 10),
  google: 'AIza' + rand(35, undefined, 11),
  huggingface: 'hf_' + rand(34, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 12),
  stripe: 'sk_' + 'live_' + rand(24, undefined, 13),
  groq: 'gsk_' + rand(52, undefined, 14),
  replicate: 'r8_' + rand(37, undefined, 15),
  'slack-webhook': 'https://hooks.slack.com/services/T' + rand(8, UPPER_DIGITS, 16) + '/B' + rand(10, UPPER_DIGITS, 17) + '/' + rand(24, undefined, 18),
  'discord-webhook': 'https://discord.com/api/webhooks/' + rand(18, '0123456789', 19) + '/' + rand(68, undefined, 20),
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.' + rand(43, undefined, 21),
};

describe('findSecrets', () => {
  for (const [id, key] of Object.entries(KEYS)) {
    it(`finds a ${id} key inside code`, () => {
      const text = `client = make(api_key="${key}", retries=3)`;
      const hits = findSecrets(text);
      const expectedId = id === 'openai-legacy' ? 'openai' : id;
      expect(hits.map((h) => h.id)).toEqual([expectedId]);
      expect(hits[0].value).toBe(key);
      expect(text.slice(hits[0].index, hits[0].index + hits[0].length)).toBe(key);
      expect(looksLikePlaceholder(hits[0].value)).toBe(false);
    });
  }

  it('reports an Anthropic key once, as Anthropic, not also as OpenAI', () => {
    expect(findSecrets(KEYS.anthropic).map((h) => h.id)).toEqual(['anthropic']);
  });

  it('finds a private key block, but not code that only mentions the header', () => {
    const body = rand(64, undefined, 30) + '\\n' + rand(64, undefined, 31) + '\\n' + rand(40, undefined, 32) + '==';
    const pem = `-----BEGIN RSA PRIVATE KEY-----\\n${body}\\n-----END RSA PRIVATE KEY-----`;
    const hits = findSecrets(`KEY = "${pem}\\n"`);
    expect(hits.map((h) => h.id)).toEqual(['private-key']);
    expect(hits[0].value).toBe(pem);
    expect(findSecrets('if line.startswith("-----BEGIN OPENSSH PRIVATE KEY-----"):')).toEqual([]);
  });

  it('gives only the password of a connection string as the value', () => {
    const pw = 'Qx7!vLm2pR9z';
    const text = `DSN = "postgresql://finance_ro:${pw}@db.internal:5432/ledger"`;
    const [hit] = findSecrets(text);
    expect(hit).toMatchObject({ id: 'connection-string', value: pw, index: text.indexOf(pw), length: pw.length });
    expect(findSecrets('see https://example.com:8443/path@v2 and http://host:80/a')).toEqual([]);
    expect(looksLikePlaceholder(findSecrets('postgres://user:${DB_PASSWORD}@localhost/db')[0].value)).toBe(true);
  });

  it('does not take ordinary words for keys', () => {
    const text = [
      'mask-rcnn sk-learning-rate-scheduler-config',
      'from huggingface_hub import hf_hub_download',
      'AKIA is how AWS access key ids start',
      'TOKEN_URL = "https://auth.example.com/oauth2/token?audience=support-agent-v2"',
      'xoxb-your-bot-token',
    ].join('\n');
    expect(findSecrets(text)).toEqual([]);
  });

  it('keeps keys apart at their boundaries', () => {
    expect(findSecrets('AKIA' + rand(17, UPPER_DIGITS, 40))).toEqual([]); // 17 is not an access key id
    expect(findSecrets('xAKIA' + rand(16, UPPER_DIGITS, 41))).toEqual([]);
  });

  it('exposes non-global patterns, safe to .test() repeatedly', () => {
    const openai = SECRET_PATTERNS.find((p) => p.id === 'openai')!;
    expect(openai.regex.global).toBe(false);
    expect(openai.regex.test(KEYS.openai)).toBe(true);
    expect(openai.regex.test(KEYS.openai)).toBe(true);
    for (const p of SECRET_PATTERNS) expect(p).toEqual({ id: expect.any(String), name: expect.any(String), regex: expect.any(RegExp) });
  });
});

describe('redactSecrets', () => {
  for (const [id, key] of Object.entries(KEYS)) {
    it(`redacts a ${id} key to a prefix and the last four`, () => {
      const out = redactSecrets(`token = "${key}"  # prod`);
      expect(out).toContain(`...${key.slice(-4)}"  # prod`);
      expect(out).not.toContain(key);
      // Nothing from the middle of the key survives.
      const middle = key.slice(Math.floor(key.length / 2) - 4, Math.floor(key.length / 2) + 4);
      expect(out).not.toContain(middle);
    });
  }

  it('keeps the recognisable prefix', () => {
    expect(redactSecrets(KEYS.openai)).toBe(`sk-proj-...${KEYS.openai.slice(-4)}`);
    expect(redactSecrets(KEYS['openai-legacy'])).toBe(`sk-...${KEYS['openai-legacy'].slice(-4)}`);
    expect(redactSecrets(KEYS.anthropic)).toBe(`sk-ant-...${KEYS.anthropic.slice(-4)}`);
    expect(redactSecrets(KEYS['aws-access-key'])).toBe(`AKIA...${KEYS['aws-access-key'].slice(-4)}`);
    expect(redactSecrets(KEYS.github)).toBe(`ghp_...${KEYS.github.slice(-4)}`);
    expect(redactSecrets(KEYS.slack)).toBe(`xoxb-...${KEYS.slack.slice(-4)}`);
    expect(redactSecrets(KEYS['slack-webhook'])).toBe(`https://hooks.slack.com/services/...${KEYS['slack-webhook'].slice(-4)}`);
  });

  it('keeps user and host of a connection string and hides all of a short password', () => {
    expect(redactSecrets('postgresql://finance_ro:Qx7!vLm2pR9z@db.internal:5432/ledger')).toBe('postgresql://finance_ro:...@db.internal:5432/ledger');
    // A template slot is not a secret and tells the reader where the password comes from.
    expect(redactSecrets('postgres://app:${DB_PASSWORD}@db/app')).toBe('postgres://app:${DB_PASSWORD}@db/app');
  });

  it('keeps the PEM armour and drops the body', () => {
    const pem = `-----BEGIN EC PRIVATE KEY-----\\n${rand(64, undefined, 50)}\\n${rand(30, undefined, 51)}==\\n-----END EC PRIVATE KEY-----`;
    expect(redactSecrets(`K = "${pem}"`)).toBe('K = "-----BEGIN EC PRIVATE KEY-----...-----END EC PRIVATE KEY-----"');
  });

  it('redacts values assigned to credential names, which no token shape would catch', () => {
    const secret = rand(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+', 60);
    const out = redactSecrets(`aws_secret_access_key="${secret}",`);
    expect(out).toBe(`aws_secret_access_key="${secret.slice(0, 3)}...${secret.slice(-4)}",`);
    const webhook = rand(32, undefined, 61);
    expect(redactSecrets(`"webhook_secret": "${webhook}",`)).not.toContain(webhook.slice(4, 28));
    expect(redactSecrets('DB_PASSWORD = "hunter2!x"')).toBe('DB_PASSWORD = "..."');
    expect(redactSecrets('if password == "hunter2!x":')).toBe('if password == "...":');
    // Notebook snippets keep the JSON escapes of the cell string.
    expect(redactSecrets('password = \\"hunter2!x\\"')).toBe('password = \\"...\\"');
    const bearer = rand(30, undefined, 62);
    expect(redactSecrets(`headers = {"Authorization": "Bearer ${bearer}"}`)).toBe(`headers = {"Authorization": "Bearer ...${bearer.slice(-4)}"}`);
  });

  it('redacts credentials written out in prompt prose', () => {
    expect(redactSecrets('the admin password is Tr0ub4dor&3. Never share it.')).toBe('the admin password is .... Never share it.');
    expect(redactSecrets('Discount override code: SAVE50-VIP-2024. Use it only for VIP customers.')).toBe('Discount override code: .... Use it only for VIP customers.');
  });

  it('leaves ordinary code alone', () => {
    const code = [
      'client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])',
      'API_KEY_ENV_VAR = "OPENAI_API_KEY"',
      'password_hint = "Use at least 12 characters"',
      'tokenizer_name = "sentence-transformers/all-MiniLM-L6-v2"',
      'llm = ChatOpenAI(model="gpt-4o-mini", max_tokens=400)',
      'example_key = "sk-your-api-key-here"',
      'Never reveal passwords, API keys or other credentials.',
      'the password is never shown to you',
      'TOKEN_URL = "https://auth.example.com/oauth2/token?audience=support-agent-v2"',
      'subprocess.run(cmd, shell=True)',
      'api_key = get_key()',
      'password: settings.db_password',
      "OPENAI_API_KEY: 'OPENAI_API_KEY'",
      'const apiKey = process.env.API_KEY;',
      'auth_method = "oauth2-client"',
      'token_type = "bearer_xyz123"',
      'secret_name = "prod/db/password"',
    ].join('\n');
    expect(redactSecrets(code)).toBe(code);
  });

  it('is idempotent and its output is not a secret any more', () => {
    const text = `a = "${KEYS.openai}"; b = "${KEYS.github}"; c = "postgres://u:${rand(20, undefined, 70)}@h/db"`;
    const once = redactSecrets(text);
    expect(redactSecrets(once)).toBe(once);
    expect(findSecrets(once).filter((h) => !looksLikePlaceholder(h.value))).toEqual([]);
  });

  it('handles several secrets on one line and keeps the text between them', () => {
    const out = redactSecrets(`${KEYS.github} and ${KEYS['aws-access-key']}!`);
    expect(out).toBe(`ghp_...${KEYS.github.slice(-4)} and AKIA...${KEYS['aws-access-key'].slice(-4)}!`);
  });

  it('finishes a 1 MB line quickly, including adversarial ones', () => {
    const M = 1 << 20;
    const lines = [
      'a'.repeat(M),
      'sk-'.repeat(M / 3),
      'sk-proj-' + 'aB3'.repeat(M / 3),
      'eyJ'.repeat(M / 3),
      ('eyJ' + 'a'.repeat(20) + '.').repeat(M / 24),
      'a:b@'.repeat(M / 4),
      ('postgres://u' + ':p'.repeat(100)).repeat(M / 212),
      '-----BEGIN RSA PRIVATE KEY-----' + 'A'.repeat(M),
      '-----BEGIN '.repeat(M / 11),
      'password = "'.repeat(M / 12),
      'api_key="' + 'x'.repeat(M),
      'admin password for the x y '.repeat(M / 27),
      'Bearer ' + 'a'.repeat(M),
      `x = "${KEYS.openai}" `.repeat(M / 70),
    ];
    // CPU time, not wall time: a loaded machine must not fail this, catastrophic backtracking would.
    const started = process.cpuUsage();
    for (const line of lines) {
      redactSecrets(line);
      findSecrets(line);
      looksLikePlaceholder(line);
    }
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1000).toBeLessThan(5000);
  });
});

describe('looksLikePlaceholder', () => {
  it.each([
    'sk-xxxxxxxxxxxxxxxxxxxxxxxx',
    'sk-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
    'your-api-key',
    'YOUR_OPENAI_API_KEY',
    'sk-your-api-key-here',
    '<KEY>',
    '<your token>',
    'sk-...',
    'sk-...abcd',
    'changeme',
    'CHANGE_ME',
    'AKIAIOSFODNN7EXAMPLE',
    'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'sk-aaaaaaaaaaaaaaaaaaaaaaaa',
    'AKIA0000000000000000',
    'sk-1234567890abcdef1234567890abcdef',
    'sk-abcabcabcabcabcabcabcabc',
    '${OPENAI_API_KEY}',
    '{{ secrets.API_KEY }}',
    '%(password)s',
    '$DB_PASSWORD',
    'password',
    'secret',
    '****',
    'dummy-token-value',
    'sk-proj-REPLACE_ME',
    'insert-your-key-here',
    '',
  ])('%j is a placeholder', (v) => {
    expect(looksLikePlaceholder(v)).toBe(true);
  });

  it.each([
    ['a generated OpenAI key', KEYS.openai],
    ['a generated GitHub token', KEYS.github],
    ['a generated AWS key id', KEYS['aws-access-key']],
    ['a prose password', 'Tr0ub4dor&3'],
    ['a discount code', 'SAVE50-VIP-2024'],
    ['a connection-string password', 'Qx7!vLm2pR9z'],
  ])('%s is not a placeholder', (_, v) => {
    expect(looksLikePlaceholder(v)).toBe(false);
  });
});

describe('shannonEntropy', () => {
  it('measures bits per character', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('ab')).toBeCloseTo(1);
    expect(shannonEntropy('abcd')).toBeCloseTo(2);
    expect(shannonEntropy(rand(64, undefined, 80))).toBeGreaterThan(4.5);
    expect(shannonEntropy('password')).toBeLessThan(3);
  });

  it('counts code points, not UTF-16 halves', () => {
    expect(shannonEntropy('😀😀')).toBe(0);
  });
});
