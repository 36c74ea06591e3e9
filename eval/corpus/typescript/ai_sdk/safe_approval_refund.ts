// Refund assistant for the support console: the agent proposes, a human approves (AI SDK 6).
import { convertToModelMessages, streamText, stepCountIs, tool, type UIMessage } from 'ai';
import { openai } from '@ai-sdk/openai';
import { z } from 'zod';
import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const MAX_REFUND_CENTS = 20_000;

const lookupCharge = tool({
  description: 'Look up a charge by id.',
  inputSchema: z.object({ chargeId: z.string().regex(/^ch_[A-Za-z0-9]+$/) }),
  execute: async ({ chargeId }) => {
    const charge = await stripe.charges.retrieve(chargeId);
    return { amount: charge.amount, refunded: charge.amount_refunded, customer: charge.customer };
  },
});

const issueRefund = tool({
  description: 'Refund part or all of a charge. Requires agent approval in the console.',
  inputSchema: z.object({
    chargeId: z.string().regex(/^ch_[A-Za-z0-9]+$/),
    amountCents: z.number().int().positive().max(MAX_REFUND_CENTS),
    reason: z.enum(['duplicate', 'fraudulent', 'requested_by_customer']),
  }),
  needsApproval: true,
  execute: async ({ chargeId, amountCents, reason }) => {
    const refund = await stripe.refunds.create({ charge: chargeId, amount: amountCents, reason });
    return { refundId: refund.id, status: refund.status };
  },
});

export async function POST(req: Request) {
  const { messages } = (await req.json()) as { messages: UIMessage[] };
  const result = streamText({
    model: openai('gpt-4o'),
    system:
      'You assist support agents with refunds. Explain your reasoning. Refunds are executed only after the agent approves them.',
    // Only user/assistant turns from the browser; the system turn is ours.
    messages: convertToModelMessages(messages.filter((m) => m.role !== 'system')),
    tools: { lookupCharge, issueRefund },
    stopWhen: stepCountIs(6),
    maxOutputTokens: 700,
  });
  return result.toUIMessageStreamResponse();
}
