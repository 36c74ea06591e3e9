import type { Rule } from '../types.js';
import { serverCommands, type Word } from '../agent-config.js';

/** Host paths whose contents are credentials or control of the machine. */
const SENSITIVE_SOURCE = /^(?:\/|\/etc|\/root|\/home|\/Users|\/var\/run|\/run|\/proc|\/sys|\/dev|\/boot|\/private|[A-Za-z]:[\\/]?|~|\$HOME|\$\{HOME\}|\$\{env:HOME\}|\$\{userHome\}|%USERPROFILE%|\/home\/[^/]+|\/Users\/[^/]+|[A-Za-z]:[\\/]Users[\\/][^\\/]+)\/?$/i;
const SENSITIVE_PART = /(?:^|[\\/])(?:\.ssh|\.aws|\.gnupg|\.kube|\.docker|\.config\/gcloud|\.azure|\.netrc|\.git-credentials|docker\.sock|containerd\.sock|podman\.sock)(?:$|[\\/])/i;

/**
 * Running an MCP server in a container is meant to fence it in. `--privileged`, host
 * namespaces, added kernel capabilities or a bind mount of `/`, the home folder or the Docker
 * socket take the fence down: the server (and any prompt that steers it) gets root on the host or
 * the user's keys. Read-only mounts of a project folder are the intended use and stay silent.
 */
export const rule: Rule = {
  meta: {
    id: 'excessive-agency/mcp-privileged-container',
    owasp: 'LLM06',
    asi: 'ASI03',
    cwe: 'CWE-250',
    severity: 'HIGH',
    title: 'MCP server container with host-level privileges',
    description: 'An MCP server runs in a container started with --privileged, host namespaces, extra capabilities, or bind mounts of the host root, home folder, credentials or the Docker socket.',
    fix: 'Drop --privileged, --cap-add and --network/--pid host; mount only the project folder the server needs, read-only where possible (`-v "$PWD":/workspace:ro`), and never the Docker socket or home directory.',
    languages: ['mcp-config'],
  },
  check(ctx) {
    for (const { server, cmd, run } of serverCommands(ctx.json)) {
      if (!run || !['docker', 'podman', 'nerdctl'].includes(run.runner)) continue;
      // One finding per line, naming everything wrong on it (`--privileged --network host` in one string).
      const byLine = new Map<number, string[]>();
      for (const p of problems(run.options)) byLine.set(p.line, [...(byLine.get(p.line) ?? []), p.what]);
      for (const [line, whats] of byLine) {
        ctx.report({ line, message: `MCP server "${server.name}" container ${whats.join(' and ')}: it can reach the host outside the container.` });
      }
    }
  },
};

function problems(options: Word[]): { line: number; what: string }[] {
  const out: { line: number; what: string }[] = [];
  for (let i = 0; i < options.length; i++) {
    const w = options[i];
    const [opt, inline] = w.text.split(/=(.*)/s, 2) as [string, string | undefined];
    const valueWord = inline !== undefined ? w : options[i + 1];
    const value = inline ?? options[i + 1]?.text ?? '';
    switch (opt) {
      case '--privileged':
        if (inline === undefined || /^true$/i.test(inline)) out.push({ line: w.line, what: 'runs with --privileged' });
        break;
      case '--cap-add':
        if (/^(all|sys_admin|sys_ptrace|sys_module|dac_read_search|net_admin|sys_rawio)$/i.test(value.replace(/^CAP_/i, ''))) out.push({ line: valueWord?.line ?? w.line, what: `adds the ${value} capability` });
        break;
      case '--pid':
      case '--ipc':
      case '--uts':
      case '--userns':
      case '--network':
      case '--net':
        if (value === 'host') out.push({ line: valueWord?.line ?? w.line, what: `shares the host's ${opt.slice(2)} namespace` });
        break;
      case '--security-opt':
        if (/(?:seccomp|apparmor|label)[=:](?:unconfined|disable)|no-new-privileges[=:]false/i.test(value)) out.push({ line: valueWord?.line ?? w.line, what: `disables confinement (${value})` });
        break;
      case '-v':
      case '--volume': {
        const source = volumeSource(value);
        if (source !== null && sensitive(source)) out.push({ line: valueWord?.line ?? w.line, what: `mounts the host path ${source}` });
        break;
      }
      case '--mount': {
        const m = /(?:^|,)(?:source|src)=([^,]+)/.exec(value);
        if (/(?:^|,)type=bind/.test(value) && m && sensitive(m[1])) out.push({ line: valueWord?.line ?? w.line, what: `bind-mounts the host path ${m[1]}` });
        break;
      }
    }
  }
  return out;
}

/** `src:dst[:opts]`, with Windows drive letters (`C:\x:/y`) kept whole. */
function volumeSource(spec: string): string | null {
  const m = /^((?:[A-Za-z]:)?[^:]*):/.exec(spec);
  return m ? m[1] : null;
}

function sensitive(source: string): boolean {
  return SENSITIVE_SOURCE.test(source) || SENSITIVE_PART.test(source);
}
