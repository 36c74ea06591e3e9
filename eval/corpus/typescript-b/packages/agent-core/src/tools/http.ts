import { tool } from 'ai';
import { z } from 'zod';

const ALLOWED_HOSTS = ['api.github.com', 'registry.npmjs.org', 'api.open-meteo.com'] as const;
const MAX_BYTES = 200_000;

function assertAllowed(raw: string): URL {
  const url = new URL(raw);
  if (url.protocol !== 'https:') throw new Error('only https is allowed');
  if (!(ALLOWED_HOSTS as readonly string[]).includes(url.hostname)) {
    throw new Error(`host ${url.hostname} is not on the allow-list`);
  }
  return url;
}

async function readLimited(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done || !value) break;
    total += value.byteLength;
    if (total > MAX_BYTES) {
      await reader.cancel();
      break;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

export const httpGet = tool({
  description: `GET a JSON document from one of: ${ALLOWED_HOSTS.join(', ')}.`,
  inputSchema: z.object({ url: z.string().url() }),
  execute: async ({ url }) => {
    const target = assertAllowed(url);
    const res = await fetch(target, { redirect: 'error', signal: AbortSignal.timeout(8_000) });
    return { status: res.status, body: await readLimited(res) };
  },
});

export const openIssue = tool({
  description: 'Open a GitHub issue in the team tracker (asks the user to confirm first).',
  inputSchema: z.object({ title: z.string().max(120), body: z.string().max(5_000) }),
  needsApproval: true,
  execute: async ({ title, body }) => {
    const res = await fetch('https://api.github.com/repos/plantly/tracker/issues', {
      method: 'POST',
      headers: { authorization: `Bearer ${process.env.GITHUB_TOKEN}`, accept: 'application/vnd.github+json' },
      body: JSON.stringify({ title, body }),
    });
    return { status: res.status };
  },
});
