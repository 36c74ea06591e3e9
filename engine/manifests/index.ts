/**
 * Manifest reading, one module per format, each producing the same `Dependency` list: the
 * unpinned-dependency and known-vulnerability rules both start here, so they agree on names,
 * constraints and lines.
 */
import type { JsonNode } from '../parse/jsonc.js';
import { packageJsonDependencies } from './package-json.js';
import { pyprojectDependencies } from './pyproject.js';
import { requirementsDependencies } from './requirements.js';
import type { Dependency } from './types.js';

export type ManifestLanguage = 'requirements' | 'pyproject' | 'package-json';

export function isManifestLanguage(language: string): language is ManifestLanguage {
  return language === 'requirements' || language === 'pyproject' || language === 'package-json';
}

/**
 * The declared dependencies of a manifest. `deferred`: a requirements file that names a
 * constraints file (`-c`), where the versions actually installed are decided; each rule decides
 * what the constraint text written here still means.
 */
export function manifestDependencies(language: ManifestLanguage, source: string, json?: JsonNode): { deps: Dependency[]; deferred: boolean } {
  if (language === 'requirements') return requirementsDependencies(source);
  if (language === 'pyproject') return { deps: pyprojectDependencies(source), deferred: false };
  return { deps: packageJsonDependencies(source, json), deferred: false };
}

export type { Dependency, Ecosystem, SpecFlavour } from './types.js';
export { isAgentPackage } from './agent-packages.js';
