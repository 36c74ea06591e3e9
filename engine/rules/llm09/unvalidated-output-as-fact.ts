import type { CallFact, PyModel } from '../../flow/python.js';
import type { Rule } from '../types.js';
import { plain } from '../helpers.js';
import { isModelOutput, readsModel } from './model-derived.js';

const RUNNERS = /^(subprocess\.(run|call|check_call|check_output|Popen)|os\.system|os\.popen|asyncio\.create_subprocess_(exec|shell)|pip\.main|pip\._internal\.main)$/;
const INSTALL = /\b(pip3?|uv|poetry|conda|npm|pnpm|yarn|gem|cargo|go)\b[\s\S]*\b(install|add|get)\b|["']install["']/;
/** Names that check a package against a registry or a list before installing it. */
const VERIFIED = /(allow|approved|known|vetted|trusted|whitelist|verify|exists_on_pypi|check_package|pypi\.org|registry)/i;

function installsModelPackage(model: PyModel, call: CallFact): boolean {
  if (!RUNNERS.test(plain(call.callee))) return false;
  const cmd = call.args.find((a) => a.index === 0 || a.name === 'args' || a.name === 'cmd' || a.name === 'command');
  if (!cmd) return false;
  const text = model.text(cmd.node);
  if (!INSTALL.test(text) && !/pip\.main/.test(plain(call.callee))) return false;
  return cmd.taint.some(isModelOutput) || readsModel(model, call.fn, cmd.node);
}

/**
 * Models name packages that do not exist, and attackers register those names (slopsquatting).
 * Installing whatever package the model suggested runs an unknown author's install script.
 */
export const rule: Rule = {
  meta: {
    id: 'misinformation/unvalidated-output-as-fact',
    owasp: 'LLM09',
    asi: 'ASI09',
    cwe: 'CWE-1426',
    severity: 'MEDIUM',
    title: 'Package named by the model installed without verification',
    description: 'A package name taken from model output is installed as if it were known to exist and be the right one; models hallucinate package names and attackers publish packages under them (slopsquatting).',
    fix: 'Check model-suggested packages against an allow-list or a pinned lock file, verify they exist on the registry with an established history, and have a human approve new dependencies.',
    languages: ['python'],
  },
  check(ctx) {
    const model = ctx.model!;
    for (const call of model.calls) {
      if (!installsModelPackage(model, call)) continue;
      if (model.ifs.some((i) => i.fn === call.fn && i.node.startIndex < call.node.startIndex && VERIFIED.test(model.text(i.condition)))) continue;
      if (call.fn.calls.some((c) => c.node.startIndex < call.node.startIndex && VERIFIED.test(c.name))) continue;
      ctx.report({ node: call.node, message: `A package name produced by the model is installed by ${call.name}() without checking that it exists and is the intended package.` });
    }
  },
};
