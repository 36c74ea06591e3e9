// Sealing of stored secrets: AES-256-GCM round trips, tampering and wrong keys are refused, legacy
// values pass through, and the key is found where the module comment says.
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecretBox, parseSecretKey, SecretBox, SecretKeyError } from '../../server/secret-box.js';
import { tempDir } from './helpers.js';

const KEY = Buffer.alloc(32, 1);

describe('SecretBox', () => {
  it('seals so the value is unreadable and different every time, and opens it again', () => {
    const box = new SecretBox(KEY);
    const a = box.seal('whsec_abc');
    const b = box.seal('whsec_abc');
    expect(a).toMatch(/^sealed:v1:/);
    expect(a).not.toContain('whsec_abc');
    expect(a).not.toBe(b);
    expect(box.open(a)).toBe('whsec_abc');
    expect(box.open('whsec_legacy')).toBe('whsec_legacy');
  });

  it('refuses a tampered value, another key, and a sealed value without a key', () => {
    const sealed = new SecretBox(KEY).seal('whsec_abc');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[2], 'base64url');
    body[0] ^= 1;
    const tampered = [parts[0], parts[1], body.toString('base64url')].join('.');
    expect(() => new SecretBox(KEY).open(tampered)).toThrow(SecretKeyError);
    expect(() => new SecretBox(Buffer.alloc(32, 2)).open(sealed)).toThrow(/AGENTCOP_SECRET_KEY/);
    expect(() => new SecretBox(undefined).open(sealed)).toThrow(/no AGENTCOP_SECRET_KEY/);
    expect(new SecretBox(undefined).seal('plain')).toBe('plain');
  });

  it('rotation: a previous key still opens what it sealed, and reseal moves it under the current key', async () => {
    const OLD = Buffer.alloc(32, 3);
    const underOld = new SecretBox(OLD).seal('whsec_rotate');
    const rotating = new SecretBox(KEY, [OLD]);
    expect(rotating.open(underOld)).toBe('whsec_rotate');
    const moved = rotating.reseal(underOld)!;
    expect(moved).toMatch(/^sealed:v1:/);
    expect(new SecretBox(KEY).open(moved)).toBe('whsec_rotate');
    expect(() => new SecretBox(OLD).open(moved)).toThrow(SecretKeyError);
    expect(rotating.reseal(moved)).toBeNull();
    expect(new SecretBox(KEY).open(rotating.reseal('whsec_clear')!)).toBe('whsec_clear');
    expect(() => new SecretBox(KEY, [Buffer.alloc(32, 4)]).open(underOld)).toThrow(/neither AGENTCOP_SECRET_KEY nor AGENTCOP_SECRET_KEY_PREVIOUS/);
    expect(() => new SecretBox(KEY).open(underOld)).toThrow(/AGENTCOP_SECRET_KEY_PREVIOUS/);

    const loaded = await loadSecretBox({ secretKey: KEY.toString('hex'), previousSecretKeys: ` ${Buffer.alloc(32, 4).toString('base64')}, ${OLD.toString('hex')} ` });
    expect(loaded.box.open(underOld)).toBe('whsec_rotate');
    expect(loaded.where).toBe('AGENTCOP_SECRET_KEY (rotating)');
    await expect(loadSecretBox({ previousSecretKeys: OLD.toString('hex'), dataDir: 'memory://' })).rejects.toThrow(/without AGENTCOP_SECRET_KEY/);
    await expect(loadSecretBox({ secretKey: KEY.toString('hex'), previousSecretKeys: 'short' })).rejects.toThrow(/32 bytes/);
  });

  it('reads AGENTCOP_SECRET_KEY as hex or base64 and rejects other lengths', () => {
    expect(parseSecretKey(KEY.toString('hex'))).toEqual(KEY);
    expect(parseSecretKey(KEY.toString('base64'))).toEqual(KEY);
    expect(() => parseSecretKey('too-short')).toThrow(/32 bytes/);
  });

  it('makes one key file per data dir (0600), even when two processes start at once, and reuses it', async () => {
    const dir = await tempDir();
    try {
      const [a, b] = await Promise.all([loadSecretBox({ dataDir: dir }), loadSecretBox({ dataDir: dir })]);
      const file = path.join(dir, 'secret.key');
      expect(a.where).toBe(file);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const sealed = a.box.seal('x');
      expect(b.box.open(sealed)).toBe('x');
      const again = await loadSecretBox({ dataDir: dir });
      expect(again.box.open(sealed)).toBe('x');
      expect(parseSecretKey(await readFile(file, 'utf8'))).toHaveLength(32);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('PostgreSQL without a key stores as given (and the server warns); with one, seals', async () => {
    expect((await loadSecretBox({ databaseUrl: 'postgres://x/y' })).box.sealing).toBe(false);
    const withKey = await loadSecretBox({ databaseUrl: 'postgres://x/y', secretKey: KEY.toString('hex') });
    expect(withKey.where).toBe('AGENTCOP_SECRET_KEY');
    expect(withKey.box.open(new SecretBox(KEY).seal('s'))).toBe('s');
  });
});
