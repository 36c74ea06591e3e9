import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import * as github from '@actions/github';
import type { Log } from 'sarif';
import { BaselineError } from '../../engine/baseline.js';
import { ConfigError } from '../../engine/config.js';
import { PathError } from '../../engine/files.js';
import { changeGateFailures } from '../../engine/compare.js';
import { gateFailures, type Gate } from '../../engine/gate.js';
import { formatResult, summaryLine, toSarif } from '../../engine/report/index.js';
import { plural } from '../../engine/report/common.js';
import { annotate } from './annotate.js';
import { GitError } from './git.js';
import { DEFAULT_FAIL_ON, DEFAULT_MIN_SCORE, InputError, readInputs } from './inputs.js';
import { runScan, type Outcome, type PullRequestRef } from './scan.js';
import { jobSummary } from './summary.js';
import { uploadResult, type UploadContext, type UploadResponse } from './upload.js';

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);

/** The whole step. Never throws: every way out either passes or calls setFailed with the reason. */
export async function run(): Promise<void> {
  try {
    await runAction();
  } catch (err) {
    core.setFailed(describeFailure(err));
  }
}

async function runAction(): Promise<void> {
  const inputs = readInputs();
  const { context } = github;
  const pullRequest = pullRequestOf(context.eventName, context.payload);
  if (pullRequest && !inputs.onlyChanged) core.info('only-changed is false: scanning everything, and every issue counts');

  const outcome = await runScan({
    target: inputs.target,
    workspace: inputs.workspace,
    config: inputs.config,
    pullRequest: inputs.onlyChanged ? pullRequest : undefined,
    auth: inputs.githubToken ? { token: inputs.githubToken, serverUrl: context.serverUrl } : undefined,
  });
  const { result } = outcome;

  // Inputs win over the config file, which wins over the documented defaults.
  const gate: Gate = {
    minScore: inputs.minScore ?? outcome.config.min_score ?? DEFAULT_MIN_SCORE,
    failOn: inputs.failOn ?? outcome.config.fail_on ?? DEFAULT_FAIL_ON,
  };
  const failures = gateOf(outcome, gate);

  core.startGroup(`AgentCop: ${summaryLine(result)}`);
  core.info(formatResult(result, 'text', { color: false }).trimEnd());
  core.endGroup();
  if (outcome.mode === 'changed') core.info(`${plural(outcome.newIssues.length, 'new issue')} in this pull request`);

  await writeSarif(inputs.sarifFile, outcome);

  let upload: UploadResponse | undefined;
  let uploadError: string | undefined;
  if (inputs.api) {
    try {
      upload = await uploadResult(inputs.api, result, uploadContext(pullRequest));
      core.info(`uploaded: ${upload.share_url}`);
    } catch (err) {
      uploadError = `upload to ${inputs.api.url} failed: ${(err as Error).message}`;
    }
  }

  core.setOutput('trust-score', result.trust_score);
  core.setOutput('risk-level', result.risk_level);
  core.setOutput('total-issues', result.total_issues);
  core.setOutput('new-issues', outcome.newIssues.length);
  core.setOutput('sarif-file', inputs.sarifFile);
  core.setOutput('scan-id', upload?.scan_id ?? result.scan_id);
  core.setOutput('share-url', upload?.share_url ?? '');

  // On a pull request only what it adds is worth a line on the diff; the rest is in the summary.
  if (inputs.annotations) annotate(outcome.newIssues);

  if (process.env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(jobSummary({ outcome, failures, gate, sarifFile: path.relative(inputs.workspace, inputs.sarifFile), upload, uploadError })).write();
  } else {
    core.info('GITHUB_STEP_SUMMARY is not set: no job summary written');
  }

  const problems = [...failures, ...(uploadError ? [uploadError] : [])];
  if (problems.length) core.setFailed(`AgentCop: ${problems.join('; ')}`);
  else core.info(`AgentCop passed (min-score ${gate.minScore}, fail-on ${gate.failOn})`);
}

/**
 * On a pull request only new issues can fail the step: the score is what the new issues alone
 * would leave of 100, so code that was already there never blocks a change that did not add to it.
 */
function gateOf(outcome: Outcome, gate: Gate): string[] {
  return outcome.mode === 'full' ? gateFailures(outcome.result, gate) : changeGateFailures(outcome.newIssues, gate);
}

function pullRequestOf(eventName: string, payload: typeof github.context.payload): PullRequestRef | undefined {
  if (!PULL_REQUEST_EVENTS.has(eventName)) return undefined;
  const pr = payload.pull_request as { number?: number; base?: { sha?: unknown }; head?: { sha?: unknown } } | undefined;
  const base = pr?.base?.sha;
  if (typeof base !== 'string' || !/^[0-9a-f]{40}$/i.test(base)) {
    throw new InputError(`the ${eventName} event payload has no pull_request.base.sha, so the pull request cannot be compared with its base`);
  }
  return { number: pr?.number, base, head: typeof pr?.head?.sha === 'string' ? pr.head.sha : undefined };
}

async function writeSarif(file: string, outcome: Outcome): Promise<void> {
  const log: Log = toSarif(outcome.result);
  if (outcome.mode === 'changed') {
    // Tells SARIF readers which findings this pull request introduced and which it only touched.
    const fresh = new Set(outcome.newIssues.map((i) => i.fingerprint));
    for (const r of log.runs[0].results ?? []) {
      if (r.suppressions?.length) continue;
      r.baselineState = fresh.has(r.partialFingerprints?.['agentcop/v1'] ?? '') ? 'new' : 'unchanged';
    }
  }
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(log, null, 2)}\n`);
  } catch (err) {
    throw new Error(`cannot write the SARIF file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function uploadContext(pr: PullRequestRef | undefined): UploadContext {
  const { context } = github;
  const repository = process.env.GITHUB_REPOSITORY || undefined;
  return {
    repository,
    sha: pr?.head ?? (context.sha || undefined),
    ref: context.ref || undefined,
    event: context.eventName || undefined,
    ...(pr?.number ? { pull_request: pr.number } : {}),
    ...(repository && context.runId ? { run_url: `${context.serverUrl}/${repository}/actions/runs/${context.runId}` } : {}),
  };
}

function describeFailure(err: unknown): string {
  const e = err as Error;
  const expected = [InputError, ConfigError, PathError, BaselineError, GitError].some((kind) => err instanceof kind);
  if (expected) return `AgentCop: ${e.message}`;
  // Not a user mistake: say what broke and leave the stack in the log for a bug report.
  if (e?.stack) core.info(e.stack);
  return `AgentCop could not finish the scan: ${e?.message ?? String(err)}`;
}
