// What the App writes to GitHub: completed check runs and the one summary comment.
import type { Octokit, RepoRef } from './github-files.js';
import { ANNOTATIONS_PER_REQUEST, chunks, COMMENT_MARKER, type Annotation, type CheckOutput } from './report.js';

/** Completes a check run; annotations beyond the first 50 follow in further updates. */
export async function completeCheck(octokit: Octokit, ref: RepoRef, checkRunId: number, conclusion: string, output: CheckOutput, annotations: Annotation[] = []) {
  const batches = chunks(annotations, ANNOTATIONS_PER_REQUEST);
  await octokit.rest.checks.update({
    ...ref,
    check_run_id: checkRunId,
    status: 'completed',
    conclusion: conclusion as 'success',
    completed_at: new Date().toISOString(),
    output: { ...output, annotations: batches[0] ?? [] },
  });
  // GitHub appends the annotations of each update to the ones already there.
  for (const batch of batches.slice(1)) {
    await octokit.rest.checks.update({ ...ref, check_run_id: checkRunId, output: { ...output, annotations: batch } });
  }
}

/** The one summary comment per pull request: edited when there, created otherwise. */
export async function upsertComment(octokit: Octokit, ref: RepoRef, pullNumber: number, body: string): Promise<void> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...ref, issue_number: pullNumber, per_page: 100 });
  const mine = comments.find((c) => c.body?.startsWith(COMMENT_MARKER) && c.performed_via_github_app != null);
  const ours = mine ?? comments.find((c) => c.body?.startsWith(COMMENT_MARKER) && c.user?.type === 'Bot');
  if (ours) {
    if (ours.body !== body) await octokit.rest.issues.updateComment({ ...ref, comment_id: ours.id, body });
  } else {
    await octokit.rest.issues.createComment({ ...ref, issue_number: pullNumber, body });
  }
}
