// Webhook signatures: HMAC-SHA256 with the webhook's secret over `${timestamp}.${body}`, sent as
//   X-AgentCop-Timestamp: <unix seconds>
//   X-AgentCop-Signature: sha256=<hex>
// The timestamp is signed too, so a receiver that rejects old timestamps defeats replays.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-agentcop-signature';
export const TIMESTAMP_HEADER = 'x-agentcop-timestamp';

export function sign(secret: string, timestamp: number | string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * For receivers (and tests): checks the signature in constant time and that the timestamp lies
 * within `toleranceSeconds` of now.
 */
export function verifySignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  opts: { toleranceSeconds?: number; now?: number } = {},
): boolean {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  if (Math.abs(now - Number(timestamp)) > (opts.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(sign(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
