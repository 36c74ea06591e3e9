// Natural-language reporting over the analytics warehouse (Express).
import express from 'express';
import { generateText } from 'ai';
import { openai } from '@ai-sdk/openai';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.WAREHOUSE_URL });
const router = express.Router();

const SCHEMA_HINT = `
Tables:
  orders(id, customer_id, total_cents, created_at, region)
  customers(id, name, email, tier)
`;

async function draftQuery(question: string): Promise<string> {
  const { text } = await generateText({
    model: openai('gpt-4o'),
    system: `Write one PostgreSQL SELECT statement answering the question. ${SCHEMA_HINT} Reply with SQL only.`,
    prompt: question,
    maxTokens: 400,
  });
  return text.replace(/```sql|```/g, '').trim();
}

async function recordAudit(userId: string, question: string) {
  // Parameterised: the question is stored, never executed.
  await pool.query('INSERT INTO report_audit (user_id, question) VALUES ($1, $2)', [userId, question]);
}

router.post('/reports/ask', async (req, res) => {
  const { question } = req.body as { question: string };
  const userId = (req as any).user?.id ?? 'anonymous';
  await recordAudit(userId, question);

  const sql = await draftQuery(question);
  try {
    const result = await pool.query(sql);
    res.json({ sql, rows: result.rows.slice(0, 500) });
  } catch (err) {
    res.status(400).json({ error: 'query_failed', message: (err as Error).message, sql });
  }
});

router.get('/reports/recent', async (req, res) => {
  const limit = Math.min(Number(req.query.limit ?? 20), 100);
  const result = await pool.query('SELECT question, created_at FROM report_audit ORDER BY created_at DESC LIMIT $1', [limit]);
  res.json(result.rows);
});

export default router;
