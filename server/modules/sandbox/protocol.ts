// Messages between the server and a sandbox's worker thread (worker.ts). Files cross the boundary
// as bytes: the worker never touches the host filesystem after it has loaded Pyodide.

export interface SandboxFile {
  /** Absolute path inside the sandbox, under one of the declared paths. */
  path: string;
  data: Uint8Array;
}

export interface WorkerInit {
  /** Directory of the `pyodide` npm package, with a trailing slash. */
  indexURL: string;
  /** file: URL of pyodide.mjs. */
  moduleUrl: string;
  /** Cap on the WebAssembly memory (the Python heap), in bytes. */
  memoryBytes: number;
  /** Declared paths, created in the in-memory filesystem. */
  paths: string[];
  /** Their contents, copied in from the sandbox's scratch directory. */
  files: SandboxFile[];
  /** Most bytes of files copied back out after a run. */
  maxFileBytes: number;
  /** Most bytes kept of stdout and of stderr, each. */
  maxOutputBytes: number;
}

export interface RunRequest {
  type: 'run';
  id: number;
  code: string;
}

export type WorkerMessage =
  | { type: 'ready'; load_ms: number; memory_bytes: number }
  | { type: 'load_failed'; message: string }
  | { type: 'started'; id: number }
  | {
      type: 'result';
      id: number;
      stdout: string;
      stderr: string;
      stdout_truncated: boolean;
      stderr_truncated: boolean;
      exit_code: number;
      /** True when the code asked for more memory than the cap allows. */
      memory_limit_hit: boolean;
      memory_bytes: number;
      files: SandboxFile[];
      files_truncated: boolean;
      /** The interpreter is broken (e.g. it exited): the worker must be replaced. */
      fatal: boolean;
    };
