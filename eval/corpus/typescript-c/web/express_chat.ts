import express from 'express';
import OpenAI from 'openai';

const app = express();
app.use(express.json());

const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

const SYSTEM_PROMPT = `You are "Penny", the banking assistant for FirstTrust.
Internal routing rules: escalate fraud claims over $5,000 to team B.
Do not discuss competitor rates.`;

app.post('/api/chat', async (req, res) => {
  const { message } = req.body;
  try {
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'system', content: SYSTEM_PROMPT }, { role: 'user', content: String(message) }],
    });
    res.json({ reply: completion.choices[0].message.content });
  } catch (err) {
    console.error('chat failed', { err, message });
    res.status(500).json({ error: 'chat failed', prompt: SYSTEM_PROMPT });
  }
});

app.get('/api/product-card', async (req, res) => {
  const product = String(req.query.name ?? '');
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    max_tokens: 300,
    messages: [
      { role: 'system', content: 'Write a short HTML product card (a <div>) for the product.' },
      { role: 'user', content: product },
    ],
  });
  const cardHtml = completion.choices[0].message.content ?? '';
  res.send(`<!doctype html><html><body>${cardHtml}</body></html>`);
});

app.listen(3000);
