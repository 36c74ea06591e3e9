import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HOMEPAGE_FALLBACK = 'https://github.com/agentcop/agentcop';

interface PackageInfo {
  version: string;
  homepage: string;
}

let cached: PackageInfo | undefined;

/**
 * Read from our own package.json at run time, walking up from this module, so the same code works
 * from engine/ (tsx), dist/engine/ (built) and a bundle placed inside the repository.
 */
export function packageInfo(): PackageInfo {
  if (cached) return cached;
  cached = { version: '0.0.0', homepage: HOMEPAGE_FALLBACK };
  try {
    let dir = path.dirname(fileURLToPath(import.meta.url));
    for (let i = 0; i < 6; i++) {
      const pkg = tryRead(path.join(dir, 'package.json'));
      if (pkg?.name === 'agentcop') {
        cached = { version: String(pkg.version ?? '0.0.0'), homepage: homepageOf(pkg) };
        break;
      }
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  } catch {
    // No file system view of ourselves (an unusual bundle): the fallback is still a valid report.
  }
  return cached;
}

function tryRead(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function homepageOf(pkg: Record<string, unknown>): string {
  if (typeof pkg.homepage === 'string') return pkg.homepage;
  const repo = pkg.repository;
  const url = typeof repo === 'string' ? repo : (repo as { url?: unknown } | undefined)?.url;
  if (typeof url === 'string') return url.replace(/^git\+/, '').replace(/\.git$/, '');
  return HOMEPAGE_FALLBACK;
}
