import { snakeCase } from '../../flow/javascript.js';
import { JS_LANGUAGES } from '../types.js';
import type { CallFact, PyModel } from '../../flow/python.js';
import { field, type AstNode } from '../../parse/index.js';
import type { Rule } from '../types.js';
import { fileHasHumanGate, hasApprovalStep, lastSegment } from '../helpers.js';
import { isModelOutput, readsModel } from './model-derived.js';
import { outputKind } from '../llm02/outputs.js';

const RUNNERS = /^(subprocess\.(run|call|check_call|check_output|Popen)|os\.system|os\.popen|asyncio\.create_subprocess_(exec|shell)|pip\.main|pip\._internal\.main)$/;
const INSTALL = /\b(pip3?|uv|poetry|conda|npm|pnpm|yarn|gem|cargo|go)\b[\s\S]*\b(install|add|get)\b|["']install["']/;
/** Names that check a package against a registry or a list before installing it. */
const VERIFIED = /(allow|approved|known|vetted|trusted|whitelist|verify|exists_on_pypi|check_package|pypi\.org|registry)/i;

const JS_RUNNERS = /^(child_process|node:child_process)\.(exec|execSync|spawn|spawnSync|execFile|execFileSync)$|^(execa|execa\.execa|execa\.execaCommand|shelljs\.exec)$/;

function installsModelPackage(model: PyModel, call: CallFact): boolean {
  if (!RUNNERS.test(call.flat) && !(model.language && JS_RUNNERS.test(call.flat))) return false;
  const cmd = call.args.find((a) => a.index === 0 || a.name === 'args' || a.name === 'cmd' || a.name === 'command');
  if (!cmd) return false;
  const text = model.text(cmd.node);
  if (!INSTALL.test(text) && !/pip\.main/.test(call.flat)) return false;
  return cmd.taint.some(isModelOutput) || readsModel(model, call.fn, cmd.node);
}

/** Putting text in front of the public under the operator's name. */
export const PUBLISH = /^(publish|publish_(article|post|blog|blog_post|story|content|page|report|review|tweet|news|newsletter|answer|faq)|post_tweet|create_tweet|tweet|update_status|create_post|post_article|submit_article|send_newsletter|post_to_(twitter|x|linkedin|blog|wordpress|medium|facebook|reddit|website|site)|publish_to_(twitter|x|linkedin|blog|wordpress|medium|facebook|reddit|website|site|cms|ghost|substack|webflow|shopify))$/i;
const REVIEW = /(review|approv|confirm|human|moderat|fact_?check|verify|validate|editor|draft)/i;

/** Model output published as written: the model's claims go out as the operator's own. */
function publishesModelOutput(model: PyModel, call: CallFact): boolean {
  const name = lastSegment(call.flat);
  if (!PUBLISH.test(model.language ? snakeCase(name) : name) && !(model.language && writesLive(model, call))) return false;
  return call.args.some((a) => a.taint.some(isModelOutput) || readsModel(model, call.fn, a.node));
}

/** A CMS or ORM write that makes the record public as it is stored: `{ published: true }`, `status: 'publish'`. */
const LIVE_KEY = /^(published|isPublished|is_published|live|isLive|public|isPublic)$/;
const LIVE_STATUS = /^(publish|published|live|public)$/;
function writesLive(model: PyModel, call: CallFact): boolean {
  if (!/^(create|createMany|insert|insertOne|add|upsert|update|save)$/.test(call.name)) return false;
  return call.args.some((a) => a.index >= 0 && hasLiveFlag(model, a.node));
}

/** An object literal, or one nested in it (`{ data: { published: true } }`), that sets a public flag. */
function hasLiveFlag(model: PyModel, node: AstNode): boolean {
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type !== 'object' && n.type !== 'pair') continue;
    if (n.type === 'pair') {
      const key = field(n, 'key');
      const value = field(n, 'value');
      if (!key || !value) continue;
      const name = model.text(key).replace(/^['"`]|['"`]$/g, '');
      if (LIVE_KEY.test(name) && value.type === 'true') return true;
      if (name === 'status' && (value.type === 'string' || (value.type === 'template_string' && !value.children.some((c) => c.type === 'template_substitution'))) && LIVE_STATUS.test(model.text(value).slice(1, -1))) return true;
      stack.push(value);
      continue;
    }
    for (const c of n.children) stack.push(c);
  }
  return false;
}

/** Prompts that ask the model for advice people act on about their health, money or legal position. */
const ADVICE_PHRASE = /(\b(provide|give|make) (a |the )?(diagnosis|prescription)|\bdiagnose (the|this|my|their|a|an|his|her)\b|\bprescribe\b|recommend (a |the )?(dosage|medication|drug|treatment)|medical advice|legal advice|investment advice|financial advice|tax advice|treatment plan)/i;
const ADVISOR_ROLE = /(you are an? (\w+ )?(medical|clinical|legal|financial|tax|investment|health|healthcare) (expert|advisor|adviser|assistant|professional|consultant)|you are an? (doctor|physician|pharmacist|nurse|lawyer|attorney|financial advisor|tax advisor))/i;
const ADVICE_WORD = /\b(advice|advise|recommend|diagnos\w*|prescri\w*|dosage|treat(ment)?|invest|buy or sell|should (i|you|they))\b/i;

function highStakes(text: string): boolean {
  return ADVICE_PHRASE.test(text) || (ADVISOR_ROLE.test(text) && ADVICE_WORD.test(text));
}

/** What careful versions add: a disclaimer, a referral to a professional, grounding in sources. */
const CAVEAT = /(disclaimer|not (a )?(substitute|replacement) for|not (medical|legal|financial|professional) advice|consult (a|an|your) (qualified |licensed )?(doctor|physician|healthcare|medical|lawyer|attorney|professional|advisor|adviser|pharmacist)|informational purposes|seek professional|cite (the |your )?sources|only (answer|use) (from|the provided|the context)|based only on the (provided|given)|fact[- ]?check|human review|reviewed by)/i;

/** The line where model output leaves the function as the answer, when the prompt asks for high-stakes advice. */
function adviceReturns(model: PyModel): { node: AstNode; fn: string }[] {
  // The string literals are a fraction of the file: ask about them before scanning all of it.
  const advisory = model.strings.some((s) => highStakes(s.value));
  if (!advisory) return [];
  if (CAVEAT.test(model.file.source)) return [];
  const out: { node: AstNode; fn: string }[] = [];
  const seen = new Set<unknown>();
  for (const r of model.returns) {
    if (seen.has(r.fn) || r.fn.isModule || r.fn.isTool) continue;
    if (!r.taint.some(isModelOutput) && !(r.value && readsModel(model, r.fn, r.value))) continue;
    // The prompt of this function (or a constant it uses) must be the advisory one.
    if (!highStakes(model.text(r.fn.node)) && !promptUsesAdvisoryConstant(model, r.fn.node)) continue;
    seen.add(r.fn);
    out.push({ node: r.node, fn: r.fn.name });
  }
  // Shown rather than returned: a Streamlit page, a chat UI message, a CLI print, a response call.
  for (const call of model.calls) {
    if (seen.has(call.fn) || call.fn.isTool) continue;
    const kind = outputKind(call) ?? (/^(chainlit|cl)\.Message$/.test(call.flat) ? 'ui' : null);
    if (!kind || kind === 'log') continue;
    if (!call.args.some((a) => a.taint.some(isModelOutput) || readsModel(model, call.fn, a.node))) continue;
    if (!call.fn.isModule && !highStakes(model.text(call.fn.node)) && !promptUsesAdvisoryConstant(model, call.fn.node)) continue;
    seen.add(call.fn);
    out.push({ node: call.node, fn: call.fn.isModule ? 'The app' : call.fn.name });
  }
  return out;
}

function promptUsesAdvisoryConstant(model: PyModel, fnNode: AstNode): boolean {
  const body = model.text(fnNode);
  return model.assigns.some((a) => a.fn.isModule && (a.value.type === 'string' || a.value.type === 'template_string') && highStakes(model.text(a.value)) && new RegExp(`\\b${a.target.replace(/\./g, '\\.')}\\b`).test(body));
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
    title: 'Model output acted on as verified fact',
    description: 'Model output is treated as verified fact: a package name the model suggested is installed (models hallucinate package names and attackers register them), or generated text is published without review, so hallucinations reach systems and readers unchecked.',
    fix: 'Check model-suggested packages against an allow-list or lock file and verify they exist with an established history; route generated content through human review or a fact-checking step against trusted sources before publishing.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    for (const call of model.calls) {
      if (!installsModelPackage(model, call)) continue;
      if (model.ifs.some((i) => i.fn === call.fn && i.node.startIndex < call.node.startIndex && VERIFIED.test(model.text(i.condition)))) continue;
      if (call.fn.calls.some((c) => c.node.startIndex < call.node.startIndex && VERIFIED.test(c.name))) continue;
      ctx.report({ node: call.node, message: `A package name produced by the model is installed by ${call.name}() without checking that it exists and is the intended package.` });
    }
    for (const r of adviceReturns(model)) {
      ctx.report({ node: r.node, message: `${r.fn === 'The app' ? r.fn : `${r.fn}()`} gives model-generated medical, legal or financial advice as the answer, with no disclaimer, grounding in sources or professional review.` });
    }
    if (fileHasHumanGate(model)) return;
    for (const call of model.calls) {
      if (!publishesModelOutput(model, call)) continue;
      if (hasApprovalStep(model, call.fn) || call.fn.calls.some((c) => c !== call && REVIEW.test(model.language ? snakeCase(c.name) : c.name))) continue;
      ctx.report({ node: call.node, message: `Text generated by the model is published by ${call.name}() with no human review or fact check; hallucinated claims go out as fact.` });
    }
  },
};
