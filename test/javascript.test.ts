/**
 * The JS/TS side of scan(): grammars per extension, frameworks and permissions from a real parse,
 * and hostile input. Rule behaviour lives in the fixtures (test/fixtures/rules/**.ts|tsx|js).
 */
import { describe, expect, it } from 'vitest';
import { scan } from '../engine/index.js';

const agent = `
import express from 'express';
import OpenAI from 'openai';
import { exec } from 'node:child_process';

const app = express();
const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

app.post('/run', async (req, res) => {
  const out = await openai.chat.completions.create({
    model: 'gpt-4o',
    max_tokens: 100,
    messages: [{ role: 'system', content: 'Do: ' + req.body.task }],
  });
  exec(out.choices[0].message.content ?? '');
  res.json({ ok: true });
});
`;

describe('JavaScript and TypeScript files', () => {
  it('scans .ts, .mjs, .cjs and .jsx with the right grammar and the same rules', async () => {
    for (const path of ['agent.ts', 'agent.mts', 'agent.mjs', 'agent.cjs', 'agent.js', 'agent.jsx']) {
      const r = await scan([{ path, content: agent }]);
      expect(r.files_scanned, path).toBe(1);
      const rules = r.issues.map((i) => `${i.rule}@${i.line}`);
      expect(rules, path).toContain('output-handling/shell-injection@15');
      expect(rules, path).toContain('prompt-injection/user-input-in-prompt@13');
      expect(r.notices, path).toEqual([]);
    }
  });

  it('parses TSX with the TSX grammar: JSX and type annotations together', async () => {
    const tsx = `
import { generateText } from 'ai';
import { openai } from '@ai-sdk/openai';
export async function Answer({ q }: { q: string }): Promise<JSX.Element> {
  const { text } = await generateText({ model: openai('gpt-4o-mini'), prompt: q, maxOutputTokens: 200 });
  return <div dangerouslySetInnerHTML={{ __html: text as string }} />;
}
`;
    const asTsx = await scan([{ path: 'answer.tsx', content: tsx }]);
    expect(asTsx.notices).toEqual([]);
    expect(asTsx.issues.map((i) => `${i.rule}@${i.line}`)).toEqual(['output-handling/unescaped-html@6']);
    // The plain TypeScript grammar has no JSX: the same text is a syntax error there.
    const asTs = await scan([{ path: 'answer.ts', content: tsx }]);
    expect(asTs.notices.some((n) => n.kind === 'parse_error')).toBe(true);
  });

  it('reports frameworks and permissions from imports and calls', async () => {
    const r = await scan([{ path: 'server/agent.ts', content: agent }]);
    expect(r.frameworks).toContain('openai');
    expect(r.permissions).toEqual({ network: true, filesystem: false, environment: true, subprocess: true });
  });

  it('skips declaration files, which hold types only', async () => {
    const r = await scan([{ path: 'types/openai.d.ts', content: 'declare const key: "sk-proj-Qx7vN2pL9sT4wE8rY1uI5oA3dF6gH0jK2lZ9xC4vB7nM1qW8eR5tY3uI6oP0aS";' }]);
    expect(r.files_scanned).toBe(0);
  });
});

describe('hostile JavaScript input', () => {
  it('recovers from syntax errors and still reports what it can', async () => {
    const broken = agent + '\nfunction broken( { return ((\n';
    const r = await scan([{ path: 'b.ts', content: broken }]);
    expect(r.issues.some((i) => i.rule === 'output-handling/shell-injection')).toBe(true);
    expect(r.notices.some((n) => n.kind === 'parse_error' && n.file === 'b.ts')).toBe(true);
  });

  it('survives 5,000-deep nesting, long member chains and a minified one-line file', async () => {
    const deep = 'const x = ' + '('.repeat(5000) + '1' + ')'.repeat(5000) + ';\nconst y = a' + '.b'.repeat(5000) + ';\nconst z = ' + '['.repeat(5000) + ']'.repeat(5000) + ';\neval(x);\n';
    const oneLine = Array.from({ length: 5000 }, (_, i) => `var v${i}=${i};if(v${i}){f(v${i})}`).join('') + '\n';
    const r = await scan([
      { path: 'deep.ts', content: deep },
      { path: 'min.js', content: oneLine },
    ]);
    expect(r.files_scanned).toBe(2);
    expect(r.trust_score).toBe(100);
  });
});
