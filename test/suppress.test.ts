import { describe, expect, it } from 'vitest';
import { BaselineError, isSuppressed, parseSuppressions, readBaseline, writeBaseline } from '../engine/suppress.js';

const shell = { rule: 'output-handling/shell-injection', owasp: 'LLM05', asi: 'ASI05' };
const at = (line: number) => ({ ...shell, line });

/** 1-based line of the first line containing `needle`. */
const lineOf = (src: string, needle: string) => src.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('parseSuppressions', () => {
  it('reads targets and reason from # and // comments', () => {
    const src = [
      'x = run(cmd)  # agentcop: ignore[output-handling/shell-injection, LLM01] fixed menu upstream',
      'y = run(cmd) // agentcop: ignore[LLM05] - vetted by the allow-list',
      '# agentcop: ignore',
      '#agentcop:ignore   whole block is a test double',
    ].join('\n');
    const map = parseSuppressions(src);
    expect(map.get(1)).toEqual({ targets: ['output-handling/shell-injection', 'LLM01'], reason: 'fixed menu upstream', commentOnly: false });
    expect(map.get(2)).toEqual({ targets: ['LLM05'], reason: 'vetted by the allow-list', commentOnly: false });
    expect(map.get(3)).toEqual({ targets: 'all', reason: '', commentOnly: true });
    expect(map.get(4)).toEqual({ targets: 'all', reason: 'whole block is a test double', commentOnly: true });
    expect(map.size).toBe(4);
  });

  it('ignores the directive inside strings, on the same line or across lines', () => {
    const src = [
      'msg = "# agentcop: ignore[LLM05] not a comment"',
      "url = 'http://x // agentcop: ignore'",
      'PROMPT = """You are helpful.',
      '# agentcop: ignore  <- this is prompt text an attacker could supply',
      '"""',
      'const t = `',
      '// agentcop: ignore[LLM01]',
      '`;',
      'ok = "it\'s fine"  # agentcop: ignore[LLM02] real comment after a string holding the other quote',
      'q = "say \\" # agentcop: ignore"  # an escaped quote does not end the string',
    ].join('\n');
    const map = parseSuppressions(src);
    expect([...map.keys()]).toEqual([9]);
    expect(map.get(9)?.targets).toEqual(['LLM02']);
  });

  it('needs the exact word `ignore` and a comment that says agentcop', () => {
    const src = ['# agentcop: ignored for now', '# agentcop: ignore-next-line', '# notagentcop: ignore', '# agentcop:ignore[]'].join('\n');
    expect(parseSuppressions(src).size).toBe(0);
  });

  it('reads block and HTML comments too', () => {
    const map = parseSuppressions(['run(x) /* agentcop: ignore[LLM05] reviewed */', '<!-- agentcop: ignore[LLM01] quoted example -->'].join('\n'));
    expect(map.get(1)).toMatchObject({ targets: ['LLM05'], reason: 'reviewed', commentOnly: false });
    expect(map.get(2)).toMatchObject({ targets: ['LLM01'], reason: 'quoted example', commentOnly: true });
  });

  it('does not take a regex literal or a private field for a comment', () => {
    const src = ['const re = /"/; // agentcop: ignore[LLM05] after a regex', 'this.#secret = run(x); // agentcop: ignore[LLM02] private field'].join('\n');
    const map = parseSuppressions(src, { syntax: 'javascript' });
    expect(map.get(1)?.targets).toEqual(['LLM05']);
    expect(map.get(2)?.targets).toEqual(['LLM02']);
  });

  it('honours the language: `#` is not a comment in JavaScript, `//` is division in Python', () => {
    expect(parseSuppressions('x = a # agentcop: ignore', { syntax: 'javascript' }).size).toBe(0);
    expect(parseSuppressions('x = a // agentcop: ignore', { syntax: 'python' }).size).toBe(0);
  });

  it('reads comments in notebook cells at the notebook’s own line numbers', () => {
    const nb = {
      cells: [
        { cell_type: 'markdown', source: ['# agentcop: ignore is only text in markdown? it is still a cell string\n'] },
        {
          cell_type: 'code',
          source: ['import subprocess\n', '# agentcop: ignore[LLM05] notebook demo only\n', 'subprocess.run(cmd, shell=True)\n', 'x = "# agentcop: ignore"\n'],
        },
      ],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    };
    const text = JSON.stringify(nb, null, 1);
    const map = parseSuppressions(text);
    const comment = lineOf(text, 'notebook demo only');
    expect(map.get(comment)).toEqual({ targets: ['LLM05'], reason: 'notebook demo only', commentOnly: true });
    expect(map.has(lineOf(text, 'x = \\"# agentcop'))).toBe(false);
    expect(isSuppressed(at(lineOf(text, 'subprocess.run')), map)).toEqual({ justification: 'notebook demo only', line: comment });
  });

  it('returns nothing quickly for files without the word', () => {
    expect(parseSuppressions('x = 1\n'.repeat(100_000)).size).toBe(0);
  });

  it('stays linear on hostile lines', () => {
    const lines = ['=/['.repeat(300_000), '"'.repeat(1 << 20), '/*'.repeat(1 << 19), "'''".repeat(300_000), '<!--'.repeat(250_000)];
    // CPU time, not wall time: a loaded machine must not fail this, catastrophic backtracking would.
    const started = process.cpuUsage();
    for (const l of lines) parseSuppressions(l + ' # agentcop: ignore');
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1000).toBeLessThan(5000);
  });
});

describe('isSuppressed', () => {
  it('applies on the issue’s own line', () => {
    const map = parseSuppressions('subprocess.run(cmd, shell=True)  # agentcop: ignore[LLM05] fixed menu');
    expect(isSuppressed(at(1), map)).toEqual({ justification: 'fixed menu', line: 1 });
  });

  it('applies from a comment-only line just above', () => {
    const src = ['def run(cmd):', '    # agentcop: ignore[LLM05] the command comes from a fixed menu', '    subprocess.run(cmd, shell=True)'].join('\n');
    const map = parseSuppressions(src);
    expect(isSuppressed(at(3), map)).toEqual({ justification: 'the command comes from a fixed menu', line: 2 });
  });

  it('does not reach down from a trailing comment on a code line', () => {
    const src = ['cmd = menu[choice]  # agentcop: ignore[LLM05] reviewed', 'subprocess.run(cmd, shell=True)'].join('\n');
    const map = parseSuppressions(src);
    expect(isSuppressed(at(1), map)).not.toBeNull();
    expect(isSuppressed(at(2), map)).toBeNull();
  });

  it('reaches one line only', () => {
    const src = ['# agentcop: ignore[LLM05] reviewed', '', 'subprocess.run(cmd, shell=True)'].join('\n');
    expect(isSuppressed(at(3), parseSuppressions(src))).toBeNull();
  });

  it('matches targets by rule id, LLM id, ASI id and rule category, and nothing else', () => {
    const check = (targets: string) => isSuppressed(at(1), parseSuppressions(`run(x)  # agentcop: ignore[${targets}] why`)) !== null;
    expect(check('output-handling/shell-injection')).toBe(true);
    expect(check('Output-Handling/Shell-Injection')).toBe(true);
    expect(check('LLM05')).toBe(true);
    expect(check('llm5')).toBe(true);
    expect(check('ASI05')).toBe(true);
    expect(check('output-handling')).toBe(true);
    expect(check('output-handling/*')).toBe(true);
    expect(check('LLM01, prompt-injection/user-input-in-prompt')).toBe(false);
    expect(check('LLM50')).toBe(false);
    expect(check('shell-injection')).toBe(false);
    expect(check('output')).toBe(false);
    expect(check('LLM01 LLM05')).toBe(true);
    expect(check('*')).toBe(true);
  });

  it('says so when no reason was given', () => {
    expect(isSuppressed(at(1), parseSuppressions('run(x)  # agentcop: ignore[LLM05]'))).toEqual({ justification: 'suppressed inline without a reason', line: 1 });
  });

  it('works on a map that went through a worker as entries', () => {
    const map = new Map([...parseSuppressions('# agentcop: ignore[LLM05] ok\nrun(x)')]);
    expect(isSuppressed(at(2), map)?.justification).toBe('ok');
  });
});

describe('baseline', () => {
  const a = 'a'.repeat(32);
  const b = '0123456789abcdef0123456789abcdef';

  it('writes sorted, de-duplicated, version 1, pretty JSON with a trailing newline', () => {
    const text = writeBaseline([b, a, b]);
    expect(text).toBe(`{\n  "version": 1,\n  "fingerprints": [\n    "${b}",\n    "${a}"\n  ]\n}\n`);
    expect(writeBaseline(new Set([a, b]))).toBe(writeBaseline([b, a]));
    expect(writeBaseline([])).toBe('{\n  "version": 1,\n  "fingerprints": []\n}\n');
  });

  it('reads what it writes, and a plain array', () => {
    expect(readBaseline(writeBaseline([a, b]))).toEqual(new Set([a, b]));
    expect(readBaseline(JSON.stringify([a, b]))).toEqual(new Set([a, b]));
    expect(readBaseline(`\uFEFF{"fingerprints": ["${a.toUpperCase()}"], "generated_by": "agentcop"}`)).toEqual(new Set([a]));
  });

  it.each([
    ['empty text', '', /empty/],
    ['not JSON', 'fingerprints: [abc]', /not valid JSON/],
    ['a number', '42', /is a number/],
    ['null', 'null', /is a null/],
    ['an object without fingerprints', '{"version":1}', /no "fingerprints"/],
    ['a fingerprints object', '{"version":1,"fingerprints":{"a":1}}', /expected/],
    ['another version', `{"version":2,"fingerprints":["${a}"]}`, /version 2 is not supported/],
    ['a non-string entry', '[1, 2]', /entry 0 is not a fingerprint/],
    ['a non-fingerprint string', `["${a}", "not a fingerprint"]`, /entry 1 is not a fingerprint/],
    ['a scan result', '{"scan_id":"scan_x","issues":[]}', /no "fingerprints"/],
  ])('refuses %s with a clear error', (_, text, message) => {
    expect(() => readBaseline(text)).toThrow(BaselineError);
    expect(() => readBaseline(text)).toThrow(message);
  });
});
