/**
 * Which sources an emitted expression carries *as they are*. Taint labels also survive calls the
 * engine does not know (a database connection opened with a password taints every row read from
 * it), which is right for injection but wrong for disclosure: a row is not the password. This walk
 * follows the expression back through assignments and string-building only, and records the lines
 * it visits, so a label counts when its source line is on that direct path.
 */
import type { AstNode } from '../../parse/index.js';
import { field } from '../../parse/index.js';
import type { AssignFact, CallFact, FunctionFact, PyModel } from '../../flow/python.js';
import type { Label } from '../../flow/labels.js';
import { assignsTo, callsOnReceiver, callsTo } from '../facts.js';

/** Calls that pass their input through as (part of) their output text. */
const TRANSPARENT = /^(str|repr|dict|list|tuple|set|sorted|reversed|json\.dumps|format|textwrap\.dedent|dedent|textwrap\.indent|pprint\.pformat|os\.getenv|os\.environ\.get|getenv)$|\.(format|format_map|join|strip|lstrip|rstrip|upper|lower|title|replace|get|items|values|copy|dict|model_dump|to_dict|encode|decode|splitlines|pop|setdefault)$/;
const MUTATORS = /^(append|extend|insert|update|setdefault|add)$/;

export interface DirectPath {
  lines: Set<number>;
  /** Parameters of the enclosing function the expression passes on. */
  params: Set<string>;
  /** Names reached, with the values assigned to them. */
  names: Map<string, AstNode[]>;
  /** Start offsets of the string literals on the path. */
  strings: Set<number>;
  /** f-strings on the path, where values are formatted into text. */
  templates: AstNode[];
}

export function directPath(model: PyModel, node: AstNode, fn: FunctionFact): DirectPath {
  const out: DirectPath = { lines: new Set(), params: new Set(), names: new Map(), strings: new Set(), templates: [] };
  const seen = new Set<AstNode>();
  const resolving = new Set<string>();
  let budget = 400;

  const scopes: FunctionFact[] = [];
  for (let f: FunctionFact | null = fn; f; f = f.parent) scopes.push(f);
  if (!fn.isModule) scopes.push(model.module);

  function assignsOf(name: string): AssignFact[] {
    const inClass = name.startsWith('self.');
    for (const f of scopes) {
      const hits = assignsTo(model, name).filter((a) => (a.fn === f || (inClass && a.fn.className !== null && a.fn.className === fn.className)));
      if (hits.length) return hits;
    }
    return [];
  }

  function resolve(name: string): void {
    if (resolving.has(name)) return;
    resolving.add(name);
    const p = scopes[0].params.find((x) => x.name === name);
    if (p && !name.startsWith('self')) out.params.add(name);
    const values: AstNode[] = [];
    for (const a of assignsOf(name)) {
      values.push(a.value);
      walk(a.value);
    }
    // `msgs.append({...})`: what a list or dict is filled with after it was created.
    for (const f of scopes) {
      for (const c of callsOnReceiver(model, f, name)) {
        if (!MUTATORS.test(c.name)) continue;
        out.lines.add(c.line);
        for (const a of c.args) walk(a.node);
      }
    }
    out.names.set(name, [...(out.names.get(name) ?? []), ...values]);
  }

  function walk(n: AstNode): void {
    if (seen.has(n) || budget-- <= 0) return;
    seen.add(n);
    if (n.type !== 'call') out.lines.add(n.line);
    switch (n.type) {
      case 'identifier':
        out.lines.add(n.line);
        resolve(model.text(n));
        return;
      case 'attribute': {
        out.lines.add(n.line);
        const t = model.text(n);
        if (/^self\.\w+$/.test(t)) resolve(t);
        walk(field(n, 'object')!);
        return;
      }
      case 'subscript': {
        out.lines.add(n.line);
        // `messages[1:]` drops the system message; a short slice masks a key.
        const key = field(n, 'subscript');
        if (key?.type === 'slice') return;
        // One element picked by position (`messages[-1]`) is not the whole list.
        if (key && (key.type === 'integer' || key.type === 'unary_operator') && model.text(key) !== '0') return;
        // One named field of a record: only a credential-named one carries the credential.
        if (key?.type === 'string' && !/(auth|key|token|secret|pass|pwd|cred|cookie|session|ssn|card|content|messages|prompt|system|instructions)/i.test(model.text(key))) return;
        walk(field(n, 'value')!);
        return;
      }
      case 'call': {
        const fnNode = field(n, 'function')!;
        const callee = fnNode.type === 'attribute' ? `.${model.text(field(fnNode, 'attribute')!)}` : model.text(fnNode);
        const full = model.text(fnNode);
        // An opaque call's line is not on the path: labels of its arguments were consumed there.
        if (!TRANSPARENT.test(callee) && !TRANSPARENT.test(full)) return;
        out.lines.add(n.line);
        if (fnNode.type === 'attribute') walk(field(fnNode, 'object')!);
        const args = field(n, 'arguments');
        if (args) for (const a of args.children) if (a.named) walk(a);
        return;
      }
      case 'list_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension':
      case 'set_comprehension': {
        // A filter on the role keeps the system message out.
        if (n.children.some((c) => c.type === 'if_clause' && /system/.test(model.text(c)))) return;
        for (const c of n.children) {
          if (c.type === 'for_in_clause') {
            const right = field(c, 'right');
            if (right) walk(right);
          } else if (c.named && c.type !== 'if_clause') walk(c);
        }
        return;
      }
      case 'lambda':
        return;
      case 'string':
        out.strings.add(n.startIndex);
        if (n.children.some((c) => c.type === 'interpolation')) out.templates.push(n);
        for (const c of n.children) if (c.type === 'interpolation') walk(c);
        return;
      default:
        for (const c of n.children) if (c.named) walk(c);
    }
  }

  walk(node);
  return out;
}

const deepCache = new WeakMap<AstNode, { fn: FunctionFact; depth: number; path: DirectPath }[]>();

/**
 * The direct path, continued through parameters into the arguments local callers pass, so a value
 * handed to a helper that logs it is followed back to where it was read. Several rules ask it of
 * the same output sites and arguments: computed once per node, function and depth. Read-only result.
 */
export function deepPath(model: PyModel, node: AstNode, fn: FunctionFact, depth = 0): DirectPath {
  let entries = deepCache.get(node);
  const hit = entries?.find((e) => e.fn === fn && e.depth === depth);
  if (hit) return hit.path;
  const path = deepPathUncached(model, node, fn, depth);
  if (!entries) deepCache.set(node, (entries = []));
  entries.push({ fn, depth, path });
  return path;
}

function deepPathUncached(model: PyModel, node: AstNode, fn: FunctionFact, depth: number): DirectPath {
  const p = directPath(model, node, fn);
  if (depth >= 3 || !p.params.size || fn.isModule) return p;
  for (const name of p.params) {
    const index = fn.params.findIndex((x) => x.name === name);
    if (index < 0) continue;
    for (const call of callsTo(model, fn)) {
      const a = argFor(fn, call, index);
      if (!a) continue;
      const q = deepPath(model, a.node, call.fn, depth + 1);
      for (const l of q.lines) p.lines.add(l);
      for (const s of q.strings) p.strings.add(s);
      p.templates.push(...q.templates);
      for (const [k, v] of q.names) p.names.set(k, [...(p.names.get(k) ?? []), ...v]);
    }
  }
  return p;
}

function argFor(fn: FunctionFact, call: CallFact, index: number) {
  const name = fn.params[index].name;
  const byName = call.args.find((a) => a.name === name);
  if (byName) return byName;
  const offset = fn.className && /^(self|cls)$/.test(fn.params[0]?.name ?? '') && call.receiver ? 1 : 0;
  return call.args.find((a) => a.index === index - offset);
}

/** Labels of `taint` whose source lies on the direct path of `node`. */
export function directLabels(model: PyModel, node: AstNode, fn: FunctionFact, taint: Label[]): Label[] {
  if (!taint.length) return [];
  const p = deepPath(model, node, fn);
  return taint.filter((l) => p.lines.has(l.line));
}

/** The innermost function whose body holds `node` (the module otherwise). */
export function functionOf(model: PyModel, node: AstNode): FunctionFact {
  let best: FunctionFact = model.module;
  for (const f of model.functions) {
    if (node.startIndex >= f.node.startIndex && node.endIndex <= f.node.endIndex) {
      if (best.isModule || f.node.startIndex >= best.node.startIndex) best = f;
    }
  }
  return best;
}

/**
 * The line of the first part of `node` (an argument spanning lines, a dict of fields) whose own
 * direct path satisfies `accept`: the line a reviewer looks at.
 */
export function partLine(model: PyModel, node: AstNode, fn: FunctionFact, accept: (p: DirectPath) => boolean): number {
  if (node.endLine === node.line) return node.line;
  const stack = [node];
  const parts: AstNode[] = [];
  while (stack.length) {
    const n = stack.pop()!;
    if (n !== node && (n.type === 'identifier' || n.type === 'attribute' || n.type === 'subscript' || n.type === 'call')) {
      parts.push(n);
      continue;
    }
    for (let i = n.children.length - 1; i >= 0; i--) if (n.children[i].named) stack.push(n.children[i]);
  }
  for (const p of parts) if (accept(deepPath(model, p, fn))) return p.line;
  return node.line;
}

/** The line of the f-string on the direct path that formats the source at `sourceLine` into text. */
export function formatLine(model: PyModel, node: AstNode, fn: FunctionFact, sourceLine: number): number | undefined {
  const p = deepPath(model, node, fn);
  for (const t of p.templates) {
    const owner = functionOf(model, t);
    for (const c of t.children) {
      if (c.type !== 'interpolation') continue;
      if (deepPath(model, c, owner).lines.has(sourceLine)) return t.line;
    }
  }
  return undefined;
}
