import type { FastifyRequest } from 'fastify';

/**
 * Absolute URLs for share pages and badges. With `publicUrl` configured (behind a proxy, always set
 * it) they use that; otherwise the address the client used, which is right for direct access.
 */
export function baseUrl(request: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  return `${request.protocol}://${request.host}`;
}

export function scanUrls(request: FastifyRequest, publicUrl: string | undefined, scanId: string): { share_url: string; badge_url: string } {
  const base = baseUrl(request, publicUrl);
  const id = encodeURIComponent(scanId);
  return { share_url: `${base}/scan/${id}`, badge_url: `${base}/api/v1/badge/${id}` };
}
