// `container` sandboxes: a small client over the Docker Engine HTTP API (no docker package), and a
// run = create, start, wait (bounded by the timeout), logs, inspect, remove. Each run gets a fresh
// container with no network, a memory cap, a read-only root filesystem, no capabilities and the
// sandbox's declared paths bind-mounted from its scratch directory (so this assumes the engine
// sees the server's filesystem, as with a local socket).
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { SandboxConfig } from '../../db/schema.js';
import type { Scratch } from './scratch.js';
import { EXIT_KILLED, EXIT_TIMEOUT, type RunOutcome } from './wasm.js';

const API_VERSION = 'v1.43';

export interface DockerTarget {
  socketPath?: string;
  host?: string;
  port?: number;
}

/** DOCKER_HOST as Docker reads it: unix:///path, tcp://host:port (or http://). */
export function parseDockerHost(value: string): DockerTarget {
  if (value.startsWith('unix://')) return { socketPath: value.slice('unix://'.length) };
  const url = new URL(value.replace(/^tcp:\/\//, 'http://'));
  if (url.protocol !== 'http:') throw new Error(`unsupported DOCKER_HOST ${value}: use unix:// or tcp:// (TLS is not supported)`);
  return { host: url.hostname, port: Number(url.port || 2375) };
}

export class DockerError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class DockerClient {
  constructor(private readonly target: DockerTarget) {}

  request(method: string, path: string, body?: unknown, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<{ status: number; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = http.request(
        {
          ...this.target,
          method,
          path: `/${API_VERSION}${path}`,
          headers: { host: 'docker', ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}) },
          signal: opts.signal,
          timeout: opts.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`Docker API ${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  private async json<T>(method: string, path: string, body?: unknown, opts?: { signal?: AbortSignal }): Promise<T> {
    const res = await this.request(method, path, body, { timeoutMs: 30_000, ...opts });
    if (res.status >= 400) throw new DockerError(res.status, `Docker API ${method} ${path}: ${res.status} ${res.body.toString('utf8').slice(0, 300)}`);
    return (res.body.length ? JSON.parse(res.body.toString('utf8')) : {}) as T;
  }

  createContainer(spec: Record<string, unknown>): Promise<{ Id: string }> {
    return this.json('POST', '/containers/create', spec);
  }
  async start(id: string): Promise<void> {
    await this.json('POST', `/containers/${id}/start`);
  }
  wait(id: string, signal: AbortSignal): Promise<{ StatusCode: number }> {
    return this.json('POST', `/containers/${id}/wait?condition=not-running`, undefined, { signal });
  }
  async kill(id: string): Promise<void> {
    await this.json('POST', `/containers/${id}/kill`);
  }
  inspect(id: string): Promise<{ State?: { OOMKilled?: boolean } }> {
    return this.json('GET', `/containers/${id}/json`);
  }
  /** stdout and stderr, demultiplexed (a container without a TTY frames its output). */
  async logs(id: string): Promise<{ stdout: Buffer; stderr: Buffer }> {
    const res = await this.request('GET', `/containers/${id}/logs?stdout=1&stderr=1`, undefined, { timeoutMs: 30_000 });
    if (res.status >= 400) throw new DockerError(res.status, `Docker API logs: ${res.status}`);
    return demux(res.body);
  }
  async remove(id: string): Promise<void> {
    await this.json('DELETE', `/containers/${id}?force=true&v=true`);
  }
}

/** Docker's stream framing: [stream, 0, 0, 0, size(4, big-endian)] + payload. */
export function demux(buf: Buffer): { stdout: Buffer; stderr: Buffer } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length) {
    const stream = buf[i];
    const size = buf.readUInt32BE(i + 4);
    const part = buf.subarray(i + 8, i + 8 + size);
    (stream === 2 ? err : out).push(part);
    i += 8 + size;
  }
  return { stdout: Buffer.concat(out), stderr: Buffer.concat(err) };
}

export interface ContainerRunOptions {
  image: string;
  config: SandboxConfig;
  scratch: Scratch;
  sandboxId: string;
  maxOutputBytes: number;
}

/** The container's creation request: everything that keeps it in. */
export function containerSpec(code: string, o: ContainerRunOptions): Record<string, unknown> {
  const { resources } = o.config;
  const memory = resources.memory * 1_048_576;
  return {
    Image: o.image,
    Cmd: ['python3', '-I', '-c', code],
    Env: ['PYTHONDONTWRITEBYTECODE=1', 'HOME=/tmp'],
    WorkingDir: '/tmp',
    User: '65534:65534',
    NetworkDisabled: true,
    AttachStdout: false,
    AttachStderr: false,
    Tty: false,
    Labels: { 'agentcop.sandbox': o.sandboxId },
    HostConfig: {
      NetworkMode: 'none',
      Memory: memory,
      MemorySwap: memory,
      NanoCpus: Math.round(resources.cpu * 1e9),
      PidsLimit: 128,
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Tmpfs: { '/tmp': 'rw,noexec,nosuid,size=64m' },
      Binds: o.config.filesystem.paths.map((p) => `${o.scratch.hostDir(p)}:${p}:rw`),
      AutoRemove: false,
    },
  };
}

export async function runInContainer(docker: DockerClient, code: string, timeoutMs: number, o: ContainerRunOptions): Promise<RunOutcome> {
  const started = performance.now();
  const { Id: id } = await docker.createContainer(containerSpec(code, o));
  try {
    await docker.start(id);
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, timeoutMs);
    let status: number;
    try {
      status = (await docker.wait(id, abort.signal)).StatusCode;
    } catch (err) {
      if (!timedOut) throw err;
      await docker.kill(id).catch(() => {});
      status = EXIT_TIMEOUT;
    } finally {
      clearTimeout(timer);
    }
    const duration_ms = Math.round(performance.now() - started);
    const logs = await docker.logs(id).catch(() => ({ stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) }));
    const oom = timedOut ? false : Boolean((await docker.inspect(id).catch(() => ({}) as { State?: { OOMKilled?: boolean } })).State?.OOMKilled);
    const cut = (b: Buffer) => ({ text: b.subarray(0, o.maxOutputBytes).toString('utf8'), truncated: b.length > o.maxOutputBytes });
    const out = cut(logs.stdout);
    const err = cut(logs.stderr);
    return {
      stdout: out.text,
      stderr: err.text,
      stdout_truncated: out.truncated,
      stderr_truncated: err.truncated,
      exit_code: timedOut ? EXIT_TIMEOUT : oom ? EXIT_KILLED : status,
      duration_ms,
      violation: timedOut
        ? { kind: 'timeout', message: `the run exceeded its ${timeoutMs / 1000} s timeout and was killed` }
        : oom
          ? { kind: 'memory_limit', message: `the container exceeded its ${o.config.resources.memory} MB memory limit and was killed` }
          : null,
    };
  } finally {
    await docker.remove(id).catch(() => {});
  }
}
