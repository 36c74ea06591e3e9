/**
 * One declared dependency of a manifest, whatever the format. Both supply-chain rules read this
 * shape, so a manifest format is parsed once, in one place, and both rules agree on what a
 * dependency, its version constraint and its line are.
 */
export type Ecosystem = 'PyPI' | 'npm';

/** How to read `spec`: each format has its own constraint grammar. */
export type SpecFlavour = 'pep440' | 'poetry' | 'npm';

export interface Dependency {
  /** The package name as the registry knows it (for an npm alias, the aliased package). */
  name: string;
  /** The version constraint exactly as written; '' when there is none. */
  spec: string;
  /** 1-based line of the declaration (for package.json, the line of the key). */
  line: number;
  /** 1-based column of the declaration, when the format tells (package.json keys). */
  column?: number;
  ecosystem: Ecosystem;
  flavour: SpecFlavour;
  /** Installed from a URL, a git repository or a local path rather than by version from the registry. */
  source?: 'url' | 'git' | 'path';
  /** A git source pinned to a full commit hash: immutable, so as pinned as a version. */
  commitPinned?: boolean;
  /** requirements.txt `--hash=`: the artifact is pinned whatever the spec says. */
  hashed?: boolean;
  /** package.json section, e.g. `peerDependencies`. */
  section?: string;
}

/** PEP 503 normalisation: `Llama_Index.Core` and `llama-index-core` are one package. */
export function normalisePyPI(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The key advisories and package lists are looked up by. npm names are already lower case. */
export function packageKey(ecosystem: Ecosystem, name: string): string {
  return ecosystem === 'PyPI' ? normalisePyPI(name) : name.toLowerCase();
}
