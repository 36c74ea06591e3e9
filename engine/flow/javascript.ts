/**
 * Taint tracking over a JavaScript/TypeScript syntax tree, producing the same facts as the Python
 * engine (calls with argument taint, chat messages by role, tool and handler functions, returns,
 * conditions, loops) so that rules written against those facts run on both languages. A single
 * object-literal argument is the JS spelling of keyword arguments: its properties are recorded as
 * named arguments (`openai.chat.completions.create({model, messages})`).
 *
 * Flow inside a function is ordered and path-insensitive. Closures read the enclosing function's
 * final variables; the whole file runs twice (the first pass silently) so every call site sees
 * the return summary of local functions wherever they are defined, and parameters of local
 * functions are resolved from their call sites afterwards, as in the Python engine.
 */
import { field, type AstNode, type ParsedFile } from '../parse/index.js';
import { DIRECTIVE_TEXT, INSTRUCTS_TEXT, interpolate, sanitize, substitute, union, type Label, type SanitizedFor } from './labels.js';
import { callersOf, incomingLabels, substituteFacts } from './params.js';
import type { ArgFact, AssignFact, CallFact, FunctionFact, IfFact, LoopFact, MessageFact, ParamFact, PyModel, ReturnFact, StringFact } from './python.js';
import { lineReader, SYSTEM_PROMPT_NAME } from './python.js';
import { lastSegment, plain, type ModelCallShape } from '../frameworks/python.js';
import {
  envSource,
  frameworkOfPackage,
  HTTP_APP_NAME,
  HTTP_VERBS,
  JS_INSTRUCTION_OPTIONS,
  JS_MESSAGE_CLASSES,
  jsCallSource,
  jsModelCallShape,
  jsSanitizer,
  LANGCHAIN_TOOL_FN,
  MCP_SERVER_NAME,
  MCP_SERVER_TYPE,
  NEXT_ROUTE_EXPORTS,
  NOT_CLIENT_PARAM,
  REQUEST_METHODS,
  REQUEST_NAME,
  REQUEST_PROPS,
  TOOL_CLASSES,
  TOOL_OPTION_WRAPPERS,
  USER_AUTHORED_FIELD,
} from '../frameworks/javascript.js';

export type JsLanguage = 'javascript' | 'typescript';

/** AWS Bedrock: `client.send(new ConverseCommand({ messages }))` runs the model named in the command. */
function bedrockShape(name: string, args: ArgFact[], text: (n: AstNode) => string): ModelCallShape | null {
  if (name !== 'send') return null;
  const first = args.find((a) => a.index === 0)?.node;
  const ctor = first?.type === 'new_expression' ? field(first, 'constructor') : undefined;
  if (!ctor || !/^(Converse|ConverseStream|InvokeModel|InvokeModelWithResponseStream)Command$/.test(text(ctor))) return null;
  return { kind: 'model', promptKeywords: ['messages', 'system', 'body'], promptPositional: [0] };
}

/**
 * Workers AI: `env.AI.run('@cf/meta/llama-3.1-8b-instruct', { messages })` runs a model; embedding
 * models (`@cf/baai/bge-*`) return vectors, not text.
 */
function workersAiShape(name: string, receiver: string, args: ArgFact[], text: (n: AstNode) => string): ModelCallShape | null {
  if (name !== 'run' || !/(^|\.)AI$/.test(receiver)) return null;
  const model = args.find((a) => a.index === 0);
  if (model && /bge|embed|e5-|gte-|clip|whisper|resnet/i.test(text(model.node))) return null;
  return { kind: 'model', promptKeywords: ['prompt', 'messages'], promptPositional: [] };
}

/** The object `export default { fetch() {...} }` of a Worker or a Bun/Deno server. */
function workerEntry(n: AstNode): boolean {
  const obj = n.type === 'method_definition' ? n.parent : n.parent?.type === 'pair' ? n.parent.parent : null;
  return !!obj && obj.type === 'object' && (obj.parent?.type === 'export_statement' || (obj.parent?.type === 'satisfies_expression' && obj.parent.parent?.type === 'export_statement'));
}

/** Options of model calls that receive the model's answer: AI SDK `onFinish`/`onStepFinish`/`onChunk`, LangChain `handleLLMEnd`. */
const MODEL_CALLBACKS = /^(onFinish|onStepFinish|onChunk|onEnd|onResponse|onComplete|onToolCall|handleLLMEnd|experimental_onToolCallFinish)$/;
const FUNCTION_TYPES = new Set(['function_declaration', 'generator_function_declaration', 'function_expression', 'function', 'generator_function', 'arrow_function', 'method_definition']);
const TYPE_WRAPPERS = new Set(['as_expression', 'satisfies_expression', 'non_null_expression', 'type_assertion', 'parenthesized_expression', 'await_expression']);
/** Globals whose functions build their result from their arguments. */
const GLOBAL_MODULES = new Set(['JSON', 'Object', 'Array', 'String', 'Promise', 'Buffer', 'util', 'path', 'url', 'querystring', 'Reflect', 'structuredClone', 'console']);
const MUTATORS = new Set(['push', 'unshift', 'set', 'add', 'append', 'splice', 'write']);
const COMBINING = new Set(['concat', 'replace', 'replaceAll', 'padStart', 'padEnd', 'assign']);
const ROLE_NAMES = new Set(['system', 'user', 'human', 'assistant', 'ai', 'developer', 'tool', 'function']);
const FENCE_WORDS = /(untrusted|do not follow|don't follow|ignore any instructions|treat (it|them|this|the \w+) as (data|content|text)|as data only|<\/?(document|documents|context|data|untrusted|input|user_input|content|retrieved|search_results|email|page)>)/i;
const PII_PROP = /^(password|passwd|ssn|socialSecurityNumber|social_security_number|creditCard|credit_card|cardNumber|card_number|cvv|dateOfBirth|dob|medicalRecord|diagnosis|bankAccount|iban|apiKey|api_key|secretKey|secret_key|accessToken|access_token|passwordHash|password_hash)$/;
const SECRET_PROP = /(password|passwd|api_?key|secret|token)/i;
const MAX_DEPTH = 150;

interface VarInfo {
  taint: Label[];
  type?: string;
  value?: AstNode;
}

class Scope {
  vars = new Map<string, VarInfo>();
  /** Called when a nested function writes one of this scope's variables. */
  onInnerWrite: (() => void) | null = null;
  /** Writes a nested function made to this scope's variables, kept for the next pass's declarations. */
  closureWrites: Map<string, Label[]> | null = null;
  constructor(readonly parent: Scope | null) {}
  get(name: string): VarInfo | undefined {
    return this.vars.get(name) ?? this.parent?.get(name);
  }
  set(name: string, info: VarInfo, fromInner = false): void {
    // Assigning a variable declared further out updates it there: closures share variables.
    if (!this.vars.has(name) && this.parent?.has(name)) this.parent.set(name, info, true);
    else {
      this.vars.set(name, info);
      if (fromInner && info.taint.length) {
        this.closureWrites ??= new Map();
        const before = this.closureWrites.get(name);
        const after = union(before, info.taint);
        if (after.length !== (before?.length ?? 0)) {
          this.closureWrites.set(name, after);
          this.onInnerWrite?.();
        }
      }
    }
  }
  declare(name: string, info: VarInfo): void {
    this.vars.set(name, info);
  }
  has(name: string): boolean {
    return this.vars.has(name) || !!this.parent?.has(name);
  }
}

interface Ctx {
  fn: FunctionFact;
  loops: LoopFact[];
  scope: Scope;
  record: boolean;
}

const snakeCache = new Map<string, string>();

/** `maxOutputTokens` -> `max_output_tokens`: JS names read with the Python tables. Names repeat, so results are cached. */
/** What a tool dispatcher switches on: `call.function.name`, `block.name`, `toolName`, `part.toolName`. */
const TOOL_NAME_SUBJECT = /(^|\.)(function\.name|toolName|tool_name|name)$/;

export function snakeCase(name: string): string {
  let hit = snakeCache.get(name);
  if (hit === undefined) {
    hit = /[A-Z]/.test(name) ? name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase() : name;
    if (snakeCache.size > 50_000) snakeCache.clear();
    snakeCache.set(name, hit);
  }
  return hit;
}

export function analyseJavaScript(file: ParsedFile, language: JsLanguage): PyModel {
  return javaScriptAnalyser(file, language);
}

/**
 * One set of analysis closures for the process, as in the Python flow: V8 compiles and optimises them
 * once rather than for every file. Per-file state lives in the `let`s below, set at the start of each
 * call and dropped at the end. Not reentrant: one file at a time (the analysis is synchronous).
 */
const javaScriptAnalyser = createJavaScriptAnalyser();

function createJavaScriptAnalyser(): (file: ParsedFile, language: JsLanguage) => PyModel {
  let file!: ParsedFile;
  let language!: JsLanguage;
  let src = '';
  const text = (n: AstNode) => src.slice(n.startIndex, n.endIndex);

  let imports!: Map<string, string>;
  let moduleNames!: Set<string>;
  let modules!: Set<string>;
  let frameworks!: Set<string>;
  let classes!: Map<string, { node: AstNode; bases: string[] }>;
  let strings!: StringFact[];
  let functions!: FunctionFact[];
  let fnByNode!: Map<AstNode, FunctionFact>;
  let messages!: MessageFact[];
  let ifs!: IfFact[];
  let returns!: ReturnFact[];
  let assigns!: AssignFact[];
  let synthetic!: CallFact[];
  /** Taint of each property value of the object literal evaluated last: options objects are read again as keyword arguments. */
  let propTaint!: Map<AstNode, Label[]>;
  let messageNodes!: Set<AstNode>;
  let callByNode!: Map<AstNode, CallFact>;
  /** React `const [x, setX] = useState()`: calling `setX(v)` writes `x`. */
  let stateSetters!: Map<string, string>;
  /** Labels the parameters of an inline callback receive from the call that takes it. */
  let callbackTaint!: Map<AstNode, Label[]>;
  /** Functions every parameter of which is client data (server actions, tRPC inputs). */
  let allParamsUser!: Set<FunctionFact>;
  let botHandlers!: Set<FunctionFact>;
  let unsummarisedInline!: Set<FunctionFact>;
  let convexHandlers!: Set<FunctionFact>;
  let envReads = 0;
  let moduleFn!: FunctionFact;
  let promisified!: Map<string, string>;
  let useServerFile = false;
  let localFunctions!: Map<string, FunctionFact[]>;
  let moduleCtors!: Map<string, string>;
  let summaries!: Map<FunctionFact, Label[]>;
  let moduleScope!: Scope;
  let fnScopes!: Map<FunctionFact, Scope>;
  let classScopes!: Map<string, Scope>;
  let ran!: Set<FunctionFact>;
  let stale!: Set<FunctionFact>;

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

  const stringValue = (n: AstNode): string => n.children.filter((c) => c.type === 'string_fragment' || c.type === 'escape_sequence').map(text).join('');
  /**
   * The function a call runs. tree-sitter-typescript reads `await c.req.json<T>()` as a call of
   * `await c.req.json` with type arguments; the awaited member is the function.
   */
  const calleeOf = (n: AstNode): AstNode | undefined => {
    const f = field(n, 'function');
    if (f?.type === 'await_expression' && field(n, 'type_arguments')) return f.children.find((c) => c.named) ?? f;
    return f;
  };
  const unwrap = (n: AstNode): AstNode => {
    let cur = n;
    for (let i = 0; i < 20 && TYPE_WRAPPERS.has(cur.type) && cur.type !== 'await_expression'; i++) {
      const inner = cur.children.find((c) => c.named);
      if (!inner) break;
      cur = inner;
    }
    return cur;
  };

  function functionName(node: AstNode): string {
    const own = field(node, 'name');
    if (own) return text(own);
    const p = node.parent;
    if (p?.type === 'variable_declarator') {
      const n = field(p, 'name');
      if (n) return text(n);
    }
    if (p?.type === 'pair') {
      const k = field(p, 'key');
      if (k) return k.type === 'string' ? stringValue(k) : text(k);
    }
    if (p?.type === 'assignment_expression') {
      const l = field(p, 'left');
      if (l) return text(l).split('.').pop()!;
    }
    return '<anonymous>';
  }

  const resolveImport = (name: string) => imports.get(name) ?? name;

  // ---- Names and types -------------------------------------------------------------------------
  function qname(n: AstNode, scope: Scope, depth = 0): string {
    if (depth > 40) return '?';
    switch (n.type) {
      case 'identifier': {
        const name = text(n);
        if (promisified.has(name)) return resolveImport(name);
        const v = scope.get(name);
        if (v?.type) return `${v.type}()`;
        return resolveImport(name);
      }
      case 'this':
        return 'this';
      case 'member_expression': {
        const obj = field(n, 'object')!;
        const prop = field(n, 'property');
        const propText = prop ? text(prop) : '?';
        if (obj.type === 'this') {
          const v = scope.get(`this.${propText}`);
          if (v?.type) return `${v.type}()`;
          return `this.${propText}`;
        }
        return `${qname(obj, scope, depth + 1)}.${propText}`;
      }
      case 'call_expression':
        return `${qname(calleeOf(n)!, scope, depth + 1)}()`;
      case 'new_expression':
        return `${qname(field(n, 'constructor')!, scope, depth + 1)}()`;
      case 'subscript_expression':
        return `${qname(field(n, 'object')!, scope, depth + 1)}[]`;
      case 'string':
      case 'template_string':
        return 'str';
      default:
        if (TYPE_WRAPPERS.has(n.type)) {
          const inner = n.children.find((c) => c.named);
          return inner ? qname(inner, scope, depth + 1) : '?';
        }
        return '?';
    }
  }

  function typeOf(n: AstNode, scope: Scope, depth = 0): string | undefined {
    if (depth > 40) return undefined;
    switch (n.type) {
      case 'identifier':
        return scope.get(text(n))?.type;
      case 'member_expression': {
        const p = pathOf(n);
        return p ? scope.get(p)?.type : undefined;
      }
      case 'new_expression':
        return plain(qname(field(n, 'constructor')!, scope));
      case 'call_expression': {
        const f = field(n, 'function')!;
        if (f.type === 'identifier' && text(f) === 'require') {
          const arg = field(n, 'arguments')?.children.find((c) => c.named);
          return arg?.type === 'string' ? stringValue(arg) : undefined;
        }
        if (f.type === 'member_expression') {
          const method = text(field(f, 'property')!);
          // `prompt.pipe(model).pipe(parser)` is a LangChain runnable sequence: invoking it runs the model.
          if (method === 'pipe') return 'runnable';
          if (/^(bindTools|withStructuredOutput|withConfig|withRetry|bind|withFallbacks)$/.test(method)) return typeOf(field(f, 'object')!, scope, depth + 1) ?? plain(qname(f, scope));
        }
        return plain(qname(f, scope));
      }
      case 'string':
      case 'template_string':
        return 'str';
      default:
        if (TYPE_WRAPPERS.has(n.type)) {
          const inner = n.children.find((c) => c.named);
          return inner ? typeOf(inner, scope, depth + 1) : undefined;
        }
        return undefined;
    }
  }

  function rootName(n: AstNode): string | undefined {
    let cur: AstNode | undefined = n;
    for (let i = 0; cur && i < 50; i++) {
      if (cur.type === 'identifier') return text(cur);
      if (cur.type === 'this') return 'this';
      if (cur.type === 'member_expression' || cur.type === 'subscript_expression') cur = field(cur, 'object');
      else if (cur.type === 'call_expression') cur = field(cur, 'function');
      else if (TYPE_WRAPPERS.has(cur.type)) cur = cur.children.find((c) => c.named);
      else return undefined;
    }
    return undefined;
  }

  function lastName(n: AstNode): string | undefined {
    const u = unwrap(n);
    if (u.type === 'identifier') return text(u);
    if (u.type === 'member_expression') return text(field(u, 'property')!);
    return undefined;
  }

  /** Dotted spelling of `a.b.c` / `this.x`; longer chains than any real variable path are not paths. */
  function pathOf(n: AstNode): string | null {
    const parts: string[] = [];
    let u = unwrap(n);
    for (let i = 0; i < 12; i++) {
      if (u.type === 'identifier' || u.type === 'this') {
        parts.push(u.type === 'this' ? 'this' : text(u));
        return parts.reverse().join('.');
      }
      if (u.type !== 'member_expression') return null;
      const prop = field(u, 'property');
      if (!prop) return null;
      parts.push(text(prop));
      u = unwrap(field(u, 'object')!);
    }
    return null;
  }

  // ---- Tools and handlers (syntactic, before any flow) ------------------------------------------

  /** A function a call receives: an inline function, or a local function named by identifier. */
  function fnOf(n: AstNode | undefined): FunctionFact | undefined {
    if (!n) return undefined;
    const u = unwrap(n);
    if (FUNCTION_TYPES.has(u.type)) return fnByNode.get(u);
    if (u.type === 'identifier') return localFunctions.get(text(u))?.find((f) => f.className === null);
    // `fn.bind(this)`, `this.handle.bind(this)`.
    if (u.type === 'call_expression') {
      const f = field(u, 'function')!;
      if (f.type === 'member_expression' && text(field(f, 'property')!) === 'bind') return fnOf(field(f, 'object'));
    }
    if (u.type === 'member_expression' && field(u, 'object')!.type === 'this') return localFunctions.get(text(field(u, 'property')!))?.[0];
    return undefined;
  }

  function objectProp(obj: AstNode | undefined, key: string): AstNode | undefined {
    if (!obj || obj.type !== 'object') return undefined;
    for (const p of obj.children) {
      if (p.type === 'pair') {
        const k = field(p, 'key')!;
        const kName = k.type === 'string' ? stringValue(k) : text(k);
        if (kName === key) return field(p, 'value');
      } else if ((p.type === 'method_definition') && text(field(p, 'name')!) === key) return p;
      else if (p.type === 'shorthand_property_identifier' && text(p) === key) return p;
    }
    return undefined;
  }

  function markTool(fn: FunctionFact | undefined, options?: AstNode, at?: AstNode) {
    if (!fn) return;
    fn.isTool = true;
    // Findings name the tool as the model knows it, not `execute` or `<anonymous>`.
    const label = at ? toolLabel(at) : undefined;
    if (label && (fn.name === '<anonymous>' || /^(execute|func|handler|invoke)$/.test(fn.name))) fn.name = label;
    if (at && !field(fn.node, 'name')) fn.declNode = at;
    const approval = options ? objectProp(options, 'needsApproval') ?? objectProp(options, 'requiresApproval') ?? objectProp(options, 'needsConfirmation') : undefined;
    if (approval && approval.type !== 'false') fn.decorators.push({ qname: 'needsApproval', node: approval.parent ?? approval });
  }

  function toolLabel(call: AstNode): string | undefined {
    const argList = field(call, 'arguments');
    const first = argList?.children.find((c) => c.named);
    if (first && (first.type === 'string')) return stringValue(first);
    for (let p: AstNode | null = call.parent, i = 0; p && i < 4; p = p.parent, i++) {
      if (p.type === 'pair') return text(field(p, 'key')!).replace(/^["'`]|["'`]$/g, '');
      if (p.type === 'variable_declarator') return text(field(p, 'name')!);
    }
    return undefined;
  }

  // ---- Expressions -----------------------------------------------------------------------------

  function findTarget(fnNode: AstNode, ctx: Ctx): FunctionFact | undefined {
    const u = unwrap(fnNode);
    if (u.type === 'identifier') {
      if (ctx.scope.get(text(u))?.type) return undefined;
      return localFunctions.get(text(u))?.find((f) => f.className === null);
    }
    if (u.type === 'member_expression') {
      const obj = field(u, 'object')!;
      const method = text(field(u, 'property')!);
      const cands = localFunctions.get(method);
      if (!cands) return undefined;
      if (obj.type === 'this' && ctx.fn.className) return cands.find((f) => f.className === ctx.fn.className);
      const t = typeOf(obj, ctx.scope);
      const cls = t && classes.has(t) ? t : obj.type === 'identifier' && classes.has(text(obj)) ? text(obj) : undefined;
      if (cls) return cands.find((f) => f.className === cls);
    }
    return undefined;
  }

  function ev(n: AstNode, ctx: Ctx, depth: number): Label[] {
    if (depth > MAX_DEPTH) return [];
    const d = depth + 1;
    switch (n.type) {
      case 'identifier':
      case 'shorthand_property_identifier':
        return ctx.scope.get(text(n))?.taint ?? [];
      case 'this':
        return ctx.scope.get('this')?.taint ?? [];
      case 'string':
      case 'number':
      case 'true':
      case 'false':
      case 'null':
      case 'undefined':
      case 'regex':
      case 'arrow_function':
      case 'function_expression':
      case 'function':
      case 'class':
        return [];
      case 'template_string': {
        // Each value is placed where its `${...}` sits: multi-line prompt templates report that line.
        let out: Label[] = [];
        for (const c of n.children) {
          if (c.type !== 'template_substitution') continue;
          const e = c.children.find((x) => x.named);
          if (e) out = union(out, markInterpolated(ev(e, ctx, d), n, ctx, c.line));
        }
        return out;
      }
      case 'binary_expression': {
        const left = field(n, 'left')!;
        const right = field(n, 'right')!;
        const op = text(field(n, 'operator') ?? n);
        const all = union(ev(left, ctx, d), ev(right, ctx, d));
        if (op === '+' && (isStringy(left, ctx) || isStringy(right, ctx))) return markInterpolated(all, n, ctx);
        if (/^(===|!==|==|!=|<|>|<=|>=|instanceof|in)$/.test(op)) return [];
        return all;
      }
      case 'unary_expression':
      case 'update_expression':
        for (const c of n.children) if (c.named) ev(c, ctx, d);
        return [];
      case 'member_expression':
        return evMember(n, ctx, d);
      case 'subscript_expression': {
        const obj = field(n, 'object')!;
        const base = ev(obj, ctx, d);
        const index = field(n, 'index');
        if (index) ev(index, ctx, d);
        const key = index?.type === 'string' ? stringValue(index) : undefined;
        if (plain(qname(obj, ctx.scope)) === 'process.env') {
          envReads++;
          // `process.env[name]` with a name chosen at run time can be any credential of the process.
          if (key === undefined && index && index.type !== 'string') return [{ kind: 'secret', line: n.line, what: 'an environment variable chosen at run time' }];
          const s = envSource(key);
          return [{ kind: s.kind, line: n.line, what: s.what }];
        }
        if (key && PII_PROP.test(key) && !base.every((l) => l.sanitized?.includes('all'))) return union(base, [{ kind: SECRET_PROP.test(key) ? 'secret' : 'pii', line: n.line, what: `the ${key} field` }]);
        return base;
      }
      case 'call_expression':
      case 'new_expression':
        return evCall(n, ctx, d);
      case 'array': {
        let out: Label[] = [];
        const items = n.children.filter((c) => c.named);
        for (const c of items) out = union(out, ev(c, ctx, d));
        // LangChain tuples: `["system", text]`.
        if (items.length === 2 && items[0].type === 'string') {
          const role = stringValue(items[0]).toLowerCase();
          if (ROLE_NAMES.has(role)) recordMessage(n, normaliseRole(role), items[1], ev(items[1], ctx, d), ctx);
        }
        return out;
      }
      case 'object': {
        let out: Label[] = [];
        let role: string | undefined;
        let content: AstNode | undefined;
        let contentTaint: Label[] = [];
        for (const p of n.children) {
          if (p.type === 'pair') {
            const k = field(p, 'key')!;
            const v = field(p, 'value')!;
            const t = ev(v, ctx, d);
            propTaint.set(v, t);
            out = union(out, t);
            const kName = k.type === 'string' ? stringValue(k) : k.type === 'property_identifier' ? text(k) : '';
            if (kName === 'role' && v.type === 'string') role = stringValue(v).toLowerCase();
            if (kName === 'content' || kName === 'text') {
              content = v;
              contentTaint = t;
            }
          } else if (p.type === 'shorthand_property_identifier') {
            const t = ev(p, ctx, d);
            out = union(out, t);
            if (text(p) === 'content') {
              content = p;
              contentTaint = t;
            }
          } else if (p.type === 'spread_element') {
            const t = ev(p, ctx, d);
            propTaint.set(p, t);
            out = union(out, t);
          }
        }
        if (role && ROLE_NAMES.has(role)) recordMessage(n, normaliseRole(role), content, contentTaint, ctx);
        return out;
      }
      case 'ternary_expression': {
        const cond = field(n, 'condition')!;
        ev(cond, ctx, d);
        const cons = field(n, 'consequence')!;
        let t = ev(cons, ctx, d);
        // `ALLOWED.includes(x) ? x : 'default'`: the branch taken after an allow-list check is clean.
        const p = pathOf(cons);
        if (p && t.length && checkedPaths(cond).includes(p)) t = sanitize(t, 'all');
        return union(t, ev(field(n, 'alternative')!, ctx, d));
      }
      case 'assignment_expression':
        return execAssign(n, ctx);
      case 'augmented_assignment_expression':
        return execAugmented(n, ctx);
      case 'sequence_expression': {
        let last: Label[] = [];
        for (const c of n.children) if (c.named) last = ev(c, ctx, d);
        return last;
      }
      case 'jsx_self_closing_element':
      case 'jsx_opening_element': {
        // `<AnswerBubble markdown={m.content} />` calls the local component with its props.
        let all: Label[] = [];
        const props: ArgFact[] = [];
        for (const c of n.children) {
          if (!c.named || c.field === 'name') continue;
          const t = ev(c, ctx, d);
          all = union(all, t);
          if (c.type === 'jsx_attribute' && c.children[0]) props.push({ node: c, name: text(c.children[0]), index: -1, taint: t, splat: false });
        }
        const nameNode = field(n, 'name');
        // `<ReactMarkdown rehypePlugins={[rehypeRaw]}>{answer}</ReactMarkdown>`: raw HTML in the Markdown is rendered as markup.
        if (nameNode && /^(ReactMarkdown|Markdown|MarkdownHooks)$/.test(text(nameNode)) && props.some((p) => p.name === 'rehypePlugins' && /rehypeRaw/.test(text(p.node)) && !/rehypeSanitize/.test(text(p.node)))) {
          const own = props.find((p) => p.name === 'children');
          const body = n.type === 'jsx_opening_element' ? n.parent?.children.filter((c) => c.type === 'jsx_expression').map((c) => c.children.find((x) => x.named)).filter((x): x is AstNode => !!x && /^(identifier|member_expression|subscript_expression)$/.test(x.type)) ?? [] : [];
          if (own) addSynthetic(n, 'dangerouslySetInnerHTML', own.node, own.taint, ctx);
          for (const b of body) addSynthetic(n, 'dangerouslySetInnerHTML', b, ev(b, ctx, d), ctx);
        }
        const comp = nameNode?.type === 'identifier' && /^[A-Z]/.test(text(nameNode)) ? localFunctions.get(text(nameNode))?.find((f) => f.className === null) : undefined;
        if (comp && ctx.record) {
          const fact: CallFact = { node: n, callee: text(nameNode!), flat: plain(text(nameNode!)), name: text(nameNode!), receiverTaint: [], args: [{ node: n, name: null, index: 0, taint: all, splat: false }, ...props], fn: ctx.fn, loops: ctx.loops, line: n.line, model: null, target: comp, guarded: false, sinkArgs: undefined, vectorQuery: undefined };
          ctx.fn.calls.push(fact);
          ctx.fn.calledNames.add(fact.name);
        }
        return all;
      }
      case 'jsx_attribute': {
        const name = n.children[0];
        const value = n.children.find((c) => c.type === 'jsx_expression');
        const inner = value?.children.find((c) => c.named);
        if (name && text(name) === 'dangerouslySetInnerHTML' && inner) {
          const html = inner.type === 'object' ? objectProp(inner, '__html') : inner;
          const t = html ? ev(html, ctx, d) : [];
          addSynthetic(n, 'dangerouslySetInnerHTML', html ?? inner, t, ctx);
          return t;
        }
        return inner ? ev(inner, ctx, d) : [];
      }
      case 'type_annotation':
      case 'type_arguments':
      case 'predefined_type':
      case 'type_identifier':
        return [];
      default: {
        let out: Label[] = [];
        for (const c of n.children) if (c.named) out = union(out, ev(c, ctx, d));
        return out;
      }
    }
  }

  function addSynthetic(node: AstNode, name: string, value: AstNode, taint: Label[], ctx: Ctx) {
    if (!ctx.record) return;
    const fact: CallFact = {
      node,
      callee: name,
      flat: plain(name),
      name,
      receiverTaint: [],
      args: [{ node: value, name: null, index: 0, taint, splat: false }],
      fn: ctx.fn,
      loops: ctx.loops,
      line: node.line,
      model: null,
      guarded: false,
      sinkArgs: undefined,
      vectorQuery: undefined,
    };
    synthetic.push(fact);
    ctx.fn.calls.push(fact);
  }

  function markInterpolated(labels: Label[], template: AstNode, ctx: Ctx, at = template.line): Label[] {
    if (!labels.length) return labels;
    const literal = templateText(template, ctx);
    let out = interpolate(labels, at, DIRECTIVE_TEXT.test(literal), INSTRUCTS_TEXT.test(literal));
    if (FENCE_WORDS.test(literal)) out = out.map((l) => (l.kind === 'retrieved' || l.kind === 'web' || l.kind === 'file' ? { ...l, sanitized: [...(l.sanitized ?? []), 'prompt' as SanitizedFor] } : l));
    return out;
  }

  /** The fixed text of a template: literal parts of a template string or of a `+` chain. */
  function templateText(n: AstNode, ctx: Ctx, depth = 0): string {
    if (depth > 20) return '';
    if (n.type === 'string') return stringValue(n);
    if (n.type === 'template_string') {
      let out = '';
      for (const c of n.children) {
        if (c.type === 'string_fragment' || c.type === 'escape_sequence') out += text(c);
        else if (c.type === 'template_substitution') {
          const e = c.children.find((x) => x.named);
          if (e?.type === 'identifier') out += templateText(e, ctx, depth + 1);
          out += ' ';
        }
      }
      return out;
    }
    if (n.type === 'binary_expression') return templateText(field(n, 'left')!, ctx, depth + 1) + ' ' + templateText(field(n, 'right')!, ctx, depth + 1);
    if (n.type === 'parenthesized_expression') return n.children.map((c) => templateText(c, ctx, depth + 1)).join('');
    if (n.type === 'identifier') {
      const v = ctx.scope.get(text(n))?.value;
      if (v && (v.type === 'string' || v.type === 'template_string')) return templateText(v, ctx, depth + 1);
    }
    return '';
  }

  function isStringy(n: AstNode, ctx: Ctx, depth = 0): boolean {
    if (depth > 20) return false;
    if (n.type === 'string' || n.type === 'template_string') return true;
    if (n.type === 'identifier') {
      const v = ctx.scope.get(text(n));
      return v?.type === 'str' || v?.value?.type === 'string' || v?.value?.type === 'template_string';
    }
    if (n.type === 'binary_expression') return isStringy(field(n, 'left')!, ctx, depth + 1) || isStringy(field(n, 'right')!, ctx, depth + 1);
    return false;
  }

  function isRequestRoot(obj: AstNode): boolean {
    const root = rootName(obj);
    return !!root && REQUEST_NAME.test(root) && !moduleNames.has(root);
  }

  function evMember(n: AstNode, ctx: Ctx, d: number): Label[] {
    const obj = field(n, 'object')!;
    const prop = text(field(n, 'property') ?? n);
    const path = pathOf(n);
    const own = path ? ctx.scope.get(path)?.taint : undefined;
    const qn = plain(qname(n, ctx.scope));
    if (qn === 'process.argv') return [{ kind: 'user', line: n.line, what: 'command-line arguments' }];
    if (qn === 'process.env') {
      envReads++;
      // The whole environment, not one value read from it: it holds every credential of the process.
      return [{ kind: 'secret', line: n.line, what: 'the whole environment (process.env)' }];
    }
    if (plain(qname(obj, ctx.scope)) === 'process.env') {
      envReads++;
      const s = envSource(prop);
      return [{ kind: s.kind, line: n.line, what: s.what }];
    }
    const base = ev(obj, ctx, d);
    if (REQUEST_PROPS.has(prop) && isRequestRoot(obj)) return union(own, base, [{ kind: 'user', line: n.line, what: `${text(obj).replace(/\s+/g, '')}.${prop}` }]);
    if (PII_PROP.test(prop) && !(base.length > 0 && base.every((l) => l.sanitized?.includes('all')))) {
      return union(own, base, [{ kind: SECRET_PROP.test(prop) ? 'secret' : 'pii', line: n.line, what: `the ${prop} property` }]);
    }
    // Free text an end user wrote (a profile's "about me", an e-mail body) read off a record handed
    // in from outside: whoever the caller, its author is a user.
    if (USER_AUTHORED_FIELD.test(snakeCase(prop)) && base.some((l) => l.kind === 'param')) {
      return union(own, base, [{ kind: 'user', line: n.line, what: `the user-written field '${prop}'` }]);
    }
    return union(own, base);
  }

  function argsOf(argList: AstNode | undefined, ctx: Ctx, d: number): ArgFact[] {
    const out: ArgFact[] = [];
    if (!argList) return out;
    if (argList.type === 'template_string') {
      out.push({ node: argList, name: null, index: 0, taint: ev(argList, ctx, d), splat: false });
      return out;
    }
    let index = 0;
    for (const c of argList.children) {
      if (!c.named) continue;
      if (c.type === 'spread_element') {
        out.push({ node: c, name: null, index: -1, taint: ev(c, ctx, d), splat: true });
        continue;
      }
      const taint = ev(c, ctx, d);
      out.push({ node: c, name: null, index: index++, taint, splat: false });
      // An options object is how JS spells keyword arguments.
      if (c.type === 'object') {
        for (const p of c.children) {
          if (p.type === 'pair') {
            const k = field(p, 'key')!;
            const v = field(p, 'value')!;
            const name = k.type === 'string' ? stringValue(k) : k.type === 'property_identifier' ? text(k) : null;
            if (name) out.push({ node: v, name, index: -1, taint: propTaint.get(v) ?? ev(v, { ...ctx, record: false }, d), splat: false });
          } else if (p.type === 'shorthand_property_identifier') {
            out.push({ node: p, name: text(p), index: -1, taint: ev(p, ctx, d), splat: false });
          } else if (p.type === 'spread_element') {
            out.push({ node: p, name: null, index: -1, taint: propTaint.get(p) ?? ev(p, { ...ctx, record: false }, d), splat: true });
          }
        }
      }
    }
    return out;
  }

  function evCall(n: AstNode, ctx: Ctx, d: number): Label[] {
    const isNew = n.type === 'new_expression';
    const fnNode = unwrap((isNew ? field(n, 'constructor') : calleeOf(n)) ?? n);
    let receiver: AstNode | undefined;
    let receiverTaint: Label[] = [];
    let receiverType: string | undefined;
    let receiverName: string | undefined;
    if (fnNode.type === 'member_expression') {
      receiver = field(fnNode, 'object')!;
      receiverTaint = ev(receiver, ctx, d);
      receiverType = typeOf(receiver, ctx.scope);
      receiverName = lastName(receiver);
    } else if (fnNode.type !== 'identifier' && fnNode.type !== 'import') {
      receiverTaint = ev(fnNode, ctx, d);
    }
    const callee = fnNode.type === 'import' ? 'import' : qname(fnNode, ctx.scope);
    const flat = plain(callee);
    const name = lastSegment(flat);
    const argList = field(n, 'arguments');
    const args = argsOf(argList, ctx, d);
    // A call handed an inline callback (`new Promise(r => exec(cmd, ...))`, `items.map(...)`) runs
    // it on the caller's behalf: the callback is what the call does, for rules that follow targets.
    const inlineArg = argList?.type === 'arguments' ? argList.children.find((c) => c.named && FUNCTION_TYPES.has(unwrap(c).type)) : undefined;
    const inlineFn = inlineArg ? fnByNode.get(unwrap(inlineArg)) : undefined;
    const localTarget = findTarget(fnNode, ctx);
    const target = localTarget ?? (inlineFn && !inlineFn.isTool && !inlineFn.isHandler ? inlineFn : undefined);
    const fact: CallFact = {
      node: n,
      callee,
      flat: plain(callee),
      name,
      receiver,
      receiverType,
      receiverName,
      receiverTaint,
      args,
      fn: ctx.fn,
      loops: ctx.loops,
      line: n.line,
      model: isNew ? null : jsModelCallShape(callee, receiverType, receiverName) ?? bedrockShape(name, args, text) ?? workersAiShape(name, receiver ? text(receiver) : '', args, text),
      target,
      guarded: false,
      sinkArgs: undefined,
      vectorQuery: undefined,
    };
    if (ctx.record) {
      ctx.fn.calls.push(fact);
      ctx.fn.calledNames.add(name);
      callByNode.set(n, fact);
    }
    const argTaint = union(...args.filter((a) => a.name === null).map((a) => a.taint));

    // Callbacks: `items.map(x => ...)`, `fetch(u).then(r => r.text())`, `rl.question(q, answer => ...)`.
    for (const a of args) {
      if (a.name !== null) continue;
      const inline = unwrap(a.node);
      if (!FUNCTION_TYPES.has(inline.type)) continue;
      const fromUser = name === 'question' || name === 'on' && /line/.test(text(argList!));
      const t = fromUser ? [{ kind: 'user' as const, line: n.line, what: 'readline input' }] : receiverTaint.length ? receiverTaint : args.filter((x) => x !== a && x.name === null).flatMap((x) => x.taint);
      const before = callbackTaint.get(inline);
      const after = union(before, t);
      if (after.length !== (before?.length ?? 0)) {
        callbackTaint.set(inline, after);
        const cb = fnByNode.get(inline);
        if (cb && ran.has(cb)) stale.add(cb);
      }
    }

    // Chat messages built by constructors, and instructions given to agents.
    const ctor = lastSegment(flat);
    if (JS_MESSAGE_CLASSES[ctor]) {
      const content = args.find((a) => a.name === 'content') ?? args.find((a) => a.index === 0);
      recordMessage(n, JS_MESSAGE_CLASSES[ctor], content?.node, content?.taint ?? [], ctx, ctor);
    } else if (JS_INSTRUCTION_OPTIONS[ctor]) {
      for (const a of args) if (a.name && JS_INSTRUCTION_OPTIONS[ctor].includes(a.name)) recordMessage(a.node, 'system', a.node, a.taint, ctx, `${ctor}({${a.name}})`);
    }
    if (fact.model) {
      for (const a of args) if (a.name === 'system' || a.name === 'instructions') recordMessage(a.node, 'system', a.node, a.taint, ctx, `${a.name}:`);
      const out: Label[] = [{ kind: 'model', line: n.line, what: `the output of ${shortCallee(callee)}()` }];
      // `streamText({ onFinish: ({ text }) => ... })`: the SDK hands the finished answer to the callback.
      for (const a of args) {
        if (!a.name || !MODEL_CALLBACKS.test(a.name)) continue;
        const inline = unwrap(a.node);
        if (!FUNCTION_TYPES.has(inline.type)) continue;
        const before = callbackTaint.get(inline);
        const after = union(before, out);
        if (after.length !== (before?.length ?? 0)) {
          callbackTaint.set(inline, after);
          const cb = fnByNode.get(inline);
          if (cb && ran.has(cb)) stale.add(cb);
        }
      }
      return out;
    }

    if (fnNode.type === 'member_expression' && REQUEST_METHODS.has(name) && receiver && isRequestRoot(receiver) && !/^(res|response|reply)$/.test(rootName(receiver) ?? '')) {
      return union(receiverTaint, [{ kind: 'user', line: n.line, what: `${text(receiver).replace(/\s+/g, '')}.${name}()` }]);
    }
    const sanitizer = jsSanitizer(flat, receiver ? text(receiver) : undefined, receiverType);
    if (sanitizer) return sanitize(argTaint, sanitizer);
    const source = jsCallSource(flat, receiverType, receiverName);
    if (source) return union(source.kind === 'web' ? receiverTaint : [], [{ kind: source.kind, line: n.line, what: source.what }]);
    if (localTarget) return applySummary(localTarget, fact);
    if (/^(path|node:path)\.(join|resolve)$/.test(flat) && args.length > 1) return markInterpolated(argTaint, n, ctx);
    if (argList?.type === 'template_string') {
      // Tagged templates (`sql\`...${x}\``, Prisma `$queryRaw`) bind substitutions as parameters.
      return /sql|query|raw/i.test(flat) ? sanitize(argTaint, 'sql') : argTaint;
    }

    // `new OpenAI({ apiKey })`, `new Pool({ password })`: an object built with a secret is not the secret.
    // Values (URLs, messages, documents, strings) still carry what they were built from.
    if (isNew && !/(Message|Template|Document|URL|URLSearchParams|String|Array|Set|Map|Buffer|Request|Response|Blob|Headers|FormData|Prompt\w*|Error)$/.test(name)) {
      return argTaint.filter((l) => l.kind !== 'secret' && l.kind !== 'env');
    }
    if (fnNode.type === 'member_expression' && receiver) {
      const path = pathOf(receiver);
      const root = rootName(receiver);
      if (MUTATORS.has(name) && path && !moduleNames.has(path.split('.')[0])) {
        const cur = ctx.scope.get(path);
        const added = name === 'set' ? union(...args.slice(1).map((a) => a.taint)) : argTaint;
        ctx.scope.set(path, { ...(cur ?? {}), taint: union(cur?.taint, added) });
        return [];
      }
      if (COMBINING.has(name)) return union(receiverTaint, argTaint);
      if (name === 'join' || name === 'map' || name === 'filter' || name === 'then') return union(receiverTaint, ...args.filter((a) => a.name === null).map((a) => returnsOfInline(a.node)));
      // Named imports that are namespaces of functions (`import { marked } from 'marked'`) transform their arguments too.
      if (root && (moduleNames.has(root) || (imports.has(root) && /^[a-z]/.test(root))) && !ctx.scope.has(root)) return union(receiverTaint, argTaint);
      return receiverTaint;
    }
    if (flat === 'require' || flat === 'import') return [];
    // Clients built with a key (`createClient(url, key)`) are not the key: what they return is data.
    if (/^(create|init|connect)\w*$/.test(name)) return argTaint.filter((l) => l.kind !== 'secret' && l.kind !== 'env');
    const state = fnNode.type === 'identifier' ? stateSetters.get(text(fnNode)) : undefined;
    if (state) {
      const cur = ctx.scope.get(state);
      ctx.scope.set(state, { ...(cur ?? {}), taint: union(cur?.taint, argTaint) });
      return [];
    }
    return argTaint;
  }

  function returnsOfInline(n: AstNode): Label[] {
    const fn = fnByNode.get(unwrap(n));
    if (!fn) return [];
    // Nested callbacks run after the function that holds them: `tasks.map((t) => generateText(...))`
    // is read before its summary exists, so the holder runs again once it does.
    if (!ran.has(fn)) unsummarisedInline.add(fn);
    return summaries.get(fn) ?? [];
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
    if (!ctx.record || messageNodes.has(node)) return;
    messageNodes.add(node);
    messages.push({ node, role, content, taint, fn: ctx.fn, via });
  }

  // ---- Statements ------------------------------------------------------------------------------
  function bind(target: AstNode, taint: Label[], ctx: Ctx, value: AstNode | undefined, declare: boolean) {
    const t = unwrap(target);
    switch (t.type) {
      case 'identifier':
      case 'shorthand_property_identifier_pattern':
      case 'member_expression': {
        const p = pathOf(t) ?? (t.type === 'shorthand_property_identifier_pattern' ? text(t) : null);
        if (!p) return;
        const type = value ? typeOf(value, ctx.scope) : undefined;
        const info: VarInfo = { taint, type: type ?? (value && (value.type === 'string' || value.type === 'template_string') ? 'str' : undefined), value };
        // `this.client = new OpenAI()` in a constructor is state every method of the class reads.
        if (p.startsWith('this.') && ctx.fn.className) classScope(ctx.fn.className).declare(p, info);
        if (declare) {
          const late = ctx.scope.closureWrites?.get(p);
          ctx.scope.declare(p, late ? { ...info, taint: union(info.taint, late) } : info);
        } else ctx.scope.set(p, info);
        if (t.type === 'member_expression' && taint.length) {
          const root = pathOf(field(t, 'object')!);
          if (root && root !== 'this') {
            const cur = ctx.scope.get(root);
            ctx.scope.set(root, { ...(cur ?? {}), taint: union(cur?.taint, taint) });
          }
        }
        return;
      }
      case 'subscript_expression': {
        const p = pathOf(field(t, 'object')!);
        if (p) {
          const cur = ctx.scope.get(p);
          ctx.scope.set(p, { ...(cur ?? {}), taint: union(cur?.taint, taint) });
        }
        return;
      }
      case 'object_pattern':
        for (const c of t.children) {
          if (c.type === 'shorthand_property_identifier_pattern') bind(c, fieldTaint(taint, text(c), c), ctx, undefined, declare);
          else if (c.type === 'pair_pattern') {
            const k = field(c, 'key');
            const v = field(c, 'value');
            if (v) bind(v, fieldTaint(taint, k ? text(k) : '', c), ctx, undefined, declare);
          } else if (c.type === 'object_assignment_pattern') {
            const l = field(c, 'left');
            if (l) bind(l, fieldTaint(taint, text(l), c), ctx, undefined, declare);
          } else if (c.type === 'rest_pattern') {
            for (const x of c.children) if (x.named) bind(x, taint, ctx, undefined, declare);
          }
        }
        return;
      case 'array_pattern':
        if (value && /(^|\.)(useState|useReducer|createSignal)$/.test(plain(qname(unwrap(value).type === 'call_expression' ? field(unwrap(value), 'function')! : value, ctx.scope)))) {
          const [state, setter] = t.children.filter((c) => c.named);
          if (state?.type === 'identifier' && setter?.type === 'identifier') stateSetters.set(text(setter), text(state));
        }
        for (const c of t.children) if (c.named) bind(c, taint, ctx, undefined, declare);
        return;
      case 'rest_pattern':
        for (const c of t.children) if (c.named) bind(c, taint, ctx, undefined, declare);
        return;
      case 'assignment_pattern': {
        const l = field(t, 'left');
        if (l) bind(l, taint, ctx, undefined, declare);
        return;
      }
      default:
        return;
    }
  }

  function patternNames(p: AstNode): string[] {
    const out: string[] = [];
    const stack = [p];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'identifier' || n.type === 'shorthand_property_identifier_pattern') {
        if (n.field !== 'key') out.push(text(n));
        continue;
      }
      for (const c of n.children) if (c.named && c.field !== 'key' && c.field !== 'right' && c.type !== 'property_identifier') stack.push(c);
    }
    return out;
  }

  /** A destructured field: personal and secret fields are sensitive whatever the record was. */
  function fieldTaint(taint: Label[], key: string, node: AstNode): Label[] {
    if (USER_AUTHORED_FIELD.test(snakeCase(key)) && taint.some((l) => l.kind === 'param')) taint = union(taint, [{ kind: 'user', line: node.line, what: `the user-written field '${key}'` }]);
    if (PII_PROP.test(key) && !(taint.length > 0 && taint.every((l) => l.sanitized?.includes('all')))) return union(taint, [{ kind: SECRET_PROP.test(key) ? 'secret' : 'pii', line: node.line, what: `the ${key} field` }]);
    return taint;
  }

  function execAssign(a: AstNode, ctx: Ctx): Label[] {
    const left = field(a, 'left')!;
    const right = field(a, 'right');
    if (!right) return [];
    const t = ev(right, ctx, 0);
    const lu = unwrap(left);
    // `el.innerHTML = html`: assigning markup is rendering it.
    if (lu.type === 'member_expression' && /^(innerHTML|outerHTML|srcdoc)$/.test(text(field(lu, 'property')!))) addSynthetic(a, text(field(lu, 'property')!), right, t, ctx);
    // `window.location.href = url`: navigating the browser, read by the rules as one redirect call.
    if (/^((window|document|globalThis|self|top)\.)?location(\.href)?$/.test(text(lu)) && (lu.type === 'member_expression' || text(lu) === 'location')) addSynthetic(a, 'window.location', right, t, ctx);
    noteAssign(a, left, right, ctx);
    bind(left, withSysPrompt(left, right, t, a), ctx, right, false);
    return t;
  }

  function execAugmented(a: AstNode, ctx: Ctx): Label[] {
    const left = field(a, 'left')!;
    const right = field(a, 'right')!;
    const t = union(ev(left, ctx, 0), ev(right, ctx, 0));
    const p = pathOf(left);
    const stringy = isStringy(left, ctx) || isStringy(right, ctx);
    const out = stringy ? markInterpolated(t, right.type === 'template_string' || right.type === 'string' ? right : a, ctx) : t;
    if (p) {
      const cur = ctx.scope.get(p);
      ctx.scope.set(p, { ...(cur ?? {}), taint: out });
    }
    const lu = unwrap(left);
    if (lu.type === 'member_expression' && /^(innerHTML|outerHTML|srcdoc)$/.test(text(field(lu, 'property')!))) addSynthetic(a, text(field(lu, 'property')!), right, t, ctx);
    return out;
  }

  function noteAssign(node: AstNode, left: AstNode, right: AstNode, ctx: Ctx) {
    if (!ctx.record) return;
    const lu = unwrap(left);
    if (lu.type === 'identifier' || lu.type === 'member_expression') assigns.push({ node, target: text(lu), value: right, fn: ctx.fn });
    // `const { a, b: c } = req.body`: each bound name was assigned from the right-hand side.
    else if (lu.type === 'object_pattern' || lu.type === 'array_pattern') for (const id of patternNames(lu)) assigns.push({ node, target: id, value: right, fn: ctx.fn });
    const ru = unwrap(right);
    if (ru.type === 'call_expression' || ru.type === 'new_expression' || right.type === 'await_expression') {
      const call = ru.type === 'await_expression' ? unwrap(ru.children.find((c) => c.named) ?? ru) : ru;
      const last = callByNode.get(call);
      if (last) last.assignedTo = pathOf(left) ?? undefined;
    }
  }

  /** A system prompt is sensitive in itself: tracked so returning or logging it is seen. */
  function withSysPrompt(left: AstNode, right: AstNode, t: Label[], at: AstNode): Label[] {
    const name = lastName(left);
    if (!name) return t;
    const snake = snakeCase(name);
    const ru = unwrap(right);
    if (SYSTEM_PROMPT_NAME.test(snake) && (ru.type === 'string' || ru.type === 'template_string' || ru.type === 'binary_expression')) {
      return union(t, [{ kind: 'sysprompt', line: at.line, what: `the system prompt ${text(left)}` }]);
    }
    return t;
  }

  function execBlock(block: AstNode | undefined, ctx: Ctx, depth: number) {
    if (!block) return;
    if (block.type !== 'statement_block' && block.type !== 'program' && block.type !== 'class_body' && block.type !== 'switch_body') {
      execStmt(block, ctx, depth + 1);
      return;
    }
    for (const s of block.children) execStmt(s, ctx, depth + 1);
  }

  function execStmt(s: AstNode, ctx: Ctx, depth: number): void {
    if (depth > MAX_DEPTH) return;
    switch (s.type) {
      case 'lexical_declaration':
      case 'variable_declaration':
        for (const d of s.children) {
          if (d.type !== 'variable_declarator') continue;
          const name = field(d, 'name');
          const value = field(d, 'value');
          if (!name) continue;
          const t = value ? ev(value, ctx, 0) : [];
          if (value) noteAssign(d, name, value, ctx);
          bind(name, value ? withSysPrompt(name, value, t, d) : t, ctx, value, true);
        }
        return;
      case 'expression_statement':
        for (const c of s.children) {
          if (!c.named) continue;
          ev(c, ctx, 0);
          const u = unwrap(c);
          // `schema.parse(body)` / `validateInput(x)` as a statement vouches for its argument.
          if (u.type === 'call_expression') {
            const f = unwrap(field(u, 'function')!);
            const nm = f.type === 'member_expression' ? text(field(f, 'property')!) : text(f);
            const recvText = f.type === 'member_expression' ? text(field(f, 'object')!) : undefined;
            if (jsSanitizer(nm, recvText, undefined) === 'all') sanitizeSubjects(u, ctx);
          }
        }
        return;
      case 'return_statement': {
        const value = s.children.find((c) => c.named);
        const t = value ? ev(value, ctx, 0) : [];
        ctx.fn.returns = union(ctx.fn.returns, t);
        if (ctx.record) returns.push({ node: s, value, taint: t, fn: ctx.fn });
        return;
      }
      case 'if_statement': {
        const cond = field(s, 'condition')!;
        ev(cond, ctx, 0);
        const cons = field(s, 'consequence');
        if (ctx.record) ifs.push({ node: s, condition: cond, taint: condTaint(cond, ctx), fn: ctx.fn, bodyStart: cons?.startIndex ?? s.startIndex, bodyEnd: cons?.endIndex ?? s.endIndex });
        sanitizeSubjects(cond, ctx);
        execBlock(cons, ctx, depth);
        const alt = field(s, 'alternative');
        if (alt) for (const c of alt.children) if (c.named) execBlock(c, ctx, depth);
        return;
      }
      case 'for_statement': {
        for (const c of s.children) if (c.field === 'initializer') execStmt(c, ctx, depth + 1);
        const cond = field(s, 'condition');
        const body = field(s, 'body');
        const condText = cond ? text(cond).replace(/[;\s]/g, '') : '';
        const bounded = (!!cond && condText !== '' && condText !== 'true' && hasCounterCheck(cond)) || loopBounded(body);
        const loop: LoopFact = { node: s, kind: 'for', unbounded: !bounded, modelControlled: cond ? ev(cond, ctx, 0).some((l) => l.kind === 'model') : false };
        const inner: Ctx = { ...ctx, loops: [...ctx.loops, loop] };
        execBlock(body, { ...inner, record: false }, depth);
        execBlock(body, inner, depth);
        return;
      }
      case 'for_in_statement': {
        const right = field(s, 'right');
        const left = field(s, 'left');
        const t = right ? ev(right, ctx, 0) : [];
        if (left) bind(left, t, ctx, undefined, true);
        const loop: LoopFact = { node: s, kind: 'for', unbounded: false, modelControlled: false };
        const inner: Ctx = { ...ctx, loops: [...ctx.loops, loop] };
        execBlock(field(s, 'body'), inner, depth);
        return;
      }
      case 'while_statement':
      case 'do_statement': {
        const cond = field(s, 'condition')!;
        const ct = ev(cond, ctx, 0);
        const body = field(s, 'body');
        const literalTrue = /^\(?\s*(true|1|!0|!false)\s*\)?$/.test(text(cond).trim());
        const bounded = loopBounded(body) || hasCounterCheck(cond);
        const loop: LoopFact = { node: s, kind: 'while', unbounded: !bounded && (literalTrue || !hasCounterCheck(cond)), modelControlled: ct.some((l) => l.kind === 'model') };
        const inner: Ctx = { ...ctx, loops: [...ctx.loops, loop] };
        execBlock(body, { ...inner, record: false }, depth);
        execBlock(body, inner, depth);
        return;
      }
      case 'try_statement':
        execBlock(field(s, 'body'), ctx, depth);
        for (const c of s.children) {
          if (c.type === 'catch_clause') execBlock(field(c, 'body'), ctx, depth);
          else if (c.type === 'finally_clause') execBlock(field(c, 'body'), ctx, depth);
        }
        return;
      case 'export_statement': {
        const decl = field(s, 'declaration');
        if (decl) execStmt(decl, ctx, depth + 1);
        else for (const c of s.children) if (c.named && c.field === 'value') ev(c, ctx, 0);
        return;
      }
      case 'function_declaration':
      case 'generator_function_declaration':
      case 'import_statement':
      case 'comment':
      case 'empty_statement':
      case 'break_statement':
      case 'continue_statement':
      case 'interface_declaration':
      case 'type_alias_declaration':
      case 'enum_declaration':
      case 'ambient_declaration':
        return;
      case 'class_declaration':
      case 'abstract_class_declaration': {
        // Field initialisers (`client = new OpenAI()`) run as module code for `this.x`.
        const name = field(s, 'name');
        const body = field(s, 'body');
        if (!body) return;
        for (const m of body.children) {
          if (m.type === 'public_field_definition' || m.type === 'field_definition') {
            const k = field(m, 'name') ?? field(m, 'property');
            const v = field(m, 'value');
            if (k && v) ctx.scope.declare(`this.${text(k)}`, { taint: ev(v, ctx, 0), type: typeOf(v, ctx.scope), value: v });
          }
        }
        void name;
        return;
      }
      case 'statement_block':
        execBlock(s, ctx, depth);
        return;
      case 'switch_statement': {
        const value = field(s, 'value');
        if (value) ev(value, ctx, 0);
        const body = field(s, 'body');
        // A tool dispatcher runs what the model called; that is the tool's agency (LLM06), not a verdict acted on.
        const dispatch = !!value && frameworks.size > 0 && TOOL_NAME_SUBJECT.test(text(value).replace(/[()\s]/g, ''));
        for (const c of body?.children ?? []) {
          // Each `case` is a branch decided by the switched value, like an `if`.
          if (value && ctx.record && !dispatch && c.type === 'switch_case') ifs.push({ node: c, condition: value, taint: condTaint(value, ctx), fn: ctx.fn, bodyStart: c.startIndex, bodyEnd: c.endIndex });
          for (const x of c.children) if (x.named && x.field !== 'value') execStmt(x, ctx, depth + 1);
        }
        return;
      }
      default:
        for (const c of s.children) {
          if (!c.named) continue;
          if (/_statement$|_declaration$|^statement_block$/.test(c.type)) execStmt(c, ctx, depth + 1);
          else ev(c, ctx, 0);
        }
    }
  }

  function condTaint(cond: AstNode, ctx: Ctx): Label[] {
    const stack = [cond];
    let out: Label[] = [];
    let guard = 0;
    while (stack.length && guard++ < 500) {
      const c = stack.pop()!;
      if (c.type === 'identifier' || c.type === 'member_expression' || c.type === 'call_expression' || c.type === 'subscript_expression') {
        out = union(out, ev(c, { ...ctx, record: false }, 0));
        continue;
      }
      for (const ch of c.children) if (ch.named) stack.push(ch);
    }
    return out;
  }

  /** `x`, `x ?? ''`, `x || ''`: the value a check is about. */
  function subjectPath(n: AstNode): string | null {
    const u = unwrap(n);
    if (u.type === 'binary_expression' && /^(\?\?|\|\|)$/.test(text(field(u, 'operator') ?? u))) return pathOf(field(u, 'left')!);
    return pathOf(u);
  }

  function checkedPaths(cond: AstNode): string[] {
    return collectChecked(cond);
  }

  /** Variables a condition checks against a fixed set or pattern: `ALLOWED.includes(x)`, `/^\w+$/.test(x)`, `x.startsWith(ROOT)`. */
  function sanitizeSubjects(cond: AstNode, ctx: Ctx) {
    const clean = (p: string, depth: number) => {
      const cur = ctx.scope.get(p);
      // `ALLOWED.has(parsed.hostname)`: a checked field of a parsed URL vouches for the URL object.
      if (p.includes('.') && depth < 2 && /\.(hostname|host|origin|protocol|href|pathname)$/.test(p)) clean(p.slice(0, p.lastIndexOf('.')), depth + 1);
      if (!cur) return;
      ctx.scope.set(p, { ...cur, taint: sanitize(cur.taint, 'all') });
      // `const host = new URL(url).hostname; if (ALLOWED.has(host))` vouches for `url` too.
      let v = cur.value ? unwrap(cur.value) : undefined;
      for (let i = 0; v && i < 6 && v.type === 'member_expression'; i++) v = unwrap(field(v, 'object')!);
      if (depth < 2 && v && (v.type === 'new_expression' || v.type === 'call_expression')) {
        for (const a of field(v, 'arguments')?.children ?? []) if (a.type === 'identifier') clean(text(a), depth + 1);
      }
    };
    for (const p of collectChecked(cond)) clean(p, 0);
  }

  function collectChecked(cond: AstNode): string[] {
    const out: string[] = [];
    const stack = [cond];
    let guard = 0;
    while (stack.length && guard++ < 500) {
      const c = stack.pop()!;
      if (c.type === 'call_expression') {
        const f = unwrap(field(c, 'function')!);
        const args = field(c, 'arguments')?.children.filter((x) => x.named) ?? [];
        if (f.type === 'member_expression') {
          const method = text(field(f, 'property')!);
          const obj = field(f, 'object')!;
          // A regex only vouches for what it matches whole (`/^\w+$/`); `/^remember:/` just spots a keyword.
          const partialRegex = method === 'test' && obj.type === 'regex' && !/^\^.*\$$/s.test(text(field(obj, 'pattern') ?? obj));
          if (/^(includes|has|test|indexOf|some)$/.test(method) && args[0] && obj.type !== 'string' && !partialRegex) {
            const p = subjectPath(args[0]);
            if (p) out.push(p);
          } else if (method === 'startsWith' && args[0] && (/^['"`](https?:\/\/|\/|\.\.)/.test(text(args[0])) || /^[A-Z][A-Z0-9_]*$/.test(text(args[0])) || /root|base|allowed|dir|workspace|sandbox|upload|public/i.test(text(args[0])))) {
            const p = pathOf(obj);
            if (p) out.push(p);
          } else if (/^(parse|safeParse|validate|check|isValid\w*)$/.test(method) || jsSanitizer(method, text(obj), undefined) === 'all') {
            for (const a of args) {
              const p = subjectPath(a);
              if (p) out.push(p);
            }
          }
        } else if (f.type === 'identifier' && jsSanitizer(text(f), undefined, undefined) === 'all') {
          for (const a of args) {
            const p = subjectPath(a);
            if (p) out.push(p);
          }
        }
      }
      for (const ch of c.children) if (ch.named && !FUNCTION_TYPES.has(ch.type)) stack.push(ch);
    }
    return out;
  }

  function loopBounded(body: AstNode | undefined): boolean {
    if (!body) return false;
    const stack = [...body.children];
    let guard = 0;
    while (stack.length && guard++ < 4000) {
      const s = stack.pop()!;
      if (FUNCTION_TYPES.has(s.type)) continue;
      if (s.type === 'if_statement') {
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
    let guard = 0;
    while (stack.length && guard++ < 500) {
      const c = stack.pop()!;
      if (c.type === 'binary_expression' && /^(<|<=|>|>=)$/.test(text(field(c, 'operator') ?? c))) return true;
      if (c.type === 'call_expression' && /^(Date\.now|performance\.now)$/.test(text(field(c, 'function')!))) return true;
      for (const ch of c.children) if (ch.named) stack.push(ch);
    }
    return false;
  }

  function exits(block: AstNode): boolean {
    if (/^(break_statement|return_statement|throw_statement)$/.test(block.type)) return true;
    return block.children.some((s) => s.type === 'break_statement' || s.type === 'return_statement' || s.type === 'throw_statement');
  }

  // ---- Functions -------------------------------------------------------------------------------

  /** NestJS (and routing-controllers, GraphQL resolvers) bind request parts to parameters by decorator: `@Body() dto`. */
  function clientDecorated(pattern: AstNode): string | undefined {
    const holder = pattern.parent;
    if (!holder || !/parameter$/.test(holder.type)) return undefined;
    for (const c of holder.children) {
      if (c.type !== 'decorator') continue;
      const m = /^@\s*(Body|Query|Param|Params|Headers|Req|Request|UploadedFiles?|MessageBody|Args|Arg|BodyParam|QueryParam|QueryParams|HeaderParam|CookieParam|Ctx|Payload)\b/.exec(text(c));
      if (m) return `@${m[1]}()`;
    }
    return undefined;
  }

  function runFunction(fn: FunctionFact, record: boolean) {
    const parentScope = (fn.parent && fnScopes.get(fn.parent)) || (fn.className ? classScope(fn.className) : moduleScope);
    const scope = new Scope(parentScope);
    // Callbacks ran after this function last pass; what they wrote into its variables holds now.
    scope.closureWrites = fnScopes.get(fn)?.closureWrites ?? null;
    scope.onInnerWrite = () => {
      if (ran.has(fn)) stale.add(fn);
    };
    fnScopes.set(fn, scope);
    fn.calls = [];
    fn.returns = [];
    fn.calledNames = new Set();
    const incoming = callbackTaint.get(fn.node) ?? [];
    const allUser = allParamsUser.has(fn);
    fn.params.forEach((p, i) => {
      const labels: Label[] = [{ kind: 'param', line: p.node.line, what: p.name, param: i }, ...incoming];
      if (fn.isTool) labels.push({ kind: 'model', line: p.node.line, what: `tool argument '${p.name.length > 40 ? 'input' : p.name}' (chosen by the model)`, toolArg: true });
      else if (clientDecorated(p.node)) labels.push({ kind: 'user', line: p.node.line, what: `request parameter '${p.name.length > 40 ? 'input' : p.name}' (${clientDecorated(p.node)})` });
      else if (fn.isGraphNode && i === 0) labels.push({ kind: 'model', line: p.node.line, what: `graph state '${p.name.length > 40 ? 'state' : p.name}' (messages and model outputs)` });
      else if (convexHandlers.has(fn) && i === 1) labels.push({ kind: 'user', line: p.node.line, what: `client arguments '${p.name.length > 40 ? 'args' : p.name}' of a Convex function` });
      else if (allUser && (!/^(ctx|context)$/.test(p.name) || botHandlers.has(fn))) labels.push({ kind: 'user', line: p.node.line, what: `request parameter '${p.name.length > 40 ? 'input' : p.name}'` });
      // Handler parameters other than the request object itself (`{ params }`, Hono's `c`) are read through it.
      else if (fn.isHandler && i > 0 && !NOT_CLIENT_PARAM.test(p.name) && p.node.type === 'object_pattern') labels.push({ kind: 'user', line: p.node.line, what: `route parameter ${p.name}` });
      const type = p.annotation && /^[A-Z]\w*$/.test(p.annotation) ? resolveImport(p.annotation) : undefined;
      bind(p.node, labels, { fn, loops: [], scope, record: false }, undefined, true);
      if (type && p.node.type === 'identifier') scope.declare(p.name, { taint: labels, type });
    });
    const ctx: Ctx = { fn, loops: [], scope, record };
    const body = field(fn.node, 'body');
    if (body && body.type !== 'statement_block') {
      // Arrow function with an expression body: the expression is the return value.
      const t = ev(body, ctx, 0);
      fn.returns = union(fn.returns, t);
      if (record) returns.push({ node: body, value: body, taint: t, fn });
    } else execBlock(body, ctx, 0);
    summaries.set(fn, fn.returns);
  }

  function classScope(name: string): Scope {
    let s = classScopes.get(name);
    if (!s) {
      s = new Scope(moduleScope);
      classScopes.set(name, s);
      // Class fields and constructor assignments (`this.client = new OpenAI()`) are the class's state.
      for (const v of moduleScope.vars) if (v[0].startsWith('this.')) s.declare(v[0], v[1]);
    }
    return s;
  }

  /** Functions that ran before something they read changed: a callback's argument taint, a closure's write. */

  /** Local functions a function's own body calls by name (nested functions excluded). */
  function localCallees(fn: FunctionFact): FunctionFact[] {
    const out: FunctionFact[] = [];
    const stack = [...fn.node.children];
    let guard = 0;
    while (stack.length && guard++ < 200_000) {
      const n = stack.pop()!;
      if (FUNCTION_TYPES.has(n.type) || n.type === 'class_declaration') continue;
      if (n.type === 'call_expression' || n.type === 'new_expression') {
        const f = unwrap(field(n, n.type === 'call_expression' ? 'function' : 'constructor') ?? n);
        const name = f.type === 'identifier' ? text(f) : f.type === 'member_expression' ? text(field(f, 'property')!) : '';
        for (const c of localFunctions.get(name) ?? []) if (c !== fn && (f.type === 'member_expression' || c.className === null)) out.push(c);
      }
      for (const c of n.children) if (c.named) stack.push(c);
    }
    return out;
  }

  /**
   * One recorded pass, ordered so that what a function reads exists when it runs: module-level
   * declarations first (clients, constants), then functions callee-first (return summaries), each
   * before the functions nested in it (closures read their scope), then the module body. Functions
   * whose inputs changed after they ran (callback arguments, closure writes) run once more.
   */
  function runAll() {
    const pre: Ctx = { fn: moduleFn, loops: [], scope: moduleScope, record: false };
    for (const st of file.root.children) {
      const decl = st.type === 'export_statement' ? field(st, 'declaration') : st;
      if (decl && /^(lexical_declaration|variable_declaration|class_declaration|abstract_class_declaration)$/.test(decl.type)) execStmt(decl, pre, 0);
    }
    const children = new Map<FunctionFact | null, FunctionFact[]>();
    for (const fn of functions) {
      const list = children.get(fn.parent) ?? [];
      list.push(fn);
      children.set(fn.parent, list);
    }
    const order: FunctionFact[] = [];
    const seen = new Set<FunctionFact>();
    const visit = (root: FunctionFact) => {
      const stack: [FunctionFact, FunctionFact[], number][] = [[root, localCallees(root).filter((c) => c.parent === null), 0]];
      seen.add(root);
      while (stack.length) {
        const top = stack[stack.length - 1];
        const next = top[1][top[2]++];
        if (next === undefined) {
          order.push(top[0]);
          stack.pop();
        } else if (!seen.has(next)) {
          seen.add(next);
          stack.push([next, localCallees(next).filter((c) => c.parent === null), 0]);
        }
      }
    };
    const tops = children.get(null) ?? [];
    // Constructors first: they set `this.x` for the other methods.
    for (const fn of tops) if (fn.name === 'constructor' && !seen.has(fn)) visit(fn);
    for (const fn of tops) if (!seen.has(fn)) visit(fn);
    const runTree = (fn: FunctionFact) => {
      const stack = [fn];
      while (stack.length) {
        const f = stack.pop()!;
        runFunction(f, true);
        ran.add(f);
        stale.delete(f);
        const kids = children.get(f) ?? [];
        for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
      }
    };
    for (const fn of order) runTree(fn);
    for (const fn of unsummarisedInline) if (summaries.get(fn)?.length) stale.add(fn);
    moduleFn.calls = [];
    moduleFn.calledNames = new Set();
    execBlock(file.root, { fn: moduleFn, loops: [], scope: moduleScope, record: true }, 0);
    if (stale.size) {
      const again = new Set<FunctionFact>();
      for (const fn of stale) for (let f: FunctionFact | null = fn; f; f = f.parent) again.add(f);
      // Callbacks nested in a function that runs again read its new values (`outs.forEach((o) => ...)`).
      for (const fn of functions) if (fn.parent && again.has(fn.parent) && unsummarisedInline.size) again.add(fn);
      const keep = <T extends { fn: FunctionFact }>(xs: T[]) => {
        const kept = xs.filter((x) => !again.has(x.fn));
        xs.length = 0;
        xs.push(...kept);
      };
      keep(messages);
      keep(ifs);
      keep(returns);
      keep(assigns);
      keep(synthetic);
      messageNodes.clear();
      for (const m of messages) messageNodes.add(m.node);
      stale.clear();
      // Parents before children, in definition order.
      for (const fn of functions) if (again.has(fn)) {
        runFunction(fn, true);
      }
    }
  }

  // ---- Parameter resolution --------------------------------------------------------------------
  function argForParam(fn: FunctionFact, call: CallFact, index: number): ArgFact | undefined {
    return call.args.find((a) => a.index === index);
  }

  return function analyse(parsed: ParsedFile, lang: JsLanguage): PyModel {
    file = parsed;
    language = lang;
    src = file.source;
    imports = new Map<string, string>();
    moduleNames = new Set<string>(GLOBAL_MODULES);
    modules = new Set<string>();
    frameworks = new Set<string>();
    classes = new Map<string, { node: AstNode; bases: string[] }>();
    strings = [];
    functions = [];
    fnByNode = new Map<AstNode, FunctionFact>();
    messages = [];
    ifs = [];
    returns = [];
    assigns = [];
    synthetic = [];
    propTaint = new Map<AstNode, Label[]>();
    messageNodes = new Set<AstNode>();
    callByNode = new Map<AstNode, CallFact>();
    stateSetters = new Map<string, string>();
    callbackTaint = new Map<AstNode, Label[]>();
    allParamsUser = new Set<FunctionFact>();
    botHandlers = new Set<FunctionFact>();
    unsummarisedInline = new Set<FunctionFact>();
    convexHandlers = new Set<FunctionFact>();
    envReads = 0;
    moduleFn = makeFn('<module>', file.root, null, true);
    promisified = new Map<string, string>();
    localFunctions = new Map<string, FunctionFact[]>();
    moduleCtors = new Map<string, string>();
    summaries = new Map<FunctionFact, Label[]>();
    moduleScope = new Scope(null);
    fnScopes = new Map<FunctionFact, Scope>();
    classScopes = new Map<string, Scope>();
    ran = new Set<FunctionFact>();
    stale = new Set<FunctionFact>();
    try {
      useServerFile = file.root.children.some((c) => c.type === 'expression_statement' && c.children[0]?.type === 'string' && /^use server$/.test(stringValue(c.children[0])));
      // ---- Pre-pass: imports, classes, functions, string literals ----------------------------------
      {
        const stack: { node: AstNode; owner: FunctionFact; className: string | null; bases: string[] }[] = [{ node: file.root, owner: moduleFn, className: null, bases: [] }];
        let guard = 0;
        while (stack.length && guard++ < 2_000_000) {
          const { node, owner, className, bases } = stack.pop()!;
          if (node.type === 'import_statement') {
            const source = field(node, 'source');
            const mod = source ? stringValue(source) : '';
            modules.add(mod);
            for (const clause of node.children) {
              if (clause.type !== 'import_clause') continue;
              for (const c of clause.children) {
                if (c.type === 'identifier') {
                  imports.set(text(c), mod);
                  moduleNames.add(text(c));
                } else if (c.type === 'namespace_import') {
                  const id = c.children.find((x) => x.type === 'identifier');
                  if (id) {
                    imports.set(text(id), mod);
                    moduleNames.add(text(id));
                  }
                } else if (c.type === 'named_imports') {
                  for (const spec of c.children) {
                    if (spec.type !== 'import_specifier') continue;
                    const name = field(spec, 'name');
                    const alias = field(spec, 'alias') ?? name;
                    if (name && alias) imports.set(text(alias), `${mod}.${text(name)}`);
                  }
                }
              }
            }
            continue;
          }
          // `const x = require('mod')` / `const { a, b } = require('mod')`.
          if (node.type === 'variable_declarator') {
            const value = field(node, 'value');
            const name = field(node, 'name');
            // `const run = promisify(exec)`: calling `run` is calling `exec`.
            if (value && name?.type === 'identifier' && value.type === 'call_expression' && /^(util\.)?promisify$/.test(text(field(value, 'function')!))) {
              const arg = field(value, 'arguments')?.children.find((c) => c.named);
              if (arg && (arg.type === 'identifier' || arg.type === 'member_expression')) promisified.set(text(name), text(arg));
            }
            if (value && name && value.type === 'call_expression' && text(field(value, 'function')!) === 'require') {
              const arg = field(value, 'arguments')?.children.find((c) => c.named);
              if (arg?.type === 'string') {
                const mod = stringValue(arg);
                modules.add(mod);
                if (name.type === 'identifier') {
                  imports.set(text(name), mod);
                  moduleNames.add(text(name));
                } else if (name.type === 'object_pattern') {
                  for (const p of name.children) {
                    if (p.type === 'shorthand_property_identifier_pattern') imports.set(text(p), `${mod}.${text(p)}`);
                    else if (p.type === 'pair_pattern') {
                      const k = field(p, 'key');
                      const v = field(p, 'value');
                      if (k && v?.type === 'identifier') imports.set(text(v), `${mod}.${text(k)}`);
                    }
                  }
                }
              }
            }
          }
          if (node.type === 'class_declaration' || node.type === 'class') {
            const nameNode = field(node, 'name');
            const name = nameNode ? text(nameNode) : '<class>';
            const heritage = node.children.find((c) => c.type === 'class_heritage');
            const baseNames: string[] = [];
            if (heritage) {
              const ext = heritage.children.find((c) => c.type === 'extends_clause') ?? heritage;
              for (const c of ext.children) if (c.named && (c.type === 'identifier' || c.type === 'member_expression')) baseNames.push(text(c));
            }
            classes.set(name, { node, bases: baseNames });
            const body = field(node, 'body');
            if (body) stack.push({ node: body, owner, className: name, bases: baseNames });
            continue;
          }
          if (FUNCTION_TYPES.has(node.type)) {
            const fn = makeFn(functionName(node), node, owner.isModule ? null : owner);
            if (node.type === 'method_definition' && className) {
              fn.className = className;
              fn.classBases = bases;
              fn.qualName = `${className}.${fn.name}`;
            }
            fnByNode.set(node, fn);
            functions.push(fn);
            for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i], owner: fn, className: null, bases: [] });
            continue;
          }
          if (node.type === 'string' || (node.type === 'template_string' && !node.children.some((c) => c.type === 'template_substitution'))) {
            strings.push({ node, value: stringValue(node) });
          }
          for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i], owner, className, bases });
        }
      }
      for (const mod of modules) {
        const fw = frameworkOfPackage(mod);
        if (fw) frameworks.add(fw);
      }
      for (const [alias, original] of promisified) imports.set(alias, imports.get(original.split('.')[0]) ? `${imports.get(original.split('.')[0])}${original.slice(original.split('.')[0].length)}` : original);
      for (const fn of functions) {
        const list = localFunctions.get(fn.name) ?? [];
        list.push(fn);
        localFunctions.set(fn.name, list);
      }
      for (const s of file.root.children) {
        const decl = s.type === 'export_statement' ? field(s, 'declaration') : s;
        if (decl?.type !== 'lexical_declaration' && decl?.type !== 'variable_declaration') continue;
        for (const d of decl.children) {
          if (d.type !== 'variable_declarator') continue;
          const n = field(d, 'name');
          const v = field(d, 'value');
          if (n?.type !== 'identifier' || !v) continue;
          const u = unwrap(v);
          if (u.type === 'new_expression') moduleCtors.set(text(n), resolveImport(text(field(u, 'constructor')!)));
          else if (u.type === 'call_expression') moduleCtors.set(text(n), resolveImport(text(field(u, 'function')!)));
        }
      }
      {
        const stack = [file.root];
        let guard = 0;
        while (stack.length && guard++ < 2_000_000) {
          const n = stack.pop()!;
          for (const c of n.children) if (c.named) stack.push(c);
          if (n.type === 'object' && frameworks.size) {
            // `{ get_weather: getWeather, delete_user }`: a dispatch table the model's tool calls are routed through.
            const entries = n.children.filter((c) => c.type === 'pair' || c.type === 'shorthand_property_identifier');
            const targets = entries.map((c) => (c.type === 'pair' ? field(c, 'value') : c)).map((v) => (v && (v.type === 'identifier' || v.type === 'shorthand_property_identifier') ? localFunctions.get(text(v))?.find((f) => f.className === null) : undefined));
            // Named as one (`tools`, `availableFunctions`, `handlers`); `module.exports = { a, b }` is not.
            const holder = n.parent?.type === 'variable_declarator' ? text(field(n.parent, 'name') ?? n.parent) : '';
            if (entries.length >= 2 && targets.every((f) => f) && /(tool|function|handler|dispatch|action|command|registry|impl)/i.test(holder)) for (const f of targets) f!.isTool = true;
          }
          if (n.type === 'switch_statement') {
            // `switch (toolCall.function.name) { case 'run_shell': return runShell(args.command) }`: each
            // case runs what the model asked for, so the local functions it calls are tools.
            const value = field(n, 'value');
            if (value && frameworks.size && TOOL_NAME_SUBJECT.test(text(value).replace(/[()\s]/g, ''))) {
              for (const c of field(n, 'body')?.children ?? []) {
                if (c.type !== 'switch_case' || field(c, 'value')?.type !== 'string') continue;
                const inner = [...c.children.filter((x) => x.named && x !== field(c, 'value'))];
                let g = 0;
                while (inner.length && g++ < 2000) {
                  const x = inner.pop()!;
                  if (FUNCTION_TYPES.has(x.type)) continue;
                  if (x.type === 'call_expression') {
                    const target = fnOf(field(x, 'function'));
                    if (target && !target.isHandler) target.isTool = true;
                  }
                  for (const ch of x.children) if (ch.named) inner.push(ch);
                }
              }
            }
          }
          if (n.type === 'object') {
            // `{ description, parameters | inputSchema, execute }`: a tool definition, wrapped or not.
            const exec = objectProp(n, 'execute') ?? objectProp(n, 'func') ?? objectProp(n, 'handler');
            if (exec && (objectProp(n, 'parameters') || objectProp(n, 'inputSchema') || objectProp(n, 'schema')) && (objectProp(n, 'description') || objectProp(n, 'name'))) markTool(fnOf(exec), n);
            continue;
          }
          if (n.type === 'new_expression') {
            const ctor = resolveImport(text(field(n, 'constructor')!));
            const args = field(n, 'arguments')?.children.filter((c) => c.named) ?? [];
            if (TOOL_CLASSES.test(ctor) && args[0]?.type === 'object') markTool(fnOf(objectProp(args[0], 'func') ?? objectProp(args[0], 'execute')), args[0], n);
            continue;
          }
          if (n.type !== 'call_expression') continue;
          const f = calleeOf(n)!;
          const argList = field(n, 'arguments');
          const args = argList?.type === 'arguments' ? argList.children.filter((c) => c.named) : [];
          const callee = f.type === 'identifier' ? resolveImport(text(f)) : text(f);
          if ((TOOL_OPTION_WRAPPERS.test(callee) || (f.type === 'identifier' && /^(tool|createTool|dynamicTool)$/.test(text(f)))) && args[0]?.type === 'object') {
            markTool(fnOf(objectProp(args[0], 'execute') ?? objectProp(args[0], 'invoke')), args[0], n);
            continue;
          }
          // LlamaIndex.TS `FunctionTool.from(fn, { name, parameters })`.
          if (/(^|\.)FunctionTool\.from$/.test(callee.replace(/^[\w@/.-]*?(?=FunctionTool)/, '')) && args[0] && fnOf(args[0])) {
            markTool(fnOf(args[0]), args[1], n);
            continue;
          }
          // Convex public functions: `mutation({ args, handler: async (ctx, args) => ... })` is called by any client.
          if (/_generated\/server\.(mutation|action|query)$/.test(callee) && args[0]?.type === 'object') {
            const h = fnOf(objectProp(args[0], 'handler'));
            if (h) {
              h.isHandler = true;
              convexHandlers.add(h);
            }
            continue;
          }
          if ((LANGCHAIN_TOOL_FN.test(callee) || (f.type === 'identifier' && text(f) === 'tool')) && args[0] && fnOf(args[0])) {
            markTool(fnOf(args[0]), args[1], n);
            continue;
          }
          if (f.type !== 'member_expression') continue;
          const method = text(field(f, 'property')!);
          const recv = field(f, 'object')!;
          // LangGraph.js `graph.addNode('learn', learn)`: the node receives the graph state (user turns, model replies).
          if (method === 'addNode' && args.length >= 2 && (args[0].type === 'string' || args[0].type === 'template_string')) {
            const node = fnOf(args[1]);
            if (node && !node.isTool) node.isGraphNode = true;
            continue;
          }
          const recvName = lastName(recv) ?? '';
          const recvType = moduleCtors.get(recvName) ?? '';
          const mcpServer = MCP_SERVER_TYPE.test(recvType) || (!recvType && MCP_SERVER_NAME.test(recvName)) || /modelcontextprotocol|fastmcp/.test(recvType);
          if (mcpServer && (method === 'tool' || method === 'registerTool') && args.length >= 2) {
            markTool(fnOf(args[args.length - 1]), method === 'registerTool' ? args[1] : undefined, n);
            continue;
          }
          if (mcpServer && method === 'addTool' && args[0]?.type === 'object') {
            markTool(fnOf(objectProp(args[0], 'execute')), args[0], n);
            continue;
          }
          // Low-level MCP server: the CallTool handler receives the model's arguments.
          if (method === 'setRequestHandler' && args[0] && /CallToolRequestSchema/.test(text(args[0]))) {
            const handler = fnOf(args[1]);
            markTool(handler, undefined, n);
            if (handler && handler.name === '<anonymous>') handler.name = 'CallTool handler';
            continue;
          }
          // Express, Koa-router, Fastify, Hono: `app.post('/chat', handler)`.
          if (HTTP_VERBS.test(method) && args.length >= 2 && (args[0].type === 'string' || args[0].type === 'template_string') && /^['"`]\//.test(text(args[0])) && (HTTP_APP_NAME.test(recvName) || /express|hono|fastify|koa|Router/i.test(recvType))) {
            for (const a of args.slice(1)) {
              const h = fnOf(a);
              if (h) h.isHandler = true;
            }
            continue;
          }
          // Chat and bot event handlers: `socket.on('message', (msg) => ...)`, `bot.on('text', (ctx) => ...)`,
          // Slack Bolt `app.message(async ({ message }) => ...)`: what arrives was typed by a user.
          if ((/^(on|once|message|command|hears|action|event)$/.test(method)) && args[0] && (args[0].type === 'string' || method === 'message') && /^(socket|ws|io|wss|client|bot|channel|slack|app|conn|connection)$/i.test(recvName) && !(method === 'on' && /^['"`](error|close|listening|ready|connection|connect|open|exit|end|drain)['"`]$/.test(text(args[0])))) {
            const h = fnOf(args[args.length - 1]);
            // Bolt's `app.message(handler)` takes the handler alone; `on('text', handler)` names the event first.
            if (h && (h !== fnOf(args[0]) || (method === 'message' && args.length === 1))) {
              h.isHandler = true;
              allParamsUser.add(h);
              // Telegraf and grammY hand the update over as `ctx` (`ctx.message.text`): here it is the user's message, not a request wrapper.
              botHandlers.add(h);
            }
            continue;
          }
          // tRPC procedures: `.mutation(({ input }) => ...)`.
          if (/^(query|mutation|subscription)$/.test(method) && /procedure|\.input\(/i.test(text(recv))) {
            const h = fnOf(args[0]);
            if (h) {
              h.isHandler = true;
              allParamsUser.add(h);
            }
          }
        }
      }
      for (const fn of functions) {
        const exported = fn.node.parent?.type === 'export_statement' || (fn.node.parent?.type === 'variable_declarator' && fn.node.parent.parent?.parent?.type === 'export_statement');
        if (exported && NEXT_ROUTE_EXPORTS.test(fn.name)) fn.isHandler = true;
        // Cloudflare Workers: `export default { async fetch(request, env, ctx) { ... } }` serves every request.
        if (fn.name === 'fetch' && workerEntry(fn.node)) fn.isHandler = true;
        // Next.js server actions: every argument arrives from the browser.
        const bodyNode = field(fn.node, 'body');
        const ownDirective = bodyNode?.type === 'statement_block' && bodyNode.children[0]?.type === 'expression_statement' && bodyNode.children[0].children[0]?.type === 'string' && stringValue(bodyNode.children[0].children[0]) === 'use server';
        if ((useServerFile && exported) || ownDirective) {
          fn.isHandler = true;
          allParamsUser.add(fn);
        }
        // Pages-router API routes and plain Node handlers: `export default function handler(req, res)`.
        const params = field(fn.node, 'parameters');
        const ps = params?.children.filter((c) => c.named).map((c) => text(c).split(/[:=?]/)[0].trim()) ?? [];
        if (fn.node.parent?.type === 'export_statement' && /^(req|request)$/.test(ps[0] ?? '') && /^(res|response)$/.test(ps[1] ?? '')) fn.isHandler = true;
        if (fn.className && fn.name === '_call' && fn.classBases.some((b) => TOOL_CLASSES.test(resolveImport(b)))) fn.isTool = true;
        // NestJS controllers and gateways: `@Post('chat') async chat(@Body() dto)`.
        if (fn.className && fn.node.type === 'method_definition') {
          const decos: AstNode[] = [];
          const siblings = fn.node.parent?.children ?? [];
          for (let i = siblings.indexOf(fn.node) - 1; i >= 0 && siblings[i].type === 'decorator'; i--) decos.push(siblings[i]);
          for (const c of fn.node.children) if (c.type === 'decorator') decos.push(c);
          if (decos.some((d) => /^@\s*(Get|Post|Put|Patch|Delete|All|Sse|SubscribeMessage|MessagePattern|EventPattern|Mutation|Query)\s*\(/.test(text(d)))) fn.isHandler = true;
        }
      }
      for (const fn of functions) {
        const params = field(fn.node, 'parameters') ?? field(fn.node, 'parameter');
        if (!params) continue;
        const list = params.type === 'formal_parameters' ? params.children.filter((c) => c.named) : [params];
        for (const p of list) {
          const pattern = field(p, 'pattern') ?? (p.type === 'assignment_pattern' ? field(p, 'left') : p);
          const ty = field(p, 'type');
          const dflt = field(p, 'value') ?? (p.type === 'assignment_pattern' ? field(p, 'right') : undefined);
          if (!pattern) continue;
          fn.params.push({ name: text(pattern), node: pattern, annotation: ty ? text(ty).replace(/^:\s*/, '') : undefined, default: dflt });
        }
      }
      runAll();

      {
        const callers = callersOf([moduleFn, ...functions]);
        for (let round = 0; round < 3; round++) {
          const incoming = incomingLabels(functions, callers, argForParam);
          // A closure reads its enclosing functions' parameters: a parameter label belongs to the
          // function (this one or an enclosing one) that declares a parameter of that name and line.
          const ownerOf = (l: Label, fn: FunctionFact): FunctionFact | undefined => {
            for (let f: FunctionFact | null = fn; f; f = f.parent) {
              const p = f.params[l.param!];
              if (p && p.name === l.what && p.node.line === l.line) return f;
            }
            return undefined;
          };
          const ownerSubst = (labels: Label[], fn: FunctionFact): Label[] => {
            if (!labels.some((l) => l.kind === 'param')) return labels;
            const out: Label[] = [];
            for (const l of labels) {
              if (l.kind !== 'param') {
                out.push(l);
                continue;
              }
              const owner = ownerOf(l, fn);
              const per = owner ? incoming.get(owner) : undefined;
              if (!per) continue;
              out.push(l);
              for (const a of per[l.param!] ?? []) if (a.kind !== 'param') out.push(substitute(l, a));
            }
            return union(out);
          };
          substituteFacts({ functions: [moduleFn, ...functions], messages, ifs, returns }, ownerSubst);
        }
      }
      const calls = [moduleFn, ...functions].flatMap((f) => f.calls).sort((a, b) => a.node.startIndex - b.node.startIndex);
      const source = src;
      return { file, imports, modules, frameworks, module: moduleFn, functions, calls, messages, ifs, returns, assigns, strings, classes, text: (n: AstNode) => source.slice(n.startIndex, n.endIndex), line: lineReader(source), envReads, language };
    } finally {
      // Hold no file between calls: the returned model is the only reference to its facts.
      file = undefined as never;
      src = '';
      imports = undefined as never;
      moduleNames = undefined as never;
      modules = undefined as never;
      frameworks = undefined as never;
      classes = undefined as never;
      strings = undefined as never;
      functions = undefined as never;
      fnByNode = undefined as never;
      messages = undefined as never;
      ifs = undefined as never;
      returns = undefined as never;
      assigns = undefined as never;
      synthetic = undefined as never;
      propTaint = undefined as never;
      messageNodes = undefined as never;
      callByNode = undefined as never;
      stateSetters = undefined as never;
      callbackTaint = undefined as never;
      allParamsUser = undefined as never;
      botHandlers = undefined as never;
      unsummarisedInline = undefined as never;
      convexHandlers = undefined as never;
      moduleFn = undefined as never;
      promisified = undefined as never;
      localFunctions = undefined as never;
      moduleCtors = undefined as never;
      summaries = undefined as never;
      moduleScope = undefined as never;
      fnScopes = undefined as never;
      classScopes = undefined as never;
      ran = undefined as never;
      stale = undefined as never;
    }
  };
}

function normaliseRole(role: string): string {
  if (role === 'human') return 'user';
  if (role === 'ai') return 'assistant';
  if (role === 'developer') return 'system';
  return role;
}

function shortCallee(callee: string): string {
  return callee.replace(/\(\)/g, '').split('.').slice(-3).join('.');
}

export type { ParamFact };
