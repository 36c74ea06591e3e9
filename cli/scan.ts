import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, type FailOn } from '../engine/config.js';
import { collectFiles, resolveRoot } from '../engine/files.js';
import { scan } from '../engine/index.js';
import { BaselineError, loadConfiguredBaseline } from '../engine/baseline.js';
import { gateFailures } from '../engine/gate.js';
import { formatResult, summaryLine, type ReportFormat } from '../engine/report/index.js';
import type { Notice } from '../engine/types.js';
import { readBaseline, writeBaseline } from './baseline.js';
import { UsageError } from './errors.js';
import { progressLine } from './progress.js';

export interface ScanCommandOptions {
  format: ReportFormat;
  output?: string;
  minScore?: number;
  failOn?: FailOn;
  config?: string;
  baseline?: string;
  writeBaseline?: string;
  framework?: string;
  color: boolean;
  quiet?: boolean;
}

/** Runs `agentcop scan` and returns the exit code. */
export async function scanCommand(paths: string[], opts: ScanCommandOptions): Promise<number> {
  const root = await resolveRoot(paths);
  const config = await loadConfig(root, opts.config);
  const extraNotices: Notice[] = [];

  let baseline: Set<string> | undefined;
  if (opts.baseline) {
    baseline = await readBaseline(opts.baseline);
  } else if (config.baseline) {
    // Not there yet (first run, about to --write-baseline) is a notice: scanning without it only reports more.
    let configured;
    try {
      configured = await loadConfiguredBaseline(config, { root, configFile: opts.config });
    } catch (err) {
      throw err instanceof BaselineError ? new UsageError(err.message) : err;
    }
    baseline = configured.baseline;
    extraNotices.push(...configured.notices);
  }

  const collected = await collectFiles(paths, { config });
  const progress = progressLine(!opts.quiet && process.stderr.isTTY === true);
  let result;
  try {
    const bytes = collected.files.reduce((sum, f) => sum + f.content.length, 0);
    result = await scan(collected.files, {
      // Each worker pays the engine's JIT warm-up again (measured: 2 threads on 5 MB take as long as
      // 1); only very large trees repay it.
      threads: collected.files.length >= 50 && bytes >= 20 * 1024 * 1024 ? true : undefined,
      framework: opts.framework,
      config,
      baseline,
      onProgress: (done, total, file) => progress.update(done, total, file),
    });
  } finally {
    progress.clear();
  }
  result.notices = [...collected.notices, ...extraNotices, ...result.notices];

  const report = formatResult(result, opts.format, { color: opts.color, quiet: opts.quiet });
  if (opts.output) {
    try {
      await mkdir(path.dirname(path.resolve(opts.output)), { recursive: true });
      await writeFile(opts.output, report);
    } catch (err) {
      throw new UsageError(`cannot write ${opts.output}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    if (!opts.quiet) process.stderr.write(`${summaryLine(result)}\nreport written to ${opts.output}\n`);
  } else {
    process.stdout.write(report);
  }

  if (opts.writeBaseline) {
    const n = await writeBaseline(opts.writeBaseline, result);
    if (!opts.quiet) process.stderr.write(`baseline written to ${opts.writeBaseline} (${n} fingerprint${n === 1 ? '' : 's'})\n`);
    // Writing a baseline accepts what is there now, so it is not a failed gate.
    return 0;
  }

  const failures = gateFailures(result, {
    minScore: opts.minScore ?? config.min_score ?? 0,
    failOn: opts.failOn ?? config.fail_on ?? 'none',
  });
  if (failures.length) {
    if (!opts.quiet) process.stderr.write(`agentcop: failed: ${failures.join('; ')}\n`);
    return 1;
  }
  return 0;
}
