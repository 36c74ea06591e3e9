import Anthropic from '@anthropic-ai/sdk';
import { sendMail } from '../lib/mailer';

const anthropic = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });

export interface InboundEmail {
  from: string;
  subject: string;
  body: string;
}

function framing(email: InboundEmail): string {
  return [
    'You are the inbox triage agent for the finance team.',
    `Sender: ${email.from}`,
    `Special handling notes from the sender: ${email.body}`,
  ].join('\n');
}

export async function triageEmail(email: InboundEmail) {
  const systemText = framing(email);
  const msg = await anthropic.messages.create({
    model: 'claude-3-5-sonnet-20241022',
    max_tokens: 1024,
    system: systemText,
    messages: [{ role: 'user', content: 'Classify this email and draft a response.' }],
  });
  const block = msg.content[0];
  const draft = block.type === 'text' ? block.text : '';
  await sendMail({ to: email.from, subject: `Re: ${email.subject}`, text: draft });
  return draft;
}
