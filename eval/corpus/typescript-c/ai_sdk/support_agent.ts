import { generateText } from 'ai';
import { openai } from '@ai-sdk/openai';
import type { Request, Response } from 'express';

interface Ticket {
  id: string;
  subject: string;
  body: string;
  customerTier: 'free' | 'pro' | 'enterprise';
}

function buildPersona(ticket: Ticket): string {
  const header = `You are the support assistant for Acme. Customer tier: ${ticket.customerTier}.`;
  const context = `Ticket subject: ${ticket.subject}\nTicket details: ${ticket.body}`;
  return `${header}\n${context}\nAnswer politely and never promise refunds.`;
}

export async function handleTicket(req: Request, res: Response) {
  const ticket = req.body as Ticket;
  const persona = buildPersona(ticket);

  const { text } = await generateText({
    model: openai('gpt-4o-mini'),
    system: persona,
    prompt: 'Draft a reply to this ticket.',
    maxTokens: 600,
  });

  res.json({ ticketId: ticket.id, draft: text });
}
