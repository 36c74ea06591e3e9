import { JsonParseError, parseJsonc, type JsonNode } from '../parse/jsonc.js';
import type { Dependency } from './types.js';

/** The sections npm installs from. `overrides`/`resolutions` only steer the tree; they declare nothing. */
export const PACKAGE_JSON_SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

/**
 * Dependencies of a package.json, each on the line of its key. Takes the document already parsed
 * by the scan when there is one (the JSON rules share one parse); returns [] for a file that is
 * not JSON, since the scan reports that once as a notice.
 */
export function packageJsonDependencies(source: string, parsed?: JsonNode): Dependency[] {
  let doc = parsed;
  if (!doc) {
    try {
      doc = parseJsonc(source);
    } catch (err) {
      if (err instanceof JsonParseError) return [];
      throw err;
    }
  }
  if (doc.type !== 'object') return [];
  const out: Dependency[] = [];
  for (const section of doc.properties) {
    if (!(PACKAGE_JSON_SECTIONS as readonly string[]).includes(section.key) || section.value.type !== 'object') continue;
    for (const entry of section.value.properties) {
      if (entry.value.type !== 'string') continue;
      out.push({ ...npmDependency(entry.key, entry.value.value, entry.keyNode.line, section.key), column: entry.keyNode.column });
    }
  }
  return out;
}

/** Classifies one `"name": "spec"` entry the way npm resolves it (npm-package-arg's kinds). */
export function npmDependency(key: string, rawSpec: string, line: number, section?: string): Dependency {
  let name = key;
  let spec = rawSpec.trim();
  // `"alias": "npm:real-package@^1.2.3"` installs real-package: the alias is just a folder name.
  const alias = /^npm:((?:@[^/@\s]+\/)?[^@\s]+)(?:@(.*))?$/.exec(spec);
  if (alias) {
    name = alias[1];
    spec = (alias[2] ?? '').trim();
  }
  const dep: Dependency = { name, spec, line, ecosystem: 'npm', flavour: 'npm', ...(section ? { section } : {}) };
  if (/^(file:|link:|workspace:|portal:|\.{0,2}\/|~\/)/.test(spec)) dep.source = 'path';
  else if (/^(git\+|git:|github:|gitlab:|bitbucket:|gist:)/.test(spec) || /^[\w.-]+\/[\w.-]+(#.*)?$/.test(spec) || /\.git(#.*)?$/.test(spec)) {
    dep.source = 'git';
    // `#<40 hex>` names one commit; a branch, a tag or `#semver:` range can move.
    const ref = /#(.*)$/.exec(spec)?.[1] ?? '';
    if (/^[0-9a-f]{40}$/i.test(ref)) dep.commitPinned = true;
  } else if (/^https?:\/\//.test(spec)) dep.source = 'url';
  return dep;
}
