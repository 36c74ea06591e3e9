import { isAgentPackage, isManifestLanguage, manifestDependencies, type Dependency } from '../../manifests/index.js';
import { readConstraint } from '../../manifests/versions.js';
import type { Rule, RuleContext } from '../types.js';

/**
 * Agent and LLM framework packages move fast, and several have shipped code-execution
 * vulnerabilities and hijacked releases. A range lets the next install pick up whatever was
 * published last; an exact pin (with hashes or a lockfile, ideally) makes the installed code a
 * reviewed choice.
 *
 * One rule for PyPI and npm manifests: the risk and the fix are the same whichever registry the
 * package comes from, and one id means one switch in `.agentcop.yml`, one baseline entry kind and
 * one SARIF rule for it. The message names the manifest's own syntax.
 */
function problem(dep: Dependency): string | null {
  const c = readConstraint(dep);
  switch (c.kind) {
    case 'exact':
      return null;
    case 'any':
      return 'has no version constraint; the next install can pull a different release';
    case 'range':
    case 'unknown':
      return `is constrained only by "${dep.spec}"; the next install can pull a different release`;
    case 'tag':
      return `follows the "${c.tag}" dist-tag; every install takes whatever was published under it last`;
    case 'source':
      if (c.pinned || dep.source === 'path') return null;
      if (dep.source === 'git') return 'is installed from a git branch or tag, which can move; pin a full commit hash or a registry version';
      // A direct URL is fixed only when it carries the hash of what it serves.
      if (/#(sha256|sha384|sha512)=/.test(dep.spec)) return null;
      return 'is installed from a URL without a content hash; what the URL serves can change';
  }
}

export const rule: Rule = {
  meta: {
    id: 'supply-chain/unpinned-agent-dependency',
    owasp: 'LLM03',
    asi: 'ASI04',
    cwe: 'CWE-1104',
    severity: 'MEDIUM',
    title: 'Agent framework dependency not pinned',
    description: 'An LLM or agent framework package is declared without an exact version, so builds silently pick up new releases, including compromised or breaking ones.',
    fix: 'Pin agent packages to exact versions (== in Python, a bare version in package.json) and install from a lock with hashes (pip-compile --generate-hashes, uv lock, poetry.lock, package-lock.json with npm ci); update them deliberately after review.',
    languages: ['requirements', 'pyproject', 'package-json'],
  },
  check(ctx: RuleContext) {
    if (!isManifestLanguage(ctx.language)) return;
    const { deps, deferred } = manifestDependencies(ctx.language, ctx.source, ctx.json);
    // Versions pinned in a constraints file are pinned, just elsewhere.
    if (deferred) return;
    // In an agent's manifest, code pulled from a moving git ref runs with the agent's permissions
    // whatever the package is called.
    const agentManifest = deps.some((d) => isAgentPackage(d.ecosystem, d.name));
    for (const dep of deps) {
      if (!isAgentPackage(dep.ecosystem, dep.name) && !(agentManifest && dep.source === 'git' && !dep.commitPinned)) continue;
      // Hashes fix the artifact whatever the version text says.
      if (dep.hashed) continue;
      // Peer dependencies state which host versions a library works with; npm's own guidance is
      // to keep them broad, and pinning one exactly breaks every consumer on another patch.
      if (dep.section === 'peerDependencies') continue;
      const what = problem(dep);
      if (what) ctx.report({ line: dep.line, column: dep.column, message: `${isAgentPackage(dep.ecosystem, dep.name) ? 'Agent framework dependency' : 'Dependency'} ${dep.name} ${what}.` });
    }
  },
};
