// Travel assistant with tightly scoped tools (Vercel AI SDK 5).
import { generateText, stepCountIs, tool } from 'ai';
import { openai } from '@ai-sdk/openai';
import { z } from 'zod';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

const ALLOWED_HOSTS = new Set(['api.open-meteo.com', 'geocoding-api.open-meteo.com']);

async function getJson(url: string) {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' || !ALLOWED_HOSTS.has(parsed.hostname)) {
    throw new Error(`host not allowed: ${parsed.hostname}`);
  }
  const res = await fetch(parsed, { signal: AbortSignal.timeout(5000) });
  return res.json();
}

const weather = tool({
  description: 'Current weather for a city.',
  inputSchema: z.object({ city: z.string().min(1).max(80) }),
  execute: async ({ city }) => {
    const geo = await getJson(
      `https://geocoding-api.open-meteo.com/v1/search?count=1&name=${encodeURIComponent(city)}`,
    );
    const place = geo.results?.[0];
    if (!place) return { error: 'unknown city' };
    return getJson(
      `https://api.open-meteo.com/v1/forecast?latitude=${place.latitude}&longitude=${place.longitude}&current_weather=true`,
    );
  },
});

const timezone = tool({
  description: 'Local time in an IANA time zone.',
  inputSchema: z.object({ zone: z.enum(['Europe/Paris', 'America/New_York', 'Asia/Tokyo']) }),
  execute: async ({ zone }) => {
    // Fixed binary, argument from a closed enum, no shell.
    const { stdout } = await execFileAsync('date', ['+%H:%M'], { env: { TZ: zone } });
    return stdout.trim();
  },
});

export async function planTrip(question: string) {
  const { text } = await generateText({
    model: openai('gpt-4o-mini'),
    system: 'You help travellers plan their day. Use the tools for facts; do not guess.',
    prompt: question,
    tools: { weather, timezone },
    stopWhen: stepCountIs(5),
    maxOutputTokens: 800,
  });
  return text;
}
