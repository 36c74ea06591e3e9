// The Action as the runner runs it: the committed action/dist/index.js, copied to a folder with no
// node_modules anywhere above it, started with `node` and the environment GitHub gives a step.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Log } from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotate, ANNOTATIONS_PER_LEVEL } from '../action/src/annotate.js';
import { uploadResult } from '../action/src/upload.js';
import { collectSelected } from '../engine/files.js';
import type { Issue, ScanResult, Severity } from '../engine/types.js';
import { repoRoot } from './helpers/run-cli.js';
import { sarifValidator } from './helpers/sarif-schema.js';

/** CRITICAL: model output into eval(). */
const EVAL = 'import os\nresult = llm.invoke(q)\neval(result)\n';
/** CRITICAL: model output into a shell. */
const SHELL = 'import subprocess\nout = llm.invoke(prompt)\nsubprocess.run(out, shell=True)\n';
const CLEAN = 'def add(a, b):\n    return a + b\n';

/**
 * The runtime the bundle runs on: action.yml says node24, so `.ci/run` points AGENTCOP_ACTION_NODE at
 * a Node 24 binary; elsewhere the Node running the tests stands in, and says so.
 */
const actionNode = process.env.AGENTCOP_ACTION_NODE || process.execPath;
const actionNodeVersion = execFileSync(actionNode, ['--version'], { encoding: 'utf8' }).trim();
if (!process.env.AGENTCOP_ACTION_NODE) {
  console.warn(`\n⚠️  action.yml runs the bundle on node24; AGENTCOP_ACTION_NODE is not set, so these tests run it on ${actionNodeVersion} (.ci/run sets it)\n`);
}

let tmp: string;
let action: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'agentcop-action-'));
  // Walk up from the copy: Node would resolve bare imports through any node_modules it met.
  for (let dir = tmp; ; dir = path.dirname(dir)) {
    expect(existsSync(path.join(dir, 'node_modules')), `${dir}/node_modules`).toBe(false);
    if (path.dirname(dir) === dir) break;
  }
  action = path.join(tmp, 'scan-action', 'dist', 'index.js');
  cpSync(path.join(repoRoot, 'action', 'dist'), path.dirname(action), { recursive: true });
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------
// Helpers: a git repository with history, GitHub-shaped events, and one run of the Action.

const GIT_ENV = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' };

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_ENV },
  }).trim();
}

function commit(cwd: string, message: string, files: Record<string, string | null>): string {
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(cwd, rel);
    if (text === null) {
      git(cwd, 'rm', '-q', rel);
      continue;
    }
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    git(cwd, 'add', rel);
  }
  git(cwd, '-c', 'user.email=ci@agentcop.test', '-c', 'user.name=AgentCop CI', 'commit', '-q', '-m', message);
  return git(cwd, 'rev-parse', 'HEAD');
}

let repoCount = 0;
function newRepo(): string {
  const dir = path.join(tmp, `repo-${++repoCount}`);
  mkdirSync(dir);
  git(dir, 'init', '-q');
  return dir;
}

const REPOSITORY = { id: 1, name: 'agents', full_name: 'acme/agents', owner: { login: 'acme' }, default_branch: 'main' };

function pullRequestEvent(number: number, base: string, head: string) {
  return {
    name: 'pull_request',
    payload: {
      action: 'synchronize',
      number,
      pull_request: {
        number,
        state: 'open',
        title: 'Add a tool',
        head: { ref: 'feature', sha: head, repo: REPOSITORY },
        base: { ref: 'main', sha: base, repo: REPOSITORY },
      },
      repository: REPOSITORY,
      sender: { login: 'octocat' },
    },
  };
}

function pushEvent(before: string, after: string) {
  return {
    name: 'push',
    payload: { ref: 'refs/heads/main', before, after, repository: REPOSITORY, head_commit: { id: after }, sender: { login: 'octocat' } },
  };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  ms: number;
}

let runCount = 0;
/** One step: `inputs` use the names in action.yml; the runner's env var is INPUT_ + the upper-cased name. */
function runAction(workspace: string, event: { name: string; payload: unknown }, inputs: Record<string, string> = {}): Promise<Run> {
  const scratch = path.join(tmp, `run-${++runCount}`);
  mkdirSync(scratch);
  const files = { output: path.join(scratch, 'output'), summary: path.join(scratch, 'summary.md'), event: path.join(scratch, 'event.json') };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  writeFileSync(files.event, JSON.stringify(event.payload));
  const sha = git(workspace, 'rev-parse', 'HEAD');
  const env: NodeJS.ProcessEnv = {
    // Nothing from this process's environment but what any runner has: no stray INPUT_ or GITHUB_ values.
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...GIT_ENV,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: 'acme/agents',
    GITHUB_SHA: sha,
    GITHUB_REF: event.name === 'pull_request' ? 'refs/pull/7/merge' : 'refs/heads/main',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_RUN_ID: '4242',
    RUNNER_TEMP: scratch,
  };
  // What the runner does with action.yml's defaults (an explicit input replaces one).
  const withDefaults: Record<string, string> = { path: '.', 'only-changed': 'true', 'sarif-file': 'agentcop.sarif', annotations: 'true', ...inputs };
  for (const [name, value] of Object.entries(withDefaults)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // Async, not spawnSync: the upload tests answer from a server in this very process.
    const child = spawn(actionNode, [action], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        outputs: parseOutputs(readFileSync(files.output, 'utf8')),
        summary: readFileSync(files.summary, 'utf8'),
        ms: performance.now() - started,
      }),
    );
  });
}

/** GITHUB_OUTPUT as @actions/core writes it: `name<<DELIMITER`, the value, `DELIMITER`. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (!m) continue;
    const value: string[] = [];
    while (++i < lines.length && lines[i] !== m[2]) value.push(lines[i]);
    out[m[1]] = value.join('\n');
  }
  return out;
}

/** Annotations of one level on stdout, as `{file, line}`. */
function annotations(stdout: string, level: 'error' | 'warning' | 'notice'): { file?: string; line?: number; title?: string; message: string }[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith(`::${level} `) || l.startsWith(`::${level}::`))
    .map((l) => {
      const m = /^::\w+(?: (.*?))?::(.*)$/.exec(l)!;
      const props = Object.fromEntries((m[1] ?? '').split(',').filter(Boolean).map((p) => p.split('=') as [string, string]));
      return { file: props.file, line: props.line ? Number(props.line) : undefined, title: props.title?.replace(/%3A/g, ':'), message: m[2] };
    });
}

function readSarif(file: string): Log {
  return JSON.parse(readFileSync(file, 'utf8')) as Log;
}

const validate = sarifValidator();
function expectValidSarif(log: Log): void {
  const ok = validate(log);
  expect(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toBe(true);
}

// ---------------------------------------------------------------------------------------------

describe('action/dist', () => {
  it('holds the bundle, the runtime and grammar .wasm files, and a package.json that makes it ESM', () => {
    const files = readdirSync(path.dirname(action));
    expect(files).toEqual(expect.arrayContaining(['index.js', 'web-tree-sitter.wasm', 'tree-sitter-python.wasm', 'package.json', 'licenses.txt']));
    expect(JSON.parse(readFileSync(path.join(path.dirname(action), 'package.json'), 'utf8'))).toMatchObject({ name: 'agentcop', type: 'module' });
  });

  it('action.yml runs it on node24 and declares every input and output', () => {
    const yml = readFileSync(path.join(repoRoot, 'action.yml'), 'utf8');
    expect(yml).toMatch(/^\s+using: ['"]?node24['"]?$/m);
    expect(yml).toMatch(/^\s+main: ['"]?action\/dist\/index\.js['"]?$/m);
    for (const input of ['path', 'min-score', 'fail-on', 'config', 'only-changed', 'sarif-file', 'annotations', 'api-url', 'api-key', 'github-token']) {
      expect(yml, input).toMatch(new RegExp(`^  ${input}:$`, 'm'));
    }
    for (const output of ['trust-score', 'risk-level', 'total-issues', 'new-issues', 'sarif-file', 'scan-id', 'share-url']) {
      expect(yml, output).toMatch(new RegExp(`^  ${output}:$`, 'm'));
    }
  });
});

describe.runIf(Boolean(process.env.AGENTCOP_ACTION_NODE))('the runtime', () => {
  it('the scans below run the bundle on the Node major action.yml declares', () => {
    const declared = /^\s+using: ['"]?node(\d+)['"]?$/m.exec(readFileSync(path.join(repoRoot, 'action.yml'), 'utf8'))?.[1];
    expect(actionNodeVersion).toMatch(new RegExp(`^v${declared}\\.`));
  });
});

describe('push: a full scan', () => {
  let repo: string;
  let before: string;
  let after: string;

  beforeAll(() => {
    repo = newRepo();
    before = commit(repo, 'base', { 'agents/bot.py': EVAL, 'lib/util.py': CLEAN });
    after = commit(repo, 'more', { 'agents/runner.py': SHELL });
  });

  it('fails on a CRITICAL issue (fail-on critical by default), with outputs, annotations, summary and valid SARIF', async () => {
    const r = await runAction(repo, pushEvent(before, after));
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.ms).toBeLessThan(10_000);
    expect(r.outputs).toMatchObject({ 'risk-level': expect.stringMatching(/^(HIGH|CRITICAL|MODERATE)$/), 'total-issues': '2', 'new-issues': '2', 'share-url': '' });
    expect(Number(r.outputs['trust-score'])).toBeLessThan(70);
    expect(r.outputs['scan-id']).toMatch(/^scan_[A-Za-z0-9_-]{16,}$/);
    expect(r.outputs['sarif-file']).toBe(path.join(repo, 'agentcop.sarif'));

    // The runner turns these lines into annotations on the files.
    expect(r.stdout).toMatch(/^::error (?:[^:]*,)?file=agents\/bot\.py,line=3[,:]/m);
    expect(r.stdout).toMatch(/^::error (?:[^:]*,)?file=agents\/runner\.py,line=3[,:]/m);
    const errors = annotations(r.stdout, 'error').filter((a) => a.file);
    expect(errors).toHaveLength(2);
    expect(errors[0].title).toMatch(/^AgentCop CRITICAL: /);
    // setFailed: one error line without a file, saying why.
    expect(r.stdout).toMatch(/^::error::AgentCop: trust score 50 is below the minimum 70; 2 issues at or above CRITICAL \(fail-on critical\)$/m);

    expect(r.summary).toMatch(/^## AgentCop$/m);
    expect(r.summary).toContain('**Failed:**');
    expect(r.summary).toContain(`**Trust score: ${r.outputs['trust-score']}/100**`);
    expect(r.summary).toMatch(/\| CRITICAL \| 2 \|/);
    expect(r.summary).toContain('| LLM05 Improper Output Handling | 2 |');
    expect(r.summary).toContain('`agents/bot.py:3`');
    expect(r.summary).toContain('How to suppress');
    expect(r.summary).toContain('# agentcop: ignore[');

    const sarif = readSarif(r.outputs['sarif-file']);
    expectValidSarif(sarif);
    const uris = sarif.runs[0].results!.map((x) => x.locations![0].physicalLocation!.artifactLocation!.uri).sort();
    expect(uris).toEqual(['agents/bot.py', 'agents/runner.py']);
    expect(sarif.runs[0].tool.driver.version).toBe(JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version);
  });

  it('fails below min-score and passes at or above it, with fail-on none', async () => {
    const below = await runAction(repo, pushEvent(before, after), { 'fail-on': 'none', 'min-score': '90' });
    expect(below.code).toBe(1);
    expect(below.stdout).toMatch(new RegExp(`^::error::AgentCop: trust score ${below.outputs['trust-score']} is below the minimum 90`, 'm'));

    const pass = await runAction(repo, pushEvent(before, after), { 'fail-on': 'none', 'min-score': '0' });
    expect(pass.code, pass.stdout).toBe(0);
    expect(pass.stdout).not.toMatch(/^::error::/m);
    expect(pass.summary).toContain('**Passed**');
    // Annotations do not depend on the verdict.
    expect(annotations(pass.stdout, 'error').filter((a) => a.file)).toHaveLength(2);
  });

  it('scans a subfolder, names files from the repository root, and honours a config file and annotations: false', async () => {
    const cfgRepo = newRepo();
    commit(cfgRepo, 'base', {
      'services/agent/bot.py': EVAL,
      'services/agent/tools.py': SHELL,
      'ci/agentcop.yml': 'min_score: 10\nfail_on: none\nrules:\n  output-handling/shell-injection: off\n',
    });
    const sha = git(cfgRepo, 'rev-parse', 'HEAD');
    const r = await runAction(cfgRepo, pushEvent(sha, sha), { path: 'services/agent', config: 'ci/agentcop.yml', annotations: 'false', 'sarif-file': 'out/agentcop.sarif' });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs['total-issues']).toBe('1');
    expect(annotations(r.stdout, 'error').filter((a) => a.file)).toHaveLength(0);
    expect(r.summary).toContain('`services/agent/bot.py:3`');
    expect(r.summary).toContain('min-score 10, fail-on none');
    const sarif = readSarif(path.join(cfgRepo, 'out/agentcop.sarif'));
    expectValidSarif(sarif);
    expect(sarif.runs[0].results![0].locations![0].physicalLocation!.artifactLocation!.uri).toBe('services/agent/bot.py');
  });

  it('caps annotations at what GitHub shows per level and says how many more there are', async () => {
    const big = newRepo();
    const lines = ['import os', ...Array.from({ length: 14 }, (_, i) => `r${i} = llm.invoke(q${i})\neval(r${i})`)];
    const sha = commit(big, 'many', { 'many.py': `${lines.join('\n')}\n` });
    const r = await runAction(big, pushEvent(sha, sha));
    expect(r.outputs['total-issues']).toBe('14');
    expect(annotations(r.stdout, 'error').filter((a) => a.file)).toHaveLength(ANNOTATIONS_PER_LEVEL);
    const more = annotations(r.stdout, 'notice').find((a) => /more issue/.test(a.message));
    expect(more?.message).toMatch(/^4 more issues not annotated/);
  });
});

describe('pull_request with only-changed: only new issues fail', () => {
  let repo: string;
  let base: string;
  let head: string;
  let baseTip: string;

  beforeAll(() => {
    // main:    B ── M2 (adds main-only.py with an issue, after the branch point)
    // feature:  └─ H (moves the old issue down a file, renames another, adds docs)
    // HEAD = the merge commit of H into M2, which is what actions/checkout gives a pull_request.
    repo = newRepo();
    base = commit(repo, 'base', {
      'agents/bot.py': EVAL,
      'agents/legacy.py': SHELL,
      'lib/util.py': CLEAN,
      '.agentcop.yml': 'fail_on: critical\n',
    });
    git(repo, 'checkout', '-q', '-b', 'feature');
    head = commit(repo, 'feature', {
      'agents/bot.py': `# A comment that moves every line down.\n\n${EVAL.replace('import os\n', 'import os\nimport sys\n')}`,
      'agents/legacy.py': null,
      'agents/old_tools.py': SHELL,
      'lib/util.py': `${CLEAN}\n\ndef sub(a, b):\n    return a - b\n`,
      'README.md': '# agents\n',
    });
    git(repo, 'checkout', '-q', 'main');
    baseTip = commit(repo, 'main moves on', { 'main-only.py': EVAL.replace('result', 'answer') });
    git(repo, '-c', 'user.email=ci@agentcop.test', '-c', 'user.name=AgentCop CI', 'merge', '-q', '--no-ff', '-m', 'merge', 'feature');
    git(repo, 'checkout', '-q', '--detach', 'HEAD');
  });

  it('passes when the changed files only carry issues the base already had', async () => {
    const r = await runAction(repo, pullRequestEvent(7, baseTip, head));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.ms).toBeLessThan(10_000);
    // bot.py and the renamed old_tools.py are scanned; main-only.py is the base branch's change, not the PR's.
    expect(r.outputs).toMatchObject({ 'total-issues': '2', 'new-issues': '0' });
    expect(Number(r.outputs['trust-score'])).toBeLessThan(70);
    expect(annotations(r.stdout, 'error').filter((a) => a.file)).toHaveLength(0);
    expect(r.summary).toContain('**Passed**');
    expect(r.summary).toContain('0 new in this pull request');
    expect(r.summary).toMatch(/\| existing \| CRITICAL \|/);
    expect(r.summary).not.toContain('main-only.py');

    const sarif = readSarif(r.outputs['sarif-file']);
    expectValidSarif(sarif);
    expect(sarif.runs[0].results!.map((x) => x.baselineState)).toEqual(['unchanged', 'unchanged']);
  });

  it('fails when the pull request adds an issue, and annotates only the new one', async () => {
    const next = newRepo();
    const b = commit(next, 'base', { 'agents/bot.py': EVAL, 'lib/util.py': CLEAN });
    git(next, 'checkout', '-q', '-b', 'feature');
    const h = commit(next, 'feature', { 'agents/bot.py': `${EVAL}\n# touched\n`, 'agents/runner.py': SHELL });
    const r = await runAction(next, pullRequestEvent(8, b, h));
    expect(r.code, r.stdout).toBe(1);
    expect(r.outputs).toMatchObject({ 'total-issues': '2', 'new-issues': '1' });
    const errors = annotations(r.stdout, 'error').filter((a) => a.file);
    expect(errors).toEqual([expect.objectContaining({ file: 'agents/runner.py', line: 3 })]);
    expect(r.stdout).toMatch(/^::error::AgentCop: counting only the 1 new issue in this pull request, 1 issue at or above CRITICAL \(fail-on critical\)$/m);
    expect(r.summary).toMatch(/\| \*\*new\*\* \| CRITICAL \| .* \| `agents\/runner\.py:3` \|/);
    expect(r.summary).toMatch(/\| existing \| CRITICAL \| .* \| `agents\/bot\.py:3` \|/);
    expect(r.summary).toMatch(/\| CRITICAL \| 1 \| 1 \|/);
    const sarif = readSarif(r.outputs['sarif-file']);
    expectValidSarif(sarif);
    const states = Object.fromEntries(sarif.runs[0].results!.map((x) => [x.locations![0].physicalLocation!.artifactLocation!.uri, x.baselineState]));
    expect(states).toEqual({ 'agents/runner.py': 'new', 'agents/bot.py': 'unchanged' });

    // min-score weighs the new issues alone: one CRITICAL leaves 75, whatever the old ones cost.
    const strict = await runAction(next, pullRequestEvent(8, b, h), { 'fail-on': 'none', 'min-score': '80' });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/^::error::AgentCop: counting only the 1 new issue in this pull request, trust score 75 is below the minimum 80$/m);
    const lenient = await runAction(next, pullRequestEvent(8, b, h), { 'fail-on': 'none', 'min-score': '75' });
    expect(lenient.code, lenient.stdout).toBe(0);
    expect(lenient.outputs['trust-score']).toBe('50');

    // The same repository on push (or with only-changed: false) counts everything.
    const full = await runAction(next, pullRequestEvent(8, b, h), { 'only-changed': 'false' });
    expect(full.code).toBe(1);
    expect(full.outputs).toMatchObject({ 'total-issues': '2', 'new-issues': '2' });
  });

  it('fetches a base commit that a shallow checkout lacks', async () => {
    const upstream = newRepo();
    const b = commit(upstream, 'base', { 'agents/bot.py': EVAL });
    const h = commit(upstream, 'head', { 'agents/bot.py': `${EVAL}# touched\n`, 'agents/new.py': SHELL });
    const clone = path.join(tmp, `shallow-${repoCount}`);
    // fetch-depth: 1, as actions/checkout does by default.
    git(tmp, 'clone', '-q', '--depth=1', `file://${upstream}`, clone);
    expect(() => git(clone, 'cat-file', '-e', `${b}^{commit}`)).toThrow();
    const r = await runAction(clone, pullRequestEvent(9, b, h));
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.outputs).toMatchObject({ 'total-issues': '2', 'new-issues': '1' });
    expect(annotations(r.stdout, 'error').filter((a) => a.file)).toEqual([expect.objectContaining({ file: 'agents/new.py' })]);
  });

  it('fails with what to do when the base cannot be had, rather than passing', async () => {
    const lonely = newRepo();
    const h = commit(lonely, 'only commit', { 'agents/bot.py': EVAL });
    const r = await runAction(lonely, pullRequestEvent(10, 'f'.repeat(40), h));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error::AgentCop: the pull request's base commit f{40} is not in the workspace and could not be fetched .*fetch-depth: 0/m);
    expect(r.outputs['trust-score']).toBeUndefined();
  });

  it('says nothing changed when no scanned file changed', async () => {
    const docs = newRepo();
    const b = commit(docs, 'base', { 'agents/bot.py': EVAL });
    const h = commit(docs, 'docs', { 'README.md': '# hi\n' });
    const r = await runAction(docs, pullRequestEvent(11, b, h));
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs).toMatchObject({ 'trust-score': '100', 'risk-level': 'SAFE', 'total-issues': '0', 'new-issues': '0' });
    expect(r.summary).toContain('No files AgentCop scans were changed.');
    expectValidSarif(readSarif(r.outputs['sarif-file']));
  });
});

describe('mistakes fail the step with a message', () => {
  let repo: string;
  let sha: string;
  beforeAll(() => {
    repo = newRepo();
    sha = commit(repo, 'base', { 'bot.py': EVAL });
  });

  it.each([
    [{ 'min-score': 'lots' }, /min-score must be a whole number from 0 to 100, not "lots"/],
    [{ 'fail-on': 'severe' }, /fail-on must be one of critical, high, medium, low, none, not "severe"/],
    [{ 'only-changed': 'yes' }, /only-changed must be true or false/],
    [{ 'api-url': 'https://agentcop.example' }, /api-url is set but api-key is empty/],
    [{ path: 'no/such/dir' }, /path not found: /],
    [{ config: 'missing.yml' }, /config file not found: /],
  ])('%j', async (inputs, message) => {
    const r = await runAction(repo, pushEvent(sha, sha), inputs as Record<string, string>);
    expect(r.code).toBe(1);
    const failure = r.stdout.split('\n').find((l) => l.startsWith('::error::'));
    expect(failure).toMatch(message);
  });
});

describe('upload to an AgentCop server', () => {
  interface Received {
    method?: string;
    url?: string;
    headers: IncomingHttpHeaders;
    body: string;
  }
  let server: Server;
  let base: string;
  const received: Received[] = [];
  let reply: { status: number; body: unknown } = { status: 201, body: {} };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (d: string) => (body += d));
      req.on('end', () => {
        received.push({ method: req.method, url: req.url, headers: req.headers, body });
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('posts the ScanResult with the key and outputs the scan id and share URL', async () => {
    const repo = newRepo();
    const sha = commit(repo, 'base', { 'agents/bot.py': EVAL });
    received.length = 0;
    reply = { status: 201, body: { scan_id: 'scan_fromtheserver0001', share_url: `${base}/scan/scan_fromtheserver0001`, badge_url: `${base}/api/v1/badge/scan_fromtheserver0001` } };
    const r = await runAction(repo, pushEvent(sha, sha), { 'api-url': `${base}/`, 'api-key': 'ak_test_secret_123', 'fail-on': 'none', 'min-score': '0' });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(received).toHaveLength(1);
    const [req] = received;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/api/v1/scans/import');
    expect(req.headers['x-agentcop-key']).toBe('ak_test_secret_123');
    expect(req.headers['content-type']).toBe('application/json');
    const body = JSON.parse(req.body) as ScanResult & { context: Record<string, unknown> };
    expect(body).toMatchObject({ trust_score: Number(r.outputs['trust-score']), total_issues: 1, files_scanned: 1 });
    expect(body.issues[0]).toMatchObject({ file: 'agents/bot.py', line: 3, severity: 'CRITICAL' });
    expect(body.context).toEqual({ repository: 'acme/agents', sha, ref: 'refs/heads/main', event: 'push', run_url: 'https://github.com/acme/agents/actions/runs/4242' });
    expect(r.outputs).toMatchObject({ 'scan-id': 'scan_fromtheserver0001', 'share-url': `${base}/scan/scan_fromtheserver0001` });
    expect(r.summary).toContain(`[Full report](${base}/scan/scan_fromtheserver0001)`);
    // The key is registered as a secret, so the runner masks it, and it is never printed.
    expect(r.stdout).toContain('::add-mask::ak_test_secret_123');
    expect(r.stdout.replace('::add-mask::ak_test_secret_123', '')).not.toContain('ak_test_secret_123');
  });

  it('fails the step, with the server\'s message, when the upload is refused', async () => {
    const repo = newRepo();
    const sha = commit(repo, 'base', { 'lib/ok.py': CLEAN });
    received.length = 0;
    reply = { status: 401, body: { error: 'invalid_key', message: 'API key not recognised', code: 401 } };
    const r = await runAction(repo, pushEvent(sha, sha), { 'api-url': base, 'api-key': 'ak_wrong' });
    expect(r.code).toBe(1);
    expect(received).toHaveLength(1);
    expect(r.stdout).toMatch(/^::error::AgentCop: upload to http:\/\/127\.0\.0\.1:\d+ failed: POST .*\/api\/v1\/scans\/import answered 401: invalid_key: API key not recognised/m);
    // Everything else still happened: the scan passed and its results are there.
    expect(r.outputs).toMatchObject({ 'trust-score': '100', 'share-url': '' });
    expect(r.summary).toContain('**Upload failed:**');
  });

  it('sends nothing without api-url and api-key', async () => {
    const repo = newRepo();
    const sha = commit(repo, 'base', { 'agents/bot.py': EVAL });
    received.length = 0;
    const r = await runAction(repo, pushEvent(sha, sha), { 'fail-on': 'none', 'min-score': '0' });
    expect(r.code).toBe(0);
    expect(received).toHaveLength(0);
    expect(r.outputs['share-url']).toBe('');
  });

  it('retries a server error in process, then takes the answer', async () => {
    received.length = 0;
    let calls = 0;
    const flaky = createServer((req, res) => {
      req.resume().on('end', () => {
        calls++;
        if (calls === 1) res.writeHead(503, { 'retry-after': '1' }).end('{"error":"unavailable","message":"try again"}');
        else res.writeHead(200, { 'content-type': 'application/json' }).end('{"scan_id":"scan_x","share_url":"https://a/s"}');
      });
    });
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    const waits: number[] = [];
    try {
      const url = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`;
      const answer = await uploadResult({ url, key: 'k' }, { trust_score: 100 } as ScanResult, {}, async (ms) => void waits.push(ms));
      expect(answer).toEqual({ scan_id: 'scan_x', share_url: 'https://a/s' });
      expect(calls).toBe(2);
      expect(waits).toEqual([1000]);
    } finally {
      await new Promise<void>((resolve) => flaky.close(() => resolve()));
    }
  });
});

describe('annotation cap (in process)', () => {
  function issue(severity: Severity, n: number): Issue {
    return {
      id: `issue_${n}`,
      type: 'LLM05_IMPROPER_OUTPUT_HANDLING',
      rule: 'output-handling/code-execution',
      severity,
      title: 'T',
      description: 'D',
      file: `f${n}.py`,
      line: n + 1,
      column: 1,
      end_line: n + 1,
      code_snippet: '',
      fix: 'F',
      owasp: 'LLM05',
      cwe: 'CWE-95',
      fingerprint: `fp${n}`,
    };
  }

  it('keeps one notice slot for the "N more" line, and shows the most severe first', () => {
    const calls: { level: string; file?: string }[] = [];
    const sink = {
      error: (_m: string | Error, p?: { file?: string }) => void calls.push({ level: 'error', file: p?.file }),
      warning: (_m: string | Error, p?: { file?: string }) => void calls.push({ level: 'warning', file: p?.file }),
      notice: (_m: string | Error, p?: { file?: string }) => void calls.push({ level: 'notice', file: p?.file }),
    };
    const issues = [
      ...Array.from({ length: 12 }, (_, i) => issue(i < 3 ? 'CRITICAL' : 'HIGH', i)),
      ...Array.from({ length: 4 }, (_, i) => issue('MEDIUM', 20 + i)),
      ...Array.from({ length: 11 }, (_, i) => issue(i % 2 ? 'LOW' : 'INFO', 40 + i)),
    ];
    const counts = annotate(issues, sink);
    const count = (level: string) => calls.filter((c) => c.level === level && c.file).length;
    expect([count('error'), count('warning'), count('notice')]).toEqual([10, 4, 9]);
    expect(counts).toEqual({ shown: 23, hidden: 4 });
    expect(calls.filter((c) => c.level === 'notice' && !c.file)).toHaveLength(1);
    expect(calls.slice(0, 3).map((c) => c.file)).toEqual(['f0.py', 'f1.py', 'f2.py']);
  });
});

describe('collectSelected (in process): changed files obey the same rules as a walk', () => {
  it('keeps ignored folders, ignore and paths globs, unsupported types and escapes out', async () => {
    const dir = path.join(tmp, 'selected');
    for (const rel of ['agents/bot.py', 'agents/tests/test_bot.py', 'node_modules/pkg/x.py', 'scripts/run.py', 'README.md', 'agents/big.py']) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), rel === 'agents/big.py' ? 'x = 1\n'.repeat(400) : EVAL);
    }
    const got = await collectSelected(
      dir,
      ['agents/bot.py', './agents/bot.py', 'agents/tests/test_bot.py', 'node_modules/pkg/x.py', 'scripts/run.py', 'README.md', '../outside.py', 'agents/big.py', 'agents/gone.py'],
      { config: { paths: ['agents/**'], ignore: ['tests'], max_file_size: 1000 } },
    );
    expect(got.files.map((f) => f.path)).toEqual(['agents/bot.py']);
    expect(got.notices.map((n) => `${n.file} ${n.kind}`).sort()).toEqual(['agents/big.py skipped', 'agents/gone.py skipped']);
  });
});
