// The inside of a `wasm` sandbox: one worker thread running Python in Pyodide. The server talks to
// it only through messages (protocol.ts) and kills it with worker.terminate() at the run timeout.
//
// Pyodide gives Python a JavaScript bridge (the `js` and `pyodide_js` modules, pyodide.ffi's JS
// objects, `run_js`), and a JavaScript object reached from Python leads to everything this thread
// can reach: its globals, Function (so `import()` of node:fs or node:child_process), and
// Emscripten's NODEFS/SOCKFS, which hold references to node:fs and to the `ws` package. The Python
// interpreter cannot be made a boundary against itself, so the boundary is this thread's
// JavaScript world, locked down after Pyodide has loaded and before any user code runs:
//   - code generation from strings is gone (eval, Function and the hidden async/generator function
//     constructors throw), which closes dynamic import() from reached JS objects;
//   - the globals that lead out (process, fetch, WebSocket, require, …) are deleted;
//   - this thread's copies of node:fs, node:net, node:child_process, … are emptied, so references
//     captured inside Emscripten (NODEFS, the `ws` socket layer) fail;
//   - NODEFS, mounting and package loading are removed from Pyodide, SOCKFS refuses sockets;
//   - the WebAssembly memory cannot grow past the sandbox's cap (the Python heap lives there;
//     worker resourceLimits only bound the JS heap).
// On top, Python-level guards give clear errors (blocked imports, socket calls), but they are a
// courtesy: Python code can undo them, the JavaScript lockdown it cannot.
import { parentPort, workerData } from 'node:worker_threads';
import { Buffer } from 'node:buffer';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import type { RunRequest, SandboxFile, WorkerInit, WorkerMessage } from './protocol.js';

const port = parentPort!;
const init = workerData as WorkerInit;
const send = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

// ---- memory cap: installed before Pyodide instantiates its memory --------------------------------
let memoryLimitHit = false;
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(delta: number): number;
}
// The project's lib has no DOM/WebAssembly typings beyond @types/node's.
const MemoryProto = (globalThis as unknown as { WebAssembly: { Memory: { prototype: WasmMemory } } }).WebAssembly.Memory.prototype;
const realGrow = MemoryProto.grow; // eslint-disable-line @typescript-eslint/unbound-method
Object.defineProperty(MemoryProto, 'grow', {
  value: function grow(this: WasmMemory, delta: number): number {
    if (this.buffer.byteLength + delta * 65_536 > init.memoryBytes) {
      memoryLimitHit = true;
      // Emscripten's heap resize catches this and fails the allocation: Python sees MemoryError.
      throw new RangeError('sandbox memory limit reached');
    }
    return realGrow.call(this, delta);
  },
  writable: false,
  configurable: false,
});

interface PyProxyFn {
  (...args: unknown[]): unknown;
  destroy(): void;
}
interface Pyodide {
  runPython(code: string, opts?: { globals?: unknown }): unknown;
  setStdout(opts: { write: (buf: Uint8Array) => number }): void;
  setStderr(opts: { write: (buf: Uint8Array) => number }): void;
  unregisterJsModule(name: string): void;
  globals: { get(name: string): unknown };
  toPy(obj: unknown): { destroy(): void };
  FS: EmscriptenFS;
  _module: Record<string, unknown> & { FS: EmscriptenFS; SOCKFS: { createSocket: unknown }; HEAP8: Int8Array };
  [k: string]: unknown;
}
interface EmscriptenFS {
  mkdirTree(path: string): void;
  writeFile(path: string, data: Uint8Array): void;
  readFile(path: string): Uint8Array;
  readdir(path: string): string[];
  stat(path: string): { mode: number; size: number };
  isDir(mode: number): boolean;
  isFile(mode: number): boolean;
  mount: unknown;
  filesystems: Record<string, unknown>;
  ErrnoError: new (errno: number) => Error;
}

// ---- output capture -----------------------------------------------------------------------------
class Capture {
  private chunks: Buffer[] = [];
  private bytes = 0;
  truncated = false;
  write = (buf: Uint8Array): number => {
    const room = init.maxOutputBytes - this.bytes;
    if (room > 0) {
      const part = buf.byteLength > room ? buf.subarray(0, room) : buf;
      this.chunks.push(Buffer.from(part));
      this.bytes += part.byteLength;
    }
    if (buf.byteLength > Math.max(room, 0)) this.truncated = true;
    return buf.byteLength;
  };
  take(): string {
    const text = Buffer.concat(this.chunks).toString('utf8');
    this.chunks = [];
    this.bytes = 0;
    return text;
  }
}

// Runs user code as __main__ in a fresh namespace; maps SystemExit and uncaught exceptions to an
// exit status the way the `python` command does.
const RUNNER = `
def __agentcop_run(src):
    import sys, traceback
    __agentcop_guard()
    status = 0
    try:
        exec(compile(src, "<sandbox>", "exec"), {"__name__": "__main__", "__builtins__": __builtins__})
    except SystemExit as e:
        code = e.code
        if code is None:
            status = 0
        elif isinstance(code, int):
            status = code & 0xFF
        else:
            print(code, file=sys.stderr)
            status = 1
    except BaseException:
        traceback.print_exc()
        status = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:
            pass
    return status
`;

// Python-level guards: clear errors for the things the JavaScript lockdown makes fail anyway.
const PY_GUARDS = `
import sys, os as _os_mod, socket as _socket_mod

class _AgentCopBlockedImports:
    BLOCKED = ("js", "pyodide_js", "pyodide.http", "pyodide.code", "micropip")
    def find_spec(self, name, path=None, target=None):
        for b in self.BLOCKED:
            if name == b or name.startswith(b + "."):
                raise ImportError(f"{name} is not available in the AgentCop sandbox")
        return None

def _agentcop_no_network(*args, **kwargs):
    raise PermissionError(13, "network access is disabled in the AgentCop sandbox")

def _agentcop_exit(code=0):
    raise SystemExit(code)

_agentcop_hook = _AgentCopBlockedImports()

def __agentcop_guard():
    # Before every run: a previous run on this sandbox may have undone them.
    if _agentcop_hook not in sys.meta_path:
        sys.meta_path.insert(0, _agentcop_hook)
    for name in list(sys.modules):
        if any(name == b or name.startswith(b + ".") for b in _AgentCopBlockedImports.BLOCKED):
            del sys.modules[name]
    for attr in ("connect", "connect_ex", "bind", "sendto", "sendmsg"):
        setattr(_socket_mod.socket, attr, _agentcop_no_network)
    _socket_mod.create_connection = _agentcop_no_network
    _socket_mod.getaddrinfo = _agentcop_no_network
    _socket_mod.gethostbyname = _agentcop_no_network
    _os_mod._exit = _agentcop_exit
`;

function lockDownPyodide(py: Pyodide): void {
  const M = py._module;
  const FS = M.FS;
  const refuse = (what: string) => () => {
    throw new Error(`${what} is disabled in the AgentCop sandbox`);
  };
  // EACCES (Emscripten numbering): Python's socket() raises PermissionError.
  M.SOCKFS.createSocket = () => {
    throw new FS.ErrnoError(2);
  };
  FS.mount = refuse('mounting');
  for (const name of Object.keys(FS.filesystems)) if (name !== 'MEMFS') delete FS.filesystems[name];
  for (const name of ['NODEFS', 'NODERAWFS', 'WORKERFS', 'PROXYFS', 'IDBFS', 'NATIVEFS_ASYNC']) delete M[name];
  for (const name of ['mountNodeFS', 'mountNativeFS', 'loadPackage', 'loadPackagesFromImports', 'registerJsModule', 'pyimport']) {
    if (name in py) py[name] = refuse(name);
  }
  py.unregisterJsModule('pyodide_js');
  py.unregisterJsModule('js');
}

/** Empties this thread's copies of the Node modules that reach the host. */
function neuterNodeModules(): void {
  const require = createRequire(init.moduleUrl);
  const names = ['fs', 'fs/promises', 'child_process', 'net', 'tls', 'dgram', 'dns', 'dns/promises', 'http', 'https', 'http2', 'inspector', 'vm', 'worker_threads', 'cluster', 'module', 'os', 'v8', 'wasi', 'repl'];
  for (const name of names) {
    let mod: Record<string, unknown>;
    try {
      mod = require(`node:${name}`) as Record<string, unknown>;
    } catch {
      continue;
    }
    for (const key of Object.getOwnPropertyNames(mod)) {
      const desc = Object.getOwnPropertyDescriptor(mod, key);
      if (!desc?.configurable && !desc?.writable) continue;
      const refuse = () => {
        throw new Error(`node:${name} is not available in the AgentCop sandbox`);
      };
      try {
        Object.defineProperty(mod, key, { value: typeof desc.value === 'object' && desc.value !== null ? Object.freeze({}) : refuse, writable: false, configurable: false });
      } catch {
        /* a non-configurable binding: nothing reaches it from Python without a require */
      }
    }
  }
  syncBuiltinESMExports();
}

function lockDownGlobals(): void {
  const disabled = function disabled(): never {
    throw new EvalError('code generation from strings is disabled in the AgentCop sandbox');
  };
  // The four function constructors: Function, and the hidden ones reached through prototypes.
  const kinds = [function () {}, async function () {}, function* () {}, async function* () {}];
  for (const f of kinds) Object.defineProperty(Object.getPrototypeOf(f), 'constructor', { value: disabled, writable: false, configurable: false });
  const g = globalThis as Record<string, unknown>;
  const drop = [
    'process', 'Buffer', 'require', 'module', 'exports', '__filename', '__dirname', 'global',
    'fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'Request', 'Response', 'Headers', 'FormData',
    'navigator', 'BroadcastChannel', 'MessageChannel', 'MessagePort', 'Worker', 'SharedWorker', 'importScripts',
    'Deno', 'Bun', 'location', 'localStorage', 'indexedDB', 'caches', 'crypto',
  ];
  for (const name of drop) {
    try {
      delete g[name];
    } catch {
      /* fall through to shadowing */
    }
    if (name in g) {
      try {
        Object.defineProperty(g, name, { value: undefined, writable: false, configurable: false });
      } catch {
        /* not configurable: nothing of value (checked by the tests) */
      }
    }
  }
  Object.defineProperty(g, 'eval', { value: disabled, writable: false, configurable: false });
  Object.defineProperty(g, 'Function', { value: disabled, writable: false, configurable: false });
}

function writeFiles(py: Pyodide, files: SandboxFile[]): void {
  for (const p of init.paths) py.FS.mkdirTree(p);
  for (const f of files) {
    py.FS.mkdirTree(f.path.slice(0, f.path.lastIndexOf('/')) || '/');
    py.FS.writeFile(f.path, f.data);
  }
}

function collectFiles(py: Pyodide): { files: SandboxFile[]; truncated: boolean } {
  const files: SandboxFile[] = [];
  let bytes = 0;
  let truncated = false;
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = py.FS.readdir(dir);
    } catch {
      return; // the code removed a declared directory: nothing to copy back
    }
    for (const name of names) {
      if (name === '.' || name === '..') continue;
      const full = `${dir}/${name}`;
      const st = py.FS.stat(full);
      if (py.FS.isDir(st.mode)) walk(full);
      else if (py.FS.isFile(st.mode)) {
        if (bytes + st.size > init.maxFileBytes) {
          truncated = true;
          continue;
        }
        bytes += st.size;
        files.push({ path: full, data: py.FS.readFile(full) });
      }
    }
  };
  for (const p of init.paths) walk(p);
  return { files, truncated };
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const out = new Capture();
  const err = new Capture();
  let py: Pyodide;
  try {
    const { loadPyodide } = (await import(init.moduleUrl)) as { loadPyodide: (o: Record<string, unknown>) => Promise<Pyodide> };
    py = await loadPyodide({
      indexURL: init.indexURL,
      // The `js` module sees an empty object, not this thread's globals.
      jsglobals: Object.create(null),
      env: { HOME: '/home/pyodide', LANG: 'C.UTF-8' },
      stdout: () => {},
      stderr: () => {},
      checkAPIVersion: true,
    });
    py.setStdout({ write: out.write });
    py.setStderr({ write: err.write });
    writeFiles(py, init.files);
    py.runPython(PY_GUARDS + RUNNER);
    lockDownPyodide(py);
    neuterNodeModules();
    lockDownGlobals();
  } catch (e) {
    send({ type: 'load_failed', message: e instanceof Error ? e.message : String(e) });
    return;
  }
  const run = py.globals.get('__agentcop_run') as PyProxyFn;
  const memory = () => py._module.HEAP8.buffer.byteLength;
  send({ type: 'ready', load_ms: Math.round(performance.now() - t0), memory_bytes: memory() });

  port.on('message', (msg: RunRequest) => {
    if (msg?.type !== 'run') return;
    memoryLimitHit = false;
    send({ type: 'started', id: msg.id });
    let exitCode: number;
    let fatal = false;
    try {
      exitCode = Number(run(msg.code));
    } catch (e) {
      // Only a failure of the runner itself lands here (user exceptions are caught in Python).
      err.write(Buffer.from(`\n${e instanceof Error ? e.message : String(e)}\n`));
      exitCode = 1;
      fatal = true;
    }
    const { files, truncated } = fatal ? { files: [], truncated: false } : collectFiles(py);
    const message: WorkerMessage = {
      type: 'result',
      id: msg.id,
      stdout: out.take(),
      stderr: err.take(),
      stdout_truncated: out.truncated,
      stderr_truncated: err.truncated,
      exit_code: exitCode,
      memory_limit_hit: memoryLimitHit,
      memory_bytes: memory(),
      files,
      files_truncated: truncated,
      fatal,
    };
    out.truncated = false;
    err.truncated = false;
    send(message);
  });
}

void main();
