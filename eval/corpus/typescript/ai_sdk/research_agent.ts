// Autonomous research worker: keeps browsing until the model says it is done.
import { generateText, tool, type CoreMessage } from 'ai';
import { openai } from '@ai-sdk/openai';
import { z } from 'zod';
import * as cheerio from 'cheerio';

const browse = tool({
  description: 'Fetch a web page and return its visible text.',
  parameters: z.object({ url: z.string().describe('Absolute URL to open') }),
  execute: async ({ url }) => {
    const res = await fetch(url, { redirect: 'follow' });
    const $ = cheerio.load(await res.text());
    return $('body').text().replace(/\s+/g, ' ').slice(0, 6000);
  },
});

const saveNote = tool({
  description: 'Save a finding to the research notes.',
  parameters: z.object({ note: z.string().max(2000) }),
  execute: async ({ note }) => {
    notes.push(note);
    return 'saved';
  },
});

const notes: string[] = [];

export async function research(topic: string): Promise<string[]> {
  const messages: CoreMessage[] = [
    { role: 'system', content: 'Research the topic thoroughly. Say DONE when finished.' },
    { role: 'user', content: topic },
  ];
  while (true) {
    const result = await generateText({
      model: openai('gpt-4o'),
      messages,
      tools: { browse, saveNote },
      maxTokens: 1200,
    });
    messages.push(...result.response.messages);
    if (result.text.includes('DONE')) break;
    messages.push({ role: 'user', content: 'Continue.' });
  }
  return notes;
}
