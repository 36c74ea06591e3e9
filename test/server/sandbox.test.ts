// Sandboxes over the REST API, once per database target: lifecycle, validation, scopes, tenant
// isolation, per-plan concurrency, expiry; and the wasm sandbox's walls, each attacked for real —
// host files (direct and through every JavaScript escape we know), a real local TCP server that
// must see nothing, a memory bomb, an endless loop, a sandbox that must not outlive its timeout.
// Container mode: 501 without an engine, and the Docker API requests against a recording fake.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildOptions } from '../../server/index.js';
import { BOOTSTRAP_KEY, createAccount, createKey, envelopeOf, freshPostgresDatabase, pgliteSnapshot, startServer, TARGETS, tempDir, warnSkip, withKey, type TestServer } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

for (const target of TARGETS) {
  describe(`sandbox (${target.name})`, () => {
    if (!target.available) {
      warnSkip(`sandbox tests on ${target.name}`, target.reason!);
      it.skip(`${target.name}: ${target.reason}`, () => {});
      return;
    }
    let s: TestServer;
    let scratchDir: string;
    let tenant: { accountId: string; key: string };
    let other: { accountId: string; key: string };
    /** The shared warm sandbox (one Pyodide load for most tests). */
    let shared: Json;
    beforeAll(async () => {
      scratchDir = await tempDir('agentcop-sbx-');
      s = await startServer(target, { sandbox: { sweepMs: 0, scratchDir } });
      tenant = await createAccount(s.app, s.key, 'sandbox tenant', 'free');
      other = await createAccount(s.app, s.key, 'other tenant', 'pro');
    }, 120_000);
    afterAll(async () => {
      await s?.close();
      if (scratchDir) await rm(scratchDir, { recursive: true, force: true });
    });

    const post = (key: string, url: string, payload?: unknown, prefix = '/api/v1') =>
      s.app.inject({ method: 'POST', url: `${prefix}${url}`, headers: withKey(key), ...(payload !== undefined ? { payload: payload as Json } : {}) });
    const get = (key: string, url: string) => s.app.inject({ url: `/api/v1${url}`, headers: withKey(key) });
    const del = (key: string, url: string) => s.app.inject({ method: 'DELETE', url: `/api/v1${url}`, headers: withKey(key) });
    const create = async (key: string, body: Json = {}) => {
      const res = await post(key, '/sandbox/create', { agent_id: 'coder-bot', mode: 'wasm', ...body });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as Json;
    };
    const run = async (sandboxId: string, code: string, extra: Json = {}) => {
      const res = await post(tenant.key, `/sandbox/${sandboxId}/run`, { code, ...extra });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as Json;
    };

    it('create, get (both prefixes), tenant isolation, delete keeps the record as destroyed', async () => {
      const res = await post(tenant.key, '/sandbox/create', { agent_id: 'coder-bot', mode: 'wasm', config: { filesystem: { paths: ['/data'] }, network: { allow: [] }, resources: { cpu: 1, memory: 256, timeout: 600 } } }, '/api');
      expect(res.statusCode, res.body).toBe(201);
      const sb = res.json() as Json;
      expect(sb).toMatchObject({ agent_id: 'coder-bot', mode: 'wasm', status: 'ready', destroyed_at: null, config: { filesystem: { paths: ['/data'] }, network: { allow: [] }, resources: { cpu: 1, memory: 256, timeout: 600 } } });
      expect(sb.sandbox_id).toMatch(/^sbx_/);
      expect(Date.parse(sb.expires_at) - Date.parse(sb.created_at)).toBe(600_000);
      expect(res.headers.location).toBe(`/api/sandbox/${sb.sandbox_id}`);
      expect((await get(tenant.key, `/sandbox/${sb.sandbox_id}`)).json()).toEqual(sb);

      const foreign = await get(other.key, `/sandbox/${sb.sandbox_id}`);
      expect(foreign.statusCode).toBe(404);
      expect(envelopeOf(foreign).error).toBe('not_found');
      expect((await del(other.key, `/sandbox/${sb.sandbox_id}`)).statusCode).toBe(404);
      expect((await post(other.key, `/sandbox/${sb.sandbox_id}/run`, { code: 'print(1)' })).statusCode).toBe(404);

      const gone = await del(tenant.key, `/sandbox/${sb.sandbox_id}`);
      expect(gone.statusCode).toBe(204);
      const after = (await get(tenant.key, `/sandbox/${sb.sandbox_id}`)).json() as Json;
      expect(after.status).toBe('destroyed');
      expect(after.destroyed_at).not.toBeNull();
      expect((await del(tenant.key, `/sandbox/${sb.sandbox_id}`)).statusCode).toBe(204); // idempotent
      const late = await post(tenant.key, `/sandbox/${sb.sandbox_id}/run`, { code: 'print(1)' });
      expect(late.statusCode).toBe(409);
      expect(envelopeOf(late).error).toBe('sandbox_not_live');
    });

    it('validation, container mode without Docker (501) and scopes answer with the envelope', async () => {
      const cases: [Json, number, string][] = [
        [{ agent_id: 'a', mode: 'vm' }, 400, 'validation_failed'],
        [{ mode: 'wasm' }, 400, 'validation_failed'],
        [{ agent_id: 'a', mode: 'wasm', config: { resources: { timeout: 3601 } } }, 400, 'validation_failed'],
        [{ agent_id: 'a', mode: 'wasm', config: { resources: { memory: 16 } } }, 400, 'validation_failed'],
        [{ agent_id: 'a', mode: 'wasm', config: { filesystem: { paths: ['data'] } } }, 400, 'invalid_sandbox_path'],
        [{ agent_id: 'a', mode: 'wasm', config: { filesystem: { paths: ['/data/../etc'] } } }, 400, 'invalid_sandbox_path'],
        [{ agent_id: 'a', mode: 'wasm', config: { filesystem: { paths: ['/lib/python3'] } } }, 400, 'invalid_sandbox_path'],
        [{ agent_id: 'a', mode: 'wasm', config: { network: { allow: ['api.example.com'] } } }, 400, 'sandbox_network_unsupported'],
        [{ agent_id: 'a', mode: 'container' }, 501, 'sandbox_mode_unavailable'],
      ];
      for (const [body, status, error] of cases) {
        const res = await post(tenant.key, '/sandbox/create', body);
        expect(res.statusCode, JSON.stringify(body)).toBe(status);
        expect(envelopeOf(res).error, JSON.stringify(body)).toBe(error);
      }
      const sb = await create(tenant.key);
      const longRun = await post(tenant.key, `/sandbox/${sb.sandbox_id}/run`, { code: 'print(1)', timeout: 601 });
      expect(longRun.statusCode).toBe(400);
      expect(envelopeOf(longRun).error).toBe('validation_failed');
      const reader = await createKey(s.app, tenant.key, { name: 'reader', scopes: ['sandbox:read'] });
      expect((await get(reader.key, `/sandbox/${sb.sandbox_id}`)).statusCode).toBe(200);
      for (const res of [await post(reader.key, '/sandbox/create', { agent_id: 'a', mode: 'wasm' }), await post(reader.key, `/sandbox/${sb.sandbox_id}/run`, { code: 'print(1)' }), await del(reader.key, `/sandbox/${sb.sandbox_id}`)]) {
        expect(res.statusCode).toBe(403);
        expect(envelopeOf(res).error).toBe('insufficient_scope');
      }
      expect((await del(tenant.key, `/sandbox/${sb.sandbox_id}`)).statusCode).toBe(204);
    });

    it('per-plan concurrency: free allows 3 live sandboxes; the 4th is 429 until one is destroyed', async () => {
      const live = [await create(tenant.key), await create(tenant.key), await create(tenant.key)];
      const fourth = await post(tenant.key, '/sandbox/create', { agent_id: 'coder-bot', mode: 'wasm' });
      expect(fourth.statusCode).toBe(429);
      const env = envelopeOf(fourth) as Json;
      expect(env.error).toBe('sandbox_limit_reached');
      expect(env.details).toEqual({ limit: 3, live: 3 });
      // Another account has its own allowance.
      const theirs = await create(other.key);
      expect((await del(other.key, `/sandbox/${theirs.sandbox_id}`)).statusCode).toBe(204);
      expect((await del(tenant.key, `/sandbox/${live[0]!.sandbox_id}`)).statusCode).toBe(204);
      const again = await create(tenant.key);
      for (const sb of [again, live[1]!, live[2]!]) expect((await del(tenant.key, `/sandbox/${sb.sandbox_id}`)).statusCode).toBe(204);
    });

    it('expiry: past its timeout a sandbox reads as expired at once, refuses runs, and the sweep persists it', async () => {
      const sb = await create(tenant.key, { config: { resources: { timeout: 1 } } });
      await new Promise((r) => setTimeout(r, 1_200));
      const read = (await get(tenant.key, `/sandbox/${sb.sandbox_id}`)).json() as Json;
      expect(read.status).toBe('expired');
      expect(read.destroyed_at).toBe(sb.expires_at);
      const res = await post(tenant.key, `/sandbox/${sb.sandbox_id}/run`, { code: 'print(1)' });
      expect(res.statusCode).toBe(409);
      expect(envelopeOf(res).error).toBe('sandbox_not_live');
      await s.app.services.sandboxes.expireDue();
      const stored = await s.app.db.selectFrom('sandboxes').select(['status', 'destroyed_at']).where('id', '=', sb.sandbox_id).executeTakeFirstOrThrow();
      expect(stored.status).toBe('expired');
      expect(stored.destroyed_at!.toISOString()).toBe(sb.expires_at);
      expect(existsSync(path.join(scratchDir, sb.sandbox_id))).toBe(false);
    });

    it('wasm run: stdout, stderr, exit status, duration; files under the declared path persist in the scratch dir; runs recorded', async () => {
      shared = await create(tenant.key, { config: { filesystem: { paths: ['/data'] }, resources: { memory: 128, timeout: 900 } } });
      const ok = await run(shared.sandbox_id, "import sys\nprint('hello', 6 * 7)\nprint('warn', file=sys.stderr)\nopen('/data/out.txt', 'w').write('kept')");
      expect(ok).toMatchObject({ status: 'completed', stdout: 'hello 42\n', stderr: 'warn\n', exit_code: 0, violation: null, async: false, timeout: 30 });
      expect(ok.duration_ms).toBeGreaterThanOrEqual(0);
      expect(await readFile(path.join(scratchDir, shared.sandbox_id, 'fs', 'data', 'out.txt'), 'utf8')).toBe('kept');

      const again = await run(shared.sandbox_id, "print(open('/data/out.txt').read())");
      expect(again.stdout).toBe('kept\n');
      const failed = await run(shared.sandbox_id, "def f():\n    raise ValueError('boom')\nf()");
      expect(failed.exit_code).toBe(1);
      expect(failed.stderr).toContain('ValueError: boom');
      expect((await run(shared.sandbox_id, 'import sys\nsys.exit(3)')).exit_code).toBe(3);

      const stored = await get(tenant.key, `/sandbox/${shared.sandbox_id}/runs/${failed.run_id}`);
      expect(stored.statusCode).toBe(200);
      expect(stored.json()).toEqual(failed);
      expect((await get(other.key, `/sandbox/${shared.sandbox_id}/runs/${failed.run_id}`)).statusCode).toBe(404);
      const row = await s.app.db.selectFrom('sandbox_runs').select(['code', 'created_by']).where('id', '=', failed.run_id).executeTakeFirstOrThrow();
      expect(row.code).toContain("raise ValueError('boom')");
    });

    it('wasm: async run answers 202 with a run id; the result is read later', async () => {
      const res = await post(tenant.key, `/sandbox/${shared.sandbox_id}/run`, { code: 'import time\ntime.sleep(0.3)\nprint("later")', async: true });
      expect(res.statusCode, res.body).toBe(202);
      const started = res.json() as Json;
      expect(started).toMatchObject({ status: 'running', stdout: null, exit_code: null, async: true });
      expect(res.headers.location).toBe(`/api/v1/sandbox/${shared.sandbox_id}/runs/${started.run_id}`);
      let view: Json = started;
      for (let i = 0; i < 100 && view.status === 'running'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        view = (await get(tenant.key, `/sandbox/${shared.sandbox_id}/runs/${started.run_id}`)).json() as Json;
      }
      expect(view).toMatchObject({ status: 'completed', stdout: 'later\n', exit_code: 0, violation: null });
    });

    it('wasm: no host filesystem — a host file cannot be read directly or through any JavaScript escape', async () => {
      const secret = `TOPSECRET-${randomBytes(8).toString('hex')}`;
      const hostFile = path.join(os.tmpdir(), `agentcop-secret-${randomBytes(4).toString('hex')}.txt`);
      await writeFile(hostFile, secret);
      try {
        const code = `
import sys, gc
results = {}
def attempt(name, fn):
    try:
        results[name] = "ESCAPED " + repr(fn())[:300]
    except BaseException as e:
        results[name] = "blocked " + type(e).__name__

def via_js_module():
    import js
    return js.process.mainModule.require("fs").readFileSync(${JSON.stringify(hostFile)}, "utf8")
def via_pyodide_js_mount():
    import pyodide_js
    pyodide_js.FS.mkdirTree("/host")
    pyodide_js.FS.mount(pyodide_js.FS.filesystems.NODEFS, {"root": ${JSON.stringify(path.dirname(hostFile))}}, "/host")
    return open("/host/" + ${JSON.stringify(path.basename(hostFile))}).read()
def via_mount_node_fs():
    import pyodide_js
    pyodide_js.mountNodeFS("/host2", ${JSON.stringify(path.dirname(hostFile))})
    return open("/host2/" + ${JSON.stringify(path.basename(hostFile))}).read()
def via_hook_removed():
    sys.meta_path[:] = [f for f in sys.meta_path if "AgentCop" not in type(f).__name__]
    import js
    return js.process.env
def via_function_constructor():
    from pyodide.ffi import to_js
    return to_js({}).constructor.constructor("return process.getBuiltinModule('fs').readFileSync(" + ${JSON.stringify(JSON.stringify(hostFile))} + ", 'utf8')")()
def via_dynamic_import():
    from pyodide.ffi import to_js
    return to_js([]).constructor.constructor("return import('node:fs')")()
def via_async_function_constructor():
    from pyodide.ffi import to_js, create_proxy
    fn = to_js(lambda: 1)
    return fn.constructor.constructor("return 1")()
def via_run_js():
    from pyodide.code import run_js
    return run_js("process.env")
def via_gc_jsproxies():
    from pyodide.ffi import JsProxy
    found = []
    for o in gc.get_objects():
        if isinstance(o, JsProxy):
            for attr in ("FS", "_module", "mountNodeFS", "process", "require"):
                try:
                    if getattr(o, attr, None) is not None:
                        found.append(attr)
                except BaseException:
                    pass
    if found:
        return found
    raise LookupError("no JsProxy reaches the host")

attempt("open", lambda: open(${JSON.stringify(hostFile)}).read())
attempt("passwd", lambda: open("/etc/passwd").read())
def listed():
    if ${JSON.stringify(path.basename(hostFile))} not in __import__("os").listdir(${JSON.stringify(path.dirname(hostFile))}):
        raise FileNotFoundError("not listed")
    return True
attempt("listdir", listed)
for name, fn in list(globals().items()):
    if name.startswith("via_"):
        attempt(name, fn)
for k, v in results.items():
    print(k, v)
`;
        const r = await run(shared.sandbox_id, code);
        expect(r.exit_code, r.stderr).toBe(0);
        const lines = (r.stdout as string).trim().split('\n');
        expect(lines.length).toBe(12);
        for (const line of lines) expect(line, line).toMatch(/^\S+ blocked \w+$/);
        expect(r.stdout).not.toContain(secret);
        expect(r.stdout).not.toContain('root:');
      } finally {
        await rm(hostFile, { force: true });
      }
    });

    it('wasm: no network — a real local TCP server receives nothing from socket, urllib or JS fetch', async () => {
      let connections = 0;
      let bytes = 0;
      const server = net.createServer((c) => {
        connections++;
        c.on('data', (d) => (bytes += d.length));
        c.on('error', () => {});
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as net.AddressInfo).port;
      try {
        const code = `
results = {}
def attempt(name, fn):
    try:
        fn()
        results[name] = "ESCAPED"
    except BaseException as e:
        results[name] = "blocked " + type(e).__name__
def raw_socket():
    import _socket
    s = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    s.connect(("127.0.0.1", ${port}))
    s.send(b"hello")
def socket_module():
    import socket
    s = socket.create_connection(("127.0.0.1", ${port}), timeout=2)
    s.sendall(b"hello")
def socket_restored():
    import socket, _socket
    s = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    _socket.socket.connect(s, ("127.0.0.1", ${port}))
def urllib_get():
    import urllib.request
    urllib.request.urlopen("http://127.0.0.1:${port}/", timeout=2).read()
def pyfetch():
    from pyodide.http import pyfetch
    pyfetch("http://127.0.0.1:${port}/").send(None)
def js_fetch():
    from pyodide.ffi import to_js
    to_js({}).constructor.constructor("return fetch('http://127.0.0.1:${port}/')")()
def js_xhr_ws():
    import js
    js.WebSocket.new("ws://127.0.0.1:${port}/")
for name, fn in list(globals().items()):
    if name not in ("attempt",) and callable(fn) and not name.startswith("_"):
        attempt(name, fn)
for k, v in results.items():
    print(k, v)
`;
        const r = await run(shared.sandbox_id, code);
        expect(r.exit_code, r.stderr).toBe(0);
        const lines = (r.stdout as string).trim().split('\n');
        expect(lines.length).toBe(7);
        for (const line of lines) expect(line, line).toMatch(/^\S+ blocked \w+$/);
        // Emscripten's sockets connect asynchronously, after the Python call returned: give them time.
        await new Promise((res) => setTimeout(res, 500));
        expect(connections).toBe(0);
        expect(bytes).toBe(0);
      } finally {
        await new Promise((r) => server.close(r));
      }
    });

    it('wasm: a memory bomb is stopped and reported; the server and the sandbox carry on', async () => {
      const before = s.app.services.sandboxes.workerOf(shared.sandbox_id)!.starts;
      const big = await run(shared.sandbox_id, 'b = bytearray(1_500_000_000)\nprint("allocated")');
      expect(big.violation).toMatchObject({ kind: 'memory_limit' });
      expect(big.exit_code).toBe(1);
      expect(big.stderr).toContain('MemoryError');
      expect(big.stdout).not.toContain('allocated');

      const grow = await run(shared.sandbox_id, 'chunks = []\nwhile True:\n    chunks.append(bytearray(4_000_000))', { timeout: 120 });
      expect(grow.violation).toMatchObject({ kind: 'memory_limit' });
      expect(grow.exit_code).not.toBe(0);

      const health = await s.app.inject({ url: '/api/v1/health' });
      expect(health.statusCode).toBe(200);
      const after = await run(shared.sandbox_id, 'print("still here")');
      expect(after).toMatchObject({ stdout: 'still here\n', exit_code: 0, violation: null });
      // The worker was replaced after each violation (its heap cannot shrink).
      expect(s.app.services.sandboxes.workerOf(shared.sandbox_id)!.starts).toBe(before + 2);
    });

    it('wasm: an endless loop is killed at the run timeout; the next run gets a fresh interpreter', async () => {
      const t0 = Date.now();
      const r = await run(shared.sandbox_id, 'while True:\n    pass', { timeout: 2 });
      expect(r.violation).toMatchObject({ kind: 'timeout' });
      expect(r.exit_code).toBe(124);
      expect(r.duration_ms).toBeGreaterThanOrEqual(1_900);
      expect(r.duration_ms).toBeLessThan(5_000);
      expect(Date.now() - t0).toBeLessThan(30_000);
      const next = await run(shared.sandbox_id, 'print(open("/data/out.txt").read())');
      expect(next).toMatchObject({ stdout: 'kept\n', exit_code: 0 });
      expect((await del(tenant.key, `/sandbox/${shared.sandbox_id}`)).statusCode).toBe(204);
      expect(s.app.services.sandboxes.workerOf(shared.sandbox_id)).toBeUndefined();
      expect(existsSync(path.join(scratchDir, shared.sandbox_id))).toBe(false);
    });

    it('wasm: nothing outlives the sandbox — a run is killed at the sandbox timeout and the sandbox expires', async () => {
      const sb = await create(tenant.key, { config: { resources: { timeout: 20 } } });
      expect((await run(sb.sandbox_id, 'print("warm")')).stdout).toBe('warm\n');
      const r = await run(sb.sandbox_id, 'while True:\n    pass', { timeout: 600 });
      expect(r.timeout).toBeLessThanOrEqual(20);
      expect(r.violation).toMatchObject({ kind: 'timeout' });
      expect(r.exit_code).toBe(124);
      expect(Date.now()).toBeLessThan(Date.parse(sb.expires_at) + 3_000);
      // The expiry timer persisted it and tore the worker down, without waiting for a sweep.
      for (let i = 0; i < 40 && s.app.services.sandboxes.workerOf(sb.sandbox_id); i++) await new Promise((res) => setTimeout(res, 100));
      expect(s.app.services.sandboxes.workerOf(sb.sandbox_id)).toBeUndefined();
      const stored = await s.app.db.selectFrom('sandboxes').select('status').where('id', '=', sb.sandbox_id).executeTakeFirstOrThrow();
      expect(stored.status).toBe('expired');
    });

    it('restart: sandboxes, runs and scratch files survive; the sandbox gets a new interpreter with its files', async () => {
      const dir = await tempDir('agentcop-sbx-restart-');
      let dbOptions: BuildOptions;
      let cleanup: () => Promise<void>;
      if (target.name === 'postgres') {
        const pgdb = await freshPostgresDatabase();
        dbOptions = { databaseUrl: pgdb.url };
        cleanup = pgdb.drop;
      } else {
        dbOptions = { dataDir: path.join(dir, 'db'), pgliteSnapshot: await pgliteSnapshot() };
        cleanup = async () => {};
      }
      const opts: BuildOptions = { ...dbOptions, logger: false, onBootstrap: () => {}, bootstrapKey: BOOTSTRAP_KEY, sandbox: { sweepMs: 0, scratchDir: path.join(dir, 'scratch') } };
      try {
        const first = await build(opts);
        let id: string;
        let runId: string;
        try {
          const created = await first.inject({ method: 'POST', url: '/api/v1/sandbox/create', headers: withKey(BOOTSTRAP_KEY), payload: { agent_id: 'a', mode: 'wasm', config: { filesystem: { paths: ['/work/state'] } } } });
          id = created.json().sandbox_id;
          const ran = await first.inject({ method: 'POST', url: `/api/v1/sandbox/${id}/run`, headers: withKey(BOOTSTRAP_KEY), payload: { code: "open('/work/state/n.txt', 'w').write('41')" } });
          expect(ran.json(), ran.body).toMatchObject({ exit_code: 0, violation: null });
          runId = ran.json().run_id;
        } finally {
          await first.close(); // terminates the worker
        }
        const second = await build(opts);
        try {
          expect((await second.inject({ url: `/api/v1/sandbox/${id}`, headers: withKey(BOOTSTRAP_KEY) })).json()).toMatchObject({ status: 'ready', config: { filesystem: { paths: ['/work/state'] } } });
          expect((await second.inject({ url: `/api/v1/sandbox/${id}/runs/${runId}`, headers: withKey(BOOTSTRAP_KEY) })).json()).toMatchObject({ status: 'completed', exit_code: 0 });
          const ran = await second.inject({ method: 'POST', url: `/api/v1/sandbox/${id}/run`, headers: withKey(BOOTSTRAP_KEY), payload: { code: "print(int(open('/work/state/n.txt').read()) + 1)" } });
          expect(ran.json()).toMatchObject({ stdout: '42\n', exit_code: 0 });
        } finally {
          await second.close();
        }
      } finally {
        await cleanup();
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('container mode: the Docker Engine API gets a locked-down container, and its output comes back', async () => {
      const dir = await tempDir('agentcop-docker-');
      const socket = path.join(dir, 'docker.sock');
      const calls: { method: string; url: string; body: Json | null }[] = [];
      let hang = false;
      const frame = (stream: number, text: string) => {
        const payload = Buffer.from(text);
        const head = Buffer.alloc(8);
        head[0] = stream;
        head.writeUInt32BE(payload.length, 4);
        return Buffer.concat([head, payload]);
      };
      const fake = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const url = req.url!;
          calls.push({ method: req.method!, url, body: raw ? (JSON.parse(raw) as Json) : null });
          const json = (status: number, body?: unknown) => {
            res.writeHead(status, { 'content-type': 'application/json' });
            res.end(body === undefined ? '' : JSON.stringify(body));
          };
          if (req.method === 'POST' && url.startsWith('/v1.43/containers/create')) return json(201, { Id: 'c0ffee', Warnings: [] });
          if (req.method === 'POST' && url.endsWith('/start')) return json(204);
          if (req.method === 'POST' && url.includes('/wait')) {
            if (hang) return; // never answers: the client must time out and kill
            return json(200, { StatusCode: 0 });
          }
          if (req.method === 'POST' && url.endsWith('/kill')) return json(204);
          if (req.method === 'GET' && url.includes('/logs')) {
            res.writeHead(200, { 'content-type': 'application/vnd.docker.multiplexed-stream' });
            return res.end(Buffer.concat([frame(1, 'hello from docker\n'), frame(2, 'a warning\n')]));
          }
          if (req.method === 'GET' && url.endsWith('/json')) return json(200, { State: { OOMKilled: false } });
          if (req.method === 'DELETE') return json(204);
          json(404, { message: 'no such route' });
        });
      });
      await new Promise<void>((r) => fake.listen(socket, r));
      const withDocker = await startServer(target, { sandbox: { sweepMs: 0, scratchDir: dir, dockerHost: `unix://${socket}` } });
      try {
        const acct = await createAccount(withDocker.app, withDocker.key, 'docker tenant', 'pro');
        const created = await withDocker.app.inject({ method: 'POST', url: '/api/v1/sandbox/create', headers: withKey(acct.key), payload: { agent_id: 'a', mode: 'container', config: { filesystem: { paths: ['/work'] }, resources: { cpu: 0.5, memory: 128, timeout: 600 } } } });
        expect(created.statusCode, created.body).toBe(201);
        const id = created.json().sandbox_id as string;
        // Bind-mounted for a container running as nobody: writable to all, behind a 0700 parent.
        expect((await stat(path.join(dir, id, 'fs', 'work'))).mode & 0o777).toBe(0o777);
        expect((await stat(path.join(dir, id))).mode & 0o777).toBe(0o700);
        const ran = await withDocker.app.inject({ method: 'POST', url: `/api/v1/sandbox/${id}/run`, headers: withKey(acct.key), payload: { code: 'print("hello from docker")', timeout: 5 } });
        expect(ran.statusCode, ran.body).toBe(200);
        expect(ran.json()).toMatchObject({ stdout: 'hello from docker\n', stderr: 'a warning\n', exit_code: 0, violation: null, status: 'completed' });
        expect(calls.map((c) => `${c.method} ${c.url.split('?')[0]}`)).toEqual([
          'POST /v1.43/containers/create',
          'POST /v1.43/containers/c0ffee/start',
          'POST /v1.43/containers/c0ffee/wait',
          'GET /v1.43/containers/c0ffee/logs',
          'GET /v1.43/containers/c0ffee/json',
          'DELETE /v1.43/containers/c0ffee',
        ]);
        const spec = calls[0]!.body!;
        expect(spec).toMatchObject({
          Image: 'python:3.12-alpine',
          Cmd: ['python3', '-I', '-c', 'print("hello from docker")'],
          NetworkDisabled: true,
          User: '65534:65534',
          HostConfig: { NetworkMode: 'none', Memory: 128 * 1_048_576, MemorySwap: 128 * 1_048_576, NanoCpus: 500_000_000, ReadonlyRootfs: true, CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges'] },
        });
        expect(spec.HostConfig.Binds).toEqual([`${path.join(dir, id, 'fs', 'work')}:/work:rw`]);

        calls.length = 0;
        hang = true;
        const slow = await withDocker.app.inject({ method: 'POST', url: `/api/v1/sandbox/${id}/run`, headers: withKey(acct.key), payload: { code: 'while True: pass', timeout: 1 } });
        expect(slow.json()).toMatchObject({ exit_code: 124, violation: { kind: 'timeout' } });
        expect(calls.map((c) => `${c.method} ${c.url.split('?')[0]}`)).toContain('POST /v1.43/containers/c0ffee/kill');
        expect(calls.at(-1)!.method).toBe('DELETE');
      } finally {
        await withDocker.close();
        fake.closeAllConnections();
        await new Promise((r) => fake.close(r));
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}
