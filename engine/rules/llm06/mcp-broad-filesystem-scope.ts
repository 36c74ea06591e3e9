import type { Rule } from '../types.js';
import { packageRun, serverCommands, type Word } from '../agent-config.js';
import { JS_LANGUAGES } from '../types.js';
import { codeLaunches } from '../mcp-launch-code.js';

/** Servers whose positional arguments (or `--root`-style options) are the folders they may touch. */
const FILESYSTEM_SERVER = /(?:^|[/@-])(?:server-filesystem|filesystem|fs|file-system|files|desktop-commander)(?:-mcp|-server|-mcp-server)?$|^mcp-(?:server-)?(?:filesystem|fs|files)$/i;
/** A whole disk or a whole home folder: `~/.ssh`, `~/.aws` and every browser profile come with it. */
const BROAD = /^(?:\/|~\/?|\$HOME\/?|\$\{HOME\}\/?|\$\{env:HOME\}\/?|\$\{userHome\}\/?|%USERPROFILE%\\?|\/home\/?|\/Users\/?|\/root\/?|\/home\/[^/]+\/?|\/Users\/[^/]+\/?|[A-Za-z]:[\\/]?|[A-Za-z]:[\\/]Users[\\/]?|[A-Za-z]:[\\/]Users[\\/][^\\/]+[\\/]?)$/i;

/**
 * A filesystem MCP server is scoped by the folders it is given. Handing it `/` or the whole home
 * folder gives the model (and anything that injects instructions into it) read and write access
 * to SSH keys, cloud credentials and every other project; a project folder is what it needs.
 */
export const rule: Rule = {
  meta: {
    id: 'excessive-agency/mcp-broad-filesystem-scope',
    owasp: 'LLM06',
    asi: 'ASI02',
    cwe: 'CWE-732',
    severity: 'MEDIUM',
    title: 'Filesystem MCP server scoped to a whole disk or home folder',
    description: 'A filesystem MCP server is allowed the filesystem root or an entire home directory, so the model can read and modify credentials and unrelated files.',
    fix: 'Give the server only the project folders it needs (e.g. `/Users/me/projects/app`), and prefer a read-only server where writing is not required.',
    languages: ['mcp-config', ...JS_LANGUAGES],
  },
  check(ctx) {
    // Clients in code launch the same servers: `new StdioClientTransport({ command: 'npx', args: [..., '/'] })`.
    const launches = ctx.model?.language ? codeLaunches(ctx.model).map((l, i) => ({ server: { name: `launched on line ${l.words[0].line}` }, cmd: l.words, run: packageRun(l.words), i })) : serverCommands(ctx.json);
    for (const { server, cmd, run } of launches as { server: { name: string }; cmd: Word[]; run: ReturnType<typeof packageRun> }[]) {
      const isFs = run ? FILESYSTEM_SERVER.test(run.name) : cmd.some((w) => FILESYSTEM_SERVER.test(w.text.replace(/\.(js|py|ts)$/, '')));
      if (!isFs) continue;
      const args = run ? run.rest : cmd.slice(1);
      for (let i = 0; i < args.length; i++) {
        const w = args[i];
        const opt = /^--?(?:allowed?[-_]?(?:dir|directory|directories|path|paths|root)s?|root|dir|directory|base[-_]?dir|workspace)(?:=(.*))?$/i.exec(w.text);
        const value = opt ? (opt[1] ?? args[i + 1]?.text) : w.text.startsWith('-') ? undefined : w.text;
        const line = opt && opt[1] === undefined ? args[i + 1]?.line : w.line;
        if (value === undefined || line === undefined || !BROAD.test(value.trim())) continue;
        ctx.report({ line, message: `Filesystem MCP server "${server.name}" is allowed ${value}: the model can read and change everything under it, credentials included.` });
      }
    }
  },
};
