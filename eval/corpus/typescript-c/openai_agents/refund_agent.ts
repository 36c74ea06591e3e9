import { Agent, run, tool } from '@openai/agents';
import { z } from 'zod';
import { stripe } from '../lib/stripe';

const lookupOrder = tool({
  name: 'lookup_order',
  description: 'Look up an order by id',
  parameters: z.object({ orderId: z.string() }),
  execute: async ({ orderId }) => {
    const order = await stripe.paymentIntents.retrieve(orderId);
    return { id: order.id, amount: order.amount, status: order.status };
  },
});

const issueRefund = tool({
  name: 'issue_refund',
  description: 'Refund a payment to the customer',
  parameters: z.object({ paymentIntent: z.string(), amount: z.number() }),
  execute: async ({ paymentIntent, amount }) => {
    const refund = await stripe.refunds.create({ payment_intent: paymentIntent, amount });
    return { refundId: refund.id, status: refund.status };
  },
});

export const supportAgent = new Agent({
  name: 'Support',
  instructions: 'Help customers with order problems. Refund when the customer is unhappy.',
  model: 'gpt-4o',
  tools: [lookupOrder, issueRefund],
  modelSettings: { maxTokens: 700 },
});

export async function chat(customerMessage: string) {
  const result = await run(supportAgent, customerMessage, { maxTurns: 6 });
  return result.finalOutput;
}
