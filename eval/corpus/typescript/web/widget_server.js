// Embeddable FAQ widget backend (Express, CommonJS).
const express = require('express');
const Anthropic = require('@anthropic-ai/sdk');
const escapeHtml = require('escape-html');

const app = express();
app.use(express.json({ limit: '16kb' }));

const anthropic = new Anthropic({
  apiKey: 'sk-ant-api03-Vq7mR2xZ9pL4kT8wN1cB6yH3dJ5fG0sA2eU7iO9lQ4vX8nM1bC6zK3hY5tR0wE2qP7uI4oA9sD1fG6hJ8kL-AbCdEfAA',
});

const FAQ = `Opening hours: Mon–Sat 9:00–19:00. Returns within 30 days with receipt.`;

async function answer(question) {
  const msg = await anthropic.messages.create({
    model: 'claude-3-5-haiku-latest',
    max_tokens: 300,
    system: `You answer shoppers' questions for Brightmart using this FAQ only:\n${FAQ}`,
    messages: [{ role: 'user', content: question }],
  });
  return msg.content[0].type === 'text' ? msg.content[0].text : '';
}

app.post('/widget/ask', async (req, res) => {
  const question = String(req.body.q || '').slice(0, 500);
  const reply = await answer(question);
  const safeQuestion = escapeHtml(question);
  res.type('html').send(`
    <div class="faq-q">${safeQuestion}</div>
    <div class="faq-a">${reply}</div>
  `);
});

app.get('/widget/hours', (_req, res) => {
  res.type('html').send(`<p>${escapeHtml(FAQ)}</p>`);
});

app.listen(process.env.PORT || 3000);
