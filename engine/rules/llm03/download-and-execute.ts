import type { Rule, RuleContext } from '../types.js';
import type { Word } from '../agent-config.js';
import { commandLines, npmSpec } from '../agent-config.js';
import { isKnownInstaller, remoteRuns } from '../remote-code.js';
import { cautionedAt, textLines, type TextLine } from '../instruction-text.js';

/**
 * Code fetched and run with nothing in between: `curl … | sh` as an MCP server command or a
 * Claude Code hook runs on every launch of every developer who opens the repository (project
 * hooks ran before the trust prompt in CVE-2025-59536); the same
 * line in a SKILL.md or AGENTS.md has the agent run it with the user's shell. Whoever controls the
 * URL controls the machine. Instruction files get one allowance: the official installers of
 * well-known tools (rustup, uv, bun, Homebrew, …), which setup sections legitimately show.
 */
export const rule: Rule = {
  meta: {
    id: 'supply-chain/download-and-execute',
    owasp: 'LLM03',
    asi: 'ASI05',
    cwe: 'CWE-494',
    severity: 'HIGH',
    title: 'Downloaded code executed without verification',
    description: 'A command in an agent config, hook or instruction file downloads code and runs it straight away (`curl … | sh`, `bash <(curl …)`, `iex (iwr …)`, `pip install <url>`), with no pinned version, checksum or signature.',
    fix: 'Install the tool from a package manager at a pinned version, or download to a file, verify its checksum or signature, review it, and run the reviewed copy. Agents should not be told to run remote scripts.',
    languages: ['mcp-config', 'claude-settings', 'instructions'],
  },
  check(ctx) {
    if (ctx.language === 'instructions') return instructions(ctx);
    for (const argv of commandLines(ctx.json)) {
      const { text, at } = joined(argv);
      const seen = new Set<number>();
      for (const r of remoteRuns(text)) {
        const line = at(r.index);
        if (seen.has(line)) continue;
        seen.add(line);
        ctx.report({ line, message: `This command ${r.how}${r.url ? ` (${r.url})` : ''}; it runs on every launch, unreviewed.` });
      }
    }
  },
};

/** Words joined by spaces, with a map from an offset back to the JSON line of its word. */
function joined(argv: Word[]): { text: string; at: (index: number) => number } {
  const starts: number[] = [];
  let text = '';
  for (const w of argv) {
    if (text) text += ' ';
    starts.push(text.length);
    text += w.text;
  }
  return {
    text,
    at: (index) => {
      // Binary search: a command line can hold thousands of words.
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= index) lo = mid;
        else hi = mid - 1;
      }
      return argv[lo]?.line ?? 1;
    },
  };
}

/** Publishers and tools whose `npx -y` use in setup docs is routine. */
const KNOWN_NPX = /^(?:@(?:modelcontextprotocol|anthropic-ai|openai|playwright|vercel|cloudflare|google|googleapis|microsoft|azure|aws|aws-sdk|github|angular|nestjs|biomejs|sveltejs|vitejs|astrojs|remix-run|nuxt|tailwindcss|storybook|shadcn|prisma|supabase|netlify|redocly|changesets|commitlint|nx|turbo|expo|react-native-community|upstash|stripe|sentry|neondatabase)\/[\w.-]+|create-[\w.-]+|prettier|eslint|typescript|tsx|ts-node|vitest|jest|playwright|serve|http-server|npm-check-updates|wrangler|vercel|netlify-cli|turbo|nx|husky|lint-staged|shadcn|prisma|degit|rimraf|concurrently|nodemon|pm2|markdownlint-cli2?|cspell|knip|depcheck|license-checker|sort-package-json|tsc|vite|next|astro|expo|skills)$/;

function instructions(ctx: RuleContext): void {
  const lines = textLines(ctx.source);
  const reported = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (!l.text.trim()) continue;
    // Shell continuation lines belong to the command they continue.
    let text = l.text;
    let j = i;
    while (j - i < 20 && j + 1 < lines.length && /\\\s*$/.test(lines[j].text)) text = text.replace(/\\\s*$/, ' ') + lines[++j].text;
    // A shell comment (`cmd  # note about https://…`) is not part of the command.
    if (l.inCode) text = text.replace(/(?:^|\s)#\s.*$/, '');
    const following = l.inCode ? lines.slice(j + 1, j + 6).filter((x) => x.inCode).map((x) => x.text).join('\n') : '';
    for (const r of remoteRuns(text, following)) {
      if (isKnownInstaller(r.url) || (!l.inCode && cautionedAt(l, text, r.index))) continue;
      report(ctx, reported, l, `The instructions tell the agent to run a command that ${r.how}${r.url ? ` (${r.url})` : ''}: whoever controls that URL runs code with the user's shell.`);
      break; // one finding per line
    }
    for (const m of reported.has(l.line) ? [] : text.matchAll(/\b(?:npx|bunx|pnpm\s+dlx|yarn\s+dlx)\s+(?:(?:-y|--yes|-q|--quiet)\s+)*(?:-y|--yes)\s+((?:@[\w.-]+\/)?[\w.-]+(?:@[\w.^~<>=*${}-]+)?)(?=[\s`'"]|$)/g)) {
      // `pkg@<version>`, `pkg@${VERSION}`: documentation that asks for a pin, not an unpinned run. A
      // scoped package belongs to an organisation's namespace, which typosquats cannot take over;
      // `-p pkg` forms name the package in an option.
      if (/@(?:<|\$|\{)/.test(m[0]) || /^[<{$]/.test(text.slice(m.index! + m[0].length)) || m[1].startsWith('-') || m[1].startsWith('@')) continue;
      const spec = npmSpec(m[1]);
      if (!spec || spec.pinned || KNOWN_NPX.test(spec.name) || (!l.inCode && cautionedAt(l, text, m.index!))) continue;
      report(ctx, reported, l, `The instructions tell the agent to run \`npx -y ${m[1]}\`, an unpinned package that ${spec.problem}: it is fetched and executed without review.`, 'MEDIUM');
      break;
    }
    i = j;
  }
}

function report(ctx: RuleContext, reported: Set<number>, l: TextLine, message: string, severity?: 'MEDIUM'): void {
  if (reported.has(l.line)) return;
  reported.add(l.line);
  ctx.report({ line: l.line, message, ...(severity ? { severity } : {}) });
}
