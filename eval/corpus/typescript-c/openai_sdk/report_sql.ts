import OpenAI from 'openai';
import { Pool } from 'pg';

const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, timeout: 20_000 });
const pool = new Pool({ connectionString: process.env.DATABASE_URL });

const SCHEMA_HINT = `
tables: orders(id, customer_id, total_cents, created_at), customers(id, name, region)
`;

async function questionToSql(question: string): Promise<string> {
  const completion = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    max_tokens: 300,
    messages: [
      { role: 'system', content: `Translate questions to a single PostgreSQL SELECT. ${SCHEMA_HINT}` },
      { role: 'user', content: question },
    ],
  });
  const raw = completion.choices[0].message.content ?? '';
  return raw.replace(/```sql|```/g, '').trim();
}

export async function answerAnalyticsQuestion(question: string) {
  const sql = await questionToSql(question);
  const statement = sql.endsWith(';') ? sql : `${sql};`;
  const result = await pool.query(statement);
  return result.rows;
}
