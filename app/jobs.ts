// The work behind each job: pull request scans -> check runs and the summary comment, comment
// commands -> approvals, approval decisions -> check runs, default-branch pushes -> badges.
import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { Context, type Probot } from 'probot';
import { changeGateFailures, newIssuesOf } from '../engine/compare.js';
import { DEFAULT_MAX_FILE_BYTES, mapLimit, selectPaths } from '../engine/files.js';
import { scan } from '../engine/index.js';
import { sortIssues } from '../engine/report/common.js';
import { packageInfo } from '../engine/report/version.js';
import { Lru } from '../server/lru.js';
import type { Notice, ScanResult, SourceFile } from '../engine/types.js';
import type { Database, PrScanOutcome } from '../server/db/schema.js';
import type { EventBus } from '../server/events.js';
import type { ScanService } from '../server/modules/scans/service.js';
import { createApproval, decideApproval, getApproval } from '../server/modules/approvals/service.js';
import { ApiError } from '../server/errors.js';
import type { Actor } from '../server/actor.js';
import { gateOf, loadRepoConfig, RepoConfigError, type AppConfig } from './config.js';
import { listChangedFiles, listTree, mergeBaseOf, readFileAt, type Octokit, type RepoRef } from './github-files.js';
import { enqueueJob, PermanentJobError, type Job } from './queue.js';
import {
  annotationsOf,
  CHECK_NAME,
  checkOutput,
  commentBody,
  conclusionOf,
  neutralOutput,
  type Decision,
  type PrOutcome,
} from './report.js';
import { canWrite, parseCommand } from './commands.js';
import { completeCheck, upsertComment } from './github-writes.js';
import { accountForInstallation, getPrScan, insertPrScan, latestPrScan, updatePrScan, upsertRepoScan, type PrScanRow } from './store.js';

export interface JobDeps {
  db: Kysely<Database>;
  events: EventBus;
  scans: ScanService;
  probot: Probot;
  /** Base of share links (AGENTCOP_PUBLIC_URL, else the address GitHub delivers webhooks to). */
  publicUrl(): string | undefined;
  log?: FastifyBaseLogger;
  /** GitHub's web address (https://github.com, or the Enterprise Server host), for links. */
  webUrl: string;
  nudge(): void;
}

const APP_ACTOR: Actor = { kind: 'system', reason: 'github-app' };
/** How many files are read from GitHub at once (Octokit's throttling allows 10 requests at a time). */
const READ_CONCURRENCY = 10;

/** Worker threads only repay their start-up on a large amount of code. */
function threadsFor(files: SourceFile[]): true | undefined {
  const bytes = files.reduce((n, f) => n + f.content.length, 0);
  return files.length >= 20 && bytes >= 1024 * 1024 ? true : undefined;
}

/**
 * A base file's fingerprints, by content. The base branch's files are the same for every pull
 * request against it and every push to one, so they are scanned once per process. Only derived
 * data lives here: losing it costs a rescan, never a result.
 */
const baseCache = new Lru<string, string[]>(20_000);

async function baseFingerprints(file: SourceFile, config: AppConfig): Promise<string[]> {
  const key = createHash('sha256').update(JSON.stringify([packageInfo().version, config, file.path, file.content])).digest('hex');
  let fps = baseCache.get(key);
  if (!fps) {
    // One file at a time: an issue's fingerprint depends only on its own file, as in a whole scan.
    fps = (await scan([file], { config })).issues.map((i) => i.fingerprint);
    baseCache.set(key, fps);
  }
  return fps;
}
/** A default-branch scan reads at most this many files (a monorepo's badge is still meaningful). */
const MAX_REPO_FILES = 5_000;

interface StoredEvent {
  id: string;
  name: string;
  payload: { repository: { name: string; full_name: string; owner: { login: string } }; installation: { id: number } };
}

function splitRepo(full: string): RepoRef {
  const i = full.indexOf('/');
  return { owner: full.slice(0, i), repo: full.slice(i + 1) };
}

export function createJobRunner(d: JobDeps) {
  async function contextOf(job: Job): Promise<{ octokit: Octokit; context: Context }> {
    const octokit = (await d.probot.auth(job.installation_id)) as Octokit;
    const event = job.payload.event as StoredEvent;
    // A Probot context rebuilt from the stored event: context.config reads .github/agentcop.yml.
    const context = new Context(event as never, octokit as never, d.probot.log);
    return { octokit, context };
  }

  function shareUrlOf(scanId: string): string | undefined {
    const base = d.publicUrl();
    return base ? `${base.replace(/\/+$/, '')}/scan/${encodeURIComponent(scanId)}` : undefined;
  }

  /** The stored scan and outcome of a finished pull request scan, as the check run shows them. */
  async function outcomeOf(row: PrScanRow): Promise<PrOutcome | undefined> {
    if (!row.scan_id || !row.outcome) return undefined;
    const stored = await d.scans.getPublic(row.scan_id);
    if (!stored) return undefined;
    const fresh = new Set(row.outcome.new_fingerprints);
    return {
      result: stored.result,
      newIssues: stored.result.issues.filter((i) => fresh.has(i.fingerprint)),
      gate: row.outcome.gate as PrOutcome['gate'],
      failures: row.outcome.failures,
      changedFiles: row.outcome.changed_files,
      shareUrl: shareUrlOf(row.scan_id),
    };
  }

  async function prScan(job: Job): Promise<void> {
    const row = job.pr_scan_id ? await getPrScan(d.db, job.pr_scan_id) : undefined;
    if (!row) throw new PermanentJobError(`pull request scan ${job.pr_scan_id} not found`);
    const { octokit, context } = await contextOf(job);
    const ref = splitRepo(row.repository);
    // The check run is created first thing; reading and scanning go on while GitHub answers (and
    // while Octokit's throttling spaces this write from the last one).
    const creating: Promise<number> = row.check_run_id
      ? Promise.resolve(row.check_run_id)
      : (async () => {
          const { data } = await octokit.rest.checks.create({
            ...ref,
            name: CHECK_NAME,
            head_sha: row.head_sha,
            status: 'in_progress',
            started_at: new Date().toISOString(),
            external_id: row.id,
            output: { title: 'Scanning the changed agent code…', summary: `AgentCop is scanning pull request #${row.pull_number} at \`${row.head_sha.slice(0, 7)}\`.` },
          });
          await updatePrScan(d.db, row.id, { check_run_id: data.id, status: 'in_progress' });
          return data.id;
        })();
    // Awaited below on every path; this only keeps an early failure from being reported unhandled.
    creating.catch(() => {});

    try {
      // A retry after the scan was stored only redoes the GitHub side.
      let outcome = await outcomeOf(row);
      let approvalId = row.approval_id;
      let comment = row.outcome?.comment ?? true;
      if (!outcome) {
        let config: AppConfig;
        try {
          config = await loadRepoConfig(context);
        } catch (err) {
          if (!(err instanceof RepoConfigError)) throw err;
          const output = { title: 'Invalid .github/agentcop.yml', summary: `${err.message}\n\nFix the file on the default branch, then comment \`/agentcop rescan\`.` };
          await completeCheck(octokit, ref, await creating, 'failure', output);
          await updatePrScan(d.db, row.id, { status: 'completed', conclusion: 'failure', title: output.title, message: err.message });
          return;
        }
        comment = config.comment !== false;
        const changes = await listChangedFiles(octokit, ref, row.pull_number);
        const selected = new Set(selectPaths(changes.map((c) => c.path), config));
        const wanted = changes.filter((c) => selected.has(c.path));
        if (!wanted.length) {
          const output = neutralOutput(changes.length);
          await completeCheck(octokit, ref, await creating, 'neutral', output);
          await updatePrScan(d.db, row.id, { status: 'completed', conclusion: 'neutral', title: output.title, new_issues: 0 });
          return;
        }
        const maxBytes = config.max_file_size ?? DEFAULT_MAX_FILE_BYTES;
        const notices: Notice[] = [];
        const headFiles: SourceFile[] = [];
        const reads = await mapLimit(wanted, READ_CONCURRENCY, (c) => readFileAt(octokit, ref, c.path, row.head_sha, maxBytes));
        for (const r of reads) {
          if (r.notice) notices.push(r.notice);
          if (r.file) headFiles.push(r.file);
        }
        const result = await scan(headFiles, { config, threads: threadsFor(headFiles) });
        result.notices = [...notices, ...result.notices];
        // Only a file with issues at the head can have old ones: read and scan just those at the base.
        const withIssues = new Set(result.issues.map((i) => i.file));
        const compare = wanted.filter((c) => c.basePath && withIssues.has(c.path));
        const baseSha = compare.length && row.base_sha ? await mergeBaseOf(octokit, ref, row.base_sha, row.head_sha) : undefined;
        const known: { fingerprint: string }[] = [];
        if (baseSha) {
          const baseReads = await mapLimit(compare, READ_CONCURRENCY, async (c) =>
            // Read under the head's name: fingerprints include the path, and a rename is not new code.
            (await readFileAt(octokit, ref, c.basePath!, baseSha, maxBytes, c.path)).file,
          );
          for (const file of baseReads) if (file) for (const fp of await baseFingerprints(file, config)) known.push({ fingerprint: fp });
        }
        const before = { issues: known };
        const newIssues = newIssuesOf(result, before);
        const gate = gateOf(config);
        const failures = changeGateFailures(newIssues, gate);
        const stored = await d.scans.storeAppResult(row.account_id, result, {
          agent_name: `${row.repository}#${row.pull_number}`,
          description: `GitHub pull request ${row.repository}#${row.pull_number} at ${row.head_sha}`,
        });
        outcome = { result: stored.result, newIssues, gate, failures, changedFiles: changes.length, shareUrl: shareUrlOf(stored.id) };
        const checkRunId = await creating;
        const saved: PrScanOutcome = { new_fingerprints: newIssues.map((i) => i.fingerprint), gate, failures, changed_files: changes.length, comment };
        const conclusion = conclusionOf(outcome);
        // The result and, for a failing change, the approval request someone may answer, in one step.
        approvalId = await d.db.transaction().execute(async (trx) => {
          let id: string | null = null;
          if (failures.length) {
            const worst = sortIssues(newIssues)[0]?.severity;
            const approval = await createApproval(
              trx,
              d.events,
              row.account_id,
              {
                agent_id: `github:${row.repository}`,
                action: 'merge_pull_request',
                parameters: { repository: row.repository, pull_request: row.pull_number, head_sha: row.head_sha, check_run_id: checkRunId, new_issues: newIssues.length, trust_score: result.trust_score },
                context: { scan_id: stored.id, failures, ...(outcome!.shareUrl ? { share_url: outcome!.shareUrl } : {}) },
                urgency: worst === 'CRITICAL' ? 'critical' : worst === 'HIGH' ? 'high' : 'medium',
                // A new push gets a new scan and a new request; an old one should not linger.
                expires_in_seconds: 30 * 86_400,
              },
              { source: 'github', actor: APP_ACTOR },
            );
            id = approval.id;
          }
          await updatePrScan(trx, row.id, {
            scan_id: stored.id,
            trust_score: result.trust_score,
            new_issues: newIssues.length,
            outcome: JSON.stringify(saved),
            conclusion,
            title: checkOutput(outcome!).title,
            ...(id ? { approval_id: id } : {}),
          });
          return id;
        });
      }

      const checkRunId = await creating;
      const decision = approvalId ? await decisionOf(row.account_id, approvalId) : undefined;
      await completeCheck(octokit, ref, checkRunId, conclusionOf(outcome, decision), checkOutput(outcome, decision), annotationsOf(outcome.result, outcome.newIssues));
      await updatePrScan(d.db, row.id, { status: 'completed', message: null });
      if (comment) await upsertComment(octokit, ref, row.pull_number, commentBody(outcome, checkUrl(row.repository, checkRunId), row.head_sha, decision));
    } finally {
      // A failed attempt must not leave its check run half-made: the retry reuses it.
      await creating.catch(() => {});
    }
  }

  function checkUrl(repository: string, checkRunId: number): string {
    return `${d.webUrl}/${repository}/runs/${checkRunId}`;
  }

  async function decisionOf(accountId: string, approvalId: string): Promise<Decision | undefined> {
    const a = await getApproval(d.db, accountId, approvalId);
    if (a.status !== 'approved' && a.status !== 'denied') return undefined;
    return { decision: a.status, approver: a.approver ?? 'someone', reason: (a.status === 'denied' ? a.reason : a.reason ?? a.note) ?? '' };
  }

  /** An approval of a pull request scan was decided (by comment or REST): redraw its check run. */
  async function decision(job: Job): Promise<void> {
    const row = job.pr_scan_id ? await getPrScan(d.db, job.pr_scan_id) : undefined;
    if (!row?.check_run_id || !row.approval_id) throw new PermanentJobError(`pull request scan ${job.pr_scan_id} has no check run or approval`);
    const outcome = await outcomeOf(row);
    const dec = await decisionOf(row.account_id, row.approval_id);
    if (!outcome || !dec) return;
    const { octokit } = await contextOf(job);
    const ref = splitRepo(row.repository);
    const conclusion = conclusionOf(outcome, dec);
    const output = checkOutput(outcome, dec);
    await octokit.rest.checks.update({ ...ref, check_run_id: row.check_run_id, status: 'completed', conclusion, completed_at: new Date().toISOString(), output });
    await updatePrScan(d.db, row.id, { conclusion, title: output.title });
    if (row.outcome?.comment !== false) await upsertComment(octokit, ref, row.pull_number, commentBody(outcome, checkUrl(row.repository, row.check_run_id), row.head_sha, dec));
  }

  async function command(job: Job): Promise<void> {
    const { octokit } = await contextOf(job);
    const event = job.payload.event as StoredEvent;
    const repository = event.payload.repository.full_name;
    const ref = splitRepo(repository);
    const pullNumber = job.payload.pull_number as number;
    const commentId = job.payload.comment_id as number;
    const login = job.payload.login as string;
    const parsed = parseCommand(String(job.payload.body ?? ''));
    const react = (content: '+1' | 'confused' | '-1' | 'eyes') => octokit.rest.reactions.createForIssueComment({ ...ref, comment_id: commentId, content });
    const reply = (text: string) => octokit.rest.issues.createComment({ ...ref, issue_number: pullNumber, body: `@${login} ${text}` });
    if (!parsed) return;
    if (parsed.verb === 'unknown') {
      await react('confused');
      await reply(`AgentCop knows \`/agentcop approve <reason>\`, \`/agentcop deny <reason>\` and \`/agentcop rescan\`; not \`${parsed.word}\`.`);
      return;
    }
    const { data: pr } = await octokit.rest.pulls.get({ ...ref, pull_number: pullNumber });
    const writer = await canWrite(octokit, ref, login);
    if (parsed.verb === 'rescan') {
      if (!writer && pr.user?.login !== login) {
        await react('-1');
        await reply('only the pull request author or someone with write, maintain or admin access can ask for a rescan.');
        return;
      }
      await d.db.transaction().execute(async (trx) => {
        const accountId = await accountForInstallation(trx, job.installation_id, ref.owner);
        const id = await insertPrScan(trx, {
          account_id: accountId,
          installation_id: job.installation_id,
          repository,
          pull_number: pullNumber,
          head_sha: pr.head.sha,
          base_sha: pr.base.sha,
          trigger: 'command.rescan',
        });
        await enqueueJob(trx, { kind: 'pr_scan', installation_id: job.installation_id, pr_scan_id: id, payload: { event } });
      });
      d.nudge();
      await react('+1');
      return;
    }
    if (!writer) {
      await react('-1');
      await reply(`only people with write, maintain or admin access to ${repository} can ${parsed.verb} AgentCop findings; you can ask one of them.`);
      return;
    }
    if (!parsed.reason) {
      await react('confused');
      await reply(`a reason is required: \`/agentcop ${parsed.verb} <reason>\`.`);
      return;
    }
    const scanRow = await latestPrScan(d.db, repository, pullNumber, pr.head.sha);
    if (!scanRow || scanRow.status !== 'completed' || !scanRow.outcome) {
      await react('confused');
      await reply(`there is no finished AgentCop scan of the current head \`${pr.head.sha.slice(0, 7)}\` yet. Wait for the check to finish (or comment \`/agentcop rescan\`), then try again.`);
      return;
    }
    if (parsed.verb === 'approve' && !scanRow.approval_id) {
      await react('confused');
      await reply(`the AgentCop check on \`${pr.head.sha.slice(0, 7)}\` already passes; there is nothing to approve.`);
      return;
    }
    try {
      await d.db.transaction().execute(async (trx) => {
        let approvalId = scanRow.approval_id;
        if (!approvalId) {
          // Denying a passing change: record the request the denial answers.
          const a = await createApproval(
            trx,
            d.events,
            scanRow.account_id,
            { agent_id: `github:${repository}`, action: 'merge_pull_request', parameters: { repository, pull_request: pullNumber, head_sha: pr.head.sha, check_run_id: scanRow.check_run_id } },
            { source: 'github', actor: APP_ACTOR },
          );
          approvalId = a.id;
          await updatePrScan(trx, scanRow.id, { approval_id: a.id });
        }
        await decideApproval(
          trx,
          d.events,
          scanRow.account_id,
          approvalId,
          { decision: parsed.verb === 'approve' ? 'approved' : 'denied', approver: login, reason: parsed.reason, note: `head ${pr.head.sha}` },
          { actor: APP_ACTOR },
        );
      });
    } catch (err) {
      if (err instanceof ApiError && err.statusCode === 409) {
        await react('confused');
        await reply(`${err.message}. Push a new commit or comment \`/agentcop rescan\` for a new decision.`);
        return;
      }
      throw err;
    }
    d.nudge();
    await react('+1');
  }

  async function repoScan(job: Job): Promise<void> {
    const { octokit, context } = await contextOf(job);
    const event = job.payload.event as StoredEvent;
    const repository = event.payload.repository.full_name;
    const ref = splitRepo(repository);
    const sha = job.payload.sha as string;
    let config: AppConfig;
    try {
      config = await loadRepoConfig(context);
    } catch (err) {
      if (err instanceof RepoConfigError) throw new PermanentJobError(err.message);
      throw err;
    }
    const tree = await listTree(octokit, ref, sha);
    const paths = selectPaths(tree.paths, config);
    const notices: Notice[] = [];
    if (tree.truncated) notices.push({ file: '', kind: 'skipped', message: 'GitHub truncated the file listing of this repository; some files were not scanned' });
    if (paths.length > MAX_REPO_FILES) notices.push({ file: '', kind: 'skipped', message: `${paths.length} supported files; the first ${MAX_REPO_FILES} were scanned` });
    const maxBytes = config.max_file_size ?? DEFAULT_MAX_FILE_BYTES;
    const reads = await mapLimit(paths.slice(0, MAX_REPO_FILES), READ_CONCURRENCY, (p) => readFileAt(octokit, ref, p, sha, maxBytes));
    const files: SourceFile[] = [];
    for (const r of reads) {
      if (r.notice) notices.push(r.notice);
      if (r.file) files.push(r.file);
    }
    const result: ScanResult = await scan(files, { config, threads: threadsFor(files) });
    result.notices = [...notices, ...result.notices];
    const row = await d.db.selectFrom('github_installations').select('account_id').where('installation_id', '=', job.installation_id).executeTakeFirstOrThrow();
    const stored = await d.scans.storeAppResult(row.account_id, result, { agent_name: repository, description: `GitHub ${repository} ${job.payload.ref as string} at ${sha}` });
    await upsertRepoScan(d.db, {
      repository,
      account_id: row.account_id,
      installation_id: job.installation_id,
      ref: job.payload.ref as string,
      head_sha: sha,
      scan_id: stored.id,
      trust_score: result.trust_score,
      risk_level: result.risk_level,
    });
  }

  return {
    async run(job: Job): Promise<void> {
      switch (job.kind) {
        case 'pr_scan':
          return prScan(job);
        case 'decision':
          return decision(job);
        case 'command':
          return command(job);
        case 'repo_scan':
          return repoScan(job);
      }
    },

    /** The job will not be tried again: leave the check run saying so, not spinning forever. */
    async giveUp(job: Job, error: Error): Promise<void> {
      if (job.kind !== 'pr_scan' || !job.pr_scan_id) return;
      const row = await getPrScan(d.db, job.pr_scan_id);
      if (!row) return;
      const message = `AgentCop could not complete this scan after ${job.attempts} attempt${job.attempts === 1 ? '' : 's'}: ${error.message}`;
      await updatePrScan(d.db, row.id, { status: 'failed', message });
      if (!row.check_run_id) return;
      const { octokit } = await contextOf(job);
      await octokit.rest.checks.update({
        ...splitRepo(row.repository),
        check_run_id: row.check_run_id,
        status: 'completed',
        conclusion: 'failure',
        completed_at: new Date().toISOString(),
        output: { title: 'AgentCop could not complete the scan', summary: `${message}\n\nComment \`/agentcop rescan\` or re-run the check to try again.` },
      });
    },
  };
}
