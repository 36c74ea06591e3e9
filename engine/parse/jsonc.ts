/**
 * A small JSON parser that keeps positions. Config rules report the line a value sits on, which
 * `JSON.parse` cannot tell. It also accepts what real client configs contain and strict JSON does
 * not: `//` and `/* *\/` comments and trailing commas (VS Code's `mcp.json` and `.claude` files are
 * JSONC), and a byte-order mark. Anything else malformed raises `JsonParseError` with a line, so
 * the scan can say where the file broke instead of crashing or guessing.
 *
 * No regexes over the whole text and no recursion without a depth cap: a hostile file can be slow
 * only in proportion to its size.
 */

interface Position {
  /** Offset of the first character in the source. */
  offset: number;
  /** 1-based line and column of that character. */
  line: number;
  column: number;
  /** Line of the last character (objects and arrays span lines). */
  endLine: number;
}

export interface JsonObject extends Position {
  type: 'object';
  properties: JsonProperty[];
}
export interface JsonArray extends Position {
  type: 'array';
  items: JsonNode[];
}
export interface JsonString extends Position {
  type: 'string';
  value: string;
}
export interface JsonNumber extends Position {
  type: 'number';
  value: number;
}
export interface JsonBoolean extends Position {
  type: 'boolean';
  value: boolean;
}
export interface JsonNull extends Position {
  type: 'null';
  value: null;
}
export type JsonNode = JsonObject | JsonArray | JsonString | JsonNumber | JsonBoolean | JsonNull;

export interface JsonProperty {
  key: string;
  keyNode: JsonString;
  value: JsonNode;
}

export class JsonParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} at line ${line}, column ${column}`);
    this.name = 'JsonParseError';
  }
}

/** Deeper nesting than any config has; the cap keeps recursion off the stack limit. */
const MAX_DEPTH = 256;

export function parseJsonc(source: string): JsonNode {
  return new JsoncParser(source).document();
}

class JsoncParser {
  private i = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly s: string) {
    if (s.charCodeAt(0) === 0xfeff) this.i = 1;
  }

  document(): JsonNode {
    this.skip();
    if (this.i >= this.s.length) this.fail('empty document');
    const v = this.value(0);
    this.skip();
    if (this.i < this.s.length) this.fail(`unexpected ${this.describe()} after the top-level value`);
    return v;
  }

  private pos(): Position {
    return { offset: this.i, line: this.line, column: this.i - this.lineStart + 1, endLine: this.line };
  }

  private fail(message: string): never {
    throw new JsonParseError(message, this.line, this.i - this.lineStart + 1);
  }

  private describe(): string {
    if (this.i >= this.s.length) return 'end of file';
    return JSON.stringify(this.s[this.i]);
  }

  private newline(at: number): void {
    this.line++;
    this.lineStart = at + 1;
  }

  /** Whitespace and comments. */
  private skip(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 10) {
        this.newline(this.i);
        this.i++;
      } else if (c === 32 || c === 9 || c === 13) {
        this.i++;
      } else if (c === 47 && s.charCodeAt(this.i + 1) === 47) {
        const end = s.indexOf('\n', this.i);
        this.i = end < 0 ? s.length : end;
      } else if (c === 47 && s.charCodeAt(this.i + 1) === 42) {
        const end = s.indexOf('*/', this.i + 2);
        if (end < 0) this.fail('unterminated /* comment');
        for (let j = this.i; j < end; j++) if (s.charCodeAt(j) === 10) this.newline(j);
        this.i = end + 2;
      } else {
        return;
      }
    }
  }

  private value(depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.fail('nested too deeply');
    const c = this.s[this.i];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, node] of [
      ['true', { type: 'boolean', value: true }],
      ['false', { type: 'boolean', value: false }],
      ['null', { type: 'null', value: null }],
    ] as const) {
      if (this.s.startsWith(word, this.i) && !/[\w$]/.test(this.s[this.i + word.length] ?? '')) {
        const p = this.pos();
        this.i += word.length;
        return { ...p, ...node } as JsonNode;
      }
    }
    this.fail(`unexpected ${this.describe()}`);
  }

  private object(depth: number): JsonObject {
    const node: JsonObject = { ...this.pos(), type: 'object', properties: [] };
    this.i++;
    this.skip();
    while (this.s[this.i] !== '}') {
      if (this.s[this.i] !== '"') this.fail(`expected a property name in double quotes, found ${this.describe()}`);
      const keyNode = this.string();
      this.skip();
      if (this.s[this.i] !== ':') this.fail(`expected ":" after property name, found ${this.describe()}`);
      this.i++;
      this.skip();
      const value = this.value(depth + 1);
      node.properties.push({ key: keyNode.value, keyNode, value });
      this.skip();
      if (this.s[this.i] === ',') {
        this.i++;
        this.skip(); // a trailing comma before `}` is accepted, as JSONC editors do
        continue;
      }
      if (this.s[this.i] !== '}') this.fail(`expected "," or "}" in object, found ${this.describe()}`);
    }
    node.endLine = this.line;
    this.i++;
    return node;
  }

  private array(depth: number): JsonArray {
    const node: JsonArray = { ...this.pos(), type: 'array', items: [] };
    this.i++;
    this.skip();
    while (this.s[this.i] !== ']') {
      if (this.i >= this.s.length) this.fail('unterminated array');
      node.items.push(this.value(depth + 1));
      this.skip();
      if (this.s[this.i] === ',') {
        this.i++;
        this.skip();
        continue;
      }
      if (this.s[this.i] !== ']') this.fail(`expected "," or "]" in array, found ${this.describe()}`);
    }
    node.endLine = this.line;
    this.i++;
    return node;
  }

  private string(): JsonString {
    const p = this.pos();
    const s = this.s;
    let out = '';
    let j = this.i + 1;
    let chunk = j;
    for (;;) {
      if (j >= s.length) this.fail('unterminated string');
      const c = s.charCodeAt(j);
      if (c === 34) break;
      if (c === 10) this.fail('line break inside a string');
      if (c === 92) {
        out += s.slice(chunk, j);
        const e = s[j + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          j += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(j + 2, j + 6))) {
          out += String.fromCharCode(parseInt(s.slice(j + 2, j + 6), 16));
          j += 6;
        } else {
          this.i = j;
          this.fail('invalid escape in string');
        }
        chunk = j;
        continue;
      }
      j++;
    }
    out += s.slice(chunk, j);
    this.i = j + 1;
    return { ...p, type: 'string', value: out };
  }

  private number(): JsonNumber {
    const p = this.pos();
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = this.i;
    const hit = m.exec(this.s);
    if (!hit) this.fail('invalid number');
    this.i += hit[0].length;
    return { ...p, type: 'number', value: Number(hit[0]) };
  }
}

// ---- Reading helpers ---------------------------------------------------------------------------

/** The value of `key` (the last one, as `JSON.parse` keeps), when `node` is an object. */
export function prop(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (node?.type !== 'object') return undefined;
  for (let i = node.properties.length - 1; i >= 0; i--) if (node.properties[i].key === key) return node.properties[i].value;
  return undefined;
}

/** The property itself, for rules that report on the key's line. */
export function propEntry(node: JsonNode | undefined, key: string): JsonProperty | undefined {
  if (node?.type !== 'object') return undefined;
  for (let i = node.properties.length - 1; i >= 0; i--) if (node.properties[i].key === key) return node.properties[i];
  return undefined;
}

/** String items of an array (other items skipped), or a lone string as one item. */
export function stringItems(node: JsonNode | undefined): JsonString[] {
  if (node?.type === 'string') return [node];
  if (node?.type !== 'array') return [];
  return node.items.filter((n): n is JsonString => n.type === 'string');
}

/** Every string in the tree, with the key of the property it sits under (nearest object key). */
export function* strings(node: JsonNode, key: string | null = null): Generator<{ node: JsonString; key: string | null }> {
  const stack: { node: JsonNode; key: string | null }[] = [{ node, key }];
  while (stack.length) {
    const { node: n, key: k } = stack.pop()!;
    if (n.type === 'string') yield { node: n, key: k };
    else if (n.type === 'array') for (let i = n.items.length - 1; i >= 0; i--) stack.push({ node: n.items[i], key: k });
    else if (n.type === 'object') for (let i = n.properties.length - 1; i >= 0; i--) stack.push({ node: n.properties[i].value, key: n.properties[i].key });
  }
}
