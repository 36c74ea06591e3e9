import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { Language, Parser, type Tree } from 'web-tree-sitter';

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
const languages = new Map<Grammar, Promise<Language>>();
const parsers = new Map<Grammar, Parser>();

export async function loadGrammar(grammar: Grammar): Promise<void> {
  initialised ??= Parser.init();
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

/** Parses with a wall-clock budget; `loadGrammar` must have resolved first. */
export function parseTree(grammar: Grammar, source: string, budgetMs = 5000): { tree: Tree | null; timedOut: boolean } {
  const parser = parsers.get(grammar);
  if (!parser) throw new Error(`grammar ${grammar} is not loaded`);
  const deadline = performance.now() + budgetMs;
  let timedOut = false;
  const tree = parser.parse(source, null, {
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
    const { root, count } = copyTree(tree, source);
    return { root, source, hasError: tree.rootNode.hasError, timedOut, nodeCount: count };
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
    t = { types, named, fields };
    tables.set(language, t);
  }
  return t;
}

/**
 * Iterative, so 5,000-deep nesting cannot overflow the JS stack. Every cursor getter is a WASM
 * call, so each node costs four of them (type id, field id, start, end); names, "named" flags and
 * line numbers come from JS-side tables instead.
 */
function copyTree(tree: Tree, source: string): { root: AstNode; count: number } {
  const { types, named, fields } = tablesFor(tree.language);
  const commentId = types.indexOf('comment');
  const lineStarts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  // Preorder start offsets never decrease, so the start line is found by walking forward.
  let lineCursor = 0;
  const startLine = (index: number): number => {
    while (lineCursor + 1 < lineStarts.length && lineStarts[lineCursor + 1] <= index) lineCursor++;
    return lineCursor;
  };
  const lineOf = (index: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const cursor = tree.walk();
  let count = 0;
  const make = (parent: AstNode | null, typeId: number, fieldId: number): AstNode => {
    const startIndex = cursor.startIndex;
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
  // A parent ends where its last child ends, so only leaves ask the cursor for their end.
  const finish = (node: AstNode, end: number) => {
    node.endIndex = end;
    node.endLine = lineOf(Math.max(node.startIndex, end - 1)) + 1;
  };
  try {
    const root = make(null, cursor.nodeTypeId, 0);
    let current = root;
    // The end offset of the last node visited under `current`, kept or not.
    let lastEnd = root.startIndex;
    if (!cursor.gotoFirstChild()) {
      finish(root, cursor.endIndex);
      return { root, count };
    }
    for (;;) {
      const typeId = cursor.nodeTypeId;
      const fieldId = cursor.currentFieldId;
      // Anonymous tokens matter only where a field names them (operators); punctuation is dropped.
      let node: AstNode | null = null;
      // Comments carry no flow; suppression comments are read from the source text.
      if ((named[typeId] !== false || fieldId !== 0) && typeId !== commentId) {
        node = make(current, typeId, fieldId);
        if (current.children === NO_CHILDREN) current.children = [node];
        else current.children.push(node);
      }
      if (cursor.gotoFirstChild()) {
        // Anonymous nodes with children do not occur in these grammars; keep the walk exact anyway.
        current = node ?? make(current, typeId, fieldId);
        continue;
      }
      lastEnd = cursor.endIndex;
      if (node) finish(node, lastEnd);
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return { root, count };
        finish(current, lastEnd);
        if (current.parent) current = current.parent;
        else return { root, count };
      }
    }
  } finally {
    cursor.delete();
  }
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
