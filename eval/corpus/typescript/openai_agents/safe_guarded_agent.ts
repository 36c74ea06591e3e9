// Account-closure agent: guardrail on input, human approval before the destructive tool.
import { Agent, run, tool, type InputGuardrail, InputGuardrailTripwireTriggered } from '@openai/agents';
import { z } from 'zod';
import { accounts } from './accounts.js';

const closeAccount = tool({
  name: 'close_account',
  description: 'Close the signed-in customer\'s account after they confirm.',
  parameters: z.object({ reason: z.string().max(300) }),
  needsApproval: true,
  execute: async ({ reason }, ctx) => accounts.close((ctx!.context as { customerId: string }).customerId, reason),
});

const exportData = tool({
  name: 'export_data',
  description: 'Email the customer a copy of their data.',
  parameters: z.object({}),
  execute: async (_args, ctx) => accounts.exportFor((ctx!.context as { customerId: string }).customerId),
});

const offTopic: InputGuardrail = {
  name: 'off-topic',
  execute: async ({ input }) => {
    const text = typeof input === 'string' ? input : JSON.stringify(input);
    return { outputInfo: null, tripwireTriggered: text.length > 4000 };
  },
};

const agent = new Agent({
  name: 'Account care',
  model: 'gpt-4.1-mini',
  instructions: 'Help customers export their data or close their account. Confirm intent before closing.',
  tools: [closeAccount, exportData],
  inputGuardrails: [offTopic],
  modelSettings: { maxTokens: 500 },
});

export async function handle(customerId: string, message: string, confirm: (what: string) => Promise<boolean>) {
  try {
    let result = await run(agent, message, { context: { customerId }, maxTurns: 5 });
    while (result.interruptions?.length) {
      for (const interruption of result.interruptions) {
        if (await confirm(`${interruption.rawItem.name}: ${interruption.rawItem.arguments}`)) {
          result.state.approve(interruption);
        } else {
          result.state.reject(interruption);
        }
      }
      result = await run(agent, result.state, { maxTurns: 5 });
    }
    return result.finalOutput;
  } catch (err) {
    if (err instanceof InputGuardrailTripwireTriggered) return 'Please shorten your message.';
    throw err;
  }
}
