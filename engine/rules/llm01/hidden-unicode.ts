import type { Rule } from '../types.js';
import { strings } from '../../parse/jsonc.js';

/**
 * Characters a reviewer cannot see but a model reads: Unicode tag characters (U+E0000–E007F,
 * which map one-to-one onto ASCII and carry whole hidden sentences), variation-selector
 * "smuggling" (U+FE00–FE0F and U+E0100–E01EF encoding arbitrary bytes), bidirectional overrides
 * that make text display in a different order than it is read (Trojan Source), and runs of
 * zero-width characters. In an instruction file they are how a skill says one thing to the person
 * approving it and another to the agent. The hidden text is decoded into the finding, so the
 * reviewer sees what the model would have seen.
 *
 * Legitimate uses stay silent: a zero-width joiner inside an emoji sequence, a ZWNJ between
 * Persian or Indic letters, an emoji presentation selector (U+FE0F) after a symbol, flag-emoji
 * tag sequences (🏴 + "gbsct" + cancel tag), a byte-order mark at the start of the file, and a
 * lone stray zero-width space.
 */
export const rule: Rule = {
  meta: {
    id: 'prompt-injection/hidden-unicode',
    owasp: 'LLM01',
    asi: 'ASI01',
    cwe: 'CWE-451',
    severity: 'HIGH',
    title: 'Invisible Unicode in agent instructions',
    description: 'The file contains invisible or direction-changing Unicode characters (tag characters, variation-selector smuggling, bidi overrides, zero-width runs) that hide text from human reviewers while the model still reads it.',
    fix: 'Remove the invisible characters (and distrust the source that shipped them); enforce an ASCII or printable-Unicode check on instruction files and MCP configs in CI.',
    languages: ['instructions', 'mcp-config', 'claude-settings'],
  },
  check(ctx) {
    const reported = new Set<number>();
    const texts: { text: string; line: number }[] = ctx.json
      ? [...strings(ctx.json)].map(({ node }) => ({ text: node.value, line: node.line }))
      : ctx.source.split('\n').map((text, i) => ({ text, line: i + 1 }));
    if (ctx.json) {
      // Keys and comments are not in the string list; the raw text still shows literal characters there.
      ctx.source.split('\n').forEach((text, i) => texts.push({ text, line: i + 1 }));
    }
    for (const { text, line } of texts) {
      if (reported.has(line)) continue;
      const found = inspect(text, line === 1);
      if (!found) continue;
      reported.add(line);
      ctx.report({ line, severity: found.severity, message: found.message });
    }
  },
};

type Kind = 'tag' | 'selector' | 'bidi' | 'zero-width';

interface Hit {
  severity: 'CRITICAL' | 'HIGH';
  message: string;
}

const isEmojiish = (cp: number | undefined) =>
  cp !== undefined && (cp >= 0x1f000 || (cp >= 0x2190 && cp <= 0x2bff) || cp === 0xfe0f || (cp >= 0x1f3fb && cp <= 0x1f3ff) || cp === 0x20e3 || cp === 0x00a9 || cp === 0x00ae);
const isJoiningScript = (cp: number | undefined) =>
  cp !== undefined && ((cp >= 0x0600 && cp <= 0x08ff) || (cp >= 0x0900 && cp <= 0x0dff) || (cp >= 0xfb50 && cp <= 0xfdff) || (cp >= 0xfe70 && cp <= 0xfefe));
const isIdeograph = (cp: number | undefined) => cp !== undefined && ((cp >= 0x3400 && cp <= 0x9fff) || (cp >= 0x20000 && cp <= 0x3ffff) || (cp >= 0xf900 && cp <= 0xfaff));

function classify(cps: number[], i: number, fileStart: boolean): Kind | null {
  const cp = cps[i];
  const prev = cps[i - 1];
  const next = cps[i + 1];
  if (cp >= 0xe0000 && cp <= 0xe007f) return 'tag';
  if (cp >= 0xe0100 && cp <= 0xe01ef) return isIdeograph(prev) ? null : 'selector';
  if (cp >= 0xfe00 && cp <= 0xfe0f) {
    // One presentation selector after a symbol or ideograph is ordinary text; runs of them encode bytes.
    const run = (next !== undefined && ((next >= 0xfe00 && next <= 0xfe0f) || (next >= 0xe0100 && next <= 0xe01ef))) || (prev !== undefined && ((prev >= 0xfe00 && prev <= 0xfe0f) || (prev >= 0xe0100 && prev <= 0xe01ef)));
    return run ? 'selector' : null;
  }
  if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return 'bidi';
  if (cp === 0x200d) return isEmojiish(prev) || isEmojiish(next) ? null : 'zero-width';
  if (cp === 0x200c) return isJoiningScript(prev) || isJoiningScript(next) ? null : 'zero-width';
  if (cp === 0xfeff) return i === 0 && fileStart ? null : 'zero-width';
  if (cp === 0x200b || cp === 0x2060 || (cp >= 0x2061 && cp <= 0x2064) || cp === 0x180e || cp === 0x115f || cp === 0x1160 || cp === 0x3164 || cp === 0xffa0) return 'zero-width';
  return null;
}

function inspect(text: string, fileStart: boolean): Hit | null {
  // Fast path: nothing outside printable ASCII and common Latin.
  if (!/[\u180e\u200b-\u200d\u202a-\u202e\u2060-\u2069\u3164\ufe00-\ufe0f\ufeff\uffa0\u115f\u1160]|[\udb40]/.test(text)) return null;
  const cps = Array.from(text, (c) => c.codePointAt(0)!);
  const counts: Record<Kind, number> = { tag: 0, selector: 0, bidi: 0, 'zero-width': 0 };
  const tags: number[] = [];
  const selectors: number[] = [];
  const zw: number[] = [];
  for (let i = 0; i < cps.length; i++) {
    const kind = classify(cps, i, fileStart);
    if (!kind) continue;
    if (kind === 'tag' && flagSequence(cps, i)) {
      while (i < cps.length && cps[i] >= 0xe0000 && cps[i] <= 0xe007f) i++;
      continue;
    }
    counts[kind]++;
    if (kind === 'tag') tags.push(cps[i]);
    else if (kind === 'selector') selectors.push(cps[i]);
    else if (kind === 'zero-width') zw.push(cps[i]);
  }
  const parts: string[] = [];
  let severity: Hit['severity'] = 'HIGH';
  if (counts.tag) {
    const decoded = tags.filter((c) => c >= 0xe0020 && c <= 0xe007e).map((c) => String.fromCharCode(c - 0xe0000)).join('');
    parts.push(`${counts.tag} Unicode tag character${counts.tag > 1 ? 's' : ''}${decoded ? ` spelling ${quote(decoded)}` : ''}`);
    severity = 'CRITICAL';
  }
  if (counts.selector) {
    const decoded = decodeSelectors(selectors);
    parts.push(`${counts.selector} variation selectors${decoded ? ` encoding ${quote(decoded)}` : ''}`);
    if (decoded) severity = 'CRITICAL';
  }
  if (counts.bidi) parts.push(`${counts.bidi} bidirectional override character${counts.bidi > 1 ? 's' : ''} (the line displays in a different order than it is read)`);
  // A single stray zero-width space is a copy-paste accident far more often than an attack.
  if (counts['zero-width'] >= 2) {
    const decoded = decodeZeroWidthBits(zw);
    parts.push(`${counts['zero-width']} zero-width characters${decoded ? ` encoding ${quote(decoded)}` : ''}`);
    if (decoded) severity = 'CRITICAL';
  }
  if (!parts.length) return null;
  return { severity, message: `Hidden text: this line contains ${parts.join(', ')}. A reviewer does not see it; the model reads it.` };
}

/** 🏴 followed by lowercase tag letters and a cancel tag is a subdivision flag (🏴󠁧󠁢󠁳󠁣󠁴󠁿). */
function flagSequence(cps: number[], i: number): boolean {
  if (cps[i - 1] !== 0x1f3f4) return false;
  let j = i;
  while (j < cps.length && cps[j] >= 0xe0061 && cps[j] <= 0xe007a) j++;
  while (j < cps.length && cps[j] >= 0xe0030 && cps[j] <= 0xe0039) j++;
  return cps[j] === 0xe007f && j - i >= 2 && j - i <= 7;
}

/** Bytes hidden as selectors: U+FE00–FE0F are 0–15, U+E0100–E01EF are 16–255. */
function decodeSelectors(cps: number[]): string | null {
  const bytes = cps.map((c) => (c <= 0xfe0f ? c - 0xfe00 : c - 0xe0100 + 16));
  return printable(Buffer.from(bytes).toString('utf8'));
}

/** Two zero-width characters used as 0 and 1 bits, eight to a byte. */
function decodeZeroWidthBits(cps: number[]): string | null {
  const kinds = [...new Set(cps)];
  if (kinds.length !== 2 || cps.length < 16 || cps.length % 8 !== 0) return null;
  for (const zero of kinds) {
    const bits = cps.map((c) => (c === zero ? '0' : '1')).join('');
    const bytes = bits.match(/.{8}/g)!.map((b) => parseInt(b, 2));
    const text = printable(Buffer.from(bytes).toString('utf8'));
    if (text) return text;
  }
  return null;
}

function printable(s: string): string | null {
  if (s.length < 2) return null;
  const ok = [...s].filter((c) => /[\p{L}\p{N}\p{P}\p{Zs}\p{S}]/u.test(c)).length;
  return ok / [...s].length >= 0.9 ? s : null;
}

function quote(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return JSON.stringify(t.length > 160 ? `${t.slice(0, 159)}…` : t);
}
