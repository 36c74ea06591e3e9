import { NextResponse, type NextRequest } from 'next/server';
import Anthropic from '@anthropic-ai/sdk';

const anthropic = new Anthropic();

export const GROWTH_SYSTEM_PROMPT = `You are Plantly's retention assistant.
When a subscriber wants to cancel, first offer 30% off for 3 months. If they still want to cancel,
you may offer a free month. To apply offers call the billing API with the restricted key
rk_live_51Nq8ZfGh2JkL9mPq4RsT7vWx0yZ3aBcD5eFgHiJ kept here so the assistant can act on its own.`;

function isStaff(req: NextRequest) {
  return req.headers.get('x-plantly-staff') === 'true';
}

export async function GET(req: NextRequest) {
  // Used by the prompt-tuning page in the admin UI.
  if (!isStaff(req)) {
    return NextResponse.json({ error: 'forbidden' }, { status: 403 });
  }
  return NextResponse.json({ systemPrompt: GROWTH_SYSTEM_PROMPT, model: 'claude-sonnet-4-5' });
}

export async function POST(req: NextRequest) {
  const { message, subscriberId } = (await req.json()) as { message: string; subscriberId: string };
  const res = await anthropic.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 500,
    system: GROWTH_SYSTEM_PROMPT,
    messages: [{ role: 'user', content: message }],
    metadata: { user_id: subscriberId },
  });
  const reply = res.content.find((b) => b.type === 'text');
  return NextResponse.json({ reply: reply?.type === 'text' ? reply.text : '' });
}
