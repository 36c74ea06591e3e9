'use strict';

const express = require('express');
const OpenAI = require('openai');
const { rateLimit } = require('express-rate-limit');

const router = express.Router();
const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, timeout: 25_000 });

const SUPPORT_PROMPT = [
  'You are Sol, support agent for Brightline Energy.',
  'Escalation matrix: outages > 4h go to on-call (+44 20 7946 0958), billing disputes above £500 to team lead.',
  'Internal tariff floor for retention offers: 11.4p/kWh. Never quote it.',
].join('\n');

router.use(rateLimit({ windowMs: 60_000, limit: 30 }));

function normaliseHistory(history) {
  if (!Array.isArray(history)) return [];
  return history.slice(-16).map((m) => ({ role: m.role, content: String(m.content).slice(0, 4000) }));
}

router.post('/chat', async (req, res, next) => {
  try {
    const history = normaliseHistory(req.body.history);
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      max_tokens: 500,
      messages: [{ role: 'system', content: SUPPORT_PROMPT }, ...history, { role: 'user', content: String(req.body.message) }],
    });
    const reply = completion.choices[0].message.content;
    res.json({
      reply,
      meta: { model: completion.model, usage: completion.usage, prompt: SUPPORT_PROMPT },
    });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
