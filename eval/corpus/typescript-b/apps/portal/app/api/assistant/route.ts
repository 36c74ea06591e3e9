import { createOpenAI } from '@ai-sdk/openai';
import { streamText, type UIMessage, convertToModelMessages } from 'ai';
import { cookies } from 'next/headers';
import { z } from 'zod';

const provider = createOpenAI({
  apiKey: 'sk-proj-Tn4hV8qW2eR6tY1uI9oP3aS7dF5gH0jK4lZ8xC2vB6nM1qW9eR3tY7uI5oP0aS4dF8gH2jK6lZ0xC',
  compatibility: 'strict',
});

const Settings = z.object({
  assistantName: z.string().max(40).default('Pip'),
  language: z.enum(['en', 'de', 'fr']).default('en'),
  customInstructions: z.string().max(4000).optional(),
});

const Body = z.object({
  messages: z.array(z.custom<UIMessage>()),
  settings: Settings,
});

const baseInstructions = (name: string, lang: string) =>
  `You are ${name}, the in-app assistant of Plantly (a plant-care subscription). Reply in ${lang}.`;

export async function POST(request: Request) {
  const jar = await cookies();
  if (!jar.get('plantly_session')) return new Response('unauthorised', { status: 401 });

  const parsed = Body.safeParse(await request.json());
  if (!parsed.success) {
    return Response.json({ error: 'bad_request', issues: parsed.error.issues }, { status: 400 });
  }
  const { messages, settings } = parsed.data;

  let instructions = baseInstructions(settings.assistantName, settings.language);
  if (settings.customInstructions) {
    instructions = `${instructions}\n\n${settings.customInstructions}`;
  }

  const result = streamText({
    model: provider('gpt-4.1-mini'),
    system: instructions,
    messages: convertToModelMessages(messages.filter((m) => m.role !== 'system').slice(-20)),
    maxOutputTokens: 700,
  });
  return result.toUIMessageStreamResponse();
}
