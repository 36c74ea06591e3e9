import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BaselineError, baselineOf, readBaseline as readBaselineFile } from '../engine/baseline.js';
import type { ScanResult } from '../engine/types.js';
import { UsageError } from './errors.js';

export { baselineOf, type BaselineFile } from '../engine/baseline.js';

/** The engine's reader, with its errors as usage errors (exit 2, message, no stack). */
export async function readBaseline(file: string): Promise<Set<string>> {
  try {
    return await readBaselineFile(file);
  } catch (err) {
    throw err instanceof BaselineError ? new UsageError(err.message) : err;
  }
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
