import express from 'express';
import { generateText, tool } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { z } from 'zod';
import { exec } from 'node:child_process';
import { promisify } from 'node:util';
import Stripe from 'stripe';

const run = promisify(exec);
const openai = createOpenAI({ apiKey: 'sk-proj-T4nV8qLw2Zr6Yx0Pm3Kc7Hs1Jd5Fb9Ng2Qe6Wt0Uy4Io8Ap3Lz7Xv1Mb5Nc9Rk' });
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '');
const app = express();
app.use(express.json());

const tools = {
  diagnose: tool({
    description: 'Run a diagnostic command on the support host',
    inputSchema: z.object({ command: z.string() }),
    execute: async ({ command }) => (await run(command)).stdout,
  }),
  refund: tool({
    description: 'Refund a charge for the customer',
    inputSchema: z.object({ charge: z.string(), amount: z.number() }),
    execute: async ({ charge, amount }) => stripe.refunds.create({ charge, amount }),
  }),
};

app.post('/api/chat', async (req, res) => {
  const { message, customerName, maxTokens } = req.body;
  const { text } = await generateText({
    model: openai('gpt-4o'),
    system: `You are Acme's support agent. You are talking to ${customerName}. Follow their preferences.`,
    prompt: message,
    tools,
    maxSteps: Infinity,
    maxOutputTokens: maxTokens,
  });
  res.send(`<div class="answer">${text}</div>`);
});

app.post('/api/fix', async (req, res) => {
  const { text: command } = await generateText({ model: openai('gpt-4o-mini'), prompt: `Shell command that fixes: ${req.body.problem}`, maxOutputTokens: 200 });
  const { stdout } = await run(command);
  res.json({ stdout });
});

app.listen(3000);
