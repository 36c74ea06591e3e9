// The project as it ships: compiled with its own tsc (the CLI and `npm start` run dist/, not tsx,
// whose transform adds helper calls to every function). Built into bench/.corpus/.build, inside
// the repository so node_modules resolve, and reused while no source is newer than the build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const INPUTS = ['engine', 'cli', 'server', 'client', 'app', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/**
 * `module` (e.g. `engine/index.js`) from the compiled build, as an import URL; or `fallback` (a
 * specifier the caller resolves against its own TypeScript sources) when `useSource` is set or tsc
 * emitted nothing.
 */
export function compiledModule(module: string, fallback: string, useSource = false): { entry: string; note: string } {
  const source = { entry: fallback, note: 'TypeScript sources via tsx' };
  if (useSource) return source;
  const outDir = path.join(here, '.corpus', '.build');
  const entry = path.join(outDir, module);
  const newest = (p: string): number => {
    const st = statSync(p);
    if (!st.isDirectory()) return /\.(ts|json)$/.test(p) ? st.mtimeMs : 0;
    return Math.max(0, ...readdirSync(p).map((n) => newest(path.join(p, n))));
  };
  const inputs = INPUTS.map((p) => path.join(repo, p)).filter(existsSync);
  if (existsSync(entry) && statSync(entry).mtimeMs >= Math.max(...inputs.map(newest))) return { entry: pathToFileURL(entry).href, note: 'compiled with tsc (cached build)' };
  rmSync(outDir, { recursive: true, force: true });
  const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
  const t0 = performance.now();
  // Type errors do not stop tsc from emitting; only a missing output means the build failed.
  spawnSync(process.execPath, [tsc, '-p', path.join(repo, 'tsconfig.build.json'), '--outDir', outDir, '--declaration', 'false', '--sourceMap', 'false'], { encoding: 'utf8' });
  if (!existsSync(entry)) return { ...source, note: 'TypeScript sources via tsx (tsc build failed)' };
  return { entry: pathToFileURL(entry).href, note: `compiled with tsc in ${((performance.now() - t0) / 1000).toFixed(1)} s` };
}
