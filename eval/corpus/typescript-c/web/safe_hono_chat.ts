import { Hono } from 'hono';
import { generateText, stepCountIs } from 'ai';
import { openai } from '@ai-sdk/openai';
import { z } from 'zod';
import { requireUser } from '../lib/auth';

const app = new Hono();

const ChatInput = z.object({
  message: z.string().min(1).max(4000),
});

const SYSTEM = 'You are a helpful assistant for the Acme help center. Keep answers short.';

const MAX_OUTPUT_TOKENS = 512;

app.post('/chat', requireUser, async (c) => {
  const parsed = ChatInput.safeParse(await c.req.json());
  if (!parsed.success) {
    return c.json({ error: 'invalid input' }, 400);
  }
  const user = c.get('user');

  try {
    const { text } = await generateText({
      model: openai('gpt-4o-mini'),
      system: SYSTEM,
      messages: [{ role: 'user', content: parsed.data.message }],
      maxOutputTokens: MAX_OUTPUT_TOKENS,
      stopWhen: stepCountIs(1),
      abortSignal: AbortSignal.timeout(20_000),
    });
    console.info('chat ok', { userId: user.id, chars: text.length });
    return c.json({ reply: text });
  } catch (err) {
    console.error('chat error', { userId: user.id, error: (err as Error).message });
    return c.json({ error: 'temporarily unavailable' }, 503);
  }
});

export default app;
