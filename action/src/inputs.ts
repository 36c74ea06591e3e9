import path from 'node:path';
import * as core from '@actions/core';
import { FailOn } from '../../engine/config.js';

export interface ActionInputs {
  /** Absolute path of what to scan (a folder, or one file). */
  target: string;
  workspace: string;
  /** Unset when the input is empty: the config file's `min_score` then applies, else 70. */
  minScore?: number;
  failOn?: FailOn;
  /** Absolute path of an explicit config file. */
  config?: string;
  onlyChanged: boolean;
  /** Absolute path the SARIF log is written to. */
  sarifFile: string;
  annotations: boolean;
  api?: { url: string; key: string };
  githubToken?: string;
}

/** A mistake in the workflow file: reported as such, never as a scan result. */
export class InputError extends Error {}

export { DEFAULT_FAIL_ON, DEFAULT_MIN_SCORE } from '../../engine/gate.js';

export function readInputs(env: NodeJS.ProcessEnv = process.env): ActionInputs {
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const text = (name: string) => core.getInput(name).trim();

  const apiUrl = text('api-url');
  const apiKey = core.getInput('api-key').trim();
  // Masked before anything else runs, so no later log line can show it.
  if (apiKey) core.setSecret(apiKey);
  if (Boolean(apiUrl) !== Boolean(apiKey)) {
    // Half a configuration would quietly upload nothing; say so instead.
    throw new InputError(apiUrl ? 'api-url is set but api-key is empty: set both to upload, or neither' : 'api-key is set but api-url is empty: set both to upload, or neither');
  }
  if (apiUrl) {
    let parsed: URL;
    try {
      parsed = new URL(apiUrl);
    } catch {
      throw new InputError(`api-url is not a URL: ${apiUrl}`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new InputError(`api-url must be http(s): ${apiUrl}`);
    if (parsed.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname)) {
      core.warning(`api-url ${apiUrl} is plain http: the API key crosses the network unencrypted`);
    }
  }

  const token = text('github-token');
  if (token) core.setSecret(token);
  const config = text('config');
  return {
    target: path.resolve(workspace, text('path') || '.'),
    workspace,
    minScore: parseMinScore(text('min-score')),
    failOn: parseFailOn(text('fail-on')),
    config: config ? path.resolve(workspace, config) : undefined,
    onlyChanged: parseBoolean('only-changed', text('only-changed'), true),
    sarifFile: path.resolve(workspace, text('sarif-file') || 'agentcop.sarif'),
    annotations: parseBoolean('annotations', text('annotations'), true),
    api: apiUrl ? { url: apiUrl, key: apiKey } : undefined,
    githubToken: token || undefined,
  };
}

function parseMinScore(value: string): number | undefined {
  if (!value) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 100) throw new InputError(`min-score must be a whole number from 0 to 100, not "${value}"`);
  return Number(value);
}

function parseFailOn(value: string): FailOn | undefined {
  if (!value) return undefined;
  const parsed = FailOn.safeParse(value.toLowerCase());
  if (!parsed.success) throw new InputError(`fail-on must be one of ${FailOn.options.join(', ')}, not "${value}"`);
  return parsed.data;
}

/** The YAML 1.2 core-schema booleans, as @actions/core accepts them, but with a default when unset. */
function parseBoolean(name: string, value: string, fallback: boolean): boolean {
  if (!value) return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new InputError(`${name} must be true or false, not "${value}"`);
}
