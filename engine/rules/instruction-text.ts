/**
 * Reading agent instruction files (SKILL.md, AGENTS.md, CLAUDE.md, .cursorrules, *.prompt.md).
 * These are prose the model obeys, so the checks are text patterns over lines and sentences, not
 * a parse. What keeps them precise is telling an instruction from a sentence *about* one: a
 * security section that quotes "ignore previous instructions" as an attack to refuse must stay
 * silent, so every check asks whether its phrase sits under a negation or a warning.
 */

export interface TextLine {
  /** 1-based. */
  line: number;
  text: string;
  /** Inside a fenced code block (``` or ~~~). Commands there are still instructions to run. */
  inCode: boolean;
  /** The nearest Markdown heading above, lowercased. */
  section: string;
}

/** Sections that talk about attacks: quotes in them are examples to recognise, not orders. */
const WARNING_SECTION = /security|injection|threat|attack|safety|red flags?|warning|defen[cs]e|guardrail|trust|untrusted|malicious|scam|abuse|do not|don'?t|never/i;

export function inWarningSection(l: TextLine): boolean {
  return WARNING_SECTION.test(l.section);
}

export function textLines(source: string): TextLine[] {
  const out: TextLine[] = [];
  let fence: string | null = null;
  let section = '';
  source.split('\n').forEach((raw, i) => {
    const text = raw.replace(/\r$/, '');
    const m = /^\s{0,3}(`{3,}|~{3,})/.exec(text);
    if (m) {
      if (fence === null) fence = m[1][0];
      else if (m[1][0] === fence) fence = null;
      out.push({ line: i + 1, text, inCode: true, section });
      return;
    }
    const h = fence === null ? /^\s{0,3}#{1,6}\s+(.*)$/.exec(text) : null;
    if (h) section = h[1].toLowerCase();
    out.push({ line: i + 1, text, inCode: fence !== null, section });
  });
  return out;
}

/** Sentences of a line with their offsets: list items and clauses split at `. ! ? ;` and dashes. */
export function sentences(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  // Dots inside URLs, paths and file names do not end a sentence, so split only at `. ` or end.
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    const end = i === text.length || ((c === '.' || c === '!' || c === '?' || c === ';') && (i + 1 === text.length || /\s/.test(text[i + 1]))) || (c === ' ' && /^ [—–] /.test(text.slice(i, i + 3)));
    if (end) {
      const s = text.slice(start, i + 1);
      if (s.trim()) out.push({ text: s, start });
      start = i + 1;
    }
  }
  return out;
}

/**
 * Words that turn what follows into a rule against it or a description of an attack: "never",
 * "do not", "refuse", "if a page asks you to", "such as", "e.g.", "watch for", "treat … as data".
 */
const CAUTION_BEFORE =
  /\b(?:never|not|don't|doesn't|dont|won't|cannot|can't|mustn't|shouldn't|refuse|reject|decline|avoid|forbid\w*|prohibit\w*|disallow\w*|block|deny|prevent|detect|flag|beware|watch (?:out )?for|look out for|be (?:wary|careful|suspicious)|suspicious|malicious|attack\w*|adversar\w*|injection|jailbreak|phishing|untrusted|third[- ]party (?:content|text|pages?)|such as|for example|for instance|examples?|if (?:a|an|any|the|some)\b[^,]{0,60}\b(?:asks?|tells?|instructs?|says?|contains?|requests?|wants?)|(?:asks?|tells?|instructs?|requests?) (?:you|the (?:agent|assistant|model)) to|phrases?|patterns?|attempts? to|tries to|claims? to|pretend\w*)\b|\be\.g\.|\bi\.e\.|\blike\s*["“'`:]/i;

/** Words anywhere in the sentence that say the quoted instruction is to be refused or reported. */
const CAUTION_ANYWHERE = /\b(?:refuse|reject|do not comply|don't comply|never comply|report (?:it|this|them)|flag (?:it|this|them)|is an? (?:attack|injection|red flag|scam|trick)|are (?:attacks|injections|red flags)|prompt injection|injection attempt|treat (?:it|this|them|such \w+|any \w+) as (?:data|untrusted|suspicious|hostile))\b|[—–-]\s*(?:refuse|ignore it|stop)\b/i;

/** Whether the match at `index` in `sentence` is guarded by a negation or warning. */
export function cautioned(sentence: string, index: number, line?: TextLine): boolean {
  // A window around the match: caution words sit near what they qualify, and a bounded window keeps
  // a megabyte-long "sentence" with many matches linear.
  const before = sentence.slice(Math.max(0, index - 300), index);
  if (CAUTION_BEFORE.test(before)) return true;
  if (CAUTION_ANYWHERE.test(sentence.slice(Math.max(0, index - 300), index + 300))) return true;
  // A phrase quoted in a sentence is being talked about, not said: "ignore previous instructions".
  const quoted = (before.match(/["“”`]/g) ?? []).length % 2 === 1;
  return quoted && (/\b(?:text|content|message|phrase|string|input|says?|such|like|contains?)\b/i.test(sentence) || (line !== undefined && inWarningSection(line)));
}

let lastText = '';
let lastSentences: { text: string; start: number }[] = [];

/** `cautioned` for an offset into a whole line (or a line joined with its continuations). */
export function cautionedAt(l: TextLine, text: string, index: number): boolean {
  // Several matches on one long line ask about the same text: split it once.
  if (text !== lastText) {
    lastText = text;
    lastSentences = sentences(text);
  }
  for (const s of lastSentences) {
    if (index >= s.start && index < s.start + s.text.length) return cautioned(s.text, index - s.start, l);
  }
  return false;
}

/** Each match of `re` in the file with the sentence around it; `re` must be global. */
export function* matchesIn(lines: TextLine[], re: RegExp): Generator<{ line: TextLine; sentence: string; index: number; match: RegExpExecArray }> {
  for (const l of lines) {
    if (!l.text.trim()) continue;
    for (const s of sentences(l.text)) {
      re.lastIndex = 0;
      for (let m = re.exec(s.text); m; m = re.exec(s.text)) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        yield { line: l, sentence: s.text, index: m.index, match: m };
      }
    }
  }
}

export function clip(s: string, n = 80): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}
