import { JS_LANGUAGES } from '../types.js';
import type { AstNode } from '../../parse/index.js';
import type { PyModel } from '../../flow/python.js';
import type { Rule } from '../types.js';
import { sinkArgs } from '../sinks.js';
import { reaching } from '../helpers.js';
import { flowLine, promptSites } from '../prompts.js';
import { isMasked } from './masking.js';
import { directLabels, formatLine, functionOf, partLine } from './direct.js';

const SENSITIVE_COLUMN = /\b(password|password_hash|passwd|pwd_hash|ssn|social_security\w*|credit_card\w*|card_number|cvv|date_of_birth|dob|api_key|secret_key|access_token|refresh_token|bank_account\w*|iban|tax_id|national_id|passport\w*|medical_\w+|diagnosis)\b/i;
const PEOPLE_TABLE = /\bfrom\s+["`]?(users?|customers?|patients?|employees?|accounts?|members?|clients?|people|persons?|staff)["`]?(\s|;|$)/i;

/** The SQL text of a literal or f-string argument (interpolations left out). */
function sqlText(model: PyModel, n: AstNode): string {
  if (n.type === 'string' || n.type === 'template_string') return n.children.filter((c) => c.type === 'string_content' || c.type === 'string_fragment').map(model.text).join(' ');
  if (n.type === 'concatenated_string') return n.children.filter((c) => c.named).map((c) => sqlText(model, c)).join(' ');
  return '';
}

/** What a SELECT exposes: named sensitive columns, or every column of a table about people. */
function sensitiveSelect(sql: string): string | undefined {
  const m = /\bselect\b([\s\S]*?)\bfrom\b/i.exec(sql);
  if (!m) return undefined;
  const col = SENSITIVE_COLUMN.exec(m[1]);
  if (col) return `the ${col[1]} column`;
  if (/^\s*(\w+\.)?\*\s*$/.test(m[1]) && PEOPLE_TABLE.test(sql)) return 'every column of a table of people';
  return undefined;
}

/**
 * Credentials and personal data placed in a prompt are sent to the model provider, may be logged
 * or retained there, and can be repeated back by the model to whoever is chatting. System-role
 * prompts are the system-prompt leakage rule's.
 */
export const rule: Rule = {
  meta: {
    id: 'sensitive-info/secret-in-prompt',
    owasp: 'LLM02',
    asi: 'ASI03',
    cwe: 'CWE-200',
    severity: 'HIGH',
    title: 'Secret or personal data sent in an LLM prompt',
    description: 'A credential or personal data field is included in a prompt, so it is disclosed to the model provider and can be echoed back to users.',
    fix: 'Keep credentials out of prompts (let tools use them server-side), and redact or pseudonymise personal data before it reaches the model.',
    languages: ['python', ...JS_LANGUAGES],
  },
  check(ctx) {
    const model = ctx.model!;
    for (const site of promptSites(model)) {
      if (site.role === 'system') continue;
      if (model.language) {
        // JS models drop secrets at client constructors, so a label here is the value itself.
        const l = reaching(site.taint, ['secret', 'pii'])[0];
        if (!l || isMasked(model, site.node, flowLine(site, l))) continue;
        ctx.report({ node: site.node, line: flowLine(site, l), source: l, message: `${l.kind === 'secret' ? 'A secret' : 'Personal data'} (${l.what}, line ${l.line}) is sent to the model in ${site.what}.` });
        continue;
      }
      const fn = site.call?.fn ?? functionOf(model, site.node);
      const l = directLabels(model, site.node, fn, reaching(site.taint, ['secret', 'pii']))[0];
      if (!l || isMasked(model, site.node, flowLine(site, l))) continue;
      ctx.report({
        node: site.node,
        line: formatLine(model, site.node, fn, l.line) ?? flowLine(site, l),
        source: l,
        message: `${l.kind === 'secret' ? 'A secret' : 'Personal data'} (${l.what}, line ${l.line}) is sent to the model in ${site.what}.`,
      });
    }
    // A tool that reads credential or identity columns hands them to the model with its result.
    for (const fn of model.functions) {
      if (!fn.isTool || !model.returns.some((r) => r.fn === fn && r.value)) continue;
      for (const call of fn.calls) {
        const sql = sinkArgs(model, call).find((x) => x.cls === 'sql');
        const text = sql ? sqlText(model, sql.arg.node) : '';
        const what = text ? sensitiveSelect(text) : undefined;
        if (!what) continue;
        ctx.report({ node: call.node, message: `Tool ${fn.name}() selects ${what} and returns the rows to the model, which can repeat them to the user.` });
      }
    }
    // What a tool returns goes into the conversation: the model reads it and may repeat it.
    for (const r of model.returns) {
      if (!r.fn.isTool || !r.value) continue;
      const l = model.language ? reaching(r.taint, ['secret', 'pii'])[0] : directLabels(model, r.value, r.fn, reaching(r.taint, ['secret', 'pii']))[0];
      if (!l || isMasked(model, r.value)) continue;
      ctx.report({
        node: r.node,
        line: model.language ? r.node.line : partLine(model, r.value, r.fn, (p) => p.lines.has(l.line)),
        source: l,
        message: `Tool ${r.fn.name}() returns ${l.kind === 'secret' ? 'a secret' : 'personal data'} (${l.what}, line ${l.line}) to the model, which can repeat it to the user.`,
      });
    }
  },
};
