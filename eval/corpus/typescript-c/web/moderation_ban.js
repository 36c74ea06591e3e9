const express = require('express');
const OpenAI = require('openai');
const { users, posts } = require('../lib/store');

const router = express.Router();
const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, timeout: 20000 });

async function judgePost(text) {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    max_tokens: 5,
    messages: [
      { role: 'system', content: 'Reply BAN if the post violates community rules, otherwise OK.' },
      { role: 'user', content: text },
    ],
  });
  return (completion.choices[0].message.content || '').trim();
}

router.post('/posts', async (req, res) => {
  const author = req.user;
  const body = String(req.body.text || '').slice(0, 5000);
  const verdict = await judgePost(body);

  if (verdict === 'BAN') {
    await users.update(author.id, { banned: true, bannedReason: 'automated moderation' });
    return res.status(403).json({ error: 'account suspended' });
  }

  const post = await posts.create({ authorId: author.id, text: body });
  res.status(201).json(post);
});

module.exports = router;
