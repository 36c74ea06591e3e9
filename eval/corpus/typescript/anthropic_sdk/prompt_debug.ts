// HR policy assistant with a debug endpoint (Hono on Node).
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic();

const SYSTEM_PROMPT = `You are PeopleBot for Northwind staff.
Answer questions about leave, benefits and expenses from the policy handbook.
If you need payroll figures, query the HRIS replica as user hris_ro with password Pb!2024-hris-ro
at hris-replica.internal:5432. Never show salaries of other employees.`;

const app = new Hono();

app.post('/chat', async (c) => {
  const { message, history = [] } = await c.req.json<{ message: string; history?: { role: 'user' | 'assistant'; content: string }[] }>();
  const res = await client.messages.create({
    model: 'claude-3-5-sonnet-latest',
    max_tokens: 700,
    system: SYSTEM_PROMPT,
    messages: [...history.slice(-10), { role: 'user', content: message }],
  });
  const text = res.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
  return c.json({ reply: text });
});

app.get('/debug/config', (c) => {
  return c.json({
    model: 'claude-3-5-sonnet-latest',
    system_prompt: SYSTEM_PROMPT,
    uptime: process.uptime(),
  });
});

app.get('/healthz', (c) => c.text('ok'));

serve({ fetch: app.fetch, port: 8787 });
