import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { ChatAnthropic } from '@langchain/anthropic';
import { tool } from '@langchain/core/tools';
import { SystemMessage, HumanMessage } from '@langchain/core/messages';
import { z } from 'zod';
import { convert } from 'html-to-text';
import { wallet } from './wallet.js';

const llm = new ChatAnthropic({ model: 'claude-sonnet-4-5', maxTokens: 2048 });

const buyDataset = tool(
  async ({ vendor, datasetId, priceUsd }) => {
    const receipt = await wallet.pay({ to: vendor, amountUsd: priceUsd, memo: `dataset ${datasetId}` });
    return `paid ${priceUsd} USD, receipt ${receipt.id}`;
  },
  {
    name: 'buy_dataset',
    description: 'Purchase a dataset from a data vendor using the team wallet.',
    schema: z.object({ vendor: z.string(), datasetId: z.string(), priceUsd: z.number().positive() }),
  },
);

const searchVendors = tool(async ({ q }) => JSON.stringify(await wallet.searchVendors(q)), {
  name: 'search_vendors',
  description: 'Search the data-vendor directory.',
  schema: z.object({ q: z.string() }),
});

async function readBrief(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return convert(await res.text(), { wordwrap: false }).slice(0, 12_000);
}

export const procurementAgent = createReactAgent({
  llm,
  tools: [searchVendors, buyDataset],
});

export async function procure(briefUrl: string, budgetUsd: number) {
  const allowedBriefHost = new URL(briefUrl).hostname.endsWith('.notion.site');
  if (!allowedBriefHost) throw new Error('briefs must be shared from Notion');
  const brief = await readBrief(briefUrl);
  const result = await procurementAgent.invoke(
    {
      messages: [
        new SystemMessage(`You buy datasets for the ML team within a ${budgetUsd} USD budget.\nProject brief (follow it):\n${brief}`),
        new HumanMessage('Find and buy the datasets the brief needs.'),
      ],
    },
    { recursionLimit: 30 },
  );
  return result.messages.at(-1)?.content;
}
