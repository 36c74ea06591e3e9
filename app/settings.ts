// The App's credentials, from the usual Probot environment. Without them the server runs and the
// webhook route says the App is off.
import { readFileSync } from 'node:fs';

export interface GithubAppSettings {
  appId: string;
  privateKey: string;
  webhookSecret: string;
  /** REST API root; set for GitHub Enterprise Server (GHE_HOST), else api.github.com. */
  baseUrl?: string;
}

export type SettingsResult = { enabled: true; settings: GithubAppSettings } | { enabled: false; reason: string };

export function githubSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): SettingsResult {
  const missing: string[] = [];
  const appId = env.APP_ID?.trim();
  if (!appId) missing.push('APP_ID');
  let privateKey: string | undefined;
  if (env.PRIVATE_KEY?.trim()) privateKey = normaliseKey(env.PRIVATE_KEY);
  else if (env.PRIVATE_KEY_PATH?.trim()) {
    try {
      privateKey = readFileSync(env.PRIVATE_KEY_PATH.trim(), 'utf8');
    } catch (err) {
      return { enabled: false, reason: `PRIVATE_KEY_PATH ${env.PRIVATE_KEY_PATH} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
    }
  } else missing.push('PRIVATE_KEY or PRIVATE_KEY_PATH');
  const webhookSecret = env.WEBHOOK_SECRET;
  if (!webhookSecret) missing.push('WEBHOOK_SECRET');
  if (missing.length) return { enabled: false, reason: `${missing.join(', ')} not set` };
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKey!)) {
    return { enabled: false, reason: 'the private key is not a PEM private key (PRIVATE_KEY may also be base64 of the .pem file)' };
  }
  return { enabled: true, settings: { appId: appId!, privateKey: privateKey!, webhookSecret: webhookSecret!, baseUrl: baseUrlOf(env) } };
}

/** GHE_HOST (and GHE_PROTOCOL, default https) -> the Enterprise Server REST root. */
export function baseUrlOf(env: NodeJS.ProcessEnv): string | undefined {
  const host = env.GHE_HOST?.trim();
  if (!host) return undefined;
  const protocol = (env.GHE_PROTOCOL?.trim() || 'https').replace(/:$/, '');
  return `${protocol}://${host}/api/v3`;
}

/** Keys pasted into one-line env files keep `\n` escapes; some platforms only take base64. */
function normaliseKey(value: string): string {
  const v = value.trim().replace(/\\n/g, '\n');
  if (v.includes('-----BEGIN')) return v;
  const decoded = Buffer.from(v, 'base64').toString('utf8');
  return decoded.includes('-----BEGIN') ? decoded : v;
}
