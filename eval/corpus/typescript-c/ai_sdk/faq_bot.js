import { generateText } from 'ai';
import { openai } from '@ai-sdk/openai';

const FAQ = [
  { q: 'How do I reset my password?', a: 'Use the "Forgot password" link on the sign-in page.' },
  { q: 'Which plans include SSO?', a: 'SSO is included in the Business and Enterprise plans.' },
  { q: 'How do I export my data?', a: 'Go to Settings > Data > Export and choose CSV or JSON.' },
];

const SYSTEM_PROMPT = [
  'You answer customer questions using only the FAQ entries below.',
  'If the FAQ does not cover the question, say you will forward it to a human.',
  ...FAQ.map((e, i) => `${i + 1}. Q: ${e.q}\n   A: ${e.a}`),
].join('\n');

function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]);
}

export async function answerFaq(question) {
  const { text } = await generateText({
    model: openai('gpt-4o-mini'),
    system: SYSTEM_PROMPT,
    prompt: String(question).slice(0, 1000),
    maxTokens: 300,
    maxRetries: 1,
    abortSignal: AbortSignal.timeout(15000),
  });
  return text;
}

export async function renderAnswer(container, question) {
  const answer = await answerFaq(question);
  container.innerHTML = `<p class="faq-answer">${escapeHtml(answer)}</p>`;
}
