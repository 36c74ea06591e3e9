// Secrets the server must be able to read back (webhook signing secrets: it signs with them) are
// stored sealed with AES-256-GCM, so a copy of the database or a backup alone does not hand an
// attacker the means to forge our deliveries. The key never sits in the database:
//   - AGENTCOP_SECRET_KEY (32 bytes, base64 or hex) — required for replicas, which must share it;
//   - else, with PGlite on disk, `<data dir>/secret.key` (created once, mode 0600);
//   - else, with PGlite in memory, a key for this process only (the data dies with it anyway);
//   - else (PostgreSQL without a key) secrets are stored as given, and the server says so at start.
// Values written before a key existed stay readable: `open` returns anything unsealed as is.
// Rotation: start with the new key in AGENTCOP_SECRET_KEY and the old one(s) in
// AGENTCOP_SECRET_KEY_PREVIOUS (comma-separated); secrets open with either, and the start re-seals
// every one still under an old key, after which the old key can be dropped.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const SEALED_PREFIX = 'sealed:v1:';
const PREFIX = SEALED_PREFIX;
const KEY_BYTES = 32;
const IV_BYTES = 12;

export class SecretBox {
  /**
   * `key` undefined: seal() stores values as given (see the module comment for when). `previous`:
   * keys that still open what they sealed, so a rotation loses nothing.
   */
  constructor(
    private readonly key: Buffer | undefined,
    private readonly previous: readonly Buffer[] = [],
  ) {
    for (const k of [key, ...previous]) if (k && k.length !== KEY_BYTES) throw new Error(`a secret key must be ${KEY_BYTES} bytes`);
    if (previous.length && !key) throw new Error('AGENTCOP_SECRET_KEY_PREVIOUS needs AGENTCOP_SECRET_KEY: the key to re-seal under');
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
    return this.unseal(stored).plain;
  }

  /**
   * The value sealed under the current key: null when it already is (or the box does not seal),
   * a fresh sealing when it was stored in the clear or under a previous key.
   */
  reseal(stored: string): string | null {
    if (!this.key) return null;
    const { plain, current } = this.unseal(stored);
    return current ? null : this.seal(plain);
  }

  private unseal(stored: string): { plain: string; current: boolean } {
    if (!stored.startsWith(PREFIX)) return { plain: stored, current: false };
    if (!this.key) throw new SecretKeyError('a sealed secret was found but no AGENTCOP_SECRET_KEY is set');
    const [iv, tag, body] = stored.slice(PREFIX.length).split('.').map((p) => Buffer.from(p, 'base64url'));
    for (const key of [this.key, ...this.previous]) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAuthTag(tag);
        return { plain: Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8'), current: key === this.key };
      } catch {
        // not this key: try the next
      }
    }
    throw new SecretKeyError(
      this.previous.length
        ? 'a sealed secret opens with neither AGENTCOP_SECRET_KEY nor AGENTCOP_SECRET_KEY_PREVIOUS'
        : 'a sealed secret does not open with this server\'s key (was AGENTCOP_SECRET_KEY changed? Put the old key in AGENTCOP_SECRET_KEY_PREVIOUS to rotate)',
    );
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
  /** Older keys, comma-separated: still open what they sealed (rotation). */
  previousSecretKeys?: string;
  databaseUrl?: string;
  dataDir?: string;
}

/** Finds or makes the key per the module comment; `where` says which, for the start-up log. */
export async function loadSecretBox(opts: SecretKeySource): Promise<{ box: SecretBox; where: string }> {
  if (opts.secretKey) {
    const previous = (opts.previousSecretKeys ?? '').split(',').map((k) => k.trim()).filter(Boolean).map(parseSecretKey);
    return { box: new SecretBox(parseSecretKey(opts.secretKey), previous), where: previous.length ? 'AGENTCOP_SECRET_KEY (rotating)' : 'AGENTCOP_SECRET_KEY' };
  }
  if (opts.previousSecretKeys) throw new Error('AGENTCOP_SECRET_KEY_PREVIOUS is set without AGENTCOP_SECRET_KEY: set the new key too');
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
