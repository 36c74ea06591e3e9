import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ScanResult } from '../engine/types.js';
import { UsageError } from './errors.js';

export interface BaselineFile {
  version: 1;
  fingerprints: string[];
}

/** `{"version":1,"fingerprints":[...]}`, or a bare array of fingerprints. */
export async function readBaseline(file: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `baseline file not found: ${file}` : `cannot read baseline ${file}: ${code ?? (err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`baseline ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const list = Array.isArray(data) ? data : (data as { fingerprints?: unknown } | null)?.fingerprints;
  if (!Array.isArray(list) || !list.every((f) => typeof f === 'string')) {
    throw new UsageError(`baseline ${file} must be {"version":1,"fingerprints":["..."]} or an array of fingerprint strings`);
  }
  return new Set(list as string[]);
}

/**
 * Everything that is an accepted finding after this run: the open issues plus those the old
 * baseline already covered, so rewriting a baseline never drops an entry that still matches.
 */
export function baselineOf(result: ScanResult): BaselineFile {
  const fps = new Set<string>(result.issues.map((i) => i.fingerprint));
  for (const i of result.suppressed_issues ?? []) if (i.suppressed?.kind === 'baseline') fps.add(i.fingerprint);
  return { version: 1, fingerprints: [...fps].sort() };
}

export async function writeBaseline(file: string, result: ScanResult): Promise<number> {
  const data = baselineOf(result);
  try {
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
  } catch (err) {
    throw new UsageError(`cannot write baseline ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return data.fingerprints.length;
}
