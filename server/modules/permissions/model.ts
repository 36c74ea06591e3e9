// A permission layer: what one agent (or, as the base layer, every agent of an account) may do.
// This module is pure: normalising what a client sent, applying PATCH operations, merging the base
// layer under an agent's own, and compiling the globs into matchers the gate runs per call.
import path from 'node:path';
import picomatch from 'picomatch';
import { ApiError } from '../../errors.js';

export interface ComputeCaps {
  max_tokens_per_run: number | null;
  max_tool_calls_per_run: number | null;
  max_runtime_seconds: number | null;
}

export interface PermissionLayer {
  tools: { allow: string[]; block: string[] };
  data: { read: string[]; write: string[]; deny: string[] };
  network: { allow: string[]; block_outbound: boolean };
  compute: ComputeCaps;
}

/** What a client may send: every part optional. */
export interface PermissionLayerInput {
  tools?: { allow?: string[]; block?: string[] };
  data?: { read?: string[]; write?: string[]; deny?: string[] };
  network?: { allow?: string[]; block_outbound?: boolean };
  compute?: Partial<ComputeCaps>;
}

export const BASE_AGENT = '_base';

const LIST_OPS = {
  add_allow: ['tools', 'allow'],
  remove_allow: ['tools', 'allow'],
  add_block: ['tools', 'block'],
  remove_block: ['tools', 'block'],
  add_read: ['data', 'read'],
  remove_read: ['data', 'read'],
  add_write: ['data', 'write'],
  remove_write: ['data', 'write'],
  add_deny: ['data', 'deny'],
  remove_deny: ['data', 'deny'],
  add_network_allow: ['network', 'allow'],
  remove_network_allow: ['network', 'allow'],
} as const;
export type ListOp = keyof typeof LIST_OPS;
export const LIST_OP_NAMES = Object.keys(LIST_OPS) as ListOp[];

export type PatchInput = Partial<Record<ListOp, string[]>> & { block_outbound?: boolean; compute?: Partial<ComputeCaps> };

const unique = (xs: readonly string[]) => [...new Set(xs.map((x) => x.trim()).filter(Boolean))];

export function emptyLayer(): PermissionLayer {
  return {
    tools: { allow: [], block: [] },
    data: { read: [], write: [], deny: [] },
    network: { allow: [], block_outbound: false },
    compute: { max_tokens_per_run: null, max_tool_calls_per_run: null, max_runtime_seconds: null },
  };
}

/** Fills defaults, trims and de-duplicates lists, and checks every glob compiles. */
export function normalizeLayer(input: PermissionLayerInput): PermissionLayer {
  const l = emptyLayer();
  l.tools.allow = unique(input.tools?.allow ?? []);
  l.tools.block = unique(input.tools?.block ?? []);
  l.data.read = unique(input.data?.read ?? []);
  l.data.write = unique(input.data?.write ?? []);
  l.data.deny = unique(input.data?.deny ?? []);
  l.network.allow = unique((input.network?.allow ?? []).map((h) => h.toLowerCase()));
  l.network.block_outbound = input.network?.block_outbound ?? false;
  l.compute = {
    max_tokens_per_run: input.compute?.max_tokens_per_run ?? null,
    max_tool_calls_per_run: input.compute?.max_tool_calls_per_run ?? null,
    max_runtime_seconds: input.compute?.max_runtime_seconds ?? null,
  };
  // Compiling now turns a bad pattern into a 400 on write rather than a blocked agent later.
  compileLayer(l);
  return l;
}

/** Applies PATCH operations to a copy of `layer`. */
export function patchLayer(layer: PermissionLayer, ops: PatchInput): PermissionLayer {
  const next: PermissionLayer = structuredClone(layer);
  for (const op of LIST_OP_NAMES) {
    const values = ops[op];
    if (!values) continue;
    const [section, field] = LIST_OPS[op];
    const list = (next[section] as Record<string, string[]>)[field];
    const normalized = unique(field === 'allow' && section === 'network' ? values.map((v) => v.toLowerCase()) : values);
    (next[section] as Record<string, string[]>)[field] = op.startsWith('add_') ? unique([...list, ...normalized]) : list.filter((x) => !normalized.includes(x));
  }
  if (ops.block_outbound !== undefined) next.network.block_outbound = ops.block_outbound;
  if (ops.compute) next.compute = { ...next.compute, ...ops.compute };
  return normalizeLayer(next);
}

const minCap = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

/**
 * The base layer under an agent's own. Everything that restricts accumulates: allow lists and
 * block/deny lists are unions (a block or deny anywhere wins over an allow anywhere), outbound
 * blocking from either applies, and each compute cap is the lower of the two.
 */
export function mergeLayers(base: PermissionLayer | null, own: PermissionLayer): PermissionLayer {
  if (!base) return own;
  return {
    tools: { allow: unique([...base.tools.allow, ...own.tools.allow]), block: unique([...base.tools.block, ...own.tools.block]) },
    data: {
      read: unique([...base.data.read, ...own.data.read]),
      write: unique([...base.data.write, ...own.data.write]),
      deny: unique([...base.data.deny, ...own.data.deny]),
    },
    network: { allow: unique([...base.network.allow, ...own.network.allow]), block_outbound: base.network.block_outbound || own.network.block_outbound },
    compute: {
      max_tokens_per_run: minCap(base.compute.max_tokens_per_run, own.compute.max_tokens_per_run),
      max_tool_calls_per_run: minCap(base.compute.max_tool_calls_per_run, own.compute.max_tool_calls_per_run),
      max_runtime_seconds: minCap(base.compute.max_runtime_seconds, own.compute.max_runtime_seconds),
    },
  };
}

// ---- compiled matchers --------------------------------------------------------------------------

export type NameTest = (s: string) => boolean;
const never: NameTest = () => false;

/** Tool names: `delete_*`, `fs.*`, `*`. One regex for the whole list. */
export function toolMatcher(patterns: readonly string[], where = 'tools'): NameTest {
  if (patterns.length === 0) return never;
  const sources = patterns.map((p) => {
    try {
      return picomatch.makeRe(p, { nocase: false, dot: true }).source;
    } catch {
      throw new ApiError(400, 'invalid_pattern', `${where}: ${JSON.stringify(p)} is not a valid wildcard pattern`);
    }
  });
  const re = new RegExp(sources.map((s) => `(?:${s})`).join('|'));
  return (s) => re.test(s);
}

/** Normalises a path for matching: `./a/../b` -> `b`, `~` kept as the home marker. */
export function normalizePath(p: string): string {
  const slashed = p.replace(/\\/g, '/');
  const n = path.posix.normalize(slashed);
  return n.startsWith('./') ? n.slice(2) : n;
}

/** Data globs: `/workspace/**`, `~/.ssh/**`, `**\/.env`. */
export function pathMatcher(globs: readonly string[], where = 'data'): NameTest {
  if (globs.length === 0) return never;
  const sources = globs.map((g) => {
    try {
      return picomatch.makeRe(normalizePath(g), { dot: true }).source;
    } catch {
      throw new ApiError(400, 'invalid_pattern', `${where}: ${JSON.stringify(g)} is not a valid glob`);
    }
  });
  const re = new RegExp(sources.map((s) => `(?:${s})`).join('|'));
  return (s) => re.test(s);
}

/** Hosts: `api.example.com`, `*.example.com` (any depth of subdomain), `*`. */
export function hostMatcher(hosts: readonly string[], where = 'network.allow'): NameTest {
  if (hosts.length === 0) return never;
  const sources = hosts.map((h) => {
    if (!/^[a-z0-9.*:[\]-]+$/i.test(h)) throw new ApiError(400, 'invalid_pattern', `${where}: ${JSON.stringify(h)} is not a host name or a *.wildcard`);
    return h.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[a-z0-9.-]*');
  });
  const re = new RegExp(`^(?:${sources.join('|')})$`, 'i');
  return (s) => re.test(s);
}

export interface CompiledLayer {
  layer: PermissionLayer;
  toolAllow: NameTest;
  toolBlock: NameTest;
  read: NameTest;
  write: NameTest;
  deny: NameTest;
  /** No read or write globs: paths are not restricted beyond `deny` and the built-in checks. */
  dataOpen: boolean;
  networkAllow: NameTest;
  hasNetworkAllow: boolean;
}

export function compileLayer(layer: PermissionLayer): CompiledLayer {
  return {
    layer,
    toolAllow: toolMatcher(layer.tools.allow, 'tools.allow'),
    toolBlock: toolMatcher(layer.tools.block, 'tools.block'),
    read: pathMatcher(layer.data.read, 'data.read'),
    write: pathMatcher(layer.data.write, 'data.write'),
    deny: pathMatcher(layer.data.deny, 'data.deny'),
    dataOpen: layer.data.read.length === 0 && layer.data.write.length === 0,
    networkAllow: hostMatcher(layer.network.allow),
    hasNetworkAllow: layer.network.allow.length > 0,
  };
}
