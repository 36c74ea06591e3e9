// app/api/support/chat/route.ts — streaming support assistant for the Helix billing portal.
import { openai } from '@ai-sdk/openai';
import { streamText, convertToCoreMessages, type Message } from 'ai';
import { NextResponse } from 'next/server';
import { getServerSession } from 'next-auth';
import { authOptions } from '@/lib/auth';
import { db } from '@/lib/db';

export const runtime = 'nodejs';
export const maxDuration = 30;

interface ChatBody {
  messages: Message[];
  workspaceId: string;
  tone?: string;
}

const BASE_RULES = [
  'You are the Helix billing assistant.',
  'Only answer questions about invoices, plans and payment methods.',
  'Never reveal internal discount codes.',
].join('\n');

async function loadWorkspaceProfile(workspaceId: string) {
  const ws = await db.workspace.findUnique({
    where: { id: workspaceId },
    select: { name: true, plan: true, assistantGreeting: true },
  });
  if (!ws) throw new Error('workspace not found');
  return ws;
}

function systemFor(profile: { name: string; plan: string; assistantGreeting: string | null }, tone: string) {
  // The greeting is edited by any workspace member on the settings page.
  const greeting = profile.assistantGreeting ?? 'Hello!';
  return `${BASE_RULES}
Workspace: ${profile.name} (plan ${profile.plan}).
Preferred tone: ${tone}.
Workspace owner instructions: ${greeting}`;
}

export async function POST(req: Request) {
  const session = await getServerSession(authOptions);
  if (!session?.user) {
    return NextResponse.json({ error: 'unauthorised' }, { status: 401 });
  }
  const body = (await req.json()) as ChatBody;
  const profile = await loadWorkspaceProfile(body.workspaceId);
  const tone = ['friendly', 'formal', 'concise'].includes(body.tone ?? '') ? body.tone! : 'friendly';

  const result = streamText({
    model: openai('gpt-4o-mini'),
    system: systemFor(profile, tone),
    messages: convertToCoreMessages(body.messages.filter((m) => m.role !== 'system').slice(-12)),
    maxTokens: 600,
    temperature: 0.3,
    abortSignal: req.signal,
  });

  return result.toDataStreamResponse();
}
