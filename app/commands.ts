// Comment commands: `/agentcop approve|deny <reason>`, `/agentcop rescan`, and who may give them.
import type { Octokit, RepoRef } from './github-files.js';

/** Write, maintain or admin on the repository, as GitHub says now. */
export async function canWrite(octokit: Octokit, ref: RepoRef, username: string): Promise<boolean> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...ref, username });
    // `permission` folds maintain into write and triage into read; `role_name` names them.
    const role = (data as { role_name?: string }).role_name;
    return ['admin', 'write'].includes(data.permission) || ['admin', 'maintain', 'write'].includes(role ?? '');
  } catch (err) {
    if ((err as { status?: number }).status === 404) return false;
    throw err;
  }
}

export type Command = { verb: 'approve' | 'deny' | 'rescan'; reason: string } | { verb: 'unknown'; word: string };

/** The first `/agentcop <verb> [reason]` line of a comment. */
export function parseCommand(body: string): Command | null {
  for (const line of body.split(/\r?\n/)) {
    const m = /^\s*\/agentcop(?:\s+(\S+))?(?:\s+(.*))?$/i.exec(line);
    if (!m) continue;
    const word = (m[1] ?? '').toLowerCase();
    const reason = (m[2] ?? '').trim().slice(0, 1000);
    if (word === 'approve' || word === 'deny' || word === 'rescan') return { verb: word, reason };
    return { verb: 'unknown', word: word || '(nothing)' };
  }
  return null;
}
