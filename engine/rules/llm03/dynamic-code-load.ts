import type { AstNode } from '../../parse/index.js';
import type { PyModel } from '../../flow/python.js';
import { JS_LANGUAGES, type Rule } from '../types.js';
import { reaching, STEERABLE } from '../helpers.js';
import { isFixedString } from '../sinks-js.js';
import { sinkArgs } from '../sinks.js';
import { packageRun, type Word } from '../agent-config.js';
import type { AstNode as Node } from '../../parse/index.js';

/** A literal command line as words: `'npx'` plus `['-y', 'pkg']`. */
function literalWords(model: PyModel, ...nodes: (Node | undefined)[]): Word[] | null {
  const out: Word[] = [];
  for (const n of nodes) {
    if (!n) continue;
    if (n.type === 'string') out.push(...model.text(n).slice(1, -1).split(/\s+/).filter(Boolean).map((text) => ({ text, line: n.line })));
    else if (n.type === 'array') {
      for (const c of n.children.filter((x) => x.named)) {
        if (c.type !== 'string') return out.length ? out : null;
        out.push({ text: model.text(c).slice(1, -1), line: c.line });
      }
    } else return null;
  }
  return out.length ? out : null;
}

const RUNNERS = /^(child_process|node:child_process)\.(exec|execSync|spawn|spawnSync|execFile|execFileSync)$|^(execa|execa\.execa|execa\.execaCommand|execa\.execaSync|shelljs\.exec|zx\.\$)$/;
const INSTALL = /(^|[\s;&|"'`])(npm|pnpm|yarn|bun|npx|pip3?)\s+(install|add|i)\b/;

/** The words of a command: a string's text, or the literal items of an argv array. */
function words(model: PyModel, n: AstNode): string[] {
  if (n.type === 'string' || n.type === 'template_string') return [model.text(n).slice(1, -1)];
  if (n.type === 'array') return n.children.filter((c) => c.named).map((c) => model.text(c).replace(/^['"`]|['"`]$/g, ''));
  return [];
}

function isInstall(cmd: string[]): boolean {
  if (cmd.length === 1) return INSTALL.test(cmd[0]);
  const tool = cmd.findIndex((w) => /^(npm|pnpm|yarn|bun|pip3?)$/.test(w));
  return tool >= 0 && cmd.slice(tool + 1).some((w) => w === 'install' || w === 'add' || w === 'i');
}

/**
 * Loading code by a name the model, a user or fetched content chose (`await import(name)`,
 * `require(pluginName)`) runs whatever module that name resolves to, and installing packages at
 * run time pulls unreviewed, unpinned code from the registry into the agent's process.
 */
export const rule: Rule = {
  meta: {
    id: 'supply-chain/dynamic-code-load',
    owasp: 'LLM03',
    asi: 'ASI04',
    cwe: 'CWE-829',
    severity: 'HIGH',
    title: 'Code loaded or installed by a steerable name at run time',
    description: 'A module is imported or required by a name that model output, user input or fetched content controls, or packages are installed while the agent runs, so unreviewed code runs with the agent\'s privileges.',
    fix: 'Map allowed plugin names to fixed imports (an allow-list object), declare dependencies in package.json with a lock file, and install them at build time.',
    languages: [...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    for (const call of model.calls) {
      const c = call.callee.replace(/\(\)/g, '');
      const first = call.args.find((a) => a.index === 0);
      if (!first) continue;
      // `new StdioClientTransport({ command, args })` keeps its command line in the options object.
      if (c === 'import' || c === 'require' || c === 'module.require' || c === 'createRequire') {
        if (isFixedString(first.node)) continue;
        const l = reaching(first.taint, [...STEERABLE, 'user'], 'code')[0];
        if (l) ctx.report({ node: call.node, source: l, message: `${c === 'import' ? 'import()' : 'require()'} loads a module named by ${l.what} (line ${l.line}); that name decides what code runs.` });
        continue;
      }
      // Code fetched at run time (a "skill", a plugin, a remote script) and run: a download-and-execute.
      const code = sinkArgs(model, call).find((x) => x.cls === 'code');
      const remote = code ? reaching(code.arg.taint, ['web'], 'code')[0] : undefined;
      if (remote) {
        ctx.report({ node: call.node, source: remote, message: `${call.name}() runs code downloaded at run time (${remote.what}, line ${remote.line}), unsigned and unpinned.` });
        continue;
      }
      // MCP clients and child processes that launch `npx -y pkg` fetch the newest release at every start.
      if (/(^|\.)(StdioClientTransport|spawn|execFile|execFileSync|spawnSync|execSync|exec)$/.test(c)) {
        const cmd = call.args.find((a) => a.name === 'command');
        const argv = call.args.find((a) => a.name === 'args');
        const words = cmd ? literalWords(model, cmd.node, argv?.node) : literalWords(model, first.node, call.args.find((a) => a.index === 1)?.node);
        const run = words ? packageRun(words) : null;
        if (run && !run.pinned) {
          ctx.report({ node: call.node, line: run.line, message: `The ${run.runner} package ${run.spec} is launched without an exact version; every start runs whatever was published last.` });
          continue;
        }
      }
      if (!RUNNERS.test(c)) continue;
      const cmd = [...words(model, first.node), ...call.args.filter((a) => a.index === 1).flatMap((a) => words(model, a.node))];
      if (isInstall(cmd)) ctx.report({ node: call.node, message: `${call.name}() installs packages while the application runs.` });
    }
  },
};
