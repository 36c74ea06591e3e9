/**
 * The advisory table is data the scanner trusts blindly, so its shape is tested like code: ids
 * that look like real CVE/GHSA ids, ranges every matcher can read, and fixes that really end the
 * ranges they belong to.
 */
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { scan } from '../engine/index.js';
import { ADVISORIES, advisoriesFor } from '../engine/manifests/advisories.js';
import { firstSafeVersion } from '../engine/rules/llm03/vulnerable-agent-dependency.js';
import { isValidVersion, pep440Intervals, versionAffected } from '../engine/manifests/versions.js';
import { SEVERITIES } from '../engine/types.js';

const CVE = /^CVE-\d{4}-\d{4,}$/;
const GHSA = /^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/;

describe('advisory table', () => {
  it('has a reviewed set of entries', () => {
    expect(ADVISORIES.length).toBeGreaterThanOrEqual(20);
  });

  for (const a of ADVISORIES) {
    describe(`${a.id} ${a.ecosystem}/${a.package}`, () => {
      it('is well-formed', () => {
        expect(a.id).toMatch(new RegExp(`${CVE.source}|${GHSA.source}`));
        for (const alias of a.aliases) expect(alias).toMatch(GHSA);
        expect(a.package).toMatch(a.ecosystem === 'npm' ? /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/ : /^[A-Za-z0-9][A-Za-z0-9._-]*$/);
        expect(['PyPI', 'npm']).toContain(a.ecosystem);
        expect(SEVERITIES).toContain(a.severity);
        expect(a.affected.length).toBeGreaterThan(0);
        expect(a.fixed.length).toBe(a.affected.length);
        expect(a.summary.length).toBeGreaterThan(20);
        expect(a.url).toMatch(/^https:\/\//);
        expect(a.verified_from.length).toBeGreaterThan(20);
      });

      it('has ranges the matcher reads, each bounded above by its fix', () => {
        a.affected.forEach((r, i) => {
          const fix = a.fixed[i];
          expect(isValidVersion(a.ecosystem, fix), fix).toBe(true);
          if (a.ecosystem === 'npm') {
            expect(semver.validRange(r), r).not.toBeNull();
            // The fix is the range's exclusive upper end: above it, and its `<` comparator.
            expect(semver.satisfies(fix, r, { includePrerelease: true })).toBe(false);
            expect(semver.gtr(fix, r)).toBe(true);
            const ends = new semver.Range(r).set.flat().filter((c) => c.operator === '<').map((c) => c.semver.version);
            expect(ends).toEqual([fix]);
          } else {
            const iv = pep440Intervals(r);
            expect(iv, r).not.toBeNull();
            expect(iv).toHaveLength(1);
            expect(iv![0].hi).toEqual({ version: fix, inclusive: false });
          }
        });
      });

      it('does not cover its own fixed versions', () => {
        for (const fix of a.fixed) expect(versionAffected(a.ecosystem, fix, a.affected), fix).toBe(false);
      });
    });
  }

  it('has no duplicate advisory for one package', () => {
    const keys = ADVISORIES.map((a) => `${a.ecosystem}:${a.package}:${a.id}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('finds advisories by normalised name', () => {
    expect(advisoriesFor('PyPI', 'LangChain_Core').length).toBeGreaterThan(0);
    expect(advisoriesFor('PyPI', 'langchain-community')).toEqual([]);
    expect(advisoriesFor('npm', '@langchain/core').length).toBeGreaterThan(0);
    // The same name in the other registry is another package.
    expect(advisoriesFor('npm', 'transformers')).toEqual([]);
  });
});

describe('supply-chain/vulnerable-agent-dependency in a scan', () => {
  const RULE = 'supply-chain/vulnerable-agent-dependency';

  it('takes the advisory severity for a pin, one step lower for a range, and names the way out', async () => {
    const r = await scan([{ path: 'requirements.txt', content: 'langchain-core==1.0.3\nlangchain-core>=1.2,<2\n' }]);
    const [pin, rng] = r.issues.filter((i) => i.rule === RULE);
    expect(pin).toMatchObject({ line: 1, severity: 'CRITICAL', owasp: 'LLM03', asi: 'ASI04', cwe: 'CWE-1395' });
    expect(pin.description).toContain('CVE-2025-68664');
    // 1.0.7 fixes one advisory, 1.2.5 the next, 1.2.28 and 1.3.3 the rest: advice must clear them all.
    expect(pin.description).toContain('Upgrade to 1.3.3 or later');
    // >=1.2 still admits 1.2.0-1.2.4 (CVE-2025-68664, CRITICAL): one step lower for a range.
    expect(rng).toMatchObject({ line: 2, severity: 'HIGH' });
    expect(rng.description).toContain('allows vulnerable versions');
  });

  it('lets a configured severity win over the advisory one', async () => {
    const r = await scan([{ path: 'package.json', content: '{"dependencies":{"mcp-remote":"0.1.15"}}' }], { config: { rules: { [RULE]: 'LOW' } } });
    expect(r.issues.find((i) => i.rule === RULE)?.severity).toBe('LOW');
  });

  it('says so when a package.json is not JSON', async () => {
    const r = await scan([{ path: 'package.json', content: '{"dependencies": {"mcp-remote": "0.1.15",' }]);
    expect(r.issues).toEqual([]);
    expect(r.notices.some((n) => n.kind === 'parse_error' && n.file === 'package.json')).toBe(true);
  });

  it('finds the first release past every advisory of a package', () => {
    const known = advisoriesFor('PyPI', 'langchain');
    expect(firstSafeVersion('PyPI', '0.0.200', known)).toBe('0.1.11');
    expect(firstSafeVersion('PyPI', '0.2.0', known)).toBeUndefined();
  });
});
