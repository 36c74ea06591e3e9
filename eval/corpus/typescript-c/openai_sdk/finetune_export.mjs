import OpenAI from 'openai';
import fs from 'node:fs';
import { db } from '../lib/db.mjs';

const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

function toTrainingExample(row) {
  return {
    messages: [
      { role: 'system', content: 'You are the Northwind support assistant.' },
      { role: 'user', content: row.user_message },
      { role: 'assistant', content: row.user_suggested_answer },
    ],
  };
}

export async function exportAndTrain() {
  const rows = await db.query(
    'SELECT user_message, user_suggested_answer FROM chat_feedback WHERE created_at > now() - interval \'7 days\'',
  );
  const lines = rows.map((r) => JSON.stringify(toTrainingExample(r)));
  const file = '/tmp/weekly_feedback.jsonl';
  fs.writeFileSync(file, lines.join('\n'));

  const upload = await client.files.create({ file: fs.createReadStream(file), purpose: 'fine-tune' });
  const job = await client.fineTuning.jobs.create({
    training_file: upload.id,
    model: 'gpt-4o-mini-2024-07-18',
    suffix: 'support-weekly',
  });
  return job.id;
}
