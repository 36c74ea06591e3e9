#!/usr/bin/env tsx
// Asks the model which npm packages a feature needs and installs them.
import OpenAI from 'openai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const openai = new OpenAI();

type Suggestion = { packages: string[]; reason: string };

async function suggest(feature: string): Promise<Suggestion> {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies?: Record<string, string> };
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    max_tokens: 300,
    response_format: { type: 'json_object' },
    messages: [
      { role: 'system', content: 'Suggest npm packages for the feature. Reply as JSON {"packages": [...], "reason": "..."}.' },
      { role: 'user', content: `Existing deps: ${Object.keys(pkg.dependencies ?? {}).join(', ')}\nFeature: ${feature}` },
    ],
  });
  return JSON.parse(completion.choices[0].message.content ?? '{"packages":[]}') as Suggestion;
}

async function main() {
  const feature = process.argv.slice(2).join(' ');
  const { packages, reason } = await suggest(feature);
  console.log(`Installing ${packages.join(', ')} — ${reason}`);
  const result = spawnSync('npm', ['install', '--save', ...packages], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
