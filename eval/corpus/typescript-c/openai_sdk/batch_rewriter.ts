import OpenAI from 'openai';
import { readFile, writeFile } from 'node:fs/promises';

const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

interface Draft {
  id: string;
  text: string;
}

async function improve(text: string): Promise<{ text: string; done: boolean }> {
  const res = await client.chat.completions.create({
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: 'Improve the draft. If it is already perfect, reply exactly DONE.' },
      { role: 'user', content: text },
    ],
  });
  const out = res.choices[0].message.content ?? '';
  return { text: out === 'DONE' ? text : out, done: out === 'DONE' };
}

export async function polishAll(inputPath: string, outputPath: string) {
  const drafts: Draft[] = JSON.parse(await readFile(inputPath, 'utf8'));
  for (const draft of drafts) {
    let current = draft.text;
    let done = false;
    while (!done) {
      const step = await improve(current);
      current = step.text;
      done = step.done;
    }
    draft.text = current;
  }
  await writeFile(outputPath, JSON.stringify(drafts, null, 2));
}
