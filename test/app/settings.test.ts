// The App's environment: Probot's variable names, keys in the forms people paste them, GHE_HOST.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { githubSettingsFromEnv } from '../../app/settings.js';
import { tempDir } from '../server/helpers.js';
import { appPrivateKey } from './helpers.js';

describe('githubSettingsFromEnv', () => {
  const base = { APP_ID: '42', WEBHOOK_SECRET: 's' };

  it('takes PRIVATE_KEY as PEM, with \\n escapes, or as base64', () => {
    const pem = appPrivateKey();
    for (const value of [pem, pem.replace(/\n/g, '\\n'), Buffer.from(pem).toString('base64')]) {
      const r = githubSettingsFromEnv({ ...base, PRIVATE_KEY: value });
      expect(r.enabled && r.settings.privateKey.trim()).toBe(pem.trim());
    }
  });

  it('reads PRIVATE_KEY_PATH, and says which file it cannot read', async () => {
    const file = path.join(await tempDir(), 'app.pem');
    await writeFile(file, appPrivateKey());
    const r = githubSettingsFromEnv({ ...base, PRIVATE_KEY_PATH: file });
    expect(r).toMatchObject({ enabled: true, settings: { appId: '42', webhookSecret: 's', privateKey: appPrivateKey() } });
    expect(githubSettingsFromEnv({ ...base, PRIVATE_KEY_PATH: `${file}.missing` })).toEqual({ enabled: false, reason: `PRIVATE_KEY_PATH ${file}.missing cannot be read (ENOENT)` });
  });

  it('is off, naming what is missing or wrong', () => {
    expect(githubSettingsFromEnv({})).toEqual({ enabled: false, reason: 'APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET not set' });
    expect(githubSettingsFromEnv({ ...base, PRIVATE_KEY: 'not a key' })).toMatchObject({ enabled: false, reason: expect.stringContaining('not a PEM private key') });
  });

  it('points at GitHub Enterprise Server with GHE_HOST and GHE_PROTOCOL', () => {
    const pem = appPrivateKey();
    const ghe = githubSettingsFromEnv({ ...base, PRIVATE_KEY: pem, GHE_HOST: 'github.corp.example', GHE_PROTOCOL: 'http' });
    expect(ghe.enabled && ghe.settings.baseUrl).toBe('http://github.corp.example/api/v3');
    const dotcom = githubSettingsFromEnv({ ...base, PRIVATE_KEY: pem });
    expect(dotcom.enabled && dotcom.settings.baseUrl).toBeUndefined();
    const https = githubSettingsFromEnv({ ...base, PRIVATE_KEY: pem, GHE_HOST: 'ghe.example' });
    expect(https.enabled && https.settings.baseUrl).toBe('https://ghe.example/api/v3');
  });
});
