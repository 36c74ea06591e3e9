import { generateObject, generateText } from 'ai';
import { anthropic } from '@ai-sdk/anthropic';
import { z } from 'zod';

const model = anthropic('claude-sonnet-4-5');

const Plan = z.object({
  done: z.boolean(),
  answer: z.string().optional(),
  subtasks: z.array(z.string()).default([]),
});

export type TaskTree = { task: string; answer: string; children: TaskTree[] };

async function decompose(task: string, context: string) {
  const { object } = await generateObject({
    model,
    schema: Plan,
    maxOutputTokens: 1_000,
    system: 'Either answer the task directly or split it into smaller subtasks.',
    prompt: `Context so far:\n${context}\n\nTask: ${task}`,
  });
  return object;
}

/** Recursively expands a task until the model says every leaf is done. */
export async function solve(task: string, context = ''): Promise<TaskTree> {
  const plan = await decompose(task, context);
  if (plan.done || plan.subtasks.length === 0) {
    return { task, answer: plan.answer ?? '', children: [] };
  }
  const children: TaskTree[] = [];
  for (const sub of plan.subtasks) {
    const child = await solve(sub, `${context}\n- ${task}`);
    children.push(child);
  }
  const { text } = await generateText({
    model,
    maxOutputTokens: 800,
    system: 'Combine the sub-answers into one answer.',
    prompt: children.map((c) => `${c.task}: ${c.answer}`).join('\n'),
  });
  return { task, answer: text, children };
}

export async function solveWithBudget(task: string, budgetMs = 120_000) {
  const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('budget exceeded')), budgetMs));
  return Promise.race([solve(task), timer]);
}
