import type { Rule } from '../types.js';
import type { CallFact, PyModel } from '../../flow/python.js';
import { isFetch, urlText, withAssignedValues } from '../moltbook.js';

/** URLs and paths of agent skills: SKILL.md bundles, ClawHub, OpenClaw/Moltbot skill folders, plugin code. */
const SKILL = /skills?(?:\b|_)|SKILL\.md|clawhub|clawdhub|\.openclaw|\.moltbot|\.clawdbot|plugins?\/|heartbeat\.md|messaging\.md|rules\.md|skill\.json/i;
const VERIFIED = /hashlib|\bsha(?:256|384|512)\b|hmac\.compare_digest|\bverify\w*|signature|checksum|digest|gpg|gnupg|sigstore|cosign|minisign|ed25519|nacl|pinned_hash|expected_hash/i;
const EXEC_CALL = /^(exec|eval|compile|builtins\.(exec|eval)|runpy\.run_path|runpy\.run_module|os\.system|subprocess\.\w+|importlib\.import_module|importlib\.util\.spec_from_file_location|__import__)$/;
const WRITE_METHOD = /^(write|write_text|write_bytes|writelines|extractall|extract)$/;

/**
 * Agents on OpenClaw extend themselves with skills: a SKILL.md of instructions, often with
 * scripts, fetched from a URL or ClawHub and dropped into the skills folder, then loaded on the
 * next run. Code that downloads a skill and installs, imports or runs it without checking a hash
 * or signature hands the agent's next run — its files, keys and tools — to whoever serves that
 * URL today (the ClawHavoc campaign put hundreds of malicious skills on ClawHub in early 2026).
 * Reported at the
 * download, where the check belongs.
 */
export const rule: Rule = {
  meta: {
    id: 'supply-chain/unverified-skill-install',
    owasp: 'LLM03',
    asi: 'ASI04',
    cwe: 'CWE-494',
    severity: 'HIGH',
    title: 'Agent skill downloaded and installed without verification',
    description: 'Code downloads an agent skill (SKILL.md, skill scripts or plugins) and writes it into the skills folder, imports or executes it, without verifying a pinned hash or signature.',
    fix: 'Pin skills to a reviewed version and verify a SHA-256 (or signature) before installing; install from a vetted registry or vendor the skill into the repository; never execute downloaded skill code directly.',
    languages: ['python'],
  },
  check(ctx) {
    const model = ctx.model!;
    const moltbook = ctx.frameworks.has('moltbook');
    for (const c of model.calls) {
      if (!isFetch(c)) continue;
      const url = urlText(model, c);
      const use = installUse(model, c, SKILL.test(url), moltbook);
      if (!use) continue;
      if (VERIFIED.test(model.text(c.fn.node)) || (c.fn.isModule && VERIFIED.test(model.file.source))) continue;
      ctx.report({ node: c.node, message: `This download is ${use} without a hash or signature check: whoever controls the URL decides what the agent runs next.` });
    }
  },
};

/** How the downloaded content is put to use, if as a skill. */
function installUse(model: PyModel, fetch: CallFact, skillUrl: boolean, moltbook: boolean): string | null {
  const carries = (k: CallFact) => k.args.some((a) => a.taint.some((l) => l.kind === 'web' && l.line === fetch.line)) || k.receiverTaint.some((l) => l.kind === 'web' && l.line === fetch.line);
  const dest = (k: CallFact) => withAssignedValues(model, k.args.map((a) => model.text(a.node)).join(' ') + (k.receiver ? ' ' + model.text(k.receiver) : ''), k.fn);
  // urlretrieve(url, dest) writes the file itself.
  if (/urlretrieve$/.test(fetch.flat) && (skillUrl || SKILL.test(dest(fetch)))) return 'saved as a skill';
  const later = fetch.fn.calls.filter((k) => k !== fetch && k.line >= fetch.line);
  for (const k of later) {
    const name = k.flat;
    if (WRITE_METHOD.test(k.name) && (carries(k) || k.name.startsWith('extract')) && (skillUrl || SKILL.test(dest(k)) || SKILL.test(writeTarget(model, k)))) {
      return k.name.startsWith('extract') ? 'unpacked into the skills folder' : 'written into the agent\'s skills';
    }
    if (EXEC_CALL.test(name) && (skillUrl || (moltbook && carries(k))) && (carries(k) || /import|spec_from_file/.test(name))) return 'loaded and executed as a skill';
  }
  return null;
}

/** The path a `f.write(...)` goes to: the `open(...)` that made `f`, found in the same function. */
function writeTarget(model: PyModel, write: CallFact): string {
  if (!write.receiver) return '';
  const name = model.text(write.receiver);
  const opener = write.fn.calls.find((k) => /^(open|io\.open|pathlib\.Path|Path)$/.test(k.flat) && (k.assignedTo === name || withTarget(model, k) === name));
  return opener ? withAssignedValues(model, opener.args.map((a) => model.text(a.node)).join(' '), write.fn) : '';
}

/** `with open(p, "w") as f:` binds `f` without an assignment fact. */
function withTarget(model: PyModel, call: CallFact): string | undefined {
  const p = call.node.parent;
  if (p?.type !== 'as_pattern') return undefined;
  const alias = p.children.find((c) => c.type === 'as_pattern_target');
  return alias ? model.text(alias).trim() : undefined;
}
