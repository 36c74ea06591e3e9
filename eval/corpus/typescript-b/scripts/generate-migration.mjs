#!/usr/bin/env node
// Usage: node scripts/generate-migration.mjs "add a nullable referral_code column to users"
import Anthropic from '@anthropic-ai/sdk';
import { execSync, execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const anthropic = new Anthropic();
const request = process.argv.slice(2).join(' ');
if (!request) {
  console.error('describe the migration');
  process.exit(2);
}

const schema = execFileSync('pg_dump', ['--schema-only', '--no-owner', process.env.DATABASE_URL], { encoding: 'utf8' });

const msg = await anthropic.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 2000,
  system: 'You write PostgreSQL migrations. Output one SQL script, no commentary, no code fences.',
  messages: [{ role: 'user', content: `Schema:\n${schema.slice(0, 60_000)}\n\nChange: ${request}` }],
});
const sql = msg.content.filter((b) => b.type === 'text').map((b) => b.text).join('\n').trim();

const dir = path.join('db', 'migrations');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `${Date.now()}_${request.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 40)}.sql`);
writeFileSync(file, sql + '\n');
console.log(`wrote ${file}`);

if (process.argv.includes('--apply') || process.env.AUTO_APPLY === '1') {
  execSync(`psql "${process.env.DATABASE_URL}" -v ON_ERROR_STOP=1 -c "${sql}"`, { stdio: 'inherit' });
  console.log('applied');
}
