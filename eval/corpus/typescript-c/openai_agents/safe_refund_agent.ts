import { Agent, run, tool } from '@openai/agents';
import { z } from 'zod';
import { stripe } from '../lib/stripe';

const MAX_REFUND_CENTS = 5_000;

const issueRefund = tool({
  name: 'issue_refund',
  description: 'Refund a payment. Requires a human approver before it executes.',
  parameters: z.object({ paymentIntent: z.string(), amount: z.number().int().positive().max(MAX_REFUND_CENTS) }),
  needsApproval: true,
  execute: async ({ paymentIntent, amount }) => {
    const refund = await stripe.refunds.create({ payment_intent: paymentIntent, amount });
    return { refundId: refund.id };
  },
});

const agent = new Agent({
  name: 'Refunds',
  instructions: 'Help with refunds. Every refund is reviewed by a human before it is paid.',
  model: 'gpt-4o-mini',
  tools: [issueRefund],
  modelSettings: { maxTokens: 600 },
});

export async function handleRefundChat(
  message: string,
  approve: (toolName: string, args: unknown) => Promise<boolean>,
) {
  let result = await run(agent, message, { maxTurns: 5 });
  while (result.interruptions?.length) {
    for (const interruption of result.interruptions) {
      const ok = await approve(interruption.rawItem.name, interruption.rawItem.arguments);
      if (ok) result.state.approve(interruption);
      else result.state.reject(interruption);
    }
    result = await run(agent, result.state, { maxTurns: 5 });
  }
  return result.finalOutput;
}
