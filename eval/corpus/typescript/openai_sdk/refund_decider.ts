// Nightly job: decide pending refund requests and settle them automatically.
import OpenAI from 'openai';
import { Pool } from 'pg';
import { payments } from './payments.js';

const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, timeout: 30_000 });
const pool = new Pool({ connectionString: process.env.DATABASE_URL });

interface RefundRequest {
  id: number;
  order_id: string;
  amount_cents: number;
  reason: string;
  customer_history: string;
}

async function pendingRequests(): Promise<RefundRequest[]> {
  const { rows } = await pool.query<RefundRequest>(
    "SELECT id, order_id, amount_cents, reason, customer_history FROM refund_requests WHERE status = 'pending' LIMIT 200",
  );
  return rows;
}

async function judge(req: RefundRequest): Promise<string> {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    max_tokens: 20,
    temperature: 0,
    messages: [
      { role: 'system', content: 'Reply APPROVE or DENY for this refund request.' },
      { role: 'user', content: `Amount: ${req.amount_cents / 100} EUR\nReason: ${req.reason}\nHistory: ${req.customer_history}` },
    ],
  });
  return completion.choices[0].message.content?.trim().toUpperCase() ?? 'DENY';
}

async function markStatus(id: number, status: string) {
  await pool.query('UPDATE refund_requests SET status = $1, decided_at = now() WHERE id = $2', [status, id]);
}

export async function settlePending() {
  for (const req of await pendingRequests()) {
    const verdict = await judge(req);
    if (verdict.startsWith('APPROVE')) {
      await payments.refund(req.order_id, req.amount_cents);
      await markStatus(req.id, 'refunded');
    } else {
      await markStatus(req.id, 'denied');
    }
  }
}
