import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AgentcopConfig } from './config.js';
import type { Notice, ScanResult } from './types.js';

export interface BaselineFile {
  version: 1;
  fingerprints: string[];
}

/** A baseline file that is missing or malformed; `notFound` lets a caller treat a first run gently. */
export class BaselineError extends Error {
  constructor(
    message: string,
    readonly notFound = false,
  ) {
    super(message);
  }
}

/** `{"version":1,"fingerprints":[...]}`, or a bare array of fingerprints. */
export async function readBaseline(file: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BaselineError(`baseline file not found: ${file}`, true);
    throw new BaselineError(`cannot read baseline ${file}: ${code ?? (err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new BaselineError(`baseline ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const list = Array.isArray(data) ? data : (data as { fingerprints?: unknown } | null)?.fingerprints;
  if (!Array.isArray(list) || !list.every((f) => typeof f === 'string')) {
    throw new BaselineError(`baseline ${file} must be {"version":1,"fingerprints":["..."]} or an array of fingerprint strings`);
  }
  return new Set(list as string[]);
}

/**
 * The baseline named by `baseline:` in the config. Its path is relative to the config file, like
 * every other path in it (to the scan root when the config was found there). A missing file is a
 * notice, not an error: on the first run, before anyone wrote it, scanning without it only reports more.
 */
export async function loadConfiguredBaseline(
  config: AgentcopConfig,
  where: { root: string; configFile?: string },
): Promise<{ baseline?: Set<string>; notices: Notice[] }> {
  if (!config.baseline) return { notices: [] };
  const base = where.configFile ? path.dirname(path.resolve(where.configFile)) : where.root;
  try {
    return { baseline: await readBaseline(path.resolve(base, config.baseline)), notices: [] };
  } catch (err) {
    if (!(err instanceof BaselineError) || !err.notFound) throw err;
    return { notices: [{ file: config.baseline, kind: 'config', message: 'baseline file named in config does not exist; nothing was suppressed by it' }] };
  }
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
