import { streamText } from 'ai';
import { openai } from '@ai-sdk/openai';

export const runtime = 'edge';

type ChatBody = {
  messages: { role: 'user' | 'assistant'; content: string }[];
  maxTokens?: number;
  agentSteps?: number;
};

const SYSTEM = 'You are a helpful shopping assistant for Northwind.';

export async function POST(req: Request) {
  const body = (await req.json()) as ChatBody;
  const budget = body.maxTokens ?? 4000;
  const steps = body.agentSteps ?? 5;
  const history = body.messages.filter((m) => m.role === 'user' || m.role === 'assistant');

  const result = streamText({
    model: openai('gpt-4o'),
    system: SYSTEM,
    messages: history,
    maxTokens: budget,
    maxSteps: steps,
  });

  return result.toDataStreamResponse();
}
