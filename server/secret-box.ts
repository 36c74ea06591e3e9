// Secrets the server must be able to read back (webhook signing secrets: it signs with them) are
// stored sealed with AES-256-GCM, so a copy of the database or a backup alone does not hand an
// attacker the means to forge our deliveries. The key never sits in the database:
//   - AGENTCOP_SECRET_KEY (32 bytes, base64 or hex) — required for replicas, which must share it;
//   - else, with PGlite on disk, `<data dir>/secret.key` (created once, mode 0600);
//   - else, with PGlite in memory, a key for this process only (the data dies with it anyway);
//   - else (PostgreSQL without a key) secrets are stored as given, and the server says so at start.
// Values written before a key existed stay readable: `open` returns anything unsealed as is.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const SEALED_PREFIX = 'sealed:v1:';
const PREFIX = SEALED_PREFIX;
const KEY_BYTES = 32;
const IV_BYTES = 12;

export class SecretBox {
  /** `key` undefined: seal() stores values as given (see the module comment for when). */
  constructor(private readonly key: Buffer | undefined) {
    if (key && key.length !== KEY_BYTES) throw new Error(`a secret key must be ${KEY_BYTES} bytes`);
  }

  get sealing(): boolean {
    return this.key !== undefined;
  }

  seal(plain: string): string {
    if (!this.key) return plain;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
  }

  open(stored: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    if (!this.key) throw new SecretKeyError('a sealed secret was found but no AGENTCOP_SECRET_KEY is set');
    const [iv, tag, body] = stored.slice(PREFIX.length).split('.').map((p) => Buffer.from(p, 'base64url'));
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretKeyError('a sealed secret does not open with this server\'s key (was AGENTCOP_SECRET_KEY changed?)');
    }
  }
}

export class SecretKeyError extends Error {}

/** Parses AGENTCOP_SECRET_KEY: 32 bytes as 64 hex digits or as base64/base64url. */
export function parseSecretKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`AGENTCOP_SECRET_KEY must be ${KEY_BYTES} bytes, as 64 hex digits or base64 (e.g. \`openssl rand -base64 32\`)`);
  return key;
}

export interface SecretKeySource {
  secretKey?: string;
  databaseUrl?: string;
  dataDir?: string;
}

/** Finds or makes the key per the module comment; `where` says which, for the start-up log. */
export async function loadSecretBox(opts: SecretKeySource): Promise<{ box: SecretBox; where: string }> {
  if (opts.secretKey) return { box: new SecretBox(parseSecretKey(opts.secretKey)), where: 'AGENTCOP_SECRET_KEY' };
  if (opts.databaseUrl) return { box: new SecretBox(undefined), where: 'none' };
  const dataDir = opts.dataDir ?? './.agentcop';
  if (dataDir.startsWith('memory://')) return { box: new SecretBox(randomBytes(KEY_BYTES)), where: 'memory' };
  const file = path.resolve(dataDir, 'secret.key');
  await mkdir(path.dirname(file), { recursive: true });
  try {
    return { box: new SecretBox(parseSecretKey(await readFile(file, 'utf8'))), where: file };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
  const key = randomBytes(KEY_BYTES);
  // Written whole under a temporary name, then linked into place: link() fails if the file exists,
  // so two processes starting on one data dir agree on one key, and nobody reads a half-written one.
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(temp, key.toString('base64') + '\n', { mode: 0o600 });
  try {
    await chmod(temp, 0o600);
    await link(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { box: new SecretBox(parseSecretKey(await readFile(file, 'utf8'))), where: file };
    throw err;
  } finally {
    await unlink(temp).catch(() => {});
  }
  return { box: new SecretBox(key), where: file };
}
