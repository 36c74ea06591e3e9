import type { ScanResult } from '../../engine/types.js';

/** Where the run came from, so the server can tie the scan to a repository and commit. */
export interface UploadContext {
  repository?: string;
  sha?: string;
  ref?: string;
  event?: string;
  pull_request?: number;
  run_url?: string;
}

export interface UploadResponse {
  scan_id: string;
  share_url: string;
  badge_url?: string;
}

export const IMPORT_PATH = '/api/v1/scans/import';
const TIMEOUT_MS = 30_000;
const ATTEMPTS = 3;

/**
 * `POST {api-url}/api/v1/scans/import` with the ScanResult (plus `context`) as JSON and the key in
 * `X-AgentCop-Key`; the server answers `{scan_id, share_url, badge_url}`. Retries what may pass on
 * a second try (network errors, 429, 5xx); anything else is reported at once.
 */
export async function uploadResult(
  api: { url: string; key: string },
  result: ScanResult,
  context: UploadContext,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<UploadResponse> {
  const endpoint = `${api.url.replace(/\/+$/, '')}${IMPORT_PATH}`;
  const body = JSON.stringify({ ...result, context });
  let lastError = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-agentcop-key': api.key, 'user-agent': 'agentcop-scan-action' },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      lastError = `POST ${endpoint}: ${cause?.code ?? cause?.message ?? (err as Error).message}`;
      if (attempt < ATTEMPTS) await wait(1000 * attempt);
      continue;
    }
    const text = await response.text();
    if (response.ok) return parseResponse(endpoint, text);
    lastError = `POST ${endpoint} answered ${response.status}${describeError(text)}`;
    const retriable = response.status === 429 || response.status >= 500;
    if (!retriable || attempt === ATTEMPTS) break;
    const retryAfter = Number(response.headers.get('retry-after'));
    await wait(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, 30) * 1000 : 1000 * attempt);
  }
  throw new Error(lastError);
}

function parseResponse(endpoint: string, text: string): UploadResponse {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`POST ${endpoint} answered with something other than JSON: ${text.slice(0, 200)}`);
  }
  const d = data as Partial<Record<keyof UploadResponse, unknown>> | null;
  if (!d || typeof d.scan_id !== 'string' || typeof d.share_url !== 'string') {
    throw new Error(`POST ${endpoint} answered without scan_id and share_url: ${text.slice(0, 200)}`);
  }
  return { scan_id: d.scan_id, share_url: d.share_url, ...(typeof d.badge_url === 'string' ? { badge_url: d.badge_url } : {}) };
}

/** The API's error shape is `{error, message}`; show its message, else a little of the body. */
function describeError(text: string): string {
  try {
    const e = JSON.parse(text) as { error?: unknown; message?: unknown };
    if (typeof e.message === 'string') return `: ${typeof e.error === 'string' ? `${e.error}: ` : ''}${e.message}`;
  } catch {
    // not JSON: fall through
  }
  return text.trim() ? `: ${text.trim().slice(0, 200)}` : '';
}
