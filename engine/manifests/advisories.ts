/**
 * The advisory table (engine/data/advisories.json) and lookups into it. The table ships with the
 * engine as data, not code: the scanner has no network, so what it knows about vulnerable
 * releases is exactly this file, reviewed like any other change.
 */
import table from '../data/advisories.json' with { type: 'json' };
import type { Severity } from '../types.js';
import { packageKey, type Ecosystem } from './types.js';

export interface Advisory {
  /** CVE id when there is one, else the GHSA id. */
  id: string;
  /** Other ids of the same advisory (GHSA for a CVE). */
  aliases: string[];
  package: string;
  ecosystem: Ecosystem;
  /** Ranges in the ecosystem's syntax; a version in any of them is affected. */
  affected: string[];
  /** First fixed version of each range. */
  fixed: string[];
  severity: Severity;
  summary: string;
  url: string;
  /** Where the id, range, fix and severity were confirmed. */
  verified_from: string;
}

export const ADVISORIES: readonly Advisory[] = table.advisories as Advisory[];

const byPackage = new Map<string, Advisory[]>();
for (const a of ADVISORIES) {
  const key = `${a.ecosystem}:${packageKey(a.ecosystem, a.package)}`;
  const list = byPackage.get(key) ?? [];
  list.push(a);
  byPackage.set(key, list);
}

export function advisoriesFor(ecosystem: Ecosystem, name: string): readonly Advisory[] {
  return byPackage.get(`${ecosystem}:${packageKey(ecosystem, name)}`) ?? [];
}

