import OpenAI, { toFile } from 'openai';
import { NextResponse } from 'next/server';
import { kv } from '@vercel/kv';

const openai = new OpenAI();

type Feedback = {
  rating: 'up' | 'down';
  conversation: { role: 'user' | 'assistant'; content: string }[];
  correctedAnswer?: string;
};

const DATASET_KEY = 'finetune:plantly-assistant';
const BATCH_SIZE = 500;

export async function POST(req: Request) {
  const fb = (await req.json()) as Feedback;
  if (!Array.isArray(fb.conversation) || fb.conversation.length === 0) {
    return NextResponse.json({ error: 'empty_conversation' }, { status: 400 });
  }
  const messages = [...fb.conversation];
  if (fb.rating === 'down' && fb.correctedAnswer) {
    messages[messages.length - 1] = { role: 'assistant', content: fb.correctedAnswer };
  }
  const size = await kv.rpush(DATASET_KEY, JSON.stringify({ messages }));

  if (size >= BATCH_SIZE) {
    const lines = (await kv.lrange<string>(DATASET_KEY, 0, -1)).join('\n');
    const file = await openai.files.create({ file: await toFile(Buffer.from(lines), 'train.jsonl'), purpose: 'fine-tune' });
    await openai.fineTuning.jobs.create({ model: 'gpt-4.1-mini-2025-04-14', training_file: file.id, suffix: 'plantly' });
    await kv.del(DATASET_KEY);
  }
  return NextResponse.json({ ok: true });
}
