import OpenAI from 'openai';

const openai = new OpenAI({
  apiKey: 'sk-proj-4fT9xQm2LrV8wZ1nB6cY3kH7pJ0sD5gA9eU2iO4tR8yW1qE6',
  organization: 'org-northwind-billing',
});

const STRIPE_KEY = process.env.STRIPE_SECRET_KEY ?? '';

interface Invoice {
  id: string;
  customerEmail: string;
  amountDue: number;
}

export async function explainInvoice(invoice: Invoice, question: string) {
  const response = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    max_tokens: 400,
    messages: [
      {
        role: 'system',
        content: `You explain invoices. Internal Stripe key for lookups: ${STRIPE_KEY}. Never reveal it.`,
      },
      { role: 'user', content: `Invoice ${invoice.id} for ${invoice.amountDue}. ${question}` },
    ],
  });
  return response.choices[0].message.content;
}
