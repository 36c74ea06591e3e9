// Reading a pull request's changed files and a repository's files through GitHub's REST API,
// without a checkout.
import type { ProbotOctokit } from 'probot';
import type { SourceFile, Notice } from '../engine/types.js';

export type Octokit = InstanceType<typeof ProbotOctokit>;

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface ChangedFile {
  /** Path at the head. */
  path: string;
  /** Path of the same file at the base (differs after a rename); null for an added or copied file. */
  basePath: string | null;
}

/**
 * Every file the pull request adds, modifies or renames (paginated, 100 a page; GitHub lists at most
 * 3,000). Removed files have nothing to scan at the head.
 */
export async function listChangedFiles(octokit: Octokit, ref: RepoRef, pullNumber: number): Promise<ChangedFile[]> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, { ...ref, pull_number: pullNumber, per_page: 100 });
  const out: ChangedFile[] = [];
  for (const f of files) {
    if (f.status === 'removed') continue;
    const basePath = f.status === 'added' || f.status === 'copied' ? null : f.status === 'renamed' ? (f.previous_filename ?? null) : f.filename;
    out.push({ path: f.filename, basePath });
  }
  return out;
}

/**
 * Where the pull request's own changes start (the merge base), so a fix that landed on the base
 * branch after the branch was cut does not make the branch's old code look new. Falls back to the
 * base tip when GitHub cannot say.
 */
export async function mergeBaseOf(octokit: Octokit, ref: RepoRef, base: string, head: string): Promise<string> {
  try {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ ...ref, basehead: `${base}...${head}`, per_page: 1 });
    return data.merge_base_commit?.sha ?? base;
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status && status >= 500) throw err;
    return base;
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export interface ReadResult {
  file?: SourceFile;
  notice?: Notice;
}

/** A file's text at a commit, raw (no 1 MB base64 limit). Missing: nothing; too large or binary: a notice. */
export async function readFileAt(octokit: Octokit, ref: RepoRef, path: string, commit: string, maxBytes: number, as = path): Promise<ReadResult> {
  let data: unknown;
  try {
    const res = await octokit.rest.repos.getContent({ ...ref, path, ref: commit, mediaType: { format: 'raw' } });
    data = res.data;
  } catch (err) {
    if ((err as { status?: number }).status === 404) return {};
    throw err;
  }
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data instanceof ArrayBuffer ? Buffer.from(data) : Buffer.isBuffer(data) ? data : null;
  if (!bytes) return { notice: { file: as, kind: 'skipped', message: 'not a regular file at this commit' } };
  if (bytes.length > maxBytes) return { notice: { file: as, kind: 'skipped', message: `larger than ${maxBytes} bytes (${bytes.length}); raise max_file_size to scan it` } };
  if (bytes.includes(0)) return { notice: { file: as, kind: 'skipped', message: 'binary file' } };
  try {
    return { file: { path: as, content: strictUtf8.decode(bytes) } };
  } catch {
    return {
      file: { path: as, content: new TextDecoder('utf-8').decode(bytes) },
      notice: { file: as, kind: 'parse_error', message: 'not valid UTF-8: invalid bytes were replaced before scanning' },
    };
  }
}

/** Every blob path in the tree at `commit` (recursive), and whether GitHub truncated the listing. */
export async function listTree(octokit: Octokit, ref: RepoRef, commit: string): Promise<{ paths: string[]; truncated: boolean }> {
  const { data } = await octokit.rest.git.getTree({ ...ref, tree_sha: commit, recursive: 'true' });
  return { paths: data.tree.filter((e) => e.type === 'blob' && e.path).map((e) => e.path!), truncated: data.truncated };
}
