import { generateText } from 'ai';
import { openai } from '@ai-sdk/openai';
import { NextResponse } from 'next/server';
import { extractText } from '@/lib/pdf';

export const maxDuration = 300;

const CHUNK = 6_000;

function split(text: string): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += CHUNK) parts.push(text.slice(i, i + CHUNK));
  return parts;
}

async function summarisePart(part: string, index: number) {
  const { text } = await generateText({
    model: openai('gpt-4.1-mini'),
    system: 'Summarise this section of a plant-care manual in three sentences.',
    prompt: part,
    maxOutputTokens: 250,
  });
  return `(${index + 1}) ${text}`;
}

export async function POST(request: Request) {
  const form = await request.formData();
  const file = form.get('manual');
  if (!(file instanceof File)) {
    return NextResponse.json({ error: 'missing_file' }, { status: 400 });
  }
  const text = await extractText(Buffer.from(await file.arrayBuffer()));
  const parts = split(text);
  const partials = await Promise.all(parts.map((p, i) => summarisePart(p, i)));
  const { text: overall } = await generateText({
    model: openai('gpt-4.1-mini'),
    system: 'Merge these section summaries into one overview.',
    prompt: partials.join('\n'),
    maxOutputTokens: 600,
  });
  return NextResponse.json({ sections: partials.length, overall });
}
