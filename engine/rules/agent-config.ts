/**
 * What MCP client configs and coding-agent settings say, read once for every config rule: which
 * servers there are, the command line each one runs (with the JSON line of every word), and the
 * package or image that command fetches. The shapes differ by client:
 *
 *   Claude Desktop, Claude Code (.mcp.json), Cursor, Windsurf, Cline, Roo, Gemini CLI:
 *       { "mcpServers": { "<name>": { "command", "args", "env", "url"|"serverUrl"|"httpUrl", "headers", … } } }
 *   VS Code (.vscode/mcp.json):  { "servers": { "<name>": { "type", "command", "args", "env", "url", "headers" } }, "inputs": [...] }
 *   VS Code settings style:      { "mcp": { "servers": { … } } }
 *   Zed:                         { "context_servers": { "<name>": { "command": { "path", "args", "env" } } } }
 *   OpenCode:                    { "mcp": { "<name>": { "type": "local", "command": ["npx", "-y", "pkg"], "environment" } } }
 */
import { prop, stringItems, type JsonNode, type JsonObject, type JsonProperty, type JsonString } from '../parse/jsonc.js';

/** One word of a command line and the JSON line it came from. */
export interface Word {
  text: string;
  line: number;
}

export interface McpServer {
  name: string;
  line: number;
  node: JsonObject;
  /** The command and its arguments, as the client passes them to the OS. */
  argv: Word[];
  /** Environment entries (`env`, `environment`). */
  env: JsonProperty[];
  headers: JsonProperty[];
  /** A remote server's address. */
  url?: JsonString;
}

const SERVER_MAP_KEYS = new Set(['mcpServers', 'servers', 'context_servers', 'mcp_servers', 'mcp']);
const SERVER_FIELDS = /^(command|args|url|serverUrl|httpUrl|uri|type|transport|env|environment|headers)$/;

function looksLikeServer(node: JsonNode): node is JsonObject {
  return node.type === 'object' && node.properties.some((p) => SERVER_FIELDS.test(p.key));
}

/** Every server entry in the document, wherever the client's shape puts the map (a few levels down at most). */
export function mcpServers(root: JsonNode | undefined): McpServer[] {
  if (!root) return [];
  const out: McpServer[] = [];
  const seen = new Set<JsonNode>();
  const visit = (node: JsonNode, depth: number) => {
    if (node.type !== 'object' || depth > 4) return;
    for (const p of node.properties) {
      if (SERVER_MAP_KEYS.has(p.key) && p.value.type === 'object') {
        // `"mcp": { "servers": {…} }` nests one more map; otherwise the values are the servers.
        const inner = prop(p.value, 'servers');
        const map = inner?.type === 'object' ? inner : p.value;
        for (const s of map.properties) {
          if (!looksLikeServer(s.value) || seen.has(s.value)) continue;
          seen.add(s.value);
          out.push(readServer(s.key, s.keyNode.line, s.value));
        }
      } else if (p.value.type === 'object') {
        visit(p.value, depth + 1); // e.g. `projects.<path>.mcpServers` in ~/.claude.json
      }
    }
  };
  visit(root, 0);
  return out;
}

function entries(node: JsonNode | undefined): JsonProperty[] {
  return node?.type === 'object' ? node.properties : [];
}

function readServer(name: string, line: number, node: JsonObject): McpServer {
  let command = prop(node, 'command');
  let args = prop(node, 'args');
  let env = [...entries(prop(node, 'env')), ...entries(prop(node, 'environment'))];
  // Zed nests the command line in an object.
  if (command?.type === 'object') {
    args = prop(command, 'args') ?? args;
    env = [...env, ...entries(prop(command, 'env'))];
    command = prop(command, 'path') ?? prop(command, 'command');
  }
  const argv: Word[] = [];
  if (command?.type === 'string') {
    // A command written as one line (`"npx -y pkg"`) is split the way a shell would.
    const words = splitCommand(command.value);
    if (words.length > 1 && !args) for (const w of words) argv.push({ text: w, line: command.line });
    else argv.push({ text: command.value, line: command.line });
  } else if (command?.type === 'array') {
    for (const s of stringItems(command)) argv.push({ text: s.value, line: s.line });
  }
  for (const s of stringItems(args)) argv.push({ text: s.value, line: s.line });
  const urlNode = ['url', 'serverUrl', 'httpUrl', 'uri', 'endpoint'].map((k) => prop(node, k)).find((n) => n?.type === 'string');
  return { name, line, node, argv, env, headers: entries(prop(node, 'headers')), url: urlNode as JsonString | undefined };
}

// ---- Command lines -------------------------------------------------------------------------------

const OPERATORS = new Set(['&&', '||', ';', '|', '&', '|&']);

/** Shell-style word splitting: quotes, backslashes, and `&& || ; |` as words of their own. */
export function splitCommand(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      has = true;
      continue;
    }
    if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      has = true;
      continue;
    }
    if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
      continue;
    }
    if (c === '&' || c === '|' || c === ';') {
      if (has) out.push(cur);
      const two = text.slice(i, i + 2);
      const op = two === '&&' || two === '||' || two === '|&' ? two : c;
      out.push(op);
      i += op.length - 1;
      cur = '';
      has = false;
      continue;
    }
    cur += c;
    has = true;
  }
  if (has) out.push(cur);
  return out;
}

export function basename(cmd: string): string {
  return cmd.replace(/\\/g, '/').split('/').pop()!.replace(/\.(exe|cmd|bat|ps1)$/i, '').toLowerCase();
}

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'pwsh', 'powershell']);
const WRAPPERS = new Set(['sudo', 'env', 'exec', 'time', 'nice', 'nohup', 'command', 'call', 'start']);

/**
 * The simple commands a command line runs: split at `&& || ; |`, with `sh -c "<script>"` and
 * `cmd /c <line>` opened up, so `bash -c "npx -y pkg && …"` is seen as the `npx` it runs.
 */
export function simpleCommands(argv: Word[], depth = 0): Word[][] {
  const out: Word[][] = [];
  let cur: Word[] = [];
  const flush = () => {
    if (cur.length) out.push(cur);
    cur = [];
  };
  for (const w of argv) {
    if (OPERATORS.has(w.text)) flush();
    else cur.push(w);
  }
  flush();
  if (depth > 3) return out;
  const expanded: Word[][] = [];
  for (const cmd of out) {
    let i = 0;
    while (i < cmd.length && (WRAPPERS.has(basename(cmd[i].text)) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(cmd[i].text) || (i > 0 && WRAPPERS.has(basename(cmd[i - 1].text)) && cmd[i].text.startsWith('-')))) i++;
    const head = cmd[i] ? basename(cmd[i].text) : '';
    const scriptAt = SHELLS.has(head)
      ? cmd.findIndex((w, j) => j > i && /^-\w*c$|^-Command$/i.test(w.text))
      : head === 'cmd'
        ? cmd.findIndex((w, j) => j > i && /^\/[ck]$/i.test(w.text))
        : -1;
    if (scriptAt > 0 && scriptAt + 1 < cmd.length) {
      // The script is the rest of the line: one word (`-c "a && b"`) or several (`cmd /c npx -y pkg`).
      const rest = cmd.slice(scriptAt + 1);
      const words = rest.flatMap((w) => splitCommand(w.text).map((t) => ({ text: t, line: w.line })));
      for (const c of simpleCommands(words, depth + 1)) expanded.push(c);
    } else {
      expanded.push(cmd.slice(i));
    }
  }
  return expanded.filter((c) => c.length > 0);
}

// ---- Packages a command fetches --------------------------------------------------------------------

export interface PackageRun {
  /** `npx`, `uvx`, `docker`, … */
  runner: string;
  spec: string;
  /** Package or image name without the version. */
  name: string;
  line: number;
  pinned: boolean;
  /** Why it is not pinned, for the message. */
  problem?: string;
  /** Words after the package: the server's own arguments. */
  rest: Word[];
  /** Options before the package (docker run's flags). */
  options: Word[];
}

const EXACT_SEMVER = /^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;
const COMMIT = /^[0-9a-f]{7,40}$/i;

/** `name@1.2.3`, `@scope/name@1.2.3`, `github:o/r#sha`. Local paths are not registry packages. */
export function npmSpec(spec: string): { name: string; pinned: boolean; problem?: string } | null {
  if (/^(?:\.{0,2}\/|~|file:|[A-Za-z]:[\\/]|\$)/.test(spec)) return null;
  const git = /^(?:github:|gitlab:|bitbucket:|git\+|git:|https?:\/\/)(.*?)(?:#(.+))?$/.exec(spec);
  if (git) {
    const ref = git[2];
    return { name: spec.replace(/#.*$/, ''), pinned: !!ref && (COMMIT.test(ref) || EXACT_SEMVER.test(ref)), problem: ref ? `tracks the moving ref "${ref}"` : 'tracks the default branch' };
  }
  if (/^[\w.-]+\/[\w.-]+(?:#.*)?$/.test(spec) && !spec.startsWith('@')) {
    const ref = spec.split('#')[1];
    return { name: spec.replace(/#.*$/, ''), pinned: !!ref && COMMIT.test(ref), problem: 'is a GitHub repository at its default branch' };
  }
  const at = spec.lastIndexOf('@');
  const name = at > 0 ? spec.slice(0, at) : spec;
  const version = at > 0 ? spec.slice(at + 1) : '';
  if (!/^(?:@[\w.-]+\/)?[\w.-]+$/.test(name)) return null;
  if (EXACT_SEMVER.test(version)) return { name, pinned: true };
  return { name, pinned: false, problem: version ? `asks for "${version}", which moves` : 'has no version' };
}

/** `pkg==1.2.3`, `pkg@1.2.3`, `git+https://…@<sha or tag>`. */
export function pySpec(spec: string): { name: string; pinned: boolean; problem?: string } | null {
  if (/^(?:\.{0,2}\/|~|file:|[A-Za-z]:[\\/]|\$)/.test(spec) || /\.py$/.test(spec)) return null;
  const git = /^(?:[\w.-]+\s*@\s*)?git\+\S+?(?:@([\w.-]+))?(?:#.*)?$/.exec(spec);
  if (git) {
    const ref = git[1];
    return { name: spec, pinned: !!ref && (COMMIT.test(ref) || EXACT_SEMVER.test(ref)), problem: ref ? `tracks the moving ref "${ref}"` : 'tracks the default branch' };
  }
  if (/^https?:\/\//.test(spec)) return { name: spec, pinned: false, problem: 'is downloaded from a URL without a hash' };
  const m = /^([A-Za-z0-9][\w.-]*)(\[[^\]]*\])?\s*(.*)$/.exec(spec);
  if (!m) return null;
  const rest = m[3].trim();
  if (/^(?:==|===)\s*[\w.+!-]+$/.test(rest) && !rest.includes('*')) return { name: m[1], pinned: true };
  if (/^@\s*v?\d[\w.+!-]*$/.test(rest)) return { name: m[1], pinned: true };
  return { name: m[1], pinned: false, problem: rest ? `asks for "${rest}", which moves` : 'has no version' };
}

/** `image`, `image:tag`, `image@sha256:…`, `registry:5000/ns/image:tag`. */
export function imageSpec(image: string): { name: string; pinned: boolean; problem?: string } | null {
  if (/^\$|^\{/.test(image)) return null;
  if (/@sha256:[0-9a-f]{64}$/i.test(image)) return { name: image.replace(/@.*$/, ''), pinned: true };
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const tag = colon > slash ? image.slice(colon + 1) : '';
  const name = colon > slash ? image.slice(0, colon) : image;
  if (!tag) return { name, pinned: false, problem: 'has no tag, so it means :latest' };
  if (/^(latest|main|master|edge|nightly|dev|stable)$/i.test(tag)) return { name, pinned: false, problem: `uses the moving tag :${tag}` };
  return { name, pinned: true };
}

/** Docker/Podman `run` flags that take no value; every other long option takes the next word. */
const DOCKER_FLAGS = new Set(['--rm', '--init', '--privileged', '--read-only', '--tty', '--interactive', '--detach', '--publish-all', '--no-healthcheck', '--oom-kill-disable', '--quiet', '--sig-proxy', '--help']);
const DOCKER_SHORT_WITH_VALUE = new Set(['-a', '-c', '-e', '-h', '-l', '-m', '-p', '-u', '-v', '-w']);

const NPX_VALUE_OPTS = new Set(['-p', '--package', '--registry', '--cache', '--userconfig', '-c', '--call', '--node-options']);
const UVX_VALUE_OPTS = new Set(['--from', '--with', '--python', '-p', '--index-url', '--index', '--extra-index-url', '--with-requirements', '--with-editable', '--directory', '--project', '--cache-dir', '--config-file', '-i', '--constraints', '-c']);

/** The package or image a simple command fetches and runs, if it is one of the runner commands. */
export function packageRun(cmd: Word[]): PackageRun | null {
  if (!cmd.length) return null;
  let head = basename(cmd[0].text);
  let i = 1;
  // Sub-command forms of the same thing.
  if ((head === 'pnpm' || head === 'yarn') && cmd[1]?.text === 'dlx') (head = 'npx'), (i = 2);
  else if (head === 'npm' && (cmd[1]?.text === 'exec' || cmd[1]?.text === 'x')) (head = 'npx'), (i = 2);
  else if (head === 'uv' && cmd[1]?.text === 'tool' && cmd[2]?.text === 'run') (head = 'uvx'), (i = 3);
  else if (head === 'uv' && cmd[1]?.text === 'x') (head = 'uvx'), (i = 2);
  else if (head === 'pipx' && cmd[1]?.text === 'run') (head = 'pipx'), (i = 2);
  else if (head === 'go' && cmd[1]?.text === 'run') (head = 'go'), (i = 2);
  else if ((head === 'docker' || head === 'podman' || head === 'nerdctl') && (cmd[1]?.text === 'run' || (cmd[1]?.text === 'container' && cmd[2]?.text === 'run'))) i = cmd[1].text === 'run' ? 2 : 3;
  else if (head === 'pipx' || head === 'go' || head === 'docker' || head === 'podman' || head === 'nerdctl') return null;
  if (head === 'pnpx' || head === 'bunx') head = 'npx';

  const options: Word[] = [];
  const explicit: Word[] = [];
  let spec: Word | undefined;
  for (; i < cmd.length; i++) {
    const w = cmd[i];
    if (w.text === '--') {
      i++;
      break;
    }
    if (!w.text.startsWith('-') || w.text === '-') {
      spec = w;
      break;
    }
    options.push(w);
    const [opt, inline] = w.text.split(/=(.*)/s, 2) as [string, string | undefined];
    const takesValue =
      head === 'npx' ? NPX_VALUE_OPTS.has(opt) :
      head === 'uvx' ? UVX_VALUE_OPTS.has(opt) :
      head === 'pipx' ? opt === '--spec' || opt === '--python' || opt === '--index-url' || opt === '--pip-args' :
      head === 'go' ? false :
      opt.startsWith('--') ? !DOCKER_FLAGS.has(opt) : DOCKER_SHORT_WITH_VALUE.has(opt);
    if (!takesValue || inline !== undefined) {
      if (inline !== undefined && (opt === '--package' || opt === '--from' || opt === '--spec')) explicit.push({ text: inline, line: w.line });
      continue;
    }
    const value = cmd[i + 1];
    if (!value) break;
    options.push(value);
    if (opt === '-p' && head === 'npx') explicit.push(value);
    if (opt === '--package' || opt === '--from' || opt === '--spec') explicit.push(value);
    i++;
  }
  if (!spec && i < cmd.length) spec = cmd[i];
  const target = explicit[0] ?? spec;
  if (!target) return null;
  const rest = cmd.slice(cmd.indexOf(spec ?? target) + 1);
  const parsed =
    head === 'npx' ? npmSpec(target.text) :
    head === 'uvx' || head === 'pipx' ? pySpec(target.text) :
    head === 'go' ? goSpec(target.text) :
    head === 'docker' || head === 'podman' || head === 'nerdctl' ? imageSpec(target.text) :
    null;
  if (!parsed) return null;
  return { runner: head, spec: target.text, name: parsed.name, line: target.line, pinned: parsed.pinned, problem: parsed.problem, rest, options };
}

function goSpec(spec: string): { name: string; pinned: boolean; problem?: string } | null {
  if (!/^[\w.-]+\.[a-z]{2,}\//.test(spec)) return null; // a local package path, not a module download
  const at = spec.lastIndexOf('@');
  if (at < 0) return null; // without @version go run builds the module in the current workspace
  const v = spec.slice(at + 1);
  return { name: spec.slice(0, at), pinned: EXACT_SEMVER.test(v) || /^v\d+\.\d+\.\d+-\d{14}-[0-9a-f]{12}$/.test(v), problem: `asks for "${v}", which moves` };
}

// ---- Hosts and references --------------------------------------------------------------------------

/** The host of a URL, lowercased, or null. */
export function hostOf(url: string): string | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(url.trim());
  return m ? m[1].toLowerCase() : null;
}

export function isLoopback(host: string): boolean {
  return /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1|0\.0\.0\.0|host\.docker\.internal|[\w-]+\.localhost)$/.test(host);
}

/** RFC 1918 and link-local addresses, `.local`/`.internal`/`.lan` names: a network the user runs. */
export function isPrivateHost(host: string): boolean {
  return /^(10(?:\.\d{1,3}){3}|192\.168(?:\.\d{1,3}){2}|172\.(?:1[6-9]|2\d|3[01])(?:\.\d{1,3}){2}|169\.254(?:\.\d{1,3}){2})$/.test(host) || /\.(local|internal|lan|home\.arpa|intranet|corp)$/.test(host) || !host.includes('.');
}

/**
 * A value that points at a secret instead of holding one: `${env:X}`, `${input:x}`, `${X}`, `$X`,
 * `{env:X}`, `%X%`, `op://vault/item`, `env:X`. Clients resolve these at launch.
 */
export function isReference(value: string): boolean {
  const v = value.trim().replace(/^(?:Bearer|Basic|Token)\s+/i, '');
  return /^\$\{[^}]+\}$|^\$[A-Za-z_]\w*$|^\{(?:env|file):[^}]+\}$|^%[A-Za-z_]\w*%$|^(?:op|vault|keychain|secret|env):|^\$\{\{[^}]+\}\}$/.test(v) || /^\$\{(?:env|input):/.test(v);
}

/** Hosts that serve an official API for the model providers' own clients. */
const PROVIDER_HOSTS = /(^|\.)(anthropic\.com|claude\.ai|openai\.com|openai\.azure\.com|azure\.com|cognitiveservices\.azure\.com|amazonaws\.com|googleapis\.com|openrouter\.ai|deepseek\.com|moonshot\.(?:ai|cn)|z\.ai|bigmodel\.cn|mistral\.ai|groq\.com|together\.xyz|together\.ai|fireworks\.ai|cerebras\.ai|x\.ai|perplexity\.ai|cohere\.(?:ai|com)|dashscope\.aliyuncs\.com|gateway\.ai\.cloudflare\.com|portkey\.ai|helicone\.ai|ollama\.com|githubcopilot\.com|models\.inference\.ai\.azure\.com|models\.github\.ai)$/;

export function isProviderHost(host: string): boolean {
  return PROVIDER_HOSTS.test(host);
}

/** Environment variables that redirect a model client (and the API key it sends) to another server. */
export const BASE_URL_ENV = /^(?:ANTHROPIC|OPENAI|AZURE_OPENAI|CLAUDE_CODE|GEMINI|GOOGLE_GEMINI|OPENROUTER|MISTRAL|GROQ|DEEPSEEK|COHERE|LITELLM)_(?:API_)?(?:BASE_URL|BASE|ENDPOINT|HOST|URL)$|^(?:ANTHROPIC_BEDROCK_BASE_URL|ANTHROPIC_VERTEX_BASE_URL|OPENAI_API_BASE)$/;

// ---- Commands inside coding-agent settings --------------------------------------------------------

/** Every command string Claude Code runs from settings: hooks, the status line, helper scripts. */
export function settingsCommands(root: JsonNode | undefined): JsonString[] {
  if (root?.type !== 'object') return [];
  const out: JsonString[] = [];
  const hooks = prop(root, 'hooks');
  for (const event of entries(hooks)) {
    const groups = event.value.type === 'array' ? event.value.items : [event.value];
    for (const g of groups) {
      const inner = prop(g, 'hooks');
      const list = inner?.type === 'array' ? inner.items : [g];
      for (const h of list) {
        const c = prop(h, 'command');
        if (c?.type === 'string') out.push(c);
      }
    }
  }
  for (const key of ['statusLine', 'apiKeyHelper', 'awsAuthRefresh', 'awsCredentialExport', 'otelHeadersHelper']) {
    const v = prop(root, key);
    const c = v?.type === 'object' ? prop(v, 'command') : v;
    if (c?.type === 'string') out.push(c);
  }
  return out;
}

/** A command string as words that all carry its line. */
export function wordsOf(s: JsonString): Word[] {
  return splitCommand(s.value).map((text) => ({ text, line: s.line }));
}

/** Every command line in a config: each MCP server's argv, and each settings command. */
export function commandLines(root: JsonNode | undefined): Word[][] {
  return [...mcpServers(root).map((s) => s.argv), ...settingsCommands(root).map(wordsOf)].filter((a) => a.length > 0);
}

/** Every simple command each MCP server runs, with the package or image it launches, if any. */
export function* serverCommands(root: JsonNode | undefined): Generator<{ server: McpServer; cmd: Word[]; run: PackageRun | null }> {
  for (const server of mcpServers(root)) {
    for (const cmd of simpleCommands(server.argv)) yield { server, cmd, run: packageRun(cmd) };
  }
}
