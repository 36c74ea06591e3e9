import { execFile } from 'node:child_process';

/** Git could not give what a pull-request comparison needs; the message says what to change. */
export class GitError extends Error {}

interface GitOptions {
  maxBuffer?: number;
  /** Extra `-c key=value` settings for this one command. */
  config?: string[];
}

function run(cwd: string, args: string[], opts: GitOptions = {}): Promise<Buffer> {
  // safe.directory: in container jobs the workspace belongs to another user, and git refuses to
  // read it otherwise. Only command-line (or global) config may set it.
  const settings = ['safe.directory=*', ...(opts.config ?? [])].flatMap((c) => ['-c', c]);
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...settings, ...args],
      { cwd, encoding: 'buffer', maxBuffer: opts.maxBuffer ?? 64 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } },
      (err, stdout, stderr) => {
        if (err) {
          const detail = stderr.toString('utf8').trim() || err.message;
          reject(new GitError(`git ${args.join(' ')}: ${detail}`));
        } else {
          resolve(stdout);
        }
      },
    );
  });
}

async function text(cwd: string, args: string[], opts?: GitOptions): Promise<string> {
  return (await run(cwd, args, opts)).toString('utf8').trim();
}

export async function topLevel(dir: string): Promise<string | null> {
  try {
    return await text(dir, ['rev-parse', '--show-toplevel']);
  } catch {
    return null;
  }
}

async function hasCommit(top: string, sha: string): Promise<boolean> {
  try {
    await run(top, ['cat-file', '-e', `${sha}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes sure `sha` is in the local repository. actions/checkout fetches one commit by default, so
 * the base is often missing: fetch just that commit, first with the credentials checkout left
 * behind, then with the token (both at once would send two Authorization headers).
 */
export async function ensureCommit(top: string, sha: string, auth?: { token: string; serverUrl: string }): Promise<void> {
  if (await hasCommit(top, sha)) return;
  const fetchArgs = ['fetch', '--no-tags', '--no-recurse-submodules', '--depth=1', 'origin', sha];
  const errors: string[] = [];
  try {
    await run(top, fetchArgs);
  } catch (err) {
    errors.push((err as Error).message);
    if (auth) {
      const basic = Buffer.from(`x-access-token:${auth.token}`).toString('base64');
      const origin = new URL(auth.serverUrl).origin;
      try {
        await run(top, fetchArgs, { config: [`http.${origin}/.extraheader=AUTHORIZATION: basic ${basic}`] });
      } catch (err2) {
        errors.push((err2 as Error).message);
      }
    }
  }
  if (!(await hasCommit(top, sha))) {
    throw new GitError(
      `the pull request's base commit ${sha} is not in the workspace and could not be fetched (${errors.join('; ') || 'unknown reason'}). ` +
        'Check out with enough history (actions/checkout with fetch-depth: 0), or set only-changed: false for a full scan.',
    );
  }
}

/** Where the pull request's own changes start: the merge base, or the base itself in a shallow clone. */
export async function mergeBase(top: string, base: string, head = 'HEAD'): Promise<string> {
  try {
    return (await text(top, ['merge-base', base, head])) || base;
  } catch {
    return base;
  }
}

export interface ChangedFile {
  /** Path at the head, relative to the repository's top level. */
  path: string;
  /** Path of the same content at the base (differs after a rename), or null for a new file. */
  basePath: string | null;
}

/** Files added, modified or renamed between `from` and `to`; deleted files have nothing to scan. */
export async function changedFiles(top: string, from: string, to = 'HEAD'): Promise<ChangedFile[]> {
  // -z: names verbatim (no quoting of unusual characters); -M: a moved file keeps its history.
  const out = (await run(top, ['diff', '--name-status', '-z', '-M', '--no-ext-diff', from, to, '--'])).toString('utf8');
  const fields = out.split('\0');
  const changes: ChangedFile[] = [];
  for (let i = 0; i < fields.length; ) {
    const status = fields[i++];
    if (!status) continue;
    const kind = status[0];
    if (kind === 'R' || kind === 'C') {
      const from = fields[i++];
      const to = fields[i++];
      // A copy is new code even when it came from elsewhere: its findings are new here.
      changes.push({ path: to, basePath: kind === 'R' ? from : null });
    } else {
      const file = fields[i++];
      if (kind === 'A') changes.push({ path: file, basePath: null });
      else if (kind === 'M' || kind === 'T') changes.push({ path: file, basePath: file });
      // D: gone at the head; U and X: not a state a committed head can be in.
    }
  }
  return changes;
}

/** A file's bytes at a commit, or null when it is not there (or is larger than `maxBytes`). */
export async function readAt(top: string, commit: string, file: string, maxBytes: number): Promise<Buffer | null> {
  try {
    // `rev:./path` would be relative to the cwd; `rev:path` is relative to the top level, as diff names are.
    return await run(top, ['show', `${commit}:${file}`], { maxBuffer: maxBytes + 1 });
  } catch {
    return null;
  }
}
