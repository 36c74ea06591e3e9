import { describe, expect, it } from 'vitest';
import type { Log } from 'sarif';
import { formatResult, toSarif } from '../engine/report/index.js';
import type { Issue, ScanResult } from '../engine/types.js';
import { sarifValidator } from './helpers/sarif-schema.js';

const ANSI = /\x1b\[[0-9;]*m/;

function issue(over: Partial<Issue>): Issue {
  return {
    id: 'issue_001',
    type: 'LLM05_IMPROPER_OUTPUT_HANDLING',
    rule: 'output-handling/code-execution',
    severity: 'CRITICAL',
    title: 'Model output executed as code',
    description: 'Model output (line 2) reaches eval().',
    file: 'agents/bot.py',
    line: 3,
    column: 1,
    end_line: 3,
    code_snippet: 'eval(result)',
    fix: 'Never execute model output.',
    owasp: 'LLM05',
    asi: 'ASI05',
    cwe: 'CWE-95',
    fingerprint: 'a'.repeat(32),
    source: { kind: 'model', line: 2, description: 'the output of llm.invoke()' },
    ...over,
  };
}

function sample(): ScanResult {
  return {
    scan_id: 'scan_abcdefghijklmnopqrstuv',
    trust_score: 52,
    risk_level: 'HIGH',
    total_issues: 3,
    issues: [
      issue({}),
      issue({
        id: 'issue_002',
        rule: 'custom/not-in-registry',
        type: 'LLM01_PROMPT_INJECTION',
        severity: 'MEDIUM',
        title: 'A rule this build does not know',
        description: 'User input goes into the prompt.',
        file: 'web/app.ts',
        line: 10,
        column: 5,
        end_line: 11,
        code_snippet: 'const p = `say ${x}`; // ``` fence inside',
        fix: 'Fence user input.',
        owasp: 'LLM01',
        asi: undefined,
        cwe: 'CWE-1427',
        fingerprint: 'b'.repeat(32),
        source: undefined,
      }),
      issue({ id: 'issue_003', severity: 'LOW', rule: 'x/low', title: 'Low thing', file: 'dir with space/a.py', line: 1, fingerprint: 'c'.repeat(32), source: undefined }),
    ],
    suppressed_issues: [
      issue({ id: 'issue_004', line: 7, fingerprint: 'd'.repeat(32), suppressed: { kind: 'inline', justification: 'fixed menu' } }),
      issue({ id: 'issue_005', severity: 'HIGH', rule: 'x/high', line: 9, fingerprint: 'e'.repeat(32), suppressed: { kind: 'baseline', justification: 'in the baseline file' } }),
    ],
    files_scanned: 4,
    frameworks: ['langchain'],
    permissions: { network: true, filesystem: false, environment: true, subprocess: false },
    notices: [{ file: 'big.py', kind: 'skipped', message: 'larger than 2097152 bytes' }],
    scan_time_ms: 1234,
    created_at: '2026-04-06T14:23:11Z',
  };
}

describe('json report', () => {
  it('is the ScanResult itself, pretty-printed', () => {
    const out = formatResult(sample(), 'json');
    expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(sample())));
    expect(out).toContain('\n  "trust_score": 52');
  });
});

describe('sarif report', () => {
  const log = JSON.parse(formatResult(sample(), 'sarif')) as Log;
  const run = log.runs[0];

  it('validates against the SARIF 2.1.0 schema', () => {
    const validate = sarifValidator();
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('is checked by a schema that does reject broken SARIF', () => {
    const broken = structuredClone(log);
    (broken.runs[0].results![0] as { level: string }).level = 'fatal';
    delete (broken.runs[0].tool.driver as { name?: string }).name;
    expect(sarifValidator()(broken)).toBe(false);
  });

  it('describes every rule that appears, including ones missing from the registry', () => {
    const ids = run.tool.driver.rules!.map((r) => r.id);
    expect(ids.sort()).toEqual(['custom/not-in-registry', 'output-handling/code-execution', 'x/high', 'x/low']);
    const known = run.tool.driver.rules!.find((r) => r.id === 'output-handling/code-execution')!;
    expect(known.name).toBe('CodeExecution');
    expect(known.shortDescription!.text).toBeTruthy();
    expect(known.fullDescription!.text).toBeTruthy();
    expect(known.help!.text).toBeTruthy();
    expect(known.help!.markdown).toContain('CWE-95');
    expect(known.helpUri).toMatch(/^https:\/\//);
    expect(known.defaultConfiguration!.level).toBe('error');
    expect(known.properties!.tags).toEqual(expect.arrayContaining(['LLM05', 'LLM05 Improper Output Handling', 'ASI05', 'CWE-95', 'security']));
    expect(known.properties!['security-severity']).toBe('9.5');
    const fallback = run.tool.driver.rules!.find((r) => r.id === 'custom/not-in-registry')!;
    expect(fallback.shortDescription!.text).toBe('A rule this build does not know');
    expect(fallback.help!.text).toBe('Fence user input.');
    expect(fallback.properties!['security-severity']).toBe('5.5');
    expect(fallback.defaultConfiguration!.level).toBe('warning');
  });

  it('gives each result its rule index, level, location, snippet and fingerprint', () => {
    expect(run.tool.driver.name).toBe('AgentCop');
    expect(run.tool.driver.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(run.results).toHaveLength(5);
    for (const r of run.results!) expect(run.tool.driver.rules![r.ruleIndex!].id).toBe(r.ruleId);
    const [crit, medium, low] = run.results!;
    expect(crit.level).toBe('error');
    expect(medium.level).toBe('warning');
    expect(low.level).toBe('note');
    const loc = medium.locations![0].physicalLocation!;
    expect(loc.artifactLocation).toEqual({ uri: 'web/app.ts', uriBaseId: '%SRCROOT%' });
    expect(loc.region).toMatchObject({ startLine: 10, startColumn: 5, endLine: 11, snippet: { text: 'const p = `say ${x}`; // ``` fence inside' } });
    expect(low.locations![0].physicalLocation!.artifactLocation!.uri).toBe('dir%20with%20space/a.py');
    expect(crit.partialFingerprints).toEqual({ 'agentcop/v1': 'a'.repeat(32) });
    // The source of a taint flow is a related location the message links to.
    expect(crit.relatedLocations![0].physicalLocation!.region!.startLine).toBe(2);
    expect(crit.message.text).toContain('[line 2](1)');
  });

  it('keeps suppressed issues as suppressions: inSource for inline, external for baseline', () => {
    const suppressed = run.results!.filter((r) => r.suppressions?.length);
    expect(suppressed).toHaveLength(2);
    expect(suppressed[0].suppressions![0]).toMatchObject({ kind: 'inSource', justification: 'fixed menu' });
    expect(suppressed[1].suppressions![0]).toMatchObject({ kind: 'external', justification: 'in the baseline file' });
    expect(run.results!.slice(0, 3).every((r) => !r.suppressions)).toBe(true);
  });

  it('carries the trust score and risk level', () => {
    expect(run.properties).toMatchObject({ trust_score: 52, risk_level: 'HIGH' });
  });

  it('is valid for a clean scan too', () => {
    const clean = { ...sample(), issues: [], suppressed_issues: [], notices: [], total_issues: 0, trust_score: 100, risk_level: 'SAFE' as const };
    const log = toSarif(clean);
    expect(sarifValidator()(log)).toBe(true);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].tool.driver.rules).toEqual([]);
  });
});

describe('markdown report', () => {
  const md = formatResult(sample(), 'markdown');

  it('leads with the score and risk level and tabulates severities and OWASP categories', () => {
    expect(md).toContain('**Trust score: 52/100**');
    expect(md).toContain('Risk level: HIGH');
    expect(md).toContain('| CRITICAL | 1 |');
    expect(md).toContain('| MEDIUM | 1 |');
    expect(md).toContain('| LLM05 Improper Output Handling | 2 |');
    expect(md).toContain('| LLM01 Prompt Injection | 1 |');
  });

  it('lists each issue with file:line, a fenced snippet that cannot be broken out of, the fix and how to suppress', () => {
    expect(md).toContain('`agents/bot.py:3`');
    expect(md).toContain('```python\neval(result)\n```');
    expect(md).toContain('````typescript\nconst p = `say ${x}`; // ``` fence inside\n````');
    expect(md).toContain('**Fix:** Never execute model output.');
    expect(md).toContain('# agentcop: ignore[output-handling/code-execution] <reason>');
    expect(md).toContain('// agentcop: ignore[custom/not-in-registry] <reason>');
    // Most severe first.
    expect(md.indexOf('CRITICAL · Model output')).toBeLessThan(md.indexOf('MEDIUM · A rule'));
  });

  it('lists suppressed issues and notices separately', () => {
    expect(md).toMatch(/## Suppressed[\s\S]*inline: fixed menu/);
    expect(md).toMatch(/## Notices[\s\S]*`big.py` skipped/);
  });
});

describe('text report', () => {
  it('groups issues by file and ends with a summary line with score and risk', () => {
    const out = formatResult(sample(), 'text', { color: false });
    expect(out).not.toMatch(ANSI);
    const lines = out.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/^Trust score 52\/100 \(HIGH\) · 3 issues \(1 critical, 1 medium, 1 low\), 2 suppressed · 4 files scanned/);
    const agentsAt = lines.indexOf('agents/bot.py');
    const webAt = lines.indexOf('web/app.ts');
    expect(agentsAt).toBeGreaterThanOrEqual(0);
    expect(webAt).toBeGreaterThan(agentsAt);
    expect(lines[agentsAt + 1]).toMatch(/^\s+3:1\s+CRITICAL\s+Model output executed as code/);
    expect(out).toContain('> eval(result)');
    expect(out).toContain('fix: Never execute model output.');
    expect(out).toContain('big.py: skipped: larger than 2097152 bytes');
  });

  it('colours only when asked', () => {
    expect(formatResult(sample(), 'text', { color: true })).toMatch(ANSI);
  });

  it('prints only the summary when quiet', () => {
    const out = formatResult(sample(), 'text', { quiet: true });
    expect(out.trim().split('\n')).toHaveLength(1);
  });

  it('says a clean scan is clean', () => {
    const clean = { ...sample(), issues: [], suppressed_issues: [], notices: [], total_issues: 0, trust_score: 100, risk_level: 'SAFE' as const };
    expect(formatResult(clean, 'text').trim()).toMatch(/^Trust score 100\/100 \(SAFE\) · 0 issues · 4 files scanned/);
    expect(formatResult(clean, 'markdown')).toContain('No issues found.');
  });
});
