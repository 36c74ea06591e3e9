// Order-status bot: read-only tools, validated input, bounded loop (Anthropic Node SDK).
import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import pg from 'pg';

const client = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY, timeout: 30_000 });
const pool = new pg.Pool({ connectionString: process.env.ORDERS_DB_URL });

const OrderArgs = z.object({ orderId: z.string().regex(/^ORD-\d{6}$/) });

const tools: Anthropic.Tool[] = [
  {
    name: 'get_order',
    description: 'Look up an order by id (format ORD-123456).',
    input_schema: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
  },
];

async function getOrder(raw: unknown, customerId: string) {
  const { orderId } = OrderArgs.parse(raw);
  const { rows } = await pool.query(
    'SELECT id, status, eta FROM orders WHERE id = $1 AND customer_id = $2',
    [orderId, customerId],
  );
  return rows[0] ?? { error: 'not found' };
}

export async function chat(customerId: string, question: string): Promise<string> {
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: question }];
  for (let step = 0; step < 4; step++) {
    const res = await client.messages.create({
      model: 'claude-3-5-haiku-latest',
      max_tokens: 500,
      system: 'You answer questions about the customer\'s own orders. Use get_order for facts.',
      tools,
      messages,
    });
    messages.push({ role: 'assistant', content: res.content });
    if (res.stop_reason !== 'tool_use') {
      return res.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
    }
    const results: Anthropic.ToolResultBlockParam[] = [];
    for (const b of res.content) {
      if (b.type !== 'tool_use') continue;
      const data = await getOrder(b.input, customerId).catch(() => ({ error: 'invalid order id' }));
      results.push({ type: 'tool_result', tool_use_id: b.id, content: JSON.stringify(data) });
    }
    messages.push({ role: 'user', content: results });
  }
  return 'Sorry, I could not finish that request. A human agent will follow up.';
}
