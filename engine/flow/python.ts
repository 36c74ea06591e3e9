/**
 * Taint tracking over a Python syntax tree. One pass per function records facts (calls with the
 * taint of every argument, chat messages with their role, conditions, returns); rules then ask
 * questions of those facts instead of walking the tree again. Flow inside a function is ordered
 * and path-insensitive (both branches of an `if` are merged); across functions of one file,
 * parameters are symbolic labels resolved from the call sites after analysis.
 */
import { field, fields, walkOrder, walkOrderByOwner, type AstNode, type ParsedFile } from '../parse/index.js';
import { DIRECTIVE_TEXT, INSTRUCTS_TEXT, interpolate, NO_LABELS, sanitize, substitute, union, type Label, type SanitizedFor } from './labels.js';
import { callersOf, incomingLabels, substituteFacts } from './params.js';
import type { SinkArg } from '../rules/sinks.js';
import type { VectorQuery } from '../rules/llm08/vector.js';
import {
  callSanitizer,
  callSource,
  envSource,
  frameworkOfModule,
  INSTRUCTION_KEYWORDS,
  isRouteDecorator,
  isToolDecorator,
  lastSegment,
  modelCallShape,
  modelHelperShape,
  plain,
  REQUEST_DATA_ATTRS,
  TOOL_BASE_CLASS,
  TOOL_WRAPPERS,
  type ModelCallShape,
} from '../frameworks/python.js';

export type { Label } from './labels.js';

export interface ArgFact {
  node: AstNode;
  /** Keyword name, or null for positional arguments. */
  name: string | null;
  /** Position among positional arguments, -1 for keywords and splats. */
  index: number;
  taint: Label[];
  splat: boolean;
  /** For a list argument starting with a name (`[program, *args]`): that name's taint alone. */
  head?: Label[];
}

export interface LoopFact {
  node: AstNode;
  kind: 'for' | 'while';
  /** `while True`, or a `for` over an endless iterator, with no counter check in the condition or body. */
  unbounded: boolean;
  /** The loop's exit depends on model output only. */
  modelControlled: boolean;
}

export interface CallFact {
  node: AstNode;
  /** Resolved dotted name: imports expanded, typed receivers as `Type()`. */
  callee: string;
  /** `plain(callee)`: the spelling without call markers, computed once because rules keep asking. */
  flat: string;
  name: string;
  receiver?: AstNode;
  receiverType?: string;
  receiverName?: string;
  receiverTaint: Label[];
  args: ArgFact[];
  fn: FunctionFact;
  loops: LoopFact[];
  line: number;
  model: ModelCallShape | null;
  /** The local function this call runs, when it resolves to one in the same file. */
  target?: FunctionFact;
  /** Where the result went: `x = call(...)` records `x`. */
  assignedTo?: string;
  /** True when this call sits inside an `if`/`try` test of an approval (set by rules via helpers). */
  guarded: boolean;
  /**
   * Answers that rules derive from this call alone, filled on first request by `sinkArgs` and
   * `vectorQuery`. Kept on the fact: several rules ask for every call, and a WeakMap lookup and
   * insert per call cost more than most answers.
   */
  sinkArgs?: SinkArg[];
  vectorQuery?: VectorQuery | null;
}

export interface ParamFact {
  name: string;
  node: AstNode;
  annotation?: string;
  default?: AstNode;
}

export interface FunctionFact {
  name: string;
  qualName: string;
  node: AstNode;
  params: ParamFact[];
  decorators: { qname: string; node: AstNode; receiverType?: string }[];
  className: string | null;
  classBases: string[];
  isTool: boolean;
  isHandler: boolean;
  /** A LangGraph node: its state carries the conversation and earlier model outputs. */
  isGraphNode: boolean;
  isModule: boolean;
  calls: CallFact[];
  returns: Label[];
  parent: FunctionFact | null;
  /** Calls made from this function's own body, by name, for recursion checks. */
  calledNames: Set<string>;
  /** JS/TS: the call that registers an anonymous function as a tool (`tool({...})`, `server.tool(...)`). */
  declNode?: AstNode;
}

export interface MessageFact {
  node: AstNode;
  role: string;
  content?: AstNode;
  taint: Label[];
  fn: FunctionFact;
  /** Built for a constructor keyword such as `Agent(instructions=...)`. */
  via?: string;
}

export interface IfFact {
  node: AstNode;
  condition: AstNode;
  taint: Label[];
  fn: FunctionFact;
  /** Calls inside the `if` body (consequence only). */
  bodyStart: number;
  bodyEnd: number;
}

export interface ReturnFact {
  node: AstNode;
  value?: AstNode;
  taint: Label[];
  fn: FunctionFact;
}

export interface AssignFact {
  node: AstNode;
  target: string;
  value: AstNode;
  fn: FunctionFact;
}

export interface StringFact {
  node: AstNode;
  value: string;
}

export interface PyModel {
  file: ParsedFile;
  imports: Map<string, string>;
  modules: Set<string>;
  frameworks: Set<string>;
  module: FunctionFact;
  functions: FunctionFact[];
  calls: CallFact[];
  messages: MessageFact[];
  ifs: IfFact[];
  returns: ReturnFact[];
  assigns: AssignFact[];
  strings: StringFact[];
  classes: Map<string, { node: AstNode; bases: string[] }>;
  text(node: AstNode): string;
  line(n: number): string;
  /** Reads of `os.environ` / `os.getenv`, for the permissions summary. */
  envReads: number;
  /** Set for models of JavaScript/TypeScript files (engine/flow/javascript.ts); absent for Python. */
  language?: 'javascript' | 'typescript';
}

interface VarInfo {
  taint: Label[];
  type?: string;
  value?: AstNode;
}

class Scope {
  vars = new Map<string, VarInfo>();
  constructor(readonly parent: Scope | null, readonly classScope: Scope | null = null) {}
  get(name: string): VarInfo | undefined {
    return this.vars.get(name) ?? (name.startsWith('self.') ? this.classScope?.get(name) : undefined) ?? this.parent?.get(name);
  }
  set(name: string, info: VarInfo): void {
    this.vars.set(name, info);
    if (name.startsWith('self.') && this.classScope) this.classScope.vars.set(name, info);
  }
}

interface Ctx {
  fn: FunctionFact;
  loops: LoopFact[];
  scope: Scope;
  record: boolean;
}

const MAX_DEPTH = 180;
/** Label kinds a LangGraph state key carries from the node that wrote it to the nodes that read it. */
const STATE_CARRIED = new Set<string>(['web', 'retrieved', 'file', 'user', 'secret', 'pii']);
/** Fields that by their nature hold text an end user typed. */
const USER_AUTHORED_FIELD = /(^|_)(persona|bio|biography|about_me|self_description|describe_yourself|status_message|headline|tagline|custom_instructions|instructions_from_user|brief|preferences|notes|feedback|comments?|body|nickname|display_name|signature|review_text|user_message|user_input|user_request)$/i;
/** Record fields holding credentials or regulated personal data, by key or attribute name. */
const SENSITIVE_FIELD = /^(password|password_hash|passwd|ssn|social_security(_number)?|credit_card(_number)?|card_number|cvv|date_of_birth|dob|medical_record(_number)?|medical_history|diagnosis|bank_account(_number)?|iban|tax_id|national_id|passport(_number)?|drivers_license(_number)?|api_key|secret|secret_key|access_token)$/i;
export const SYSTEM_PROMPT_NAME = /((^|_)(system_?(prompt|message|instructions?|msg|template)s?|sys_?prompt)|^(instructions|agent_instructions|base_prompt|persona|preamble))$/i;
const PROMPT_TEMPLATE_TYPE = /(PromptTemplate|ChatPromptTemplate|Template|from_template|from_messages)/;
const CHAIN_PRESERVING = new Set(['bind_tools', 'with_structured_output', 'with_config', 'with_retry', 'bind', 'with_fallbacks', 'configurable_fields', 'pipe', 'partial']);
const MUTATORS = new Set(['append', 'extend', 'insert', 'update', 'add', 'setdefault', 'appendleft', 'put', 'push', 'write', 'writelines']);
const COMBINING_METHODS = new Set(['replace', 'format', 'format_map', 'join', 'center', 'ljust', 'rjust', 'get', 'pop']);
const ROLE_NAMES = new Set(['system', 'user', 'human', 'assistant', 'ai', 'developer', 'tool', 'function', 'placeholder']);
const MESSAGE_CLASSES: Record<string, string> = { SystemMessage: 'system', HumanMessage: 'user', AIMessage: 'assistant', ToolMessage: 'tool', ChatMessage: 'user', SystemMessagePromptTemplate: 'system', HumanMessagePromptTemplate: 'user' };
/** Words that mark a prompt template as fencing untrusted content off from instructions. */
const FENCE_WORDS = /(untrusted|do not follow|don't follow|ignore any instructions|treat (it|them|this|the \w+) as (data|content|text)|as data only|<\/?(document|documents|context|data|untrusted|input|user_input|content|retrieved|search_results|email|page)>)/i;

export function analysePython(file: ParsedFile): PyModel {
  return pythonAnalyser(file);
}

/**
 * The analysis is one set of functions sharing per-file state. They are created once and the state
 * is reset for each file: closures created afresh per file were each compiled by the JIT again
 * (V8 does not share optimised code between such closure instances), which made the first scan
 * in a process cost twice the later ones. Not reentrant: one file at a time, synchronously.
 */
const pythonAnalyser = createPythonAnalyser();

function createPythonAnalyser(): (file: ParsedFile) => PyModel {
  let file!: ParsedFile;
  let src = '';
  let imports!: Map<string, string>;
  /** Names bound by `import x` / `import x as y`: calls on them are module functions, not methods. */
  let moduleNames!: Set<string>;
  let modules!: Set<string>;
  let frameworks!: Set<string>;
  let classes!: Map<string, { node: AstNode; bases: string[] }>;
  let strings!: StringFact[];
  let functions!: FunctionFact[];
  let toolNames!: Set<string>;
  let uiHandlers!: Set<string>;
  let graphNodes!: Set<string>;
  /** LangGraph: outside content a node returns under a state key, read by other nodes as `state["key"]`. */
  let stateWrites!: Map<string, Label[]>;
  /** The dictionary a graph node is returning right now: its keys are state writes. */
  let stateReturn: AstNode | null = null;
  /**
   * Local classes whose constructor the language writes (dataclasses, pydantic models: no
   * `__init__` of their own) and whose methods read `self`: by name, their fields in order.
   */
  let fieldClasses!: Map<string, string[]>;
  let dispatchNames!: Set<string>;
  let restrictedArgs!: Set<string>;
  let envReads = 0;
  let moduleCtors: Map<string, string> | null = null;
  let moduleFn!: FunctionFact;
  let fnNodes!: Map<AstNode, FunctionFact>;
  let localFunctions!: Map<string, FunctionFact[]>;
  let summaries!: Map<FunctionFact, Label[]>;
  let messages!: MessageFact[];
  let ifs!: IfFact[];
  let returns!: ReturnFact[];
  let assigns!: AssignFact[];
  let classScopes!: Map<string, Scope>;
  let moduleScope!: Scope;
  let fnScopes!: Map<FunctionFact, Scope>;
  const text = (n: AstNode) => src.slice(n.startIndex, n.endIndex);

  const makeFn = (name: string, node: AstNode, parent: FunctionFact | null, isModule = false): FunctionFact => ({
    name,
    qualName: name,
    node,
    params: [],
    decorators: [],
    className: null,
    classBases: [],
    isTool: false,
    isHandler: false,
    isGraphNode: false,
    isModule,
    calls: [],
    returns: [],
    parent,
    calledNames: new Set(),
  });

  // ---- Pre-pass: imports, classes, function definitions, string literals -----------------------
  function prePass() {
    // Nodes and their frames on parallel stacks: children share their parent's frame object, so
    // the walk allocates one per class or function body instead of one per node.
    type Frame = { owner: FunctionFact; className: string | null; bases: string[] };
    const stack: AstNode[] = [file.root];
    const frames: Frame[] = [{ owner: moduleFn, className: null, bases: [] }];
    const push = (node: AstNode, frame: Frame) => {
      stack.push(node);
      frames.push(frame);
    };
    while (stack.length) {
      const node = stack.pop()!;
      const frame = frames.pop()!;
      const { owner, className, bases } = frame;
      switch (node.type) {
        case 'import_statement':
          for (const c of node.children) {
            if (c.type === 'dotted_name') {
              const mod = text(c);
              imports.set(mod.split('.')[0], mod.split('.')[0]);
              moduleNames.add(mod.split('.')[0]);
              modules.add(mod);
            } else if (c.type === 'aliased_import') {
              const mod = text(field(c, 'name')!);
              imports.set(text(field(c, 'alias')!), mod);
              moduleNames.add(text(field(c, 'alias')!));
              modules.add(mod);
            }
          }
          continue;
        case 'import_from_statement': {
          const modNode = field(node, 'module_name');
          const mod = modNode ? text(modNode) : '';
          modules.add(mod);
          for (const c of fields(node, 'name')) {
            if (c.type === 'dotted_name') imports.set(text(c), `${mod}.${text(c)}`);
            else if (c.type === 'aliased_import') imports.set(text(field(c, 'alias')!), `${mod}.${text(field(c, 'name')!)}`);
          }
          continue;
        }
        case 'class_definition': {
          const name = text(field(node, 'name')!);
          const supers = field(node, 'superclasses');
          const baseNames = supers ? supers.children.filter((c) => c.named && c.type !== 'keyword_argument').map(text) : [];
          classes.set(name, { node, bases: baseNames });
          const body = field(node, 'body');
          if (body) push(body, { owner, className: name, bases: baseNames });
          continue;
        }
        case 'function_definition': {
          const name = text(field(node, 'name')!);
          const fn = makeFn(name, node, owner.isModule ? null : owner);
          fn.className = className;
          fn.classBases = bases;
          fn.qualName = className ? `${className}.${name}` : name;
          fnNodes.set(node, fn);
          functions.push(fn);
          const body = field(node, 'body');
          if (body) push(body, { owner: fn, className: null, bases: [] });
          const params = field(node, 'parameters');
          if (params) push(params, { owner: fn, className: null, bases: [] });
          continue;
        }
        case 'string':
          strings.push({ node, value: stringValue(node) });
          break;
      }
      for (let i = node.children.length - 1; i >= 0; i--) push(node.children[i], frame);
    }
  }

  const resolveImport = (name: string) => imports.get(name) ?? name;

  // ---- Names and types -------------------------------------------------------------------------
  function qname(n: AstNode, scope: Scope, depth = 0): string {
    if (depth > 40) return '?';
    switch (n.type) {
      case 'identifier': {
        const name = text(n);
        const v = scope.get(name);
        if (v?.type) return `${v.type}()`;
        return resolveImport(name);
      }
      case 'attribute': {
        const obj = field(n, 'object')!;
        const attr = field(n, 'attribute');
        const objText = obj.type === 'identifier' ? text(obj) : '';
        if (objText === 'self' || objText === 'cls') {
          const v = scope.get(`self.${attr ? text(attr) : ''}`);
          if (v?.type) return `${v.type}()`;
          return `self.${attr ? text(attr) : ''}`;
        }
        return `${qname(obj, scope, depth + 1)}.${attr ? text(attr) : '?'}`;
      }
      case 'call':
        return `${qname(field(n, 'function')!, scope, depth + 1)}()`;
      case 'await':
      case 'parenthesized_expression': {
        const inner = n.children.find((c) => c.named);
        return inner ? qname(inner, scope, depth + 1) : '?';
      }
      case 'string':
        return 'str';
      case 'subscript':
        return `${qname(field(n, 'value')!, scope, depth + 1)}[]`;
      default:
        return '?';
    }
  }

  function typeOf(n: AstNode, scope: Scope, depth = 0): string | undefined {
    if (depth > 40) return undefined;
    switch (n.type) {
      case 'identifier':
        return scope.get(text(n))?.type;
      case 'attribute': {
        const obj = field(n, 'object')!;
        if (obj.type === 'identifier' && (text(obj) === 'self' || text(obj) === 'cls')) return scope.get(`self.${text(field(n, 'attribute')!)}`)?.type;
        return scope.get(text(n))?.type;
      }
      case 'call': {
        const fnNode = field(n, 'function')!;
        if (fnNode.type === 'attribute') {
          const method = text(field(fnNode, 'attribute')!);
          if (CHAIN_PRESERVING.has(method)) return typeOf(field(fnNode, 'object')!, scope, depth + 1) ?? plain(qname(fnNode, scope));
        }
        return plain(qname(fnNode, scope));
      }
      case 'binary_operator': {
        const op = field(n, 'operator');
        if (op && text(op) === '|') return 'runnable';
        return undefined;
      }
      case 'await':
      case 'parenthesized_expression': {
        const inner = n.children.find((c) => c.named);
        return inner ? typeOf(inner, scope, depth + 1) : undefined;
      }
      case 'string':
        return 'str';
      default:
        return undefined;
    }
  }

  function rootName(n: AstNode): string | undefined {
    let cur: AstNode | undefined = n;
    for (let i = 0; cur && i < 50; i++) {
      if (cur.type === 'identifier') return text(cur);
      if (cur.type === 'attribute') cur = field(cur, 'object');
      else if (cur.type === 'call') cur = field(cur, 'function');
      else if (cur.type === 'subscript') cur = field(cur, 'value');
      else if (cur.type === 'await' || cur.type === 'parenthesized_expression') cur = cur.children.find((c) => c.named);
      else return undefined;
    }
    return undefined;
  }

  function lastName(n: AstNode): string | undefined {
    if (n.type === 'identifier') return text(n);
    if (n.type === 'attribute') return text(field(n, 'attribute')!);
    return undefined;
  }

  /** Dotted spelling of a target (`x`, `self.x`, `a.b`), or null when it is not a simple path. */
  function pathOf(n: AstNode): string | null {
    if (n.type === 'identifier') return text(n);
    if (n.type === 'attribute') {
      const base = pathOf(field(n, 'object')!);
      return base ? `${base}.${text(field(n, 'attribute')!)}` : null;
    }
    return null;
  }

  function isRequestObject(name: string | undefined): boolean {
    if (!name) return false;
    const resolved = resolveImport(name);
    return name === 'request' || name === 'req' || /^(flask|quart|sanic|bottle)\.request$/.test(resolved);
  }

  // ---- Expressions -----------------------------------------------------------------------------

  function findTarget(fnNode: AstNode, ctx: Ctx): FunctionFact | undefined {
    if (fnNode.type === 'identifier') {
      const cands = localFunctions.get(text(fnNode));
      if (!cands) return undefined;
      if (ctx.scope.get(text(fnNode))?.type) return undefined;
      return cands.find((f) => f.className === null) ?? undefined;
    }
    if (fnNode.type === 'attribute') {
      const obj = field(fnNode, 'object')!;
      const method = text(field(fnNode, 'attribute')!);
      const cands = localFunctions.get(method);
      if (!cands) return undefined;
      const objName = obj.type === 'identifier' ? text(obj) : '';
      if ((objName === 'self' || objName === 'cls') && ctx.fn.className) return cands.find((f) => f.className === ctx.fn.className);
      if (classes.has(objName)) return cands.find((f) => f.className === objName);
      const t = typeOf(obj, ctx.scope);
      if (t && classes.has(t)) return cands.find((f) => f.className === t);
    }
    return undefined;
  }

  function ev(n: AstNode, ctx: Ctx, depth: number): Label[] {
    if (depth > MAX_DEPTH) return NO_LABELS;
    const d = depth + 1;
    switch (n.type) {
      case 'identifier':
        return ctx.scope.get(text(n))?.taint ?? NO_LABELS;
      case 'string': {
        // Most strings are plain literals: no list built for them.
        if (!n.children.some((c) => c.type === 'interpolation')) return NO_LABELS;
        let out: Label[] = [];
        for (const p of n.children) {
          if (p.type !== 'interpolation') continue;
          const e = field(p, 'expression') ?? p.children.find((c) => c.named);
          if (e) out = union(out, ev(e, ctx, d));
        }
        return markInterpolated(out, n, ctx);
      }
      case 'concatenated_string': {
        let out: Label[] = [];
        for (const c of n.children) if (c.named) out = union(out, ev(c, ctx, d));
        return out;
      }
      case 'binary_operator': {
        const left = field(n, 'left')!;
        const right = field(n, 'right')!;
        const op = text(field(n, 'operator')!);
        const l = ev(left, ctx, d);
        const r = ev(right, ctx, d);
        const all = union(l, r);
        if ((op === '+' || op === '%') && (isStringy(left, ctx) || isStringy(right, ctx))) return markInterpolated(all, n, ctx);
        // `BASE / name` builds a path around the value, like a template around text.
        if (op === '/' && r.length) return markInterpolated(all, n, ctx);
        return all;
      }
      case 'attribute':
        return evAttribute(n, ctx, d);
      case 'subscript': {
        const value = field(n, 'value')!;
        let base = ev(value, ctx, d);
        const written = ctx.fn.isGraphNode ? stateRead(ctx, value, fields(n, 'subscript')[0]) : undefined;
        if (written) base = union(base, written);
        for (const s of fields(n, 'subscript')) ev(s, ctx, d);
        const qn = plain(qname(value, ctx.scope));
        if (qn === 'os.environ') {
          const key = fields(n, 'subscript')[0];
          const src = envSource(key?.type === 'string' ? stringValue(key) : undefined);
          return union(base, [{ kind: src.kind, line: n.line, what: src.what }]);
        }
        if (qn === 'sys.argv') return union(base, [{ kind: 'user', line: n.line, what: 'command-line arguments' }]);
        const key = fields(n, 'subscript')[0];
        if (key?.type === 'string' && USER_AUTHORED_FIELD.test(stringValue(key)) && base.some((l) => l.kind === 'param')) {
          return union(base, [{ kind: 'user', line: n.line, what: `the user-written field '${stringValue(key)}'` }]);
        }
        // A record that went through a redaction helper stays clean field by field.
        const redacted = base.length > 0 && base.every((l) => l.sanitized?.includes('all'));
        if (!redacted && key?.type === 'string' && SENSITIVE_FIELD.test(stringValue(key))) {
          return union(base, [{ kind: isSecretKey(stringValue(key)) ? 'secret' : 'pii', line: n.line, what: `the ${stringValue(key)} field` }]);
        }
        return base;
      }
      case 'call':
        return evCall(n, ctx, d);
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list': {
        let out: Label[] = [];
        const items = n.children.filter((c) => c.named);
        for (const c of items) out = union(out, ev(c, ctx, d));
        if (n.type === 'tuple' && items.length === 2 && items[0].type === 'string') {
          const role = stringValue(items[0]).toLowerCase();
          if (ROLE_NAMES.has(role) && items[1].type !== 'identifier' || (ROLE_NAMES.has(role) && items[1].type === 'identifier')) {
            if (ROLE_NAMES.has(role)) recordMessage(n, normaliseRole(role), items[1], ev(items[1], ctx, d), ctx);
          }
        }
        return out;
      }
      case 'dictionary': {
        let out: Label[] = [];
        let role: string | undefined;
        let content: AstNode | undefined;
        let contentTaint: Label[] = [];
        for (const pair of n.children) {
          if (pair.type === 'pair') {
            const k = field(pair, 'key')!;
            const v = field(pair, 'value')!;
            const t = ev(v, ctx, d);
            out = union(out, t);
            const kName = k.type === 'string' ? stringValue(k) : '';
            if (n === stateReturn && kName) addStateWrite(kName, t);
            if (kName === 'role' && v.type === 'string') role = stringValue(v).toLowerCase();
            if (kName === 'content' || kName === 'text') {
              content = v;
              contentTaint = t;
            }
            if (k.type === 'string' && /^(password|ssn|credit_card|card_number|api_key|secret|token)$/i.test(kName) && v.type !== 'string') {
              out = union(out, [{ kind: isSecretKey(kName) ? 'secret' : 'pii', line: pair.line, what: `the ${kName} field` }]);
            }
          } else if (pair.type === 'dictionary_splat') {
            out = union(out, ev(pair.children.find((c) => c.named) ?? pair, ctx, d));
          }
        }
        if (role && ROLE_NAMES.has(role)) recordMessage(n, normaliseRole(role), content, contentTaint, ctx);
        return out;
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension': {
        const inner = new Scope(ctx.scope, ctx.scope.classScope);
        const cctx: Ctx = { ...ctx, scope: inner };
        for (const c of n.children) {
          if (c.type === 'for_in_clause') {
            const right = field(c, 'right');
            const left = field(c, 'left');
            if (right && left) bind(left, ev(right, cctx, d), cctx, undefined);
          }
        }
        for (const c of n.children) if (c.type === 'if_clause') for (const e of c.children) if (e.named) ev(e, cctx, d);
        const body = field(n, 'body');
        if (!body) return NO_LABELS;
        if (body.type === 'pair') return union(ev(field(body, 'key')!, cctx, d), ev(field(body, 'value')!, cctx, d));
        return ev(body, cctx, d);
      }
      case 'conditional_expression': {
        let out: Label[] = [];
        const parts = n.children.filter((c) => c.named);
        // `col if col in SORTABLE else "name"`: the value chosen when the allow-list holds is clean.
        const vouched = parts.length === 3 && (parts[0].type === 'identifier' || parts[0].type === 'attribute') && subjectsOf(parts[1]).includes(pathOf(parts[0]) ?? '');
        parts.forEach((c, i) => {
          const t = ev(c, ctx, d);
          if (i === 0 && vouched) out = union(out, sanitize(t, 'all'));
          else if (i !== 1) out = union(out, t);
        });
        return out;
      }
      case 'boolean_operator':
        return union(ev(field(n, 'left')!, ctx, d), ev(field(n, 'right')!, ctx, d));
      case 'comparison_operator':
      case 'not_operator': {
        for (const c of n.children) if (c.named) ev(c, ctx, d);
        return NO_LABELS;
      }
      case 'await':
      case 'parenthesized_expression':
      case 'keyword_argument':
      case 'list_splat':
      case 'dictionary_splat':
      case 'yield': {
        let out: Label[] = [];
        for (const c of n.children) if (c.named && c.field !== 'name') out = union(out, ev(c, ctx, d));
        return out;
      }
      case 'named_expression': {
        const t = ev(field(n, 'value')!, ctx, d);
        bind(field(n, 'name')!, t, ctx, field(n, 'value'));
        return t;
      }
      case 'lambda':
      case 'integer':
      case 'float':
      case 'true':
      case 'false':
      case 'none':
        return NO_LABELS;
      default: {
        let out: Label[] = [];
        for (const c of n.children) if (c.named) out = union(out, ev(c, ctx, d));
        return out;
      }
    }
  }

  function markInterpolated(labels: Label[], template: AstNode, ctx?: Ctx): Label[] {
    if (!labels.length) return labels;
    const literal = templateText(template, ctx);
    let out = interpolate(labels, template.line, DIRECTIVE_TEXT.test(literal), INSTRUCTS_TEXT.test(templateText(template)));
    // A template that fences external content off as data is the documented mitigation for
    // indirect injection; user text stays user text either way.
    if (FENCE_WORDS.test(literal)) {
      out = out.map((l) => (l.kind === 'retrieved' || l.kind === 'web' || l.kind === 'file' ? { ...l, sanitized: [...(l.sanitized ?? []), 'prompt' as SanitizedFor] } : l));
    }
    return out;
  }

  /** The literal text of a template: a string, the string operands of `+`/`%`, or a constant's value. */
  function templateText(n: AstNode, ctx?: Ctx, depth = 0): string {
    if (depth > 20) return '';
    if (n.type === 'string') {
      // Constants spliced into an f-string are part of its fixed text.
      let out = text(n);
      for (const c of n.children) {
        if (c.type !== 'interpolation') continue;
        const e = field(c, 'expression') ?? c.children.find((x) => x.named);
        if (e?.type === 'identifier') out += templateText(e, ctx, depth + 1);
      }
      return out;
    }
    if (n.type === 'concatenated_string') return n.children.map((c) => templateText(c, ctx, depth + 1)).join('');
    if (n.type === 'binary_operator') return templateText(field(n, 'left')!, ctx, depth + 1) + templateText(field(n, 'right')!, ctx, depth + 1);
    if (n.type === 'parenthesized_expression') return n.children.map((c) => templateText(c, ctx, depth + 1)).join('');
    if (n.type === 'identifier' && ctx) {
      const v = ctx.scope.get(text(n))?.value;
      if (v && (v.type === 'string' || v.type === 'concatenated_string')) return templateText(v, ctx, depth + 1);
    }
    return '';
  }

  function isStringy(n: AstNode, ctx: Ctx): boolean {
    if (n.type === 'string' || n.type === 'concatenated_string') return true;
    if (n.type === 'identifier') {
      const v = ctx.scope.get(text(n));
      return v?.type === 'str' || v?.value?.type === 'string';
    }
    if (n.type === 'binary_operator') return isStringy(field(n, 'left')!, ctx) || isStringy(field(n, 'right')!, ctx);
    return false;
  }

  function evAttribute(n: AstNode, ctx: Ctx, d: number): Label[] {
    const obj = field(n, 'object')!;
    const attr = text(field(n, 'attribute')!);
    const path = pathOf(n);
    let own = path ? ctx.scope.get(path)?.taint : undefined;
    // `brief.seed_text` on an instance of a local class: what its methods stored in `self.seed_text`.
    if (obj.type === 'identifier' && classScopes.size) {
      const cls = ctx.scope.get(text(obj))?.type;
      const held = cls && cls !== ctx.fn.className ? classScopes.get(cls)?.vars.get(`self.${attr}`)?.taint : undefined;
      if (held?.length) {
        const outside = held.filter((l) => l.kind !== 'param');
        if (outside.length) own = union(own ?? [], outside);
      }
    }
    const qn = plain(qname(n, ctx.scope));
    if (qn === 'sys.argv') return [{ kind: 'user', line: n.line, what: 'command-line arguments' }];
    if (qn === 'os.environ') {
      envReads++;
      return [{ kind: 'env', line: n.line, what: 'the environment' }];
    }
    const base = ev(obj, ctx, d);
    if (restrictedArgs.has(attr) && base.some((l) => l.what === 'command-line arguments')) return sanitize(union(own, base), 'all');
    if (REQUEST_DATA_ATTRS.has(attr) && isRequestObject(rootName(obj)) && (obj.type === 'identifier' || obj.type === 'attribute')) {
      return union(base, [{ kind: 'user', line: n.line, what: `request.${attr}` }]);
    }
    if (USER_AUTHORED_FIELD.test(attr) && base.some((l) => l.kind === 'param')) {
      // Free text an end user wrote (a profile's persona, a ticket's body) read off an object
      // handed in from outside: whatever the caller, its author is the user.
      return union(own, base, [{ kind: 'user', line: n.line, what: `the user-written field '${attr}'` }]);
    }
    if (SENSITIVE_FIELD.test(attr) && attr !== 'secret') {
      return union(own, base, [{ kind: isSecretKey(attr) ? 'secret' : 'pii', line: n.line, what: `the ${attr} attribute` }]);
    }
    return union(own, base);
  }

  function argsOf(argList: AstNode | undefined, ctx: Ctx, d: number): ArgFact[] {
    const out: ArgFact[] = [];
    if (!argList) return out;
    if (argList.type === 'generator_expression') {
      out.push({ node: argList, name: null, index: 0, taint: ev(argList, ctx, d), splat: false });
      return out;
    }
    let index = 0;
    for (const c of argList.children) {
      if (!c.named || c.type === 'comment') continue;
      if (c.type === 'keyword_argument') {
        const value = field(c, 'value')!;
        out.push({ node: value, name: text(field(c, 'name')!), index: -1, taint: ev(value, ctx, d), splat: false });
      } else if (c.type === 'list_splat' || c.type === 'dictionary_splat') {
        out.push({ node: c, name: null, index: -1, taint: ev(c, ctx, d), splat: true });
      } else {
        const taint = ev(c, ctx, d);
        const first = c.type === 'list' ? c.children.find((x) => x.named) : undefined;
        // An argv list: the program name decides what runs, the rest are only its arguments.
        if (first?.type === 'identifier') out.push({ node: c, name: null, index: index++, taint, splat: false, head: ev(first, ctx, d) });
        else out.push({ node: c, name: null, index: index++, taint, splat: false });
      }
    }
    return out;
  }

  function evCall(n: AstNode, ctx: Ctx, d: number): Label[] {
    const fnNode = field(n, 'function')!;
    let receiver: AstNode | undefined;
    let receiverTaint: Label[] = [];
    let receiverType: string | undefined;
    let receiverName: string | undefined;
    if (fnNode.type === 'attribute') {
      receiver = field(fnNode, 'object')!;
      receiverTaint = ev(receiver, ctx, d);
      // `state.get("page")` reads the key like `state["page"]` does.
      const written = ctx.fn.isGraphNode && text(field(fnNode, 'attribute')!) === 'get' ? stateRead(ctx, receiver, field(n, 'arguments')?.children.find((c) => c.named)) : undefined;
      if (written) receiverTaint = union(receiverTaint, written);
      receiverType = typeOf(receiver, ctx.scope);
      receiverName = lastName(receiver);
    } else if (fnNode.type !== 'identifier') {
      receiverTaint = ev(fnNode, ctx, d);
    }
    const callee = qname(fnNode, ctx.scope);
    const flat = plain(callee);
    const name = lastSegment(flat);
    const args = argsOf(field(n, 'arguments'), ctx, d);
    if (fieldClasses.size && fnNode.type === 'identifier') constructFields(text(fnNode), args);
    const target = findTarget(fnNode, ctx);
    const fact: CallFact = {
      node: n,
      callee,
      flat,
      name,
      receiver,
      receiverType,
      receiverName,
      receiverTaint,
      args,
      fn: ctx.fn,
      loops: ctx.loops,
      line: n.line,
      // Imported helpers named for asking a model; local ones are followed through their summaries.
      model: modelCallShape(callee, receiverType, receiverName) ?? (target ? null : modelHelperShape(callee)),
      target,
      // Set by the assignment that receives the result; present from the start so every call fact has one shape.
      assignedTo: undefined,
      guarded: false,
      sinkArgs: undefined,
      vectorQuery: undefined,
    };
    if (ctx.record) {
      ctx.fn.calls.push(fact);
      ctx.fn.calledNames.add(name);
    }
    const argTaint = union(...args.map((a) => a.taint));

    // Messages built by constructors.
    // `Agent[Ctx](...)`: a generic alias is still the class.
    const ctor = name.endsWith('[]') ? name.slice(0, -2) : name;
    const messageRole = MESSAGE_CLASSES[ctor];
    const instructionKeywords = messageRole ? undefined : INSTRUCTION_KEYWORDS[ctor];
    if (messageRole) {
      const content = args.find((a) => a.name === 'content' || a.name === 'template' || a.name === 'prompt') ?? args.find((a) => a.index === 0);
      recordMessage(n, messageRole, content?.node, content?.taint ?? [], ctx, ctor);
    } else if (instructionKeywords) {
      for (const a of args) {
        if (a.name && instructionKeywords.includes(a.name)) recordMessage(a.node, ctor === 'Task' ? 'user' : 'system', a.node, union(a.taint, dynamicInstructions(a.node, ctx)), ctx, `${ctor}(${a.name}=)`);
      }
    }
    if (fact.model?.kind === 'client') {
      for (const a of args) {
        if (a.name === 'system' || a.name === 'instructions') recordMessage(a.node, 'system', a.node, a.taint, ctx, `${a.name}=`);
      }
    }

    if (fact.model) return [{ kind: 'model', line: n.line, what: `the output of ${shortCallee(callee)}()` }];

    if (flat === 'os.getenv' || flat === 'os.environ.get' || flat === 'os.environ.setdefault') {
      envReads++;
      const key = args[0]?.node.type === 'string' ? stringValue(args[0].node) : undefined;
      const src = envSource(key);
      return [{ kind: src.kind, line: n.line, what: src.what }];
    }
    if (name === 'parse_args' || name === 'parse_known_args') return [{ kind: 'user', line: n.line, what: 'command-line arguments' }];
    if (fnNode.type === 'attribute' && REQUEST_DATA_ATTRS.has(name) && isRequestObject(rootName(receiver!))) {
      return union(receiverTaint, [{ kind: 'user', line: n.line, what: `request.${name}()` }]);
    }
    if (fnNode.type === 'attribute' && (name === 'get' || name === 'getlist') && isRequestObject(rootName(receiver!)) && receiver!.type === 'attribute') {
      return union(receiverTaint, [{ kind: 'user', line: n.line, what: `request data` }]);
    }

    const sanitizer = callSanitizer(callee);
    if (sanitizer) {
      const inputs = union(argTaint, name === 'model_validate' || name === 'parse_obj' ? [] : receiverTaint);
      return sanitize(inputs, sanitizer);
    }
    const source = callSource(callee, receiverType);
    if (source) return [{ kind: source.kind, line: n.line, what: source.what }];
    if (flat === 'open' || flat === 'io.open' || flat === 'codecs.open') return union(argTaint.filter((l) => l.kind === 'param'), [{ kind: 'file', line: n.line, what: 'file contents' }]);

    if (target) return applySummary(target, fact);
    if (/^(os\.path\.join|posixpath\.join|ntpath\.join|pathlib\.Path|pathlib\.PurePath)$/.test(flat) && args.length > 1) return markInterpolated(argTaint, n, ctx);

    if (fnNode.type === 'attribute') {
      const path = pathOf(receiver!);
      // `st.write(x)`, `sys.stdout.write(x)`: a module function, not a container taking x in.
      // `st.session_state.messages.append(m)` is a container on a module, and it survives reruns.
      if (MUTATORS.has(name) && path && (!moduleNames.has(path.split('.')[0]) || /\.session_state\./.test(path))) {
        const cur = ctx.scope.get(path);
        ctx.scope.set(path, { ...(cur ?? {}), taint: union(cur?.taint, argTaint) });
        return NO_LABELS;
      }
      if (name === 'format' || name === 'format_map') {
        const rType = receiverType ?? '';
        const literalTemplate = receiver!.type === 'string' || ctx.scope.get(text(receiver!))?.value?.type === 'string';
        if (PROMPT_TEMPLATE_TYPE.test(rType) && !literalTemplate) return union(receiverTaint, argTaint);
        return markInterpolated(union(receiverTaint, argTaint), receiver!.type === 'string' ? receiver! : receiver!.type === 'identifier' ? receiver! : n, ctx);
      }
      // Joining pieces with a separator combines content; it is not a template around it.
      if (name === 'join' && (receiver!.type === 'string')) return argTaint;
      if (COMBINING_METHODS.has(name)) return union(receiverTaint, name === 'get' || name === 'pop' ? [] : argTaint);
      // `json.dumps(x)`, `textwrap.dedent(x)`: a module function's result is made from its arguments.
      const root = rootName(receiver!);
      if (root && moduleNames.has(root) && !ctx.scope.get(root)) return union(receiverTaint, argTaint);
      // Data-building class methods (`Dataset.from_list(rows)`) and document splitters: the result is the argument, reshaped.
      if (/^(from_(list|dict|pandas|records|generator|json|csv|items)|split_documents|split_text|create_documents|transform_documents|atransform_documents|get_nodes_from_documents|split_nodes)$/.test(name)) return union(receiverTaint, argTaint);
      return receiverTaint;
    }
    return argTaint;
  }

  /** `Agent(instructions=build_instructions)`: a local function the SDK calls for the instructions text. */
  function dynamicInstructions(n: AstNode, ctx: Ctx): Label[] {
    if (n.type !== 'identifier' || ctx.scope.get(text(n))) return NO_LABELS;
    const fn = localFunctions.get(text(n))?.find((f) => f.className === null);
    return fn ? (summaries.get(fn) ?? []).filter((l) => l.kind !== 'param') : [];
  }

  function applySummary(target: FunctionFact, call: CallFact): Label[] {
    const summary = summaries.get(target) ?? [];
    const out: Label[] = [];
    for (const l of summary) {
      if (l.kind !== 'param') {
        out.push(l);
        continue;
      }
      const arg = argForParam(target, call, l.param!);
      if (!arg) continue;
      for (const a of arg.taint) out.push(substitute(l, a));
    }
    return union(out);
  }

  function recordMessage(node: AstNode, role: string, content: AstNode | undefined, taint: Label[], ctx: Ctx, via?: string) {
    if (!ctx.record) return;
    messages.push({ node, role, content, taint, fn: ctx.fn, via });
  }

  // ---- Statements ------------------------------------------------------------------------------

  function bind(target: AstNode, taint: Label[], ctx: Ctx, value: AstNode | undefined) {
    switch (target.type) {
      case 'identifier':
      case 'attribute': {
        const p = pathOf(target);
        if (!p) {
          ev(target, ctx, 0);
          return;
        }
        const type = value ? typeOf(value, ctx.scope) : undefined;
        // Streamlit session state outlives the rerun: a (re)initialisation does not erase what
        // later runs stored there.
        const kept = /(^|\.)session_state\./.test(p) ? ctx.scope.get(p)?.taint : undefined;
        ctx.scope.set(p, { taint: kept ? union(kept, taint) : taint, type: type ?? (value?.type === 'string' ? 'str' : undefined), value });
        if (target.type === 'attribute') {
          // Writing `obj.attr = tainted` taints what later reads of `obj` see as a whole.
          const root = pathOf(field(target, 'object')!);
          if (root && taint.length && root !== 'self') {
            const cur = ctx.scope.get(root);
            ctx.scope.set(root, { ...(cur ?? {}), taint: union(cur?.taint, taint) });
          }
        }
        return;
      }
      case 'subscript': {
        const base = field(target, 'value')!;
        const p = pathOf(base);
        if (p) {
          const cur = ctx.scope.get(p);
          ctx.scope.set(p, { ...(cur ?? {}), taint: union(cur?.taint, taint) });
        }
        return;
      }
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
        for (const c of target.children) if (c.named) bind(c, taint, ctx, undefined);
        return;
      case 'list_splat_pattern':
        for (const c of target.children) if (c.named) bind(c, taint, ctx, undefined);
        return;
      default:
        return;
    }
  }

  function execBlock(block: AstNode | undefined, ctx: Ctx, depth: number) {
    if (!block) return;
    for (const s of block.children) execStmt(s, ctx, depth + 1);
  }

  function sanitizeSubjects(cond: AstNode, ctx: Ctx, forWhat: SanitizedFor) {
    const done = new Set<string>();
    const clean = (p: string, depth: number) => {
      if (done.has(p) || depth > 3) return;
      done.add(p);
      const cur = ctx.scope.get(p);
      if (cur) ctx.scope.set(p, { ...cur, taint: sanitize(cur.taint, forWhat) });
      // `parts = urlsplit(url)` then `parts.hostname in ALLOWED`: the check vouches for `url` too.
      const root = p.split('.')[0];
      const value = ctx.scope.get(root)?.value;
      if (value?.type === 'call' && field(value, 'function')!.type !== 'attribute' || value?.type === 'call' && imports.has(rootName(field(value, 'function')!) ?? '')) {
        const argList = field(value, 'arguments');
        for (const a of argList?.children ?? []) if (a.type === 'identifier') clean(text(a), depth + 1);
      }
    };
    for (const p of subjectsOf(cond)) clean(p, 0);
  }

  /** Variables a condition checks against a fixed set or pattern: `x in ALLOWED`, `re.fullmatch(p, x)`, `x.isalnum()`. */
  function subjectsOf(cond: AstNode): string[] {
    const out: string[] = [];
    const stack = [cond];
    let guard = 0;
    while (stack.length && guard++ < 500) {
      const c = stack.pop()!;
      if (c.type === 'comparison_operator') {
        const ops = c.children.filter((x) => x.field === 'operators').map(text);
        // Membership in a fixed collection is an allow-list; equality with one literal is not a
        // general clean-up of the value (it only holds inside one branch).
        if (ops.some((o) => o === 'in' || o === 'not in')) {
          const operands = c.children.filter((x) => x.named && x.field !== 'operators');
          const right = operands[operands.length - 1];
          if (right && right.type !== 'string') collectPaths(operands[0], out);
        }
      } else if (c.type === 'call') {
        const fn = field(c, 'function')!;
        const name = fn.type === 'attribute' ? text(field(fn, 'attribute')!) : text(fn);
        const argList = field(c, 'arguments');
        if (/^(fullmatch|match)$/.test(name) && argList) {
          const args = argList.children.filter((x) => x.named);
          if (args[1]) collectPaths(args[1], out);
        } else if (/^(isalnum|isdigit|isidentifier|isnumeric|isdecimal|isalpha|is_relative_to)$/.test(name) && fn.type === 'attribute') {
          collectPaths(field(fn, 'object')!, out);
        } else if (name === 'startswith' && fn.type === 'attribute' && argList && isPrefixAllowList(argList)) {
          collectPaths(field(fn, 'object')!, out);
        } else if (callSanitizer(name) === 'all' && argList) {
          for (const a of argList.children) if (a.named) collectPaths(a, out);
        }
      }
      for (const ch of c.children) if (ch.named) stack.push(ch);
    }
    return out;
  }

  /**
   * What a check vouches for: a variable tested as a whole, or the argument of a free function
   * whose result is tested (`urlparse(url).hostname in ALLOWED` vouches for `url`). A field of an
   * object (`step.get("action") == "done"`) says nothing about the rest of the object.
   */
  function collectPaths(n: AstNode, out: string[]) {
    if (n.type === 'identifier' || (n.type === 'attribute' && pathOf(n) && field(n, 'object')!.type === 'identifier' && text(field(n, 'object')!) === 'self')) {
      out.push(pathOf(n)!);
      return;
    }
    if (n.type === 'attribute') {
      const obj = field(n, 'object')!;
      if (obj.type === 'call') collectPaths(obj, out);
      else if (pathOf(n)) out.push(pathOf(n)!);
    } else if (n.type === 'call') {
      const fn = field(n, 'function')!;
      if (fn.type !== 'identifier' && !(fn.type === 'attribute' && field(fn, 'object')!.type === 'identifier' && imports.has(text(field(fn, 'object')!)))) return;
      const argList = field(n, 'arguments');
      if (argList) for (const a of argList.children) if (a.named && a.type !== 'keyword_argument') collectPaths(a, out);
    }
  }

  /** `url.startswith("https://api.example.com/")` or `path.startswith(ALLOWED_ROOTS)`: a prefix allow-list. */
  function isPrefixAllowList(argList: AstNode): boolean {
    const first = argList.children.find((c) => c.named);
    if (!first) return false;
    if (first.type === 'string') return /:\/\/|^[rbuf]*["']\//i.test(text(first));
    if (first.type === 'identifier') return /^[A-Z][A-Z0-9_]*$/.test(text(first));
    return first.type === 'tuple';
  }

  function loopBounded(body: AstNode | undefined, condition: AstNode | undefined): boolean {
    if (condition && hasCounterCheck(condition)) return true;
    if (!body) return false;
    // A counter check that leaves the loop: `if i >= MAX: break`.
    const stack = [...body.children];
    let guard = 0;
    while (stack.length && guard++ < 2000) {
      const s = stack.pop()!;
      if (s.type === 'function_definition' || s.type === 'class_definition') continue;
      if (s.type === 'if_statement' || s.type === 'elif_clause') {
        const cond = field(s, 'condition');
        const cons = field(s, 'consequence');
        if (cond && hasCounterCheck(cond) && cons && exits(cons)) return true;
      }
      for (const c of s.children) if (c.named) stack.push(c);
    }
    return false;
  }

  function hasCounterCheck(cond: AstNode): boolean {
    const stack = [cond];
    while (stack.length) {
      const c = stack.pop()!;
      if (c.type === 'comparison_operator' && c.children.some((x) => x.field === 'operators' && /^(<|<=|>|>=)$/.test(text(x)))) return true;
      if (c.type === 'call' && /^(range|time\.time|time\.monotonic)$/.test(text(field(c, 'function')!))) return true;
      for (const ch of c.children) if (ch.named) stack.push(ch);
    }
    return false;
  }

  function exits(block: AstNode): boolean {
    return block.children.some((s) => s.type === 'break_statement' || s.type === 'return_statement' || s.type === 'raise_statement');
  }

  function execStmt(s: AstNode, ctx: Ctx, depth: number): void {
    if (depth > MAX_DEPTH) return;
    switch (s.type) {
      case 'expression_statement': {
        for (const c of s.children) {
          if (!c.named) continue;
          if (c.type === 'assignment') execAssign(c, ctx);
          else if (c.type === 'augmented_assignment') {
            const left = field(c, 'left')!;
            const t = union(ev(left, ctx, 0), ev(field(c, 'right')!, ctx, 0));
            const p = pathOf(left);
            if (p) {
              const cur = ctx.scope.get(p);
              const right = field(c, 'right')!;
              const interpolated = cur?.type === 'str' || cur?.value?.type === 'string' || right.type === 'string' ? markInterpolated(t, right.type === 'string' ? right : c, ctx) : t;
              ctx.scope.set(p, { ...(cur ?? {}), taint: interpolated });
            } else bind(left, t, ctx, undefined);
          } else {
            ev(c, ctx, 0);
            // `validate(data)` / `jsonschema.validate(instance=data, ...)` as a statement vouches for its argument.
            if (c.type === 'call' && callSanitizer(qname(field(c, 'function')!, ctx.scope)) === 'all') sanitizeSubjects(c, ctx, 'all');
          }
        }
        return;
      }
      case 'return_statement': {
        const value = s.children.find((c) => c.named);
        if (ctx.fn.isGraphNode && value?.type === 'dictionary') stateReturn = value;
        const t = value ? ev(value, ctx, 0) : [];
        stateReturn = null;
        ctx.fn.returns = union(ctx.fn.returns, t);
        if (ctx.record) returns.push({ node: s, value, taint: t, fn: ctx.fn });
        return;
      }
      case 'if_statement': {
        const cond = field(s, 'condition')!;
        const t = ev(cond, ctx, 0);
        const cons = field(s, 'consequence');
        if (ctx.record) ifs.push({ node: s, condition: cond, taint: condTaint(cond, ctx), fn: ctx.fn, bodyStart: cons?.startIndex ?? s.startIndex, bodyEnd: cons?.endIndex ?? s.endIndex });
        void t;
        sanitizeSubjects(cond, ctx, 'all');
        execBlock(cons, ctx, depth);
        for (const alt of fields(s, 'alternative')) {
          if (alt.type === 'elif_clause') {
            const c2 = field(alt, 'condition')!;
            ev(c2, ctx, 0);
            const body = field(alt, 'consequence');
            if (ctx.record) ifs.push({ node: alt, condition: c2, taint: condTaint(c2, ctx), fn: ctx.fn, bodyStart: body?.startIndex ?? alt.startIndex, bodyEnd: body?.endIndex ?? alt.endIndex });
            sanitizeSubjects(c2, ctx, 'all');
            execBlock(body, ctx, depth);
          } else execBlock(field(alt, 'body'), ctx, depth);
        }
        return;
      }
      case 'match_statement': {
        // Each `case` is a branch on the subject, like an `if`/`elif` chain.
        const subject = field(s, 'subject');
        if (subject) ev(subject, ctx, 0);
        const body = field(s, 'body');
        for (const clause of body?.children ?? []) {
          if (clause.type !== 'case_clause') continue;
          const cons = field(clause, 'consequence');
          if (subject && ctx.record) ifs.push({ node: clause, condition: subject, taint: condTaint(subject, ctx), fn: ctx.fn, bodyStart: cons?.startIndex ?? clause.startIndex, bodyEnd: cons?.endIndex ?? clause.endIndex });
          execBlock(cons, ctx, depth);
        }
        return;
      }
      case 'for_statement': {
        const right = field(s, 'right')!;
        const t = ev(right, ctx, 0);
        const endless = right.type === 'call' && /^(itertools\.count|count|itertools\.cycle|cycle|iter)$/.test(plain(qname(field(right, 'function')!, ctx.scope)));
        const loop: LoopFact = { node: s, kind: 'for', unbounded: endless && !loopBounded(field(s, 'body'), undefined), modelControlled: false };
        bind(field(s, 'left')!, t, ctx, undefined);
        const inner: Ctx = { ...ctx, loops: [...ctx.loops, loop] };
        execBlock(field(s, 'body'), inner, depth);
        execBlock(field(s, 'body'), { ...inner, record: false }, depth);
        execBlock(field(s, 'alternative'), ctx, depth);
        return;
      }
      case 'while_statement': {
        const cond = field(s, 'condition')!;
        const ct = ev(cond, ctx, 0);
        const condText = text(cond).trim();
        const literalTrue = /^(True|1|not\s+False)$/.test(condText);
        const body = field(s, 'body');
        const bounded = loopBounded(body, cond);
        const loop: LoopFact = { node: s, kind: 'while', unbounded: !bounded && (literalTrue || !hasCounterCheck(cond)), modelControlled: ct.some((l) => l.kind === 'model') };
        const inner: Ctx = { ...ctx, loops: [...ctx.loops, loop] };
        // Twice, so values carried round the loop reach uses earlier in the body; facts once.
        execBlock(body, { ...inner, record: false }, depth);
        execBlock(body, inner, depth);
        execBlock(field(s, 'alternative'), ctx, depth);
        return;
      }
      case 'with_statement': {
        for (const c of s.children) {
          if (c.type !== 'with_clause') continue;
          for (const item of c.children) {
            if (item.type !== 'with_item') continue;
            const value = field(item, 'value')!;
            if (value.type === 'as_pattern') {
              const inner = value.children.find((x) => x.named)!;
              const t = ev(inner, ctx, 0);
              const alias = field(value, 'alias');
              const targetNode = alias?.children.find((x) => x.named) ?? alias;
              if (targetNode) bind(targetNode, t, ctx, inner);
            } else ev(value, ctx, 0);
          }
        }
        execBlock(field(s, 'body'), ctx, depth);
        return;
      }
      case 'try_statement':
        for (const c of s.children) {
          if (c.type === 'block') execBlock(c, ctx, depth);
          else if (c.type === 'except_clause' || c.type === 'else_clause' || c.type === 'finally_clause' || c.type === 'except_group_clause') {
            for (const b of c.children) if (b.type === 'block') execBlock(b, ctx, depth);
          }
        }
        return;
      case 'function_definition':
      case 'class_definition':
      case 'import_statement':
      case 'import_from_statement':
      case 'comment':
      case 'pass_statement':
      case 'break_statement':
      case 'continue_statement':
        return;
      case 'decorated_definition': {
        for (const c of s.children) if (c.type === 'decorator') ev(c.children.find((x) => x.named) ?? c, ctx, 0);
        return;
      }
      case 'block':
        execBlock(s, ctx, depth);
        return;
      default:
        for (const c of s.children) {
          if (!c.named) continue;
          if (c.type === 'block') execBlock(c, ctx, depth);
          else if (/_statement$|_clause$|^case_clause$/.test(c.type)) execStmt(c, ctx, depth + 1);
          else ev(c, ctx, 0);
        }
    }
  }

  /** A condition's taint, without the cleaning a membership test gives the subject afterwards. */
  function condTaint(cond: AstNode, ctx: Ctx): Label[] {
    const stack = [cond];
    let out: Label[] = [];
    let guard = 0;
    while (stack.length && guard++ < 500) {
      const c = stack.pop()!;
      if (c.type === 'identifier' || c.type === 'attribute' || c.type === 'call' || c.type === 'subscript') {
        out = union(out, ev(c, { ...ctx, record: false }, 0));
        continue;
      }
      for (const ch of c.children) if (ch.named) stack.push(ch);
    }
    return out;
  }

  function execAssign(a: AstNode, ctx: Ctx) {
    const left = field(a, 'left')!;
    const right = field(a, 'right');
    if (!right) return;
    const t = ev(right, ctx, 0);
    if (right.type === 'call' && ctx.record) {
      const last = ctx.fn.calls[ctx.fn.calls.length - 1];
      if (last && last.node === right) last.assignedTo = pathOf(left) ?? undefined;
    }
    if (ctx.record && (left.type === 'identifier' || left.type === 'attribute')) assigns.push({ node: a, target: text(left), value: right, fn: ctx.fn });
    // A system prompt is sensitive in itself: track it so returning or logging it is seen.
    const sys = (left.type === 'identifier' || left.type === 'attribute') && SYSTEM_PROMPT_NAME.test(lastName(left) ?? '') && (right.type === 'string' || right.type === 'concatenated_string' || right.type === 'binary_operator');
    bind(left, sys ? union(t, [{ kind: 'sysprompt', line: a.line, what: `the system prompt ${text(left)}` }]) : t, ctx, right);
  }

  // ---- Functions -------------------------------------------------------------------------------
  function readSignatures() {
    for (const fn of functions) {
      const node = fn.node;
      const deco = node.parent?.type === 'decorated_definition' ? node.parent.children.filter((c) => c.type === 'decorator') : [];
      for (const dnode of deco) {
        const expr = dnode.children.find((c) => c.named)!;
        const callee = expr.type === 'call' ? field(expr, 'function')! : expr;
        const q = qname(callee, new Scope(null));
        const objName = callee.type === 'attribute' ? rootName(callee) : undefined;
        fn.decorators.push({ qname: q, node: dnode, receiverType: objName ? moduleTypeGuess(objName) : undefined });
      }
      const params = field(node, 'parameters');
      if (params) {
        for (const p of params.children) {
          if (!p.named) continue;
          let nameNode: AstNode | undefined;
          let annotation: string | undefined;
          let dflt: AstNode | undefined;
          if (p.type === 'identifier') nameNode = p;
          else if (p.type === 'typed_parameter') {
            nameNode = p.children.find((c) => c.type === 'identifier');
            const ty = field(p, 'type');
            annotation = ty ? text(ty) : undefined;
          } else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
            nameNode = field(p, 'name');
            const ty = field(p, 'type');
            annotation = ty ? text(ty) : undefined;
            dflt = field(p, 'value');
          } else if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') {
            nameNode = p.children.find((c) => c.type === 'identifier');
          }
          if (nameNode) fn.params.push({ name: text(nameNode), node: p, annotation, default: dflt });
        }
      }
      fn.isHandler = fn.decorators.some((dd) => isRouteDecorator(dd.qname));
      fn.isTool =
        fn.decorators.some((dd) => isToolDecorator(dd.qname, dd.receiverType)) ||
        (fn.className !== null && /^(_run|_arun|run|arun|forward|__call__|call)$/.test(fn.name) && fn.classBases.some((b) => TOOL_BASE_CLASS.test(resolveImport(b))));
    }
  }

  /** Before any flow runs, a module-level `mcp = FastMCP(...)` already tells what `@mcp.tool` means. */
  function moduleTypeGuess(name: string): string | undefined {
    if (!moduleCtors) {
      moduleCtors = new Map();
      for (const s of file.root.children) {
        if (s.type !== 'expression_statement') continue;
        const a = s.children[0];
        if (a?.type !== 'assignment') continue;
        const l = field(a, 'left');
        const r = field(a, 'right');
        if (l && r && r.type === 'call' && !moduleCtors.has(text(l))) moduleCtors.set(text(l), resolveImport(text(field(r, 'function')!)));
      }
    }
    return moduleCtors.get(name);
  }

  // Functions handed to tool wrappers or agents' `tools=[...]` lists are tools too.
  function findToolFunctions() {
    for (const n of walkOrder(file, ['dictionary', 'call'], 500000)) {
      if (n.type === 'dictionary') {
        // `{"get_weather": get_weather, ...}`: a dispatch table the model's tool calls are routed through.
        const values = n.children.filter((p) => p.type === 'pair').map((p) => ({ k: field(p, 'key')!, v: field(p, 'value')! }));
        if (values.length && values.every((e) => e.k.type === 'string' && e.v.type === 'identifier')) for (const e of values) dispatchNames.add(text(e.v));
      }
      if (n.type !== 'call') continue;
      const fnText = text(field(n, 'function')!);
      if (fnText.endsWith('.add_argument')) {
        // argparse with `choices=` or a numeric `type=` only ever yields allowed values.
        const argList = field(n, 'arguments');
        const items = argList?.children ?? [];
        const restricted = items.some((a) => a.type === 'keyword_argument' && (text(field(a, 'name')!) === 'choices' || (text(field(a, 'name')!) === 'type' && /^(int|float)$/.test(text(field(a, 'value')!)))));
        const dest = items.find((a) => a.type === 'keyword_argument' && text(field(a, 'name')!) === 'dest');
        const flags = items.filter((a) => a.type === 'string').map((a) => text(a).replace(/^["']|["']$/g, ''));
        const flag = flags.find((f) => f.startsWith('--')) ?? flags[0];
        const name = dest ? text(field(dest, 'value')!).replace(/^["']|["']$/g, '') : flag ? flag.replace(/^-+/, '').replace(/-/g, '_') : undefined;
        if (restricted && name) restrictedArgs.add(name);
      }
      const argList = field(n, 'arguments');
      if (!argList) continue;
      // What the callee is decides how every argument is read: test it once per call.
      const paren = fnText.indexOf('(');
      const callee = resolveImport(paren < 0 ? fnText : fnText.slice(0, paren));
      const addsNode = callee.endsWith('.add_node');
      // UI callbacks (Gradio, Chainlit-style) receive what the user typed.
      const uiCallback = /^(gradio\.(Interface|ChatInterface)|gr\.(Interface|ChatInterface))$|\.(click|submit|change|input)$/.test(callee);
      const wrapsTool = TOOL_WRAPPERS.test(callee);
      for (const a of argList.children) {
        const isKw = a.type === 'keyword_argument';
        const kw = isKw ? text(field(a, 'name')!) : '';
        const value = isKw ? field(a, 'value') : a;
        if (!value) continue;
        if (addsNode && !isKw && value.type === 'identifier') graphNodes.add(text(value));
        if (uiCallback && (!isKw || kw === 'fn') && value.type === 'identifier') uiHandlers.add(text(value));
        if ((wrapsTool && (!isKw || /^(func|fn|function|coroutine|f)$/.test(kw)) && value.type === 'identifier') || ((kw === 'tools' || kw === 'functions') && value.type === 'list')) {
          const items = value.type === 'list' ? value.children.filter((c) => c.type === 'identifier') : [value];
          for (const it of items) toolNames.add(text(it));
        }
      }
    }
    const callsModels = [...modules].some((m) => frameworkOfModule(m) !== null);
    for (const fn of functions) {
      if (!fn.className && toolNames.has(fn.name)) fn.isTool = true;
      if (!fn.className && callsModels && dispatchNames.has(fn.name) && localFunctions.has(fn.name)) fn.isTool = true;
      if (!fn.className && uiHandlers.has(fn.name)) fn.isHandler = true;
      if (!fn.className && graphNodes.has(fn.name)) fn.isGraphNode = true;
    }
  }


  /**
   * `RoutingContext(subject=ticket.subject)`: what a generated constructor receives, its methods
   * read as `self.subject`. Instances share one class scope, as they do for `__init__`.
   */
  function constructFields(name: string, args: ArgFact[]) {
    const fieldNames = fieldClasses.get(name);
    if (!fieldNames) return;
    let scope = classScopes.get(name);
    for (const a of args) {
      const f = a.name ?? (a.index >= 0 ? fieldNames[a.index] : undefined);
      // A caller's parameters mean nothing inside the class; only what the value is stays.
      const t = f ? a.taint.filter((l) => l.kind !== 'param') : [];
      if (!t.length) continue;
      if (!scope) classScopes.set(name, (scope = new Scope(null)));
      const key = `self.${f}`;
      const cur = scope.vars.get(key);
      scope.vars.set(key, { ...cur, taint: union(cur?.taint ?? [], t) });
    }
  }

  /** Functions that build a field class with arguments: run silently first so its methods see the fields. */
  function fieldClassBuilders(): FunctionFact[] {
    for (const [name, cls] of classes) {
      if (functions.some((f) => f.className === name && f.name === '__init__')) continue;
      if (!functions.some((f) => f.className === name && f.name !== '__init__')) continue;
      const body = field(cls.node, 'body');
      const names: string[] = [];
      for (const st of body?.children ?? []) {
        const a = st.type === 'expression_statement' ? st.children[0] : undefined;
        const left = a?.type === 'assignment' ? field(a, 'left') : undefined;
        if (left?.type === 'identifier' && field(a!, 'type')) names.push(text(left));
      }
      if (names.length) fieldClasses.set(name, names);
    }
    if (!fieldClasses.size) return [];
    return functions.filter((fn) => {
      let builds = false;
      eachOwnCall(fn, (n) => {
        const f = field(n, 'function');
        if (f?.type === 'identifier' && fieldClasses.has(text(f))) builds = true;
      });
      return builds;
    });
  }

  /** What other graph nodes wrote under `key`, when `obj` is this node's state parameter. */
  function stateRead(ctx: Ctx, obj: AstNode, key: AstNode | undefined): Label[] | undefined {
    if (!ctx.fn.isGraphNode || !stateWrites.size || key?.type !== 'string' || obj.type !== 'identifier' || text(obj) !== ctx.fn.params[0]?.name) return undefined;
    return stateWrites.get(stringValue(key));
  }

  function addStateWrite(key: string, t: Label[]) {
    const outside = t.filter((l) => STATE_CARRIED.has(l.kind));
    if (outside.length) stateWrites.set(key, union(stateWrites.get(key) ?? [], outside));
  }

  /** FastAPI `req: ChatRequest`: a body model named like the request object is still client data. */
  function isBodyModel(p: ParamFact): boolean {
    return /^(request|req)$/.test(p.name) && !!p.annotation && /^[A-Z]\w*$/.test(p.annotation) && !/(^|\.)(Request|HttpRequest|WebSocket)$/.test(p.annotation);
  }

  function runFunction(fn: FunctionFact, record: boolean) {
    let classScope: Scope | null = null;
    if (fn.className) {
      classScope = classScopes.get(fn.className) ?? new Scope(null);
      classScopes.set(fn.className, classScope);
    }
    const parentScope = (fn.parent && fnScopes.get(fn.parent)) || moduleScope;
    const scope = new Scope(parentScope, classScope);
    fnScopes.set(fn, scope);
    fn.calls = [];
    fn.returns = [];
    fn.calledNames = new Set();
    fn.params.forEach((p, i) => {
      const labels: Label[] = [{ kind: 'param', line: p.node.line, what: p.name, param: i }];
      const isSelf = i === 0 && fn.className !== null && (p.name === 'self' || p.name === 'cls');
      const dependency = p.default && /Depends\(|Security\(/.test(text(p.default));
      if (!isSelf && !dependency) {
        if (fn.isTool) labels.push({ kind: 'model', line: p.node.line, what: `tool argument '${p.name}' (chosen by the model)`, toolArg: true });
        else if (fn.isGraphNode && p.name !== 'config' && p.name !== 'runtime') labels.push({ kind: 'model', line: p.node.line, what: `graph state '${p.name}' (messages and model outputs)` });
        else if (fn.isHandler && (!/^(request|req|self|cls|db|session|background_tasks|response)$/.test(p.name) || isBodyModel(p))) labels.push({ kind: 'user', line: p.node.line, what: `request parameter '${p.name}'` });
      }
      const type = p.annotation && /^[A-Z]\w*$/.test(p.annotation) ? resolveImport(p.annotation) : undefined;
      scope.set(p.name, { taint: labels, type });
      // OpenAI Agents: `ctx: RunContextWrapper[Brief]` hands the run's context object as `ctx.context`.
      const wrapped = p.annotation ? /^(?:agents\.)?RunContextWrapper\[(\w+)\]$/.exec(p.annotation) : null;
      if (wrapped && classes.has(wrapped[1])) scope.set(`${p.name}.context`, { taint: [], type: wrapped[1] });
    });
    const ctx: Ctx = { fn, loops: [], scope, record };
    execBlock(field(fn.node, 'body'), ctx, 0);
    summaries.set(fn, fn.returns);
  }

  /**
   * One recorded pass. Module-level assignments run first (without facts) so functions see
   * globals; functions run callees first so callers find return summaries; the module body runs
   * last, seeing every summary.
   */
  function runAll() {
    const pre: Ctx = { fn: moduleFn, loops: [], scope: moduleScope, record: false };
    for (const s of file.root.children) {
      if (s.type === 'expression_statement' && s.children[0]?.type === 'assignment') execStmt(s, pre, 0);
    }
    // Class bodies hold attribute assignments (`llm = ChatOpenAI()`), run them as module code.
    for (const [, cls] of classes) {
      const body = field(cls.node, 'body');
      if (body) execBlock(body, pre, 0);
    }
    for (const fn of fieldClassBuilders()) runFunction(fn, false);
    // Graph nodes talk through the state: a first, silent pass learns what each key carries.
    if (graphNodes.size) for (const fn of functions) if (fn.isGraphNode) runFunction(fn, false);
    for (const fn of calleeFirst()) runFunction(fn, true);
    // Streamlit reruns the script on every interaction and session_state survives the rerun:
    // state written at the bottom is read at the top on the next run.
    if (modules.has('streamlit')) execBlock(file.root, pre, 0);
    moduleFn.calls = [];
    moduleFn.calledNames = new Set();
    execBlock(file.root, { fn: moduleFn, loops: [], scope: moduleScope, record: true }, 0);
  }

  /** Constructors first (they set `self.x`), then a post-order walk of the local call graph. */
  /** The calls in `fn`'s own body (not in nested functions or classes), in walk order. */
  function eachOwnCall(fn: FunctionFact, visit: (call: AstNode) => void) {
    // Below the walk's guard (100,000 nodes per function) the index finds the same calls in the same order.
    const byOwner = file.postorder && file.nodeCount < 100000 ? walkOrderByOwner(file, ['call'], ['function_definition', 'class_definition']) : null;
    if (byOwner) {
      for (const n of byOwner.get(fn.node) ?? []) visit(n);
      return;
    }
    const stack = [...fn.node.children];
    let guard = 0;
    while (stack.length && guard++ < 100000) {
      const n = stack.pop()!;
      if (n.type === 'function_definition' || n.type === 'class_definition') continue;
      if (n.type === 'call') visit(n);
      for (const c of n.children) if (c.named) stack.push(c);
    }
  }

  function calleeFirst(): FunctionFact[] {
    const callees = new Map<FunctionFact, FunctionFact[]>();
    const callOf = (fn: FunctionFact, out: FunctionFact[], n: AstNode) => {
      const f = field(n, 'function');
      const name = f?.type === 'identifier' ? text(f) : f?.type === 'attribute' ? text(field(f, 'attribute')!) : '';
      for (const cand of localFunctions.get(name) ?? []) if (cand !== fn && (f?.type === 'attribute' || cand.className === null)) out.push(cand);
    };
    for (const fn of functions) {
      const out: FunctionFact[] = [];
      eachOwnCall(fn, (n) => callOf(fn, out, n));
      callees.set(fn, out);
    }
    const order: FunctionFact[] = [];
    const seen = new Set<FunctionFact>();
    const visit = (root: FunctionFact) => {
      // Iterative post-order: deep call chains must not overflow the stack either.
      const stack: [FunctionFact, number][] = [[root, 0]];
      seen.add(root);
      while (stack.length) {
        const top = stack[stack.length - 1];
        const next = callees.get(top[0])![top[1]++];
        if (next === undefined) {
          order.push(top[0]);
          stack.pop();
        } else if (!seen.has(next)) {
          seen.add(next);
          stack.push([next, 0]);
        }
      }
    };
    for (const fn of functions) if (fn.name === '__init__' && !seen.has(fn)) visit(fn);
    for (const fn of functions) if (!seen.has(fn)) visit(fn);
    return order;
  }


  // ---- Parameter resolution --------------------------------------------------------------------
  function argForParam(fn: FunctionFact, call: CallFact, index: number): ArgFact | undefined {
    const p = fn.params[index];
    if (!p) return undefined;
    const kw = call.args.find((a) => a.name === p.name);
    if (kw) return kw;
    const offset = fn.className && fn.params[0] && (fn.params[0].name === 'self' || fn.params[0].name === 'cls') && call.receiver ? 1 : 0;
    return call.args.find((a) => a.index === index - offset);
  }

  function resolveParams() {
    const all = [moduleFn, ...functions];
    const callers = callersOf(all);
    for (let round = 0; round < 3; round++) {
      const incoming = incomingLabels(functions, callers, argForParam);
      // A function whose callers pass no concrete taint (most have no caller in the file) keeps
      // its facts as they are: substitution would only copy them.
      const receives = new Set<FunctionFact>();
      for (const [fn, per] of incoming) if (per.some((labels) => labels.some((l) => l.kind !== 'param'))) receives.add(fn);
      let substituted = false;
      const subst = (labels: Label[], fn: FunctionFact): Label[] => {
        if (!labels.some((l) => l.kind === 'param')) return labels;
        const per = incoming.get(fn);
        if (per && !receives.has(fn)) return labels;
        const out: Label[] = [];
        for (const l of labels) {
          if (l.kind !== 'param') out.push(l);
          else if (per) {
            // Keep the symbolic label: a later round may resolve it further up the call chain.
            out.push(l);
            for (const a of per[l.param!] ?? []) {
              if (a.kind === 'param') continue;
              out.push(substitute(l, a));
              substituted = true;
            }
          }
        }
        return union(out);
      };
      substituteFacts({ functions: all, messages, ifs, returns }, subst);
      // Nothing resolved this round, so the next would see the same incoming taint.
      if (!substituted) break;
    }
  }

  return function analyse(parsed: ParsedFile): PyModel {
    file = parsed;
    src = parsed.source;
    imports = new Map();
    moduleNames = new Set();
    modules = new Set();
    frameworks = new Set();
    classes = new Map();
    strings = [];
    functions = [];
    toolNames = new Set();
    uiHandlers = new Set();
    graphNodes = new Set();
    stateWrites = new Map();
    stateReturn = null;
    fieldClasses = new Map();
    dispatchNames = new Set();
    restrictedArgs = new Set();
    envReads = 0;
    moduleCtors = null;
    moduleFn = makeFn('<module>', file.root, null, true);
    fnNodes = new Map();
    summaries = new Map();
    messages = [];
    ifs = [];
    returns = [];
    assigns = [];
    classScopes = new Map();
    moduleScope = new Scope(null);
    fnScopes = new Map();
    try {
      prePass();
      for (const mod of modules) {
        const fw = frameworkOfModule(mod);
        if (fw) frameworks.add(fw);
      }
      localFunctions = new Map();
      for (const fn of functions) {
        const list = localFunctions.get(fn.name) ?? [];
        list.push(fn);
        localFunctions.set(fn.name, list);
      }
      readSignatures();
      findToolFunctions();
      runAll();
      resolveParams();
      const calls = [moduleFn, ...functions].flatMap((f) => f.calls).sort((a, b) => a.node.startIndex - b.node.startIndex);
      const source = src;
      const model: PyModel = { file, imports, modules, frameworks, module: moduleFn, functions, calls, messages, ifs, returns, assigns, strings, classes, text: (n: AstNode) => source.slice(n.startIndex, n.endIndex), line: lineReader(source), envReads };
      return model;
    } finally {
      // Hold no file between calls: the returned model is the only reference to its facts.
      file = undefined as never;
      src = '';
      imports = moduleNames = modules = frameworks = classes = strings = functions = undefined as never;
      toolNames = uiHandlers = graphNodes = dispatchNames = restrictedArgs = undefined as never;
      stateWrites = fieldClasses = undefined as never;
      moduleCtors = null;
      moduleFn = fnNodes = localFunctions = summaries = undefined as never;
      messages = ifs = returns = assigns = undefined as never;
      classScopes = moduleScope = fnScopes = undefined as never;
    }
  };

  function stringValue(n: AstNode): string {
    // Every string literal in the file passes through here: concatenate without temporary arrays.
    let value = '';
    for (const c of n.children) if (c.type === 'string_content') value += src.slice(c.startIndex, c.endIndex);
    return value;
  }
}

/** `line(n)`: the text of 1-based line n, with the line index built on first use. */
export function lineReader(src: string): (n: number) => string {
  let lineStarts: number[] | null = null;
  return (n: number): string => {
    if (!lineStarts) {
      lineStarts = [0];
      for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) lineStarts.push(i + 1);
    }
    const start = lineStarts[n - 1];
    if (start === undefined) return '';
    const end = n < lineStarts.length ? lineStarts[n] - 1 : src.length;
    return src.slice(start, end);
  };
}

function normaliseRole(role: string): string {
  if (role === 'human') return 'user';
  if (role === 'ai') return 'assistant';
  if (role === 'developer') return 'system';
  return role;
}

function isSecretKey(name: string): boolean {
  return /(password|passwd|api_key|secret|token)/i.test(name);
}

function shortCallee(callee: string): string {
  const flat = callee.replace(/\(\)/g, '');
  const parts = flat.split('.');
  return parts.slice(-3).join('.');
}

/** The string value of a string literal node (without interpolations). */
export function literalString(model: PyModel, n: AstNode | undefined): string | undefined {
  if (!n || n.type !== 'string') return undefined;
  return n.children.filter((c) => c.type === 'string_content').map(model.text).join('');
}
