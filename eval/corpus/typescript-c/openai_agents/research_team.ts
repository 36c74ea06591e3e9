import { Agent, run, tool, webSearchTool } from '@openai/agents';
import { z } from 'zod';

type Job = { topic: string; audience: string; depth?: number };

const saveNote = tool({
  name: 'save_note',
  description: 'Save a short research note',
  parameters: z.object({ note: z.string().max(2000) }),
  execute: async ({ note }) => {
    notes.push(note);
    return 'saved';
  },
});

const notes: string[] = [];

function makeResearcher(job: Job) {
  return new Agent({
    name: 'Researcher',
    instructions: "Write a concise briefing. Use web search and save notes as you go.",
    model: 'gpt-4o',
    tools: [webSearchTool(), saveNote],
    modelSettings: { maxTokens: 2000 },
  });
}

export async function runResearch(job: Job) {
  const researcher = makeResearcher(job);
  const turns = job.depth ?? 50;
  const result = await run(researcher, `Research topic: ${job.topic}. Audience: ${job.audience}`, { maxTurns: turns });
  return { briefing: result.finalOutput, notes: [...notes] };
}
