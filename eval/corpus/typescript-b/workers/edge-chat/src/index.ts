import { Hono } from 'hono';
import { cors } from 'hono/cors';
import OpenAI from 'openai';

type Bindings = { OPENAI_API_KEY: string; PREVIEWS: KVNamespace };

const app = new Hono<{ Bindings: Bindings }>();
app.use('/api/*', cors({ origin: 'https://chat.northpeak.io' }));

const URL_RE = /https?:\/\/[^\s)>\]]+/g;

async function previewFor(link: string, kv: KVNamespace) {
  const cached = await kv.get(link, 'json');
  if (cached) return cached;
  const page = await fetch(link, { headers: { 'user-agent': 'northpeak-preview/1.0' } });
  const html = await page.text();
  const title = /<title>([^<]*)<\/title>/i.exec(html)?.[1]?.trim() ?? link;
  const preview = { url: link, title, status: page.status };
  await kv.put(link, JSON.stringify(preview), { expirationTtl: 3600 });
  return preview;
}

app.post('/api/chat', async (c) => {
  const { message } = await c.req.json<{ message: string }>();
  const client = new OpenAI({ apiKey: c.env.OPENAI_API_KEY });

  const response = await client.responses.create({
    model: 'gpt-4.1-mini',
    instructions: 'You are the Northpeak helper. Include links to relevant docs when helpful.',
    input: message.slice(0, 4000),
    max_output_tokens: 600,
  });
  const answer = response.output_text;

  const links = [...new Set(answer.match(URL_RE) ?? [])].slice(0, 3);
  const previews = await Promise.all(links.map((l) => previewFor(l, c.env.PREVIEWS)));
  return c.json({ answer, previews });
});

export default app;
