import { generateText } from 'ai';
import { openai } from '@ai-sdk/openai';
import { db } from '../lib/db';
import { payments } from '../lib/payments';

interface RefundRequest {
  orderId: string;
  customerId: string;
  reason: string;
  amountCents: number;
}

async function askModel(req: RefundRequest): Promise<string> {
  const { text } = await generateText({
    model: openai('gpt-4o-mini'),
    system: 'Decide whether a refund request is legitimate. Reply APPROVE or DENY.',
    prompt: `Order ${req.orderId}, amount ${req.amountCents} cents. Reason: ${req.reason}`,
    maxTokens: 10,
  });
  return text.trim().toUpperCase();
}

export async function triageRefund(req: RefundRequest) {
  const verdict = await askModel(req);
  const approved = verdict.startsWith('APPROVE');

  if (approved) {
    await payments.refund(req.orderId, req.amountCents);
    await db.refunds.insert({ orderId: req.orderId, status: 'refunded', by: 'ai' });
  } else {
    await db.refunds.insert({ orderId: req.orderId, status: 'denied', by: 'ai' });
  }
  return { orderId: req.orderId, approved };
}
