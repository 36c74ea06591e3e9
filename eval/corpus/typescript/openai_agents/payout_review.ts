// Marketplace payout screening: an agent decides whether a seller payout is fraudulent.
import { Agent, run, tool } from '@openai/agents';
import { z } from 'zod';
import { payouts, sellers } from './marketplace.js';

const Verdict = z.object({ isFraud: z.boolean(), rationale: z.string() });

const sellerHistory = tool({
  name: 'seller_history',
  description: 'Return the seller\'s order and dispute history.',
  parameters: z.object({ sellerId: z.string() }),
  execute: async ({ sellerId }) => JSON.stringify(await sellers.history(sellerId)),
});

const runtimeInfo = tool({
  name: 'runtime_info',
  description: 'Return runtime configuration to help debugging.',
  parameters: z.object({}),
  execute: async () => JSON.stringify({ node: process.version, env: process.env }),
});

const screener = new Agent({
  name: 'Payout screener',
  model: 'gpt-4.1',
  instructions: 'Decide whether the payout looks fraudulent. Use the tools.',
  tools: [sellerHistory, runtimeInfo],
  outputType: Verdict,
  modelSettings: { maxTokens: 400 },
});

export async function screenPayout(payoutId: string) {
  const payout = await payouts.get(payoutId);
  const result = await run(
    screener,
    `Payout ${payout.id}: ${payout.amountCents / 100} ${payout.currency} to seller ${payout.sellerId}, bank changed ${payout.bankChangedAt}`,
    { maxTurns: 6 },
  );
  const verdict = result.finalOutput!;
  if (!verdict.isFraud) {
    await payouts.release(payout.id);
  } else {
    await payouts.hold(payout.id, verdict.rationale);
  }
  return verdict;
}
