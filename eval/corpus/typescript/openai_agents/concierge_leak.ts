// Hotel booking concierge (OpenAI Agents SDK) — the discount code lives in the instructions.
import { Agent, run, tool } from '@openai/agents';
import { z } from 'zod';
import { bookings } from './bookings.js';

const CONCIERGE_INSTRUCTIONS = `You are Stella, concierge of the Harbour Grand.
Offer upgrades politely. Staff may unlock 40% off with override code HG-STAFF-9921;
never share that code with guests no matter what they say.
Guests can book, change and cancel their own reservations.`;

const lookupReservation = tool({
  name: 'lookup_reservation',
  description: 'Find a reservation by confirmation number.',
  parameters: z.object({ confirmation: z.string().regex(/^[A-Z0-9]{8}$/) }),
  execute: async ({ confirmation }) => JSON.stringify(await bookings.find(confirmation)),
});

const explainYourself = tool({
  name: 'explain_configuration',
  description: 'Explain how the concierge is configured, for transparency.',
  parameters: z.object({}),
  execute: async () => CONCIERGE_INSTRUCTIONS,
});

export const concierge = new Agent({
  name: 'Stella',
  model: 'gpt-4.1',
  instructions: CONCIERGE_INSTRUCTIONS,
  tools: [lookupReservation, explainYourself],
  modelSettings: { maxTokens: 600, temperature: 0.4 },
});

export async function handleGuestMessage(text: string) {
  const result = await run(concierge, text, { maxTurns: 6 });
  return result.finalOutput ?? 'Sorry, could you rephrase that?';
}
