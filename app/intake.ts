// Webhook events in: each handler only writes rows (a pull request scan and its job, a command
// job, a repository scan job) in one transaction and returns, so GitHub gets its answer in
// milliseconds and nothing is lost if the process dies the moment after. The work happens in the
// job worker (jobs.ts).
import type { Kysely } from 'kysely';
import type { Probot } from 'probot';
import type { Database } from '../server/db/schema.js';
import { enqueueJob } from './queue.js';
import { accountForInstallation, existingPrScan, insertPrScan } from './store.js';
import { CHECK_NAME } from './report.js';

export interface IntakeDeps {
  db: Kysely<Database>;
  /** The account for new installations (AGENTCOP_GITHUB_ACCOUNT_ID); default the operator account. */
  accountId?: string;
  nudge(): void;
}

interface RepoPayload {
  id?: number;
  name: string;
  full_name: string;
  owner: { login: string };
  default_branch?: string;
}

interface PrRef {
  number: number;
  head: { sha: string };
  base: { sha: string };
}

/** What a job needs to build a Probot context again: the repository and the installation. */
function eventOf(id: string, name: string, repository: RepoPayload, installationId: number) {
  return {
    id,
    name,
    payload: {
      repository: { id: repository.id, name: repository.name, full_name: repository.full_name, owner: { login: repository.owner.login }, default_branch: repository.default_branch },
      installation: { id: installationId },
    },
  };
}

export const COMMAND_PATTERN = /^\s*\/agentcop\b/im;

export function intake(deps: IntakeDeps) {
  const { db } = deps;

  async function queuePrScans(
    event: { id: string; name: string },
    repository: RepoPayload,
    installationId: number,
    prs: PrRef[],
    trigger: string,
    force: boolean,
  ): Promise<number> {
    let queued = 0;
    await db.transaction().execute(async (trx) => {
      const accountId = await accountForInstallation(trx, installationId, repository.owner.login, deps.accountId);
      for (const pr of prs) {
        // pull_request.synchronize and check_suite.requested both arrive for one push.
        if (!force && (await existingPrScan(trx, repository.full_name, pr.number, pr.head.sha))) continue;
        const prScanId = await insertPrScan(trx, {
          account_id: accountId,
          installation_id: installationId,
          repository: repository.full_name,
          pull_number: pr.number,
          head_sha: pr.head.sha,
          base_sha: pr.base.sha,
          trigger,
        });
        await enqueueJob(trx, { kind: 'pr_scan', installation_id: installationId, pr_scan_id: prScanId, payload: { event: eventOf(event.id, event.name, repository, installationId) } });
        queued++;
      }
    });
    if (queued) deps.nudge();
    return queued;
  }

  return (app: Probot) => {
    app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened', 'pull_request.ready_for_review'], async (context) => {
      const installationId = context.payload.installation?.id;
      if (!installationId) return;
      const pr = context.payload.pull_request;
      await queuePrScans(context, context.payload.repository, installationId, [pr], `pull_request.${context.payload.action}`, false);
    });

    app.on(['check_suite.requested', 'check_suite.rerequested'], async (context) => {
      const installationId = context.payload.installation?.id;
      if (!installationId) return;
      const suite = context.payload.check_suite;
      const prs = (suite.pull_requests ?? []).map((p) => ({ number: p.number, head: { sha: suite.head_sha }, base: { sha: p.base.sha } }));
      await queuePrScans(context, context.payload.repository, installationId, prs, `check_suite.${context.payload.action}`, context.payload.action === 'rerequested');
    });

    app.on('check_run.rerequested', async (context) => {
      const installationId = context.payload.installation?.id;
      const run = context.payload.check_run;
      if (!installationId || run.name !== CHECK_NAME) return;
      const prs = (run.pull_requests ?? []).map((p) => ({ number: p.number, head: { sha: run.head_sha }, base: { sha: p.base.sha } }));
      await queuePrScans(context, context.payload.repository, installationId, prs, 'check_run.rerequested', true);
    });

    app.on('issue_comment.created', async (context) => {
      const installationId = context.payload.installation?.id;
      const { comment, issue, repository } = context.payload;
      if (!installationId || !issue.pull_request || !COMMAND_PATTERN.test(comment.body ?? '')) return;
      // Bots (this App included) do not give commands.
      if (comment.user?.type === 'Bot' || context.payload.sender?.type === 'Bot') return;
      await db.transaction().execute(async (trx) => {
        await accountForInstallation(trx, installationId, repository.owner.login, deps.accountId);
        await enqueueJob(trx, {
          kind: 'command',
          installation_id: installationId,
          payload: {
            event: eventOf(context.id, context.name, repository, installationId),
            pull_number: issue.number,
            comment_id: comment.id,
            login: comment.user?.login ?? context.payload.sender.login,
            body: comment.body,
          },
        });
      });
      deps.nudge();
    });

    app.on('push', async (context) => {
      const installationId = context.payload.installation?.id;
      const { repository, ref, after, deleted } = context.payload;
      const defaultBranch = repository.default_branch ?? (repository as { master_branch?: string }).master_branch;
      if (!installationId || deleted || !defaultBranch || ref !== `refs/heads/${defaultBranch}` || /^0+$/.test(after)) return;
      const owner = repository.owner?.login ?? repository.owner?.name ?? repository.full_name.split('/')[0];
      await db.transaction().execute(async (trx) => {
        await accountForInstallation(trx, installationId, owner, deps.accountId);
        const repo: RepoPayload = { id: repository.id, name: repository.name, full_name: repository.full_name, owner: { login: owner }, default_branch: defaultBranch };
        await enqueueJob(trx, { kind: 'repo_scan', installation_id: installationId, payload: { event: eventOf(context.id, context.name, repo, installationId), sha: after, ref } });
      });
      deps.nudge();
    });
  };
}
