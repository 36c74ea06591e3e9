import { describe, expect, it } from 'vitest';
import { riskLevel, SEVERITY_WEIGHT, severityAtLeast, severityRank, trustScore, type ScoredIssue } from '../engine/score.js';
import type { Severity } from '../engine/types.js';

let n = 0;
const issue = (rule: string, severity: Severity, extra: Partial<ScoredIssue> = {}): ScoredIssue => ({ rule, severity, file: 'a.py', line: ++n, ...extra });

describe('trustScore', () => {
  it('is 100 with no issues and with only INFO issues', () => {
    expect(trustScore([])).toBe(100);
    expect(trustScore([issue('x/info', 'INFO'), issue('y/info', 'INFO')])).toBe(100);
  });

  it('takes the architecture weights off 100', () => {
    expect(SEVERITY_WEIGHT).toEqual({ CRITICAL: 25, HIGH: 15, MEDIUM: 8, LOW: 3, INFO: 0 });
    expect(trustScore([issue('a/crit', 'CRITICAL')])).toBe(75);
    expect(trustScore([issue('a/high', 'HIGH')])).toBe(85);
    expect(trustScore([issue('a/med', 'MEDIUM')])).toBe(92);
    expect(trustScore([issue('a/low', 'LOW')])).toBe(97);
    // Different rules each count in full: 100 - 25 - 15 - 8 - 3.
    expect(trustScore([issue('a', 'CRITICAL'), issue('b', 'HIGH'), issue('c', 'MEDIUM'), issue('d', 'LOW')])).toBe(49);
  });

  it('halves each further hit of the same rule and rounds', () => {
    // 100 - 15 - 7.5 = 77.5 -> 78
    expect(trustScore([issue('r/high', 'HIGH'), issue('r/high', 'HIGH')])).toBe(78);
    // 100 - 15 - 7.5 - 3.75 = 73.75 -> 74
    expect(trustScore([issue('r/high', 'HIGH'), issue('r/high', 'HIGH'), issue('r/high', 'HIGH')])).toBe(74);
    // Halving per rule, not globally: two rules, two hits each: 100 - (15 + 7.5) - (8 + 4) = 65.5 -> 66
    expect(trustScore([issue('h', 'HIGH'), issue('m', 'MEDIUM'), issue('h', 'HIGH'), issue('m', 'MEDIUM')])).toBe(66);
  });

  it('never goes below 0 for many different rules, and converges for many hits of one rule', () => {
    expect(trustScore(Array.from({ length: 10 }, (_, i) => issue(`rule-${i}`, 'CRITICAL')))).toBe(0);
    // A geometric series: 25 * (2 - 2^-99) ≈ 50, so a hundred copies of one CRITICAL pattern cost 50.
    expect(trustScore(Array.from({ length: 100 }, () => issue('same', 'CRITICAL')))).toBe(50);
  });

  it('takes the heaviest hit of a rule first, whatever order the rules reported in', () => {
    // A severity override can make one rule report at two severities; the CRITICAL hit counts in full.
    const a = [issue('r', 'LOW', { file: 'a.py', line: 1 }), issue('r', 'CRITICAL', { file: 'b.py', line: 9 })];
    expect(trustScore(a)).toBe(Math.round(100 - 25 - 3 / 2)); // 73.5 -> 74
    expect(trustScore([...a].reverse())).toBe(trustScore(a));
  });

  it('is deterministic under any input order', () => {
    const list = [
      issue('x', 'HIGH', { file: 'b.py', line: 3 }),
      issue('x', 'MEDIUM', { file: 'a.py', line: 7 }),
      issue('y', 'LOW', { file: 'c.py', line: 1 }),
      issue('x', 'HIGH', { file: 'a.py', line: 2 }),
      issue('y', 'CRITICAL', { file: 'c.py', line: 5 }),
    ];
    const expected = trustScore(list);
    for (let i = 0; i < 20; i++) {
      const shuffled = [...list].sort(() => Math.random() - 0.5);
      expect(trustScore(shuffled)).toBe(expected);
    }
    // x: 15 + 7.5 + 8/4 = 24.5; y: 25 + 1.5 = 26.5; 100 - 51 = 49
    expect(expected).toBe(49);
  });

  it('leaves suppressed issues out', () => {
    const s = issue('r', 'CRITICAL', { suppressed: { kind: 'inline', justification: 'fixed menu' } });
    expect(trustScore([s])).toBe(100);
    expect(trustScore([s, issue('r', 'HIGH')])).toBe(85);
  });

  it('does not reorder the caller’s array', () => {
    const list = [issue('a', 'LOW'), issue('b', 'CRITICAL')];
    const before = list.map((i) => i.rule);
    trustScore(list);
    expect(list.map((i) => i.rule)).toEqual(before);
  });
});

describe('riskLevel', () => {
  it('is SAFE when nothing above INFO remains, whatever the score', () => {
    expect(riskLevel(100, [])).toBe('SAFE');
    expect(riskLevel(100, [issue('i', 'INFO')])).toBe('SAFE');
    expect(riskLevel(100, [issue('r', 'HIGH', { suppressed: { kind: 'baseline', justification: 'known' } })])).toBe('SAFE');
  });

  it('bands the score once there is a real issue', () => {
    const one = [issue('r', 'LOW')];
    expect(riskLevel(100, one)).toBe('LOW');
    expect(riskLevel(80, one)).toBe('LOW');
    expect(riskLevel(79, one)).toBe('MODERATE');
    expect(riskLevel(60, one)).toBe('MODERATE');
    expect(riskLevel(59, one)).toBe('HIGH');
    expect(riskLevel(40, one)).toBe('HIGH');
    expect(riskLevel(39, one)).toBe('CRITICAL');
    expect(riskLevel(0, one)).toBe('CRITICAL');
  });

  it('agrees with trustScore end to end', () => {
    const issues = [issue('r/high', 'HIGH'), issue('r/high', 'HIGH')];
    const score = trustScore(issues);
    expect([score, riskLevel(score, issues)]).toEqual([78, 'MODERATE']);
    const worse = [issue('a', 'CRITICAL'), issue('b', 'CRITICAL'), issue('c', 'HIGH')];
    expect([trustScore(worse), riskLevel(trustScore(worse), worse)]).toEqual([35, 'CRITICAL']);
  });
});

describe('severity helpers', () => {
  it('ranks higher as more severe', () => {
    expect(['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].map((s) => severityRank(s as Severity))).toEqual([0, 1, 2, 3, 4]);
  });

  it('treats a threshold as inclusive', () => {
    expect(severityAtLeast('HIGH', 'HIGH')).toBe(true);
    expect(severityAtLeast('CRITICAL', 'HIGH')).toBe(true);
    expect(severityAtLeast('MEDIUM', 'HIGH')).toBe(false);
    expect(severityAtLeast('INFO', 'INFO')).toBe(true);
    expect(severityAtLeast('LOW', 'CRITICAL')).toBe(false);
  });
});
