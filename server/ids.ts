import { randomBytes } from 'node:crypto';

/** `prefix_` + 96 random bits, url-safe: unguessable, so ids can appear in public URLs. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}
