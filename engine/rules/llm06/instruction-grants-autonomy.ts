import type { Rule } from '../types.js';
import { clip, cautioned, matchesIn, textLines } from '../instruction-text.js';

const RISKY = String.raw`(?:delet\w*|remov\w*|push\w*|force[- ]push\w*|deploy\w*|releas\w*|publish\w*|merg\w*|install\w*|execut\w*|run(?:ning)?\s+(?:shell|terminal|any)|migrat\w*|drop\w*|sending|send\w*|pay\w*|transfer\w*|sudo|rm\b)`;

const PATTERNS: [RegExp, string][] = [
  [/\b(?:run|execute|use)\s+(?:any|all|every|arbitrary)\s+(?:shell\s+|terminal\s+|bash\s+|system\s+)?commands?\b[^.\n]{0,40}?\bwithout\s+(?:asking|confirmation|confirming|approval|permission|review|checking)/gi, 'runs any command without confirmation'],
  [new RegExp(String.raw`\b(?:do not|don't|never|no need to)\s+(?:ask|wait|check)\s+(?:the\s+user\s+)?(?:for\s+)?(?:confirmation|permission|approval|consent)?\s*(?:before|when|to)\s+${RISKY}`, 'gi'), 'skips confirmation before destructive or outward actions'],
  [/\b(?:commit|push)\w*\b[^.\n]{0,40}?--no-verify\b|--no-verify\b[^.\n]{0,40}?\b(?:commit|push)/gi, 'bypasses commit hooks'],
  [/\bforce[- ]push\w*\s+(?:\w+\s+){0,2}?(?:to\s+)?(?:origin\/)?(?:main|master|production|prod|release)\b|\bpush\s+(?:--force|-f)\b[^.\n]{0,20}?\b(?:main|master)\b/gi, 'force-pushes to a protected branch'],
  [/\b(?:you may|you can|feel free to|allowed to|are permitted to|go ahead and)\s+(?:use\s+|run\s+)?sudo\b|\bincluding\s+`?sudo`?/gi, 'runs commands as root'],
  [/\b(?:auto-?approve|automatically approve|approve)\s+(?:all|every|any)\s+(?:tool\s+calls?|tools?|commands?|actions?|requests?)\b|--dangerously-skip-permissions\b|\byolo mode\b/gi, 'approves every tool call'],
];

/**
 * An AGENTS.md or CLAUDE.md that tells the agent it may run any command, skip confirmation before
 * deleting or pushing, use sudo, bypass commit hooks or force-push to main turns every piece of
 * text the agent reads into something that can do those things with no human in between.
 * Settings files have their own rule; this one reads the prose. Rules that forbid the same things
 * ("never force-push to main") are recognised and stay silent.
 */
export const rule: Rule = {
  meta: {
    id: 'excessive-agency/instruction-grants-autonomy',
    owasp: 'LLM06',
    asi: 'ASI02',
    cwe: 'CWE-250',
    severity: 'MEDIUM',
    title: 'Agent instructions waive confirmation for risky actions',
    description: 'An agent instruction file grants blanket autonomy: running any command without confirmation, sudo, skipping approval before deleting, deploying or pushing, bypassing commit hooks or force-pushing to protected branches.',
    fix: 'Keep a human confirmation step for destructive, privileged and outward-facing actions; state allowed commands explicitly and enforce them in the agent\'s permission settings rather than in prose.',
    languages: ['instructions'],
  },
  check(ctx) {
    const lines = textLines(ctx.source);
    const reported = new Set<number>();
    for (const [re, what] of PATTERNS) {
      for (const { line, sentence, index, match } of matchesIn(lines, re)) {
        if (reported.has(line.line) || cautioned(sentence, index, line)) continue;
        reported.add(line.line);
        ctx.report({ line: line.line, message: `The instructions let the agent act without a person in the loop (it ${what}): "${clip(match[0])}".` });
      }
    }
  },
};
