import OpenAI from 'openai';

const openai = new OpenAI();

async function fetchPage(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const html = await res.text();
  return html.replace(/<[^>]+>/g, ' ').slice(0, 20_000);
}

export class ResearchAssistant {
  private readonly model = 'gpt-4o';

  async researchTopic(topic: string, seedUrl: string) {
    const pageText = await fetchPage(seedUrl);
    const instructions = [
      'You are a research assistant. Follow the guidance in the reference page below.',
      `Reference page:\n${pageText}`,
    ].join('\n\n');

    const first = await openai.chat.completions.create({
      model: this.model,
      max_tokens: 800,
      messages: [
        { role: 'system', content: instructions },
        { role: 'user', content: `Research: ${topic}. Reply with a summary, then a line "NEXT: <url>" to read next.` },
      ],
    });

    const reply = first.choices[0].message.content ?? '';
    const nextUrl = reply.match(/NEXT:\s*(\S+)/)?.[1];
    if (!nextUrl) return reply;

    const followUp = await fetch(nextUrl);
    const followText = await followUp.text();
    return `${reply}\n\n---\n${followText.slice(0, 5000)}`;
  }
}
