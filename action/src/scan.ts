import { stat } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, type AgentcopConfig } from '../../engine/config.js';
import { loadConfiguredBaseline } from '../../engine/baseline.js';
import { newIssuesOf } from '../../engine/compare.js';
import { collectFiles, collectSelected, DEFAULT_MAX_FILE_BYTES, resolveRoot } from '../../engine/files.js';
import { scan, type Issue, type Notice, type ScanResult, type SourceFile } from '../../engine/index.js';
import { changedFiles, ensureCommit, mergeBase, readAt, topLevel, type ChangedFile } from './git.js';

export interface PullRequestRef {
  number?: number;
  base: string;
  head?: string;
}

export interface ScanPlan {
  target: string;
  workspace: string;
  config?: string;
  /** Set on pull requests with only-changed: compare the changed files with the base. */
  pullRequest?: PullRequestRef;
  auth?: { token: string; serverUrl: string };
}

export interface Outcome {
  /** The head scan; its file paths are relative to the repository (see `prefix`). */
  result: ScanResult;
  /** Issues the base lacks. On a full scan every issue counts as new: there is nothing to compare with. */
  newIssues: Issue[];
  mode: 'full' | 'changed';
  config: AgentcopConfig;
  /** How the pull request was compared, for the summary. */
  comparison?: { base: string; changedFiles: number; scannedFiles: number };
}

const decoder = new TextDecoder('utf-8');

export async function runScan(plan: ScanPlan): Promise<Outcome> {
  const root = await resolveRoot([plan.target]);
  const config = await loadConfig(root, plan.config);
  const { baseline, notices: baselineNotices } = await loadConfiguredBaseline(config, { root, configFile: plan.config });
  const top = await topLevel(root);
  // Reports name files as the repository does, so annotations and code scanning land on them even
  // when `path` is a subfolder (or the checkout sits in a subfolder of the workspace).
  const prefix = toPosix(path.relative(top ?? plan.workspace, root));
  // No `threads`: the engine scans in process. Its worker pool starts engine/scan-worker.js, which
  // the bundle does not ship, and a pull request's handful of files would not repay the start-up.
  const options = { config, baseline };

  if (!plan.pullRequest) {
    const collected = await collectFiles([plan.target], { config });
    const result = await scan(collected.files, options);
    result.notices = [...collected.notices, ...baselineNotices, ...result.notices];
    const located = relocate(result, prefix);
    return { result: located, newIssues: located.issues, mode: 'full', config };
  }

  if (!top) throw new Error(`${root} is not inside a git repository, so the pull request's changes cannot be read; check the repository out first (actions/checkout)`);
  await ensureCommit(top, plan.pullRequest.base, plan.auth);
  const from = await mergeBase(top, plan.pullRequest.base);
  const changes = await changedFiles(top, from);

  // Changed paths are relative to the top level; the engine wants them relative to the scan root.
  const rootFromTop = toPosix(path.relative(top, root));
  const single = (await stat(plan.target)).isFile() ? toPosix(path.relative(root, plan.target)) : null;
  const byRel = new Map<string, ChangedFile>();
  for (const change of changes) {
    const rel = underRoot(change.path, rootFromTop);
    if (rel !== null && (single === null || rel === single)) byRel.set(rel, change);
  }
  const head = await collectSelected(root, [...byRel.keys()], { config });

  const maxBytes = config.max_file_size ?? DEFAULT_MAX_FILE_BYTES;
  const baseFiles: SourceFile[] = [];
  for (const file of head.files) {
    const basePath = byRel.get(file.path)?.basePath;
    if (!basePath) continue;
    const bytes = await readAt(top, from, basePath, maxBytes);
    // Scanned under the head's name: fingerprints include the path, and a rename is not new code.
    if (bytes && !bytes.includes(0)) baseFiles.push({ path: file.path, content: decoder.decode(bytes) });
  }

  const result = await scan(head.files, options);
  result.notices = [...head.notices, ...baselineNotices, ...result.notices];
  const before = baseFiles.length ? await scan(baseFiles, options) : null;
  const located = relocate(result, prefix);
  const fresh = new Set(newIssuesOf(result, before).map((i) => i.fingerprint));
  return {
    result: located,
    newIssues: located.issues.filter((i) => fresh.has(i.fingerprint)),
    mode: 'changed',
    config,
    comparison: { base: from, changedFiles: changes.length, scannedFiles: head.files.length },
  };
}

function underRoot(file: string, rootFromTop: string): string | null {
  if (!rootFromTop) return file;
  return file.startsWith(`${rootFromTop}/`) ? file.slice(rootFromTop.length + 1) : null;
}

/**
 * Prefixes every path with the scan root's place in the repository. Fingerprints stay as the
 * engine made them (relative to the scan root), matching `agentcop scan <path>` and its baselines.
 */
function relocate(result: ScanResult, prefix: string): ScanResult {
  if (!prefix || prefix.startsWith('..')) return result;
  const move = (file: string) => (file ? `${prefix}/${file}` : file);
  const issue = (i: Issue): Issue => ({ ...i, file: move(i.file) });
  const notice = (n: Notice): Notice => ({ ...n, file: move(n.file) });
  return {
    ...result,
    issues: result.issues.map(issue),
    suppressed_issues: result.suppressed_issues.map(issue),
    notices: result.notices.map(notice),
  };
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
