import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { Language, Parser, type Tree, type TreeCursor } from 'web-tree-sitter';

export type Grammar = 'python' | 'javascript' | 'typescript' | 'tsx';

/** The npm package that ships each grammar's .wasm (TSX comes with the TypeScript grammar). */
const GRAMMAR_PACKAGE: Record<Grammar, string> = { python: 'tree-sitter-python', javascript: 'tree-sitter-javascript', typescript: 'tree-sitter-typescript', tsx: 'tree-sitter-typescript' };

/**
 * A plain-JS copy of the syntax tree. Walking web-tree-sitter's Node objects crosses the WASM
 * boundary on every property read; one cursor pass into plain objects makes every later analysis
 * pass pure JS, and lets the parse tree be freed at once.
 */
export interface AstNode {
  type: string;
  field: string | null;
  named: boolean;
  children: AstNode[];
  parent: AstNode | null;
  startIndex: number;
  endIndex: number;
  /** 1-based line and column, as every report shows them. */
  line: number;
  column: number;
  endLine: number;
}

export interface ParsedFile {
  root: AstNode;
  source: string;
  hasError: boolean;
  /** Set when parsing was cut off by the time budget: `root` then covers what was parsed. */
  timedOut: boolean;
  nodeCount: number;
  /**
   * Every named node in postorder with its type id, recorded during the copy. Lets analyses that
   * look for a few node types scan a compact array instead of walking a million objects; see
   * `walkOrder`. Absent when the tree was not built by `parse`.
   */
  postorder?: { nodes: AstNode[]; typeIds: Uint16Array; typeNames: readonly string[] };
}

const require = createRequire(import.meta.url);

/** Grammar files are found next to a bundle first (the Action ships them in dist/), then in node_modules. */
function grammarPath(grammar: Grammar): string {
  const file = `tree-sitter-${grammar}.wasm`;
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.join(here, file), path.join(here, 'grammars', file)]) {
    if (existsSync(candidate)) return candidate;
  }
  return path.join(path.dirname(require.resolve(`${GRAMMAR_PACKAGE[grammar]}/package.json`)), file);
}

let initialised: Promise<void> | null = null;

/**
 * The Emscripten module behind web-tree-sitter. `Parser.init(options)` turns the options object
 * into the module, so passing our own object gives us its raw exports. The public TreeCursor
 * copies the cursor into and out of WASM memory around every call (a third of the copy's cost);
 * with the raw exports the cursor stays in the transfer buffer for the whole walk. When someone
 * else initialised web-tree-sitter first, their module is cached and ours stays empty: then the
 * public API is used (same result, slower). Shared through a global so a second copy of this
 * module (the bench loads the engine twice) finds it.
 */
interface RawModule {
  HEAP32: Int32Array;
  _ts_init(): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
}
const RAW_KEY = Symbol.for('agentcop.web-tree-sitter.module');
const moduleOptions: Partial<RawModule> = {};
function rawModule(): RawModule | null {
  const m = ((globalThis as Record<symbol, unknown>)[RAW_KEY] ?? moduleOptions) as Partial<RawModule>;
  return typeof m._ts_tree_cursor_current_field_id_wasm === 'function' && typeof m._ts_init === 'function' && m.HEAP32 ? (m as RawModule) : null;
}

const languages = new Map<Grammar, Promise<Language>>();
const parsers = new Map<Grammar, Parser>();

export async function loadGrammar(grammar: Grammar): Promise<void> {
  initialised ??= Parser.init(moduleOptions).then(() => {
    if (rawModule() === moduleOptions) (globalThis as Record<symbol, unknown>)[RAW_KEY] = moduleOptions;
  });
  await initialised;
  let lang = languages.get(grammar);
  if (!lang) {
    lang = Language.load(grammarPath(grammar));
    languages.set(grammar, lang);
  }
  const language = await lang;
  if (!parsers.has(grammar)) {
    const parser = new Parser();
    parser.setLanguage(language);
    parsers.set(grammar, parser);
  }
}

/** UTF-16 code units per read; web-tree-sitter copies at most 5,120 per call into WASM memory anyway. */
export const PARSE_CHUNK = 4096;

/** Parses with a wall-clock budget; `loadGrammar` must have resolved first. */
export function parseTree(grammar: Grammar, source: string, budgetMs = 5000): { tree: Tree | null; timedOut: boolean } {
  const parser = parsers.get(grammar);
  if (!parser) throw new Error(`grammar ${grammar} is not loaded`);
  const deadline = performance.now() + budgetMs;
  let timedOut = false;
  // Handing the parser bounded slices instead of the whole string (web-tree-sitter then passes
  // `source.slice(index)` every time) parses the same tree about a quarter faster here; the
  // bench measures the bare parse both ways.
  const tree = parser.parse((index) => source.slice(index, index + PARSE_CHUNK), null, {
    progressCallback: () => {
      if (performance.now() > deadline) timedOut = true;
      return timedOut as unknown as void;
    },
  });
  return { tree, timedOut };
}

export function parse(grammar: Grammar, source: string, budgetMs?: number): ParsedFile {
  const { tree, timedOut } = parseTree(grammar, source, budgetMs);
  if (!tree) {
    const root = emptyRoot(source);
    return { root, source, hasError: true, timedOut, nodeCount: 1 };
  }
  try {
    const { root, count, postorder } = copyTree(tree, source);
    return { root, source, hasError: tree.rootNode.hasError, timedOut, nodeCount: count, postorder };
  } finally {
    tree.delete();
  }
}

function emptyRoot(source: string): AstNode {
  const lines = source.split('\n').length;
  return { type: 'module', field: null, named: true, children: [], parent: null, startIndex: 0, endIndex: source.length, line: 1, column: 1, endLine: lines };
}

/** Shared by every leaf; frozen so a stray push fails loudly instead of corrupting the tree. */
const NO_CHILDREN: AstNode[] = Object.freeze([]) as unknown as AstNode[];

interface LanguageTables {
  types: string[];
  named: boolean[];
  fields: (string | null)[];
}
const tables = new WeakMap<Language, LanguageTables>();

function intern(s: string): string {
  return Object.keys({ [s]: 0 })[0];
}

function tablesFor(language: Language): LanguageTables {
  let t = tables.get(language);
  if (!t) {
    const types: string[] = [];
    const named: boolean[] = [];
    for (let id = 0; id < language.nodeTypeCount; id++) {
      types.push(language.nodeTypeForId(id) ?? 'ERROR');
      named.push(language.nodeTypeIsNamed(id));
    }
    const fields: (string | null)[] = [null];
    for (let id = 1; id <= language.fieldCount; id++) fields.push(language.fieldNameForId(id));
    // Names come out of WASM memory as fresh strings. Interned (as property keys are), every
    // `node.type === 'call'` in the engine is a pointer compare instead of a character compare.
    t = { types: types.map(intern), named, fields: fields.map((f) => (f === null ? null : intern(f))) };
    tables.set(language, t);
  }
  return t;
}

/** Type ids of the postorder index, reused across files (each file gets its own trimmed copy). */
let idBuffer = new Uint16Array(1 << 16);

/**
 * Iterative, so 5,000-deep nesting cannot overflow the JS stack. Every cursor getter is a WASM
 * call, so each node costs four of them (type id, field id, start, end); names, "named" flags and
 * line numbers come from JS-side tables instead.
 */
function copyTree(tree: Tree, source: string): { root: AstNode; count: number; postorder: NonNullable<ParsedFile['postorder']> } {
  const { types, named, fields } = tablesFor(tree.language);
  const commentId = types.indexOf('comment');
  // Python's string delimiters are named tokens, an eighth of all nodes, and nothing reads them:
  // the prefix is in the source text, the content in string_content and interpolation.
  const startId = types.indexOf('string_start');
  const endId = types.indexOf('string_end');
  const lineStarts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  // Preorder start offsets never decrease, so the start line is found by walking forward.
  let lineCursor = 0;
  const startLine = (index: number): number => {
    while (lineCursor + 1 < lineStarts.length && lineStarts[lineCursor + 1] <= index) lineCursor++;
    return lineCursor;
  };
  // End offsets arrive in postorder, which is nearly ascending: step from the last answer.
  let endCursor = 0;
  const lineOf = (index: number): number => {
    while (endCursor > 0 && lineStarts[endCursor] > index) endCursor--;
    while (endCursor + 1 < lineStarts.length && lineStarts[endCursor + 1] <= index) endCursor++;
    return endCursor;
  };
  const w = walkerFor(tree);
  let count = 0;
  const post: AstNode[] = [];
  let postIds = idBuffer;
  let idCount = 0;
  const make = (parent: AstNode | null, typeId: number, fieldId: number): AstNode => {
    const startIndex = w.start();
    const row = startLine(startIndex);
    count++;
    return {
      type: types[typeId] ?? 'ERROR',
      field: fields[fieldId] ?? null,
      named: named[typeId] ?? true,
      children: NO_CHILDREN,
      parent,
      startIndex,
      endIndex: -1,
      line: row + 1,
      column: startIndex - lineStarts[row] + 1,
      endLine: 0,
    };
  };
  // A parent ends where its last child ends, so only leaves ask the cursor for their end. Nodes
  // finish in postorder, which is when the named ones join the postorder index.
  const finish = (node: AstNode, typeId: number, end: number) => {
    node.endIndex = end;
    node.endLine = lineOf(Math.max(node.startIndex, end - 1)) + 1;
    if (node.named) {
      post.push(node);
      if (idCount === postIds.length) {
        const grown = new Uint16Array(postIds.length * 2);
        grown.set(postIds);
        postIds = idBuffer = grown;
      }
      postIds[idCount++] = typeId;
    }
  };
  const rootTypeId = w.typeId();
  const root = make(null, rootTypeId, 0);
  // Children wait on one shared stack until their parent finishes, then move into an array of
  // exactly their number: growing each parent's array by push left most of them with room for
  // 17, which the garbage collector then copied and kept for every node of the tree.
  const pending: AstNode[] = [];
  // Where `current`'s children and each ancestor's begin in `pending`.
  const starts: number[] = [0];
  let current = root;
  const adopt = (node: AstNode, start: number) => {
    if (pending.length > start) {
      node.children = pending.slice(start);
      pending.length = start;
    }
  };
  const done = () => {
    // Only a walk cut short leaves ancestors open; they keep the children seen so far.
    for (let n: AstNode | null = current; starts.length && n; n = n.parent) adopt(n, starts.pop()!);
    return { root, count, postorder: { nodes: post, typeIds: postIds.slice(0, idCount), typeNames: types } };
  };
  try {
    // Type ids of `current` and its ancestors, for `finish`.
    const idStack: number[] = [rootTypeId];
    // The end offset of the last node visited under `current`, kept or not.
    let lastEnd = root.startIndex;
    if (!w.first()) {
      finish(root, rootTypeId, w.end());
      return done();
    }
    for (;;) {
      const typeId = w.typeId();
      const fieldId = w.fieldId();
      // Anonymous tokens matter only where a field names them (operators); punctuation is dropped.
      let node: AstNode | null = null;
      // Comments carry no flow; suppression comments are read from the source text.
      if ((named[typeId] !== false || fieldId !== 0) && typeId !== commentId && typeId !== startId && typeId !== endId) {
        node = make(current, typeId, fieldId);
        pending.push(node);
      }
      if (w.first()) {
        // Anonymous nodes with children do not occur in these grammars; keep the walk exact anyway.
        current = node ?? make(current, typeId, fieldId);
        idStack.push(typeId);
        starts.push(pending.length);
        continue;
      }
      lastEnd = w.end();
      if (node) finish(node, typeId, lastEnd);
      while (!w.next()) {
        if (!w.parent()) return done();
        adopt(current, starts.pop()!);
        finish(current, idStack.pop()!, lastEnd);
        if (current.parent) current = current.parent;
        else return done();
      }
    }
  } finally {
    w.dispose();
  }
}

/** The seven cursor operations the copy needs. */
interface Walker {
  typeId(): number;
  fieldId(): number;
  start(): number;
  end(): number;
  first(): boolean;
  next(): boolean;
  parent(): boolean;
  dispose(): void;
}

function walkerFor(tree: Tree): Walker {
  const cursor = tree.walk();
  const m = rawModule();
  const raw = m ? rawWalker(m, tree, cursor) : null;
  if (raw) return raw;
  return {
    typeId: () => cursor.nodeTypeId,
    fieldId: () => cursor.currentFieldId,
    start: () => cursor.startIndex,
    end: () => cursor.endIndex,
    first: () => cursor.gotoFirstChild(),
    next: () => cursor.gotoNextSibling(),
    parent: () => cursor.gotoParent(),
    dispose: () => cursor.delete(),
  };
}

function rawWalker(m: RawModule, tree: Tree, cursor: TreeCursor): Walker | null {
  // The raw handle must belong to the web-tree-sitter instance that made this tree (a second
  // copy of the library in one process has its own memory): the root must read the same both ways.
  const expected = [cursor.nodeTypeId, cursor.startIndex, cursor.endIndex];
  // The raw calls read the cursor from the transfer buffer and the moves write it back, so it
  // is placed there once; nothing else touches the buffer while the walk runs synchronously.
  // (The cursor's state is four 32-bit words; its stack lives in WASM memory, freed by delete.)
  const state = cursor as unknown as Record<number, number>;
  const heap = m.HEAP32;
  const buffer = m._ts_init() >> 2;
  for (let i = 0; i < 4; i++) heap[buffer + i] = state[i];
  const t = (tree as unknown as Record<number, number>)[0];
  const goFirst = m._ts_tree_cursor_goto_first_child_wasm;
  const goNext = m._ts_tree_cursor_goto_next_sibling_wasm;
  const goParent = m._ts_tree_cursor_goto_parent_wasm;
  const typeId = m._ts_tree_cursor_current_node_type_id_wasm;
  const fieldId = m._ts_tree_cursor_current_field_id_wasm;
  const start = m._ts_tree_cursor_start_index_wasm;
  const end = m._ts_tree_cursor_end_index_wasm;
  try {
    if (typeId(t) !== expected[0] || start(t) !== expected[1] || end(t) !== expected[2]) return null;
  } catch {
    return null;
  }
  return {
    typeId: () => typeId(t),
    fieldId: () => fieldId(t),
    start: () => start(t),
    end: () => end(t),
    first: () => goFirst(t) === 1,
    next: () => goNext(t) === 1,
    parent: () => goParent(t) === 1,
    dispose: () => {
      // Hand the moved state back so delete() frees the right stack.
      const h = m.HEAP32;
      for (let i = 0; i < 4; i++) state[i] = h[buffer + i];
      cursor.delete();
    },
  };
}

export function text(file: { source: string }, node: AstNode): string {
  return file.source.slice(node.startIndex, node.endIndex);
}

export function field(node: AstNode, name: string): AstNode | undefined {
  for (const c of node.children) if (c.field === name) return c;
  return undefined;
}

export function fields(node: AstNode, name: string): AstNode[] {
  return node.children.filter((c) => c.field === name);
}

export function namedChildren(node: AstNode): AstNode[] {
  return node.children.filter((c) => c.named);
}

const walkOrderCache = new WeakMap<ParsedFile, Map<string, AstNode[]>>();

/**
 * The named nodes of the given types, in the order the engine's usual stack walk from the root
 * visits them (push the named children in order, pop the last first): that order is the reverse
 * of postorder. `limit` caps the nodes visited, as such a walk's guard does. Built from the
 * postorder index when `parse` made the tree, by that very walk otherwise.
 */
export function walkOrder(file: ParsedFile, types: readonly string[], limit = Infinity): readonly AstNode[] {
  const key = `${limit}:${types.join(',')}`;
  let cached = walkOrderCache.get(file);
  const hit = cached?.get(key);
  if (hit) return hit;
  const out: AstNode[] = [];
  const wanted = new Set(types);
  const index = file.postorder;
  if (index) {
    const mask = index.typeNames.map((t) => wanted.has(t));
    // Ids past the table (the error symbol, 65535) are named 'ERROR' by the copy.
    const other = wanted.has('ERROR');
    const { nodes, typeIds } = index;
    const stop = Math.max(0, nodes.length - limit);
    for (let i = nodes.length - 1; i >= stop; i--) if (mask[typeIds[i]] ?? other) out.push(nodes[i]);
  } else {
    const stack: AstNode[] = [file.root];
    let guard = 0;
    while (stack.length && guard++ < limit) {
      const n = stack.pop()!;
      if (wanted.has(n.type)) out.push(n);
      for (const c of n.children) if (c.named) stack.push(c);
    }
  }
  if (!cached) walkOrderCache.set(file, (cached = new Map()));
  cached.set(key, out);
  return out;
}

const ownerCache = new WeakMap<ParsedFile, Map<string, Map<AstNode, AstNode[]>>>();

/**
 * `walkOrder(file, types)` grouped by each node's nearest ancestor of an owner type (the root
 * when none): what a walk over one owner's body that skips nested owners finds, in its order.
 */
export function walkOrderByOwner(file: ParsedFile, types: readonly string[], ownerTypes: readonly string[]): Map<AstNode, AstNode[]> {
  const key = `${types.join(',')}/${ownerTypes.join(',')}`;
  let cached = ownerCache.get(file);
  const hit = cached?.get(key);
  if (hit) return hit;
  const owners = new Set(ownerTypes);
  const out = new Map<AstNode, AstNode[]>();
  for (const n of walkOrder(file, types)) {
    let owner = n.parent;
    while (owner && owner.parent && !owners.has(owner.type)) owner = owner.parent;
    if (!owner) continue;
    const list = out.get(owner);
    if (list) list.push(n);
    else out.set(owner, [n]);
  }
  if (!cached) ownerCache.set(file, (cached = new Map()));
  cached.set(key, out);
  return out;
}
