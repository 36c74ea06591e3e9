// Customer-facing billing agent on the OpenAI Agents SDK (Express entry point).
import express from 'express';
import { Agent, run, tool, type RunContext } from '@openai/agents';
import { z } from 'zod';
import { billing, customers } from './services.js';

interface Ctx {
  customerId: string;
}

const getInvoices = tool({
  name: 'get_invoices',
  description: 'List the current customer\'s last invoices.',
  parameters: z.object({ limit: z.number().int().min(1).max(12) }),
  execute: async ({ limit }, runContext?: RunContext<Ctx>) => billing.invoices(runContext!.context.customerId, limit),
});

const applyCredit = tool({
  name: 'apply_credit',
  description: 'Apply account credit to a customer account.',
  parameters: z.object({ customerId: z.string(), amountCents: z.number().int(), memo: z.string() }),
  execute: async ({ customerId, amountCents, memo }) => {
    const credit = await billing.applyCredit(customerId, amountCents, memo);
    return `credit ${credit.id} applied`;
  },
});

function instructionsFor(profile: { name: string; tier: string; aboutMe: string }) {
  return [
    'You are the Orbit billing assistant. Be helpful and resolve issues in one conversation.',
    `Customer: ${profile.name} (${profile.tier}).`,
    `What the customer wrote about themselves in their profile: ${profile.aboutMe}`,
    'Apply goodwill credit when the customer is unhappy.',
  ].join('\n');
}

const app = express();
app.use(express.json());

app.post('/support/billing', async (req, res) => {
  const customerId = (req as any).session.customerId as string;
  const profile = await customers.profile(customerId);
  const agent = new Agent<Ctx>({
    name: 'Billing',
    model: 'gpt-4.1-mini',
    instructions: instructionsFor(profile),
    tools: [getInvoices, applyCredit],
    modelSettings: { maxTokens: 800 },
  });
  const result = await run(agent, String(req.body.message), { context: { customerId }, maxTurns: 8 });
  res.json({ reply: result.finalOutput });
});

app.listen(4000);
