import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Log } from 'sarif';
import type { ScanResult } from '../engine/types.js';
import { repoRoot, runCli } from './helpers/run-cli.js';
import { sarifValidator } from './helpers/sarif-schema.js';

const VULNERABLE = 'import os\nresult = llm.invoke(q)\neval(result)\n';
const ANSI = /\x1b\[[0-9;]*m/;

let tmp: string;
let vulnerable: string;
let clean: string;

function dir(name: string, files: Record<string, string>): string {
  const d = path.join(tmp, name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, rel)), { recursive: true });
    writeFileSync(path.join(d, rel), text);
  }
  return d;
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'agentcop-cli-'));
  vulnerable = dir('vulnerable', { 'app.py': VULNERABLE });
  clean = dir('clean', { 'ok.py': 'def add(a, b):\n    return a + b\n' });
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('usage and I/O errors exit 2 with a message', () => {
  it('a path that does not exist', async () => {
    const r = await runCli(['scan', path.join(tmp, 'no-such-dir')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^agentcop: .*no-such-dir/m);
    expect(r.stdout).toBe('');
  });

  it('a config with an unknown key', async () => {
    const d = dir('bad-config', { 'app.py': VULNERABLE, '.agentcop.yml': 'min_scor: 70\n' });
    const r = await runCli(['scan', d]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^agentcop: .*\.agentcop\.yml.*min_scor/m);
  });

  it('a --config file that does not exist', async () => {
    const r = await runCli(['scan', clean, '--config', path.join(tmp, 'missing.yml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^agentcop: config file not found/m);
  });

  it('an unknown option, a bad choice and a bad number', async () => {
    for (const args of [['scan', clean, '--frobnicate'], ['scan', clean, '--format', 'xml'], ['scan', clean, '--min-score', 'lots'], ['scan', clean, '--fail-on', 'severe']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^agentcop: /m);
    }
  });

  it('a baseline that is not a baseline', async () => {
    const bad = path.join(tmp, 'bad-baseline.json');
    writeFileSync(bad, '{"fingerprints": 3}');
    const r = await runCli(['scan', clean, '--baseline', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^agentcop: baseline/m);
  });
});

describe('agentcop scan', () => {
  it('--format json prints a ScanResult with the finding', async () => {
    const r = await runCli(['scan', vulnerable, '--format', 'json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as ScanResult;
    for (const key of ['scan_id', 'trust_score', 'risk_level', 'total_issues', 'issues', 'suppressed_issues', 'files_scanned', 'frameworks', 'permissions', 'notices', 'scan_time_ms', 'created_at']) {
      expect(result, key).toHaveProperty(key);
    }
    expect(result.files_scanned).toBe(1);
    expect(result.total_issues).toBeGreaterThanOrEqual(1);
    expect(result.issues[0]).toMatchObject({ file: 'app.py', owasp: expect.stringMatching(/^LLM\d\d$/) });
    expect(result.trust_score).toBeLessThan(100);
  });

  it('--format sarif is valid SARIF 2.1.0 with the finding', async () => {
    const r = await runCli(['scan', vulnerable, '--format', 'sarif']);
    expect(r.code).toBe(0);
    const log = JSON.parse(r.stdout) as Log;
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const results = log.runs[0].results!;
    expect(results.length).toBeGreaterThanOrEqual(1);
    expect(results[0].locations![0].physicalLocation!.artifactLocation!.uri).toBe('app.py');
  });

  it('--format markdown and --output write the report to a file', async () => {
    const out = path.join(tmp, 'reports', 'report.md');
    const r = await runCli(['scan', vulnerable, '--format', 'markdown', '--output', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const md = readFileSync(out, 'utf8');
    expect(md).toContain('# AgentCop report');
    expect(md).toContain('`app.py:3`');
    expect(r.stderr).toContain(out);
  });

  it('text output has no colour codes when stdout is not a terminal, and ends with the score', async () => {
    const r = await runCli(['scan', vulnerable]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(ANSI);
    expect(r.stdout).toContain('app.py');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^Trust score \d+\/100 \((LOW|MODERATE|HIGH|CRITICAL)\)/);
  });

  it('scans the current folder when no path is given', async () => {
    const r = await runCli(['scan', '--format', 'json'], { cwd: vulnerable });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as ScanResult).files_scanned).toBe(1);
  });

  it('a clean folder passes every gate', async () => {
    const r = await runCli(['scan', clean, '--format', 'json', '--min-score', '100', '--fail-on', 'low']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ trust_score: 100, risk_level: 'SAFE', total_issues: 0 });
  });
});

describe('thresholds', () => {
  it('--fail-on exits 1 on an issue at or above the severity', async () => {
    const r = await runCli(['scan', vulnerable, '--fail-on', 'high', '--quiet']);
    expect(r.code).toBe(1);
  });

  it('--min-score exits 1 below the score', async () => {
    const r = await runCli(['scan', vulnerable, '--min-score', '100']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/below the minimum 100/);
  });

  it('config min_score and fail_on apply when flags are absent, and flags win', async () => {
    const d = dir('gated', { 'app.py': VULNERABLE, '.agentcop.yml': 'fail_on: medium\n' });
    expect((await runCli(['scan', d])).code).toBe(1);
    expect((await runCli(['scan', d, '--fail-on', 'none'])).code).toBe(0);
  });

  it('config ignore globs keep files out of the scan', async () => {
    const d = dir('ignored', { 'tests/app.py': VULNERABLE, 'src/ok.py': 'x = 1\n', '.agentcop.yml': 'ignore: ["tests/**"]\n' });
    const r = await runCli(['scan', d, '--format', 'json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ files_scanned: 1, total_issues: 0 });
  });
});

describe('baselines', () => {
  it('--write-baseline then --baseline suppresses every current issue', async () => {
    const baseline = path.join(tmp, 'baseline.json');
    const w = await runCli(['scan', vulnerable, '--write-baseline', baseline, '--quiet']);
    expect(w.code).toBe(0);
    const written = JSON.parse(readFileSync(baseline, 'utf8'));
    expect(written.version).toBe(1);
    expect(written.fingerprints.length).toBeGreaterThanOrEqual(1);

    const r = await runCli(['scan', vulnerable, '--baseline', baseline, '--format', 'json', '--fail-on', 'low']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as ScanResult;
    expect(result.total_issues).toBe(0);
    expect(result.trust_score).toBe(100);
    expect(result.suppressed_issues.length).toBe(written.fingerprints.length);
    expect(result.suppressed_issues.every((i) => i.suppressed?.kind === 'baseline')).toBe(true);

    // A plain array of fingerprints is accepted too, and suppressed issues stay in SARIF.
    writeFileSync(baseline, JSON.stringify(written.fingerprints));
    const s = await runCli(['scan', vulnerable, '--baseline', baseline, '--format', 'sarif']);
    const results = (JSON.parse(s.stdout) as Log).runs[0].results!;
    expect(results.length).toBe(written.fingerprints.length);
    expect(results.every((x) => x.suppressions?.[0].kind === 'external')).toBe(true);
  });
});

describe('other commands', () => {
  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('rules --format json lists every rule with its ids', async () => {
    const r = await runCli(['rules', '--format', 'json']);
    expect(r.code).toBe(0);
    const rules = JSON.parse(r.stdout) as { id: string; owasp: string; cwe: string; severity: string; title: string }[];
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.id).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/);
      expect(rule.owasp).toMatch(/^LLM\d\d$/);
      expect(rule.cwe).toMatch(/^CWE-\d+$/);
      expect(rule.title).toBeTruthy();
    }
    const text = await runCli(['rules']);
    expect(text.stdout).toContain(rules[0].id);
  });

  it('scan --help states the defaults and the exit codes', async () => {
    const r = await runCli(['scan', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--min-score[\s\S]*else 0/);
    expect(r.stdout).toMatch(/--fail-on[\s\S]*else none/);
    expect(r.stdout).toContain('Exit codes');
  });
});
