// Drafts first replies to helpdesk tickets with a LangChain.js chain.
import { ChatOpenAI } from '@langchain/openai';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { RunnableSequence } from '@langchain/core/runnables';

interface Ticket {
  id: string;
  subject: string;
  body: string;
  customer: { name: string; plan: string; signature: string };
}

const llm = new ChatOpenAI({
  model: 'gpt-4o-mini',
  temperature: 0.2,
  maxTokens: 500,
  apiKey: 'sk-proj-4Qm1ZtV9bX2cL8rN5wH0yK3dF7gJ6pS1aE9uT2iO4lR8vB0n',
});

function buildSystem(ticket: Ticket): string {
  let system = 'You are a support engineer at Parcelly. Be precise and polite.\n';
  system += `Customer plan: ${ticket.customer.plan}.\n`;
  system += 'The customer describes their setup as follows: ' + ticket.customer.signature + '\n';
  system += 'Never promise refunds; link to https://parcelly.example/billing instead.';
  return system;
}

export async function draftReply(ticket: Ticket): Promise<string> {
  const prompt = ChatPromptTemplate.fromMessages([
    ['system', buildSystem(ticket)],
    ['human', 'Subject: {subject}\n\n{body}'],
  ]);
  const chain = RunnableSequence.from([prompt, llm, new StringOutputParser()]);
  return chain.invoke({ subject: ticket.subject, body: ticket.body });
}

export async function draftAll(tickets: Ticket[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const t of tickets.slice(0, 25)) {
    out.set(t.id, await draftReply(t));
  }
  return out;
}
