// A sandbox's scratch directory on the host: one directory per declared path, mirrored into the
// sandbox's in-memory filesystem when its worker starts and mirrored back after each run. Only this
// module, on the server's side of the boundary, touches host files; it never follows symlinks and
// never writes outside the directory of the declared path a file belongs to.
import { chmod, lstat, mkdir, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SandboxFile } from './protocol.js';

/** Declared paths: absolute, plain segments, not over the interpreter's own directories. */
export const PATH_PATTERN = /^(\/[A-Za-z0-9_][A-Za-z0-9._-]{0,63}){1,8}$/;
export const RESERVED_ROOTS = ['/lib', '/dev', '/proc', '/sys', '/usr', '/bin', '/etc', '/home/pyodide'];

/** Why a list of declared paths is unacceptable, or null. */
export function invalidPaths(paths: string[]): string | null {
  for (const p of paths) {
    if (!PATH_PATTERN.test(p) || p.split('/').some((s) => s === '.' || s === '..')) return `${p} is not an absolute path of plain segments ([A-Za-z0-9._-])`;
    const reserved = RESERVED_ROOTS.find((r) => p === r || p.startsWith(`${r}/`) || r.startsWith(`${p}/`));
    if (reserved) return `${p} overlaps ${reserved}, which the interpreter uses`;
  }
  for (const a of paths) for (const b of paths) if (a !== b && b.startsWith(`${a}/`)) return `${b} is inside ${a}; declare one of them`;
  if (new Set(paths).size !== paths.length) return 'paths are declared twice';
  return null;
}

export class Scratch {
  constructor(
    /** This sandbox's own directory. */
    readonly root: string,
    readonly paths: string[],
    private readonly maxBytes: number,
  ) {}

  /** Where a declared path lives on the host. */
  hostDir(declared: string): string {
    return path.join(this.root, 'fs', ...declared.split('/').filter(Boolean));
  }

  /**
   * `forContainer`: the declared directories are bind-mounted into a container running as
   * nobody, so they are made writable to all; their 0700 parent keeps other host users out.
   */
  async create(forContainer = false): Promise<void> {
    for (const p of this.paths) {
      await mkdir(this.hostDir(p), { recursive: true, mode: 0o700 });
      if (forContainer) await chmod(this.hostDir(p), 0o777);
    }
  }

  /** Every regular file under the declared paths (symlinks and anything else skipped), up to the byte cap. */
  async readAll(): Promise<SandboxFile[]> {
    const files: SandboxFile[] = [];
    let bytes = 0;
    const walk = async (hostDir: string, inside: string) => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(hostDir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const host = path.join(hostDir, e.name);
        const st = await lstat(host);
        if (st.isDirectory()) await walk(host, `${inside}/${e.name}`);
        else if (st.isFile() && bytes + st.size <= this.maxBytes) {
          bytes += st.size;
          files.push({ path: `${inside}/${e.name}`, data: new Uint8Array(await readFile(host)) });
        }
      }
    };
    for (const p of this.paths) await walk(this.hostDir(p), p);
    return files;
  }

  /** Makes the host directories hold exactly `files` (what the sandbox's paths hold after a run). */
  async writeAll(files: SandboxFile[]): Promise<void> {
    const wanted = new Set<string>();
    for (const f of files) {
      const host = this.hostPathOf(f.path);
      if (!host) continue;
      wanted.add(host);
      await mkdir(path.dirname(host), { recursive: true, mode: 0o700 });
      // Never write through a symlink someone left in the scratch directory.
      const existing = await lstat(host).catch(() => undefined);
      if (existing && !existing.isFile()) await rm(host, { recursive: true, force: true });
      await writeFile(host, f.data, { mode: 0o600 });
    }
    const prune = async (dir: string) => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        const host = path.join(dir, e.name);
        if (e.isDirectory()) await prune(host);
        else if (!wanted.has(host)) await unlink(host).catch(() => {});
      }
    };
    for (const p of this.paths) await prune(this.hostDir(p));
  }

  async remove(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }

  /** The host path for a sandbox path, or undefined when it is not under a declared path. */
  private hostPathOf(inside: string): string | undefined {
    const declared = this.paths.find((p) => inside.startsWith(`${p}/`));
    if (!declared) return undefined;
    const rest = inside.slice(declared.length + 1).split('/');
    if (rest.some((s) => s === '' || s === '.' || s === '..' || s.includes('\0'))) return undefined;
    const base = this.hostDir(declared);
    const host = path.join(base, ...rest);
    return host.startsWith(`${base}${path.sep}`) ? host : undefined;
  }
}
