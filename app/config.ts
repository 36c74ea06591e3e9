// `.github/agentcop.yml`: the same schema as `.agentcop.yml` (engine/config.ts) plus what only the
// App does (`comment`). Read through Probot's config loader, which reads the default branch (so a
// pull request cannot loosen its own gate), falls back to the owner's `.github` repository, and
// follows `_extends`.
import type { Context } from 'probot';
import { z } from 'zod';
import { ConfigSchema } from '../engine/config.js';
import { DEFAULT_FAIL_ON, DEFAULT_MIN_SCORE, type Gate } from '../engine/gate.js';

export const CONFIG_FILE = 'agentcop.yml';
export const CONFIG_PATH = `.github/${CONFIG_FILE}`;

export const AppConfigSchema = ConfigSchema.extend({
  /** One summary comment per pull request (default true). */
  comment: z.boolean().optional(),
}).strict();

export type AppConfig = z.infer<typeof AppConfigSchema>;

/** The repository's configuration is wrong: the check run says so instead of guessing. */
export class RepoConfigError extends Error {}

export async function loadRepoConfig(context: Pick<Context, 'config'>): Promise<AppConfig> {
  let raw: unknown;
  try {
    raw = (await context.config<Record<string, unknown>>(CONFIG_FILE)) ?? {};
  } catch (err) {
    const status = (err as { status?: number }).status;
    // A GitHub outage is retried by the job queue; a broken file is the user's to fix.
    if (status && status >= 500) throw err;
    throw new RepoConfigError(`${CONFIG_PATH} could not be read: ${(err as Error).message}`);
  }
  const parsed = AppConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new RepoConfigError(`${CONFIG_PATH}: ${problems}`);
  }
  return parsed.data;
}

export function gateOf(config: AppConfig): Gate {
  return { minScore: config.min_score ?? DEFAULT_MIN_SCORE, failOn: config.fail_on ?? DEFAULT_FAIL_ON };
}
