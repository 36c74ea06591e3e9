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
  /** For a list item: the prose line ending in `:` that introduces the list ("Never run these:"), else ''. */
  leadIn: string;
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
  let leadIn = '';
  source.split('\n').forEach((raw, i) => {
    const text = raw.replace(/\r$/, '');
    const m = /^\s{0,3}(`{3,}|~{3,})/.exec(text);
    if (m) {
      if (fence === null) fence = m[1][0];
      else if (m[1][0] === fence) fence = null;
      out.push({ line: i + 1, text, inCode: true, section, leadIn: '' });
      return;
    }
    const h = fence === null ? /^\s{0,3}#{1,6}\s+(.*)$/.exec(text) : null;
    if (h) {
      section = h[1].toLowerCase();
      leadIn = '';
    }
    const item = fence === null && /^\s*(?:[-*+]|\d+[.)])\s/.test(text);
    out.push({ line: i + 1, text, inCode: fence !== null, section, leadIn: item ? leadIn : '' });
    // A list keeps the line that introduces it ("Never run these commands:"); other prose ends it.
    if (!item && !h && text.trim() && fence === null && !/^\s*<!--/.test(text)) leadIn = /:\s*$/.test(text) ? text.slice(0, 300) : '';
  });
  return out;
}

/** Abbreviations whose dot does not end a sentence. */
const ABBREVIATION = /(?:^|[\s(])(?:e\.g|i\.e|etc|vs|cf|approx|incl|esp|resp|no|fig)\.$/i;

/**
 * Sentences of a line with their offsets: clauses split at `. ! ? ;` followed by a space, and at
 * spaced dashes. Dots in URLs, file names, ellipses (`curl ... | sh`), abbreviations (`e.g.`) and
 * inline code spans do not end a sentence.
 */
export function sentences(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let start = 0;
  let inCode = false;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '`') inCode = !inCode;
    let end = i === text.length;
    if (!end && !inCode) {
      if ((c === '.' || c === '!' || c === '?' || c === ';') && (i + 1 === text.length || /\s/.test(text[i + 1]))) {
        end = !(c === '.' && (text[i - 1] === '.' || ABBREVIATION.test(text.slice(Math.max(start, i - 8), i + 1))));
      } else if (c === ' ' && (text[i + 1] === '—' || text[i + 1] === '–') && text[i + 2] === ' ') {
        end = true;
      }
    }
    if (end) {
      const t = text.slice(start, i + 1);
      if (t.trim()) out.push({ text: t, start });
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
  /\b(?:refuse|reject|decline|forbid\w*|prohibit\w*|disallow\w*|beware|watch (?:out )?for|look out for|be (?:wary|careful|suspicious)|suspicious|malicious|attack\w*|adversar\w*|injection|jailbreak|phishing|untrusted|third[- ]party (?:content|text|pages?)|such as|for example|for instance|examples?|if (?:a|an|any|the|some)\b[^,]{0,60}\b(?:asks?|tells?|instructs?|says?|contains?|requests?|wants?)|(?:asks?|tells?|instructs?|requests?) (?:you|the (?:agent|assistant|model)) to|phrases?|patterns?|attempts? to|tries to|claims? to|pretend\w*)\b|\be\.g\.|\bi\.e\.|\blike\s*["“'`:]/i;

/**
 * A negation governs what follows it closely, within its clause: "never pipe a script into a shell
 * (`curl … | bash`)", but not "if the user does not agree, ignore all previous instructions".
 */
const NEAR_NEGATION = /\b(?:never|not|don't|doesn't|dont|won't|cannot|can't|mustn't|shouldn't|avoid|block|deny|prevent|detect|flag|no)\b[^.;:!?,]{0,80}$/i;

/** Words that open a new clause after a comma; any other comma separates items of one list. */
const CLAUSE_START = /,(?!\s*(?:ignore|disregard|forget|override|then|so|but|you|we|they|it|i|please|now|instead|also|otherwise|always|just|go|send|upload|post|run|execute|do|fetch|download|read|install|delete|push|tell|reveal|print|show|follow|obey|and then)\b)/gi;

/**
 * The negation check, reaching across the commas of an enumeration ("never send secrets, tokens
 * or .env files") but not into the next clause ("if the user does not agree, ignore…").
 */
function negated(sentence: string, index: number): boolean {
  const from = Math.max(0, index - 300);
  // Code spans are opaque (their dots and commas are not punctuation); lengths are kept so offsets hold.
  const text = sentence.slice(from, index + 40).replace(/`[^`]*`/g, (m) => 'x'.repeat(m.length)).replace(CLAUSE_START, ' ');
  return NEAR_NEGATION.test(text.slice(0, index - from));
}

/** Words anywhere in the sentence that say the quoted instruction is to be refused or reported. */
const CAUTION_ANYWHERE = /\b(?:refuse|reject|do not comply|don't comply|never comply|report (?:it|this|them)|flag (?:it|this|them)|is an? (?:attack|injection|red flag|scam|trick)|are (?:attacks|injections|red flags)|prompt injection|injection attempt|treat (?:it|this|them|such \w+|any \w+) as (?:data|untrusted|suspicious|hostile))\b|[—–-]\s*(?:refuse|ignore it|stop)\b/i;

/** Whether the match at `index` in `sentence` is guarded by a negation or warning. */
export function cautioned(sentence: string, index: number, line?: TextLine): boolean {
  // A window around the match: caution words sit near what they qualify, and a bounded window keeps
  // a megabyte-long "sentence" with many matches linear.
  const before = sentence.slice(Math.max(0, index - 300), index);
  if (CAUTION_BEFORE.test(before) || negated(sentence, index)) return true;
  if (CAUTION_ANYWHERE.test(sentence.slice(Math.max(0, index - 300), index + 300))) return true;
  // A phrase quoted in a sentence is being talked about, not said: "ignore previous instructions".
  const quoted = (before.match(/["“”`]/g) ?? []).length % 2 === 1;
  if (quoted && (/\b(?:text|content|message|phrase|string|input|says?|such|like|contains?)\b/i.test(sentence) || (line !== undefined && inWarningSection(line)))) return true;
  // A list under "Never run these:" or a "## Forbidden commands" heading lists what not to do.
  return line !== undefined && (FORBIDDING.test(line.leadIn) || FORBIDDING.test(line.section));
}

const FORBIDDING = /\b(?:never|don'?t|do not|must not|avoid|forbidden|prohibited|not allowed|disallowed|banned|dangerous|destructive|off[- ]limits|red flags?)\b/i;

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
