import OpenAI from 'openai';
import { z } from 'zod';
import { Pool } from 'pg';

const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, timeout: 20_000 });
const pool = new Pool({ connectionString: process.env.DATABASE_URL });

const OrderQuery = z.object({
  status: z.enum(['pending', 'shipped', 'delivered', 'cancelled']).nullable(),
  sinceDays: z.number().int().min(1).max(365).default(30),
});

async function extractQuery(text: string) {
  const res = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    max_tokens: 100,
    response_format: { type: 'json_object' },
    messages: [
      { role: 'system', content: 'Extract {"status","sinceDays"} from the request as JSON.' },
      { role: 'user', content: text },
    ],
  });
  return OrderQuery.parse(JSON.parse(res.choices[0].message.content ?? '{}'));
}

export async function findOrders(session: { customerId: string }, request: string) {
  const q = await extractQuery(request.slice(0, 500));
  const { rows } = await pool.query(
    `SELECT id, status, total_cents, created_at
       FROM orders
      WHERE customer_id = $1
        AND ($2::text IS NULL OR status = $2)
        AND created_at > now() - make_interval(days => $3)
      ORDER BY created_at DESC LIMIT 50`,
    [session.customerId, q.status, q.sinceDays],
  );
  return rows;
}
