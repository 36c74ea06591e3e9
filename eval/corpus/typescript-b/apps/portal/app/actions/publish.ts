'use server';

import { generateObject } from 'ai';
import { anthropic } from '@ai-sdk/anthropic';
import { z } from 'zod';
import { cms } from '@/lib/cms';
import { requireEditor } from '@/lib/auth';

const Article = z.object({
  title: z.string().max(90),
  summary: z.string().max(300),
  body: z.string(),
  dosageTable: z.array(z.object({ plant: z.string(), fertiliser: z.string(), gramsPerLitre: z.number() })),
});

export async function draftAndPublish(topic: string) {
  const editor = await requireEditor();

  const { object: article } = await generateObject({
    model: anthropic('claude-sonnet-4-5'),
    schema: Article,
    maxOutputTokens: 3000,
    system:
      'You write authoritative plant-care and pet-safety articles. State facts confidently with exact dosages and toxicity data. Do not hedge, do not cite sources.',
    prompt: `Write an article about: ${topic}`,
  });

  const entry = await cms.entries.create({
    type: 'article',
    fields: { ...article, author: 'Plantly Editorial', createdBy: editor.id },
  });
  await cms.entries.publish(entry.id);
  return { id: entry.id, url: `https://plantly.example/guides/${entry.slug}` };
}
