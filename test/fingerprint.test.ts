import { describe, expect, it } from 'vitest';
import { fingerprint, normaliseSnippet } from '../engine/fingerprint.js';

const base = { rule: 'output-handling/shell-injection', file: 'agents/run.py', snippet: 'subprocess.run(cmd, shell=True)', occurrence: 0 };

/** What the engine does: number identical (rule, file, snippet) triples in file order. */
function fingerprintsOf(rule: string, file: string, source: string, lineMatches: (l: string) => boolean): { line: number; fp: string }[] {
  const seen = new Map<string, number>();
  const out: { line: number; fp: string }[] = [];
  source.split('\n').forEach((l, i) => {
    if (!lineMatches(l)) return;
    const snippet = l.trim();
    const key = normaliseSnippet(snippet);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    out.push({ line: i + 1, fp: fingerprint({ rule, file, snippet, occurrence }) });
  });
  return out;
}

describe('fingerprint', () => {
  it('is 32 lowercase hex characters and deterministic', () => {
    const fp = fingerprint(base);
    expect(fp).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprint({ ...base })).toBe(fp);
  });

  it('does not change when the same snippet moves down 10 lines', () => {
    const code = 'import subprocess\n\ndef run(cmd):\n    subprocess.run(cmd, shell=True)\n';
    const moved = '\n'.repeat(10) + code;
    const isSink = (l: string) => l.includes('subprocess.run');
    const a = fingerprintsOf(base.rule, base.file, code, isSink);
    const b = fingerprintsOf(base.rule, base.file, moved, isSink);
    expect(b[0].line).toBe(a[0].line + 10);
    expect(b[0].fp).toBe(a[0].fp);
  });

  it('ignores indentation and runs of whitespace', () => {
    expect(fingerprint({ ...base, snippet: '        subprocess.run(cmd,   shell=True)  ' })).toBe(fingerprint(base));
    expect(fingerprint({ ...base, snippet: 'subprocess.run(cmd,\tshell=True)' })).toBe(fingerprint(base));
  });

  it('changes when the snippet, rule, file or occurrence changes', () => {
    const fp = fingerprint(base);
    expect(fingerprint({ ...base, snippet: 'subprocess.run(user_cmd, shell=True)' })).not.toBe(fp);
    expect(fingerprint({ ...base, rule: 'output-handling/code-execution' })).not.toBe(fp);
    expect(fingerprint({ ...base, file: 'agents/other.py' })).not.toBe(fp);
    expect(fingerprint({ ...base, occurrence: 1 })).not.toBe(fp);
  });

  it('tells apart two identical snippets in one file, and keeps both stable when moved', () => {
    const code = 'eval(x)\nprint(1)\neval(x)\n';
    const isEval = (l: string) => l.startsWith('eval');
    const a = fingerprintsOf('r', 'f.py', code, isEval);
    expect(a).toHaveLength(2);
    expect(a[0].fp).not.toBe(a[1].fp);
    const b = fingerprintsOf('r', 'f.py', '# header\n\n' + code, isEval);
    expect(b.map((x) => x.fp)).toEqual(a.map((x) => x.fp));
  });

  it('cannot be forged by moving text between fields', () => {
    // With naive concatenation these two would hash the same input.
    const x = fingerprint({ rule: 'a', file: 'bc', snippet: 'd', occurrence: 0 });
    const y = fingerprint({ rule: 'ab', file: 'c', snippet: 'd', occurrence: 0 });
    expect(x).not.toBe(y);
  });

  it('treats Windows separators and a leading ./ as the same file', () => {
    expect(fingerprint({ ...base, file: 'agents\\run.py' })).toBe(fingerprint(base));
    expect(fingerprint({ ...base, file: './agents/run.py' })).toBe(fingerprint(base));
  });
});

describe('normaliseSnippet', () => {
  it('collapses whitespace runs and trims', () => {
    expect(normaliseSnippet('  a  =\t\tb \n c  ')).toBe('a = b c');
    expect(normaliseSnippet('')).toBe('');
  });
});
