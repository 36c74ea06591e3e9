/**
 * The string literals that end up as system-prompt text. Secrets in them are a system-prompt
 * leak (LLM07) rather than a plain hard-coded secret (LLM02): both rules ask this module so a
 * literal is claimed by one category only.
 */
import { snakeCase } from '../../flow/javascript.js';
import type { AstNode } from '../../parse/index.js';
import { field, walkOrder } from '../../parse/index.js';
import { SYSTEM_PROMPT_NAME, type PyModel } from '../../flow/python.js';
import { perFile } from '../per-file.js';

export interface SystemText {
  /** A `string` node (f-strings included). */
  node: AstNode;
  /** How it becomes the system prompt, for messages. */
  via: string;
}

/** Keywords whose string value is instructions to the model, whatever the callee. */
export const SYSTEM_KEYWORD = /^(system_?prompt|system_?message|system|instructions|backstory|system_instruction|preamble|state_modifier|messages_modifier)$/;
/** Wrappers that keep a literal a literal: `textwrap.dedent("""...""").strip()`. */
const STRING_FUNCTION = /^(textwrap\.dedent|dedent|inspect\.cleandoc|cleandoc|str)$/;
const STRING_METHOD = /^(strip|lstrip|rstrip|format|replace|join)$/;

const cache = new WeakMap<PyModel, SystemText[]>();

export function systemTexts(model: PyModel): SystemText[] {
  const hit = cache.get(model);
  if (hit) return hit;
  const out: SystemText[] = [];
  const seen = new Set<number>();
  const text = model.text;
  const valuesByName = new Map<string, AstNode[]>();
  const systemByName: { name: string; value: AstNode }[] = [];
  const keywords: { name: string; value: AstNode }[] = [];

  const lastName = (n: AstNode): string | undefined => {
    if (n.type === 'identifier') return text(n);
    if (n.type === 'attribute') {
      const a = field(n, 'attribute');
      return a ? text(a) : undefined;
    }
    return undefined;
  };

  // Every assignment, by the name it binds, so identifiers used as system content resolve.
  const types = model.language ? ['assignment', 'pair', 'keyword_argument', 'variable_declarator', 'assignment_expression', 'public_field_definition'] : ['assignment', 'pair', 'keyword_argument'];
  for (const n of walkOrder(model.file, types, 1_000_000)) {
    if (model.language && (n.type === 'variable_declarator' || n.type === 'assignment_expression' || n.type === 'public_field_definition')) {
      // JS/TS: `const SYSTEM_PROMPT = ...`, `this.systemPrompt = ...`, class fields; names read as snake case.
      const left = field(n, 'name') ?? field(n, 'left');
      const right = field(n, 'value') ?? field(n, 'right');
      const name = left ? snakeCase(text(left).split('.').pop() ?? '') : undefined;
      if (left && right && name) {
        const list = valuesByName.get(text(left)) ?? [];
        list.push(right);
        valuesByName.set(text(left), list);
        if (SYSTEM_PROMPT_NAME.test(name)) systemByName.push({ name: text(left), value: right });
      }
    } else if (model.language && n.type === 'pair') {
      const k = field(n, 'key');
      const v = field(n, 'value');
      const key = k ? snakeCase(text(k).replace(/^["'`]|["'`]$/g, '')) : '';
      if (v && (SYSTEM_PROMPT_NAME.test(key) || SYSTEM_KEYWORD.test(key))) keywords.push({ name: text(k!), value: v });
    } else if (n.type === 'assignment') {
      const left = field(n, 'left');
      const right = field(n, 'right');
      const name = left ? lastName(left) : undefined;
      if (left && right && name) {
        // One slice of the target per assignment (every assignment in the file passes here).
        const target = text(left);
        const list = valuesByName.get(target);
        if (list) list.push(right);
        else valuesByName.set(target, [right]);
        if (SYSTEM_PROMPT_NAME.test(name)) systemByName.push({ name: target, value: right });
      }
    } else if (n.type === 'pair') {
      const k = field(n, 'key');
      const v = field(n, 'value');
      const key = k?.type === 'string' ? stringContent(model, k) : '';
      if (v && (SYSTEM_PROMPT_NAME.test(key) || /^(system_prompt|system_message|backstory)$/.test(key))) systemByName.push({ name: key, value: v });
    } else if (n.type === 'keyword_argument') {
      const k = field(n, 'name');
      const v = field(n, 'value');
      if (k && v && SYSTEM_KEYWORD.test(text(k))) keywords.push({ name: text(k), value: v });
    }
  }

  function add(value: AstNode, via: string, depth: number): void {
    if (depth > 4) return;
    for (const s of literalStrings(model, value)) {
      if (seen.has(s.startIndex)) continue;
      seen.add(s.startIndex);
      out.push({ node: s, via });
    }
    // A name used as system content: resolve it to what was assigned.
    if (value.type === 'ternary_expression') for (const c of [field(value, 'consequence'), field(value, 'alternative')]) if (c) add(c, via, depth + 1);
    if (value.type === 'identifier' || value.type === 'attribute' || value.type === 'member_expression') {
      for (const v of valuesByName.get(text(value)) ?? []) add(v, via, depth + 1);
    }
  }

  // Resolved after the walk, once every assignment is known.
  for (const k of keywords) add(k.value, `${k.name}=`, 0);
  for (const s of systemByName) add(s.value, `the system prompt ${s.name}`, 0);
  for (const m of model.messages) {
    if (m.role !== 'system' || !m.content) continue;
    add(m.content, m.via ?? 'a system message', 0);
  }
  cache.set(model, out);
  return out;
}

/** Start offsets of the system texts; asked once per output site, so built once per file. Read-only. */
export const systemTextStarts: (model: PyModel) => ReadonlySet<number> = perFile((model) => new Set(systemTexts(model).map((s) => s.node.startIndex)));

export function stringContent(model: PyModel, n: AstNode): string {
  return n.children.filter((c) => c.type === 'string_content').map(model.text).join('');
}

/** The line of character `offset` inside node `n`'s source text. */
export function lineAt(model: PyModel, n: AstNode, offset: number): number {
  const t = model.text(n).slice(0, offset);
  let lines = 0;
  for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) === 10) lines++;
  return n.line + lines;
}

/** String literals that are the value itself, through concatenation, parentheses and string methods. */
export function literalStrings(model: PyModel, n: AstNode): AstNode[] {
  const text = model.text;
  switch (n.type) {
    case 'string':
      return [n];
    case 'template_string':
      return model.language ? [n] : [];
    case 'binary_expression':
      return [field(n, 'left'), field(n, 'right')].filter((c): c is AstNode => !!c).flatMap((c) => literalStrings(model, c));
    case 'ternary_expression':
      return [field(n, 'consequence'), field(n, 'alternative')].filter((c): c is AstNode => !!c).flatMap((c) => literalStrings(model, c));
    case 'concatenated_string':
    case 'parenthesized_expression':
      return n.children.filter((c) => c.named).flatMap((c) => literalStrings(model, c));
    case 'binary_operator':
      return [field(n, 'left'), field(n, 'right')].filter((c): c is AstNode => !!c).flatMap((c) => literalStrings(model, c));
    case 'call': {
      const fn = field(n, 'function');
      const args = field(n, 'arguments');
      const argStrings = () => (args ? args.children.filter((a) => a.named).flatMap((a) => literalStrings(model, a)) : []);
      if (!fn) return [];
      if (STRING_FUNCTION.test(text(fn))) return argStrings();
      if (fn.type !== 'attribute') return [];
      const method = text(field(fn, 'attribute')!);
      const own = literalStrings(model, field(fn, 'object')!);
      if (method === 'join' && own.length) return [...own, ...(args ? args.children.filter((a) => a.type === 'list' || a.type === 'tuple').flatMap((l) => l.children.filter((c) => c.named).flatMap((c) => literalStrings(model, c))) : [])];
      return STRING_METHOD.test(method) ? own : [];
    }
    default:
      return [];
  }
}
