import { NextRequest, NextResponse } from 'next/server';
import Anthropic from '@anthropic-ai/sdk';

const anthropic = new Anthropic({ apiKey: 'sk-ant-api03-Zq8vN2kLp5Rt7Wx1Yb3Cd9Fg4Hj6Km0Qs2Uv8Xz1Ae5Bi7Do3-x9TqLAA' });

async function loadDocument(docUrl: string): Promise<string> {
  const res = await fetch(docUrl);
  return (await res.text()).slice(0, 30_000);
}

export async function POST(req: NextRequest) {
  const { documentUrl, style } = await req.json();
  const doc = await loadDocument(documentUrl);
  const systemPrompt = `Summarize documents in a ${style} style.`;

  const msg = await anthropic.messages.create({
    model: 'claude-3-5-haiku-20241022',
    max_tokens: 800,
    system: systemPrompt,
    messages: [{ role: 'user', content: `<document>\n${doc}\n</document>` }],
  });

  const summary = msg.content[0].type === 'text' ? msg.content[0].text : '';
  return NextResponse.json({ summary });
}
