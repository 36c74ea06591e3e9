import { describe, expect, it } from 'vitest';
import { scan } from '../engine/index.js';

const vulnerable = `
import os, subprocess
from openai import OpenAI
from flask import Flask, request

app = Flask(__name__)
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

@app.route("/run", methods=["POST"])
def run():
    task = request.json["task"]
    out = client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": "Do: " + task}], max_tokens=100)
    cmd = out.choices[0].message.content
    subprocess.run(cmd, shell=True)
    return "ok"
`;

describe('scan() contract', () => {
  it('returns the ScanResult shape with OWASP, ASI, CWE, fingerprints and a score from the formula', async () => {
    const r = await scan([{ path: 'agents/run.py', content: vulnerable }]);
    expect(r.scan_id).toMatch(/^scan_[A-Za-z0-9_-]{22,}$/);
    expect(r.files_scanned).toBe(1);
    expect(r.frameworks).toEqual(expect.arrayContaining(['openai']));
    expect(r.permissions).toEqual({ network: true, filesystem: false, environment: true, subprocess: true });
    const shell = r.issues.find((i) => i.rule === 'output-handling/shell-injection')!;
    expect(shell).toMatchObject({ type: 'LLM05_IMPROPER_OUTPUT_HANDLING', owasp: 'LLM05', cwe: 'CWE-78', severity: 'CRITICAL', file: 'agents/run.py', line: 14 });
    expect(shell.code_snippet).toBe('subprocess.run(cmd, shell=True)');
    expect(shell.source).toMatchObject({ kind: 'model', line: 12 });
    expect(shell.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    const inj = r.issues.find((i) => i.owasp === 'LLM01')!;
    expect(inj).toMatchObject({ type: 'LLM01_PROMPT_INJECTION', asi: 'ASI01', line: 12 });
    // 100 - 25 (CRITICAL) - 15 (HIGH) = 60 when these are the only two findings.
    const expected = Math.max(0, 100 - r.issues.reduce((s, i) => s + ({ CRITICAL: 25, HIGH: 15, MEDIUM: 8, LOW: 3, INFO: 0 }[i.severity]), 0));
    if (new Set(r.issues.map((i) => i.rule)).size === r.issues.length) expect(r.trust_score).toBe(expected);
    expect(r.risk_level).not.toBe('SAFE');
    expect(r.total_issues).toBe(r.issues.length);
  });

  it('fingerprints survive moving code down the file', async () => {
    const a = await scan([{ path: 'a.py', content: vulnerable }]);
    const b = await scan([{ path: 'a.py', content: '\n\n\n# moved\n' + vulnerable }]);
    expect(b.issues.map((i) => i.fingerprint).sort()).toEqual(a.issues.map((i) => i.fingerprint).sort());
    expect(b.issues[0].line).toBe(a.issues[0].line + 4);
  });

  it('honours inline suppressions and keeps them out of the score', async () => {
    const src = vulnerable.replace('    subprocess.run(cmd, shell=True)', '    # agentcop: ignore[LLM05] the command comes from a fixed menu upstream\n    subprocess.run(cmd, shell=True)');
    const r = await scan([{ path: 'a.py', content: src }]);
    expect(r.issues.some((i) => i.owasp === 'LLM05')).toBe(false);
    expect(r.suppressed_issues.find((i) => i.owasp === 'LLM05')?.suppressed).toMatchObject({ kind: 'inline' });
  });

  it('honours a baseline of fingerprints', async () => {
    const first = await scan([{ path: 'a.py', content: vulnerable }]);
    const again = await scan([{ path: 'a.py', content: vulnerable }], { baseline: first.issues.map((i) => i.fingerprint) });
    expect(again.total_issues).toBe(0);
    expect(again.trust_score).toBe(100);
    expect(again.risk_level).toBe('SAFE');
    expect(again.suppressed_issues).toHaveLength(first.issues.length);
  });

  it('turns rules off and changes severities from config', async () => {
    const r = await scan([{ path: 'a.py', content: vulnerable }], {
      config: { rules: { 'output-handling/shell-injection': 'off', LLM01: 'LOW' } },
    });
    expect(r.issues.some((i) => i.rule === 'output-handling/shell-injection')).toBe(false);
    expect(r.issues.find((i) => i.owasp === 'LLM01')?.severity).toBe('LOW');
  });

  it('redacts secrets in snippets', async () => {
    const key = 'sk-proj-' + 'Ab3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5oQ7s';
    const r = await scan([{ path: 'k.py', content: `OPENAI_KEY = "${key}"\n` }]);
    const text = JSON.stringify(r);
    expect(r.issues.some((i) => i.owasp === 'LLM02')).toBe(true);
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice(10, 30));
  });

  it('reports what is safe as SAFE with score 100', async () => {
    const r = await scan([{ path: 'ok.py', content: 'import json\n\ndef add(a, b):\n    return a + b\n' }]);
    expect(r).toMatchObject({ trust_score: 100, risk_level: 'SAFE', total_issues: 0 });
  });
});

describe('hostile input', () => {
  it('recovers from syntax errors and still reports what it can', async () => {
    const broken = vulnerable + '\ndef broken(:\n    return ((\n';
    const r = await scan([{ path: 'b.py', content: broken }]);
    expect(r.issues.some((i) => i.rule === 'output-handling/shell-injection')).toBe(true);
    expect(r.notices.some((n) => n.kind === 'parse_error' && n.file === 'b.py')).toBe(true);
  });

  it('skips binary files and files over the size limit with a notice', async () => {
    const bin = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]);
    const big = 'x = 1\n'.repeat(2_000_000);
    const r = await scan([
      { path: 'weird.py', content: bin },
      { path: 'big.py', content: big },
    ]);
    expect(r.files_scanned).toBe(0);
    expect(r.notices.map((n) => [n.file, n.kind])).toEqual([
      ['weird.py', 'skipped'],
      ['big.py', 'skipped'],
    ]);
  });

  it('scans invalid UTF-8 with a notice instead of dropping the file', async () => {
    const bytes = Buffer.concat([Buffer.from('# caf\xe9\n', 'latin1'), Buffer.from(vulnerable)]);
    const r = await scan([{ path: 'latin.py', content: bytes }]);
    expect(r.files_scanned).toBe(1);
    expect(r.issues.some((i) => i.rule === 'output-handling/shell-injection')).toBe(true);
    expect(r.notices.some((n) => n.file === 'latin.py' && /UTF-8/.test(n.message))).toBe(true);
  });

  it('survives 5,000-deep nesting and a minified one-line file', async () => {
    const deep = 'x = ' + '['.repeat(5000) + '1' + ']'.repeat(5000) + '\neval(x)\n';
    const oneLine = Array.from({ length: 3000 }, (_, i) => `v${i} = ${i}`).join('; ') + '\n';
    const r = await scan([
      { path: 'deep.py', content: deep },
      { path: 'min.py', content: oneLine },
    ]);
    expect(r.files_scanned).toBe(2);
    expect(r.trust_score).toBe(100);
  });

  it('scans notebooks cell by cell with line numbers that point into the .ipynb', async () => {
    const nb = {
      cells: [
        { cell_type: 'markdown', source: ['# Demo\n'] },
        { cell_type: 'code', source: ['from openai import OpenAI\n', 'client = OpenAI()\n'] },
        { cell_type: 'code', source: ['r = client.chat.completions.create(model="gpt-4o", messages=[], max_tokens=5)\n', 'code = r.choices[0].message.content\n', 'exec(code)\n'] },
      ],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    };
    const text = JSON.stringify(nb, null, 1);
    const r = await scan([{ path: 'demo.ipynb', content: text }]);
    const issue = r.issues.find((i) => i.rule === 'output-handling/code-execution')!;
    expect(issue).toBeDefined();
    expect(text.split('\n')[issue.line - 1]).toContain('exec(code)');
  });
});

describe('worker pool', () => {
  it('gives the same result on worker threads as in one thread', async () => {
    const files = Array.from({ length: 6 }, (_, i) => ({ path: `svc${i}/app.py`, content: i % 2 ? vulnerable : vulnerable.replace('subprocess.run(cmd, shell=True)', 'print(cmd)') }));
    const one = await scan(files);
    const many = await scan(files, { threads: 2 });
    const strip = (r: typeof one) => ({ ...r, scan_id: '', scan_time_ms: 0, created_at: '' });
    expect(strip(many)).toEqual(strip(one));
    expect(one.issues.filter((i) => i.rule === 'output-handling/shell-injection')).toHaveLength(3);
  });
});
