import type { AstNode } from '../../parse/index.js';
import type { PyModel } from '../../flow/python.js';
import type { Rule } from '../types.js';
import { calleeOf, namedCalls } from '../helpers.js';

const RUNNERS = /^(subprocess\.(run|call|check_call|check_output|Popen|getoutput|getstatusoutput)|os\.system|os\.popen|asyncio\.create_subprocess_(exec|shell)|os\.exec\w*|os\.spawn\w*)$/;
const PIP_MAIN = /^(pip\.main|pip\._internal\.main|pip\._internal\.cli\.main\.main)$/;
const INSTALL_TEXT = /(^|[\s;&|"'`])(pip3?|uv\s+pip|python3?(\.\d+)?\s+-m\s+pip|npm|pnpm|yarn|conda|mamba|poetry)\s+(install|add|i)\b/;

/** The words of a command: a string's text, or the items of a list or tuple. */
function commandWords(model: PyModel, n: AstNode): string[] {
  if (n.type === 'string' || n.type === 'concatenated_string') return [model.text(n).replace(/^[a-zA-Z]*["']+|["']+$/g, '')];
  if (n.type === 'list' || n.type === 'tuple') {
    return n.children.filter((c) => c.named).map((c) => (c.type === 'string' ? model.text(c).replace(/^[a-zA-Z]*["']+|["']+$/g, '') : model.text(c)));
  }
  return [];
}

function isInstall(words: string[]): boolean {
  if (words.length === 1) return INSTALL_TEXT.test(words[0]);
  const lower = words.map((w) => w.toLowerCase());
  const tool = lower.findIndex((w) => /^(pip3?|npm|pnpm|yarn|uv|conda|mamba)$/.test(w) || /(^|\/)pip3?$/.test(w));
  return tool >= 0 && lower.slice(tool + 1).some((w) => w === 'install' || w === 'add' || w === 'i');
}

/**
 * Installing packages while the agent runs pulls unreviewed, unpinned code from a registry into
 * the process, outside the lock file and any dependency review; a typo-squatted or hijacked name
 * runs with the agent's privileges.
 */
export const rule: Rule = {
  meta: {
    id: 'supply-chain/runtime-package-install',
    owasp: 'LLM03',
    asi: 'ASI04',
    cwe: 'CWE-829',
    severity: 'HIGH',
    title: 'Packages installed at run time',
    description: 'The code runs pip or npm install while the application runs, pulling unreviewed packages into the process outside the pinned dependency set.',
    fix: 'Declare dependencies in requirements or pyproject with exact pins and hashes, install them at build time, and fail with a clear message when an optional package is missing.',
    languages: ['python'],
  },
  check(ctx) {
    const model = ctx.model!;
    for (const call of namedCalls(model)) {
      const c = calleeOf(call);
      const first = call.args.find((a) => a.index === 0) ?? call.args.find((a) => a.name === 'args' || a.name === 'command' || a.name === 'cmd');
      if (!first) continue;
      if (PIP_MAIN.test(c)) {
        if (isInstall(['pip', ...commandWords(model, first.node)])) ctx.report({ node: call.node, message: `${c}() installs packages at run time.` });
        continue;
      }
      if (!RUNNERS.test(c)) continue;
      // `create_subprocess_exec("pip", "install", pkg)` spreads the command over the arguments.
      const words = /_exec$|^os\.(exec|spawn)/.test(c) ? call.args.filter((a) => a.index >= 0).flatMap((a) => commandWords(model, a.node).length ? commandWords(model, a.node) : [model.text(a.node)]) : commandWords(model, first.node);
      if (isInstall(words)) ctx.report({ node: call.node, message: `${call.name}() runs a package install while the application runs.` });
    }
  },
};
