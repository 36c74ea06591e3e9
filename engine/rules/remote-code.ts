/**
 * Command text that downloads code and runs it in one breath: `curl … | sh`, `bash <(curl …)`,
 * `iex (iwr …)`, `wget -O x && chmod +x x && ./x`, `pip install https://…`. Nothing between the
 * download and the run lets anyone see or check what arrived, so whoever controls the URL (or the
 * network, for http) controls the machine. Shared by MCP configs, coding-agent hooks and
 * instruction files.
 */
import { hostOf } from './agent-config.js';

export interface RemoteRun {
  /** Offset of the download in the text. */
  index: number;
  url?: string;
  how: string;
}

const FETCHER = String.raw`(?:curl|wget|iwr|irm|Invoke-WebRequest|Invoke-RestMethod|fetch)`;
// `| python3 -c "…json…"` and `| node -e …` run their own script and read the download as data.
const INTERPRETER = String.raw`(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+)?(?:(?:ba|z|k|da|fi)?sh|(?:python[\d.]*|node|perl|ruby|php)(?!\s+(?:-c|-e|-m|-p|-n|--eval|--print|-E)\b)|iex|Invoke-Expression|pwsh|powershell)(?![\w.-])`;

// Every gap between the download and the run is bounded: unbounded lazy gaps make a line of
// repeated `curl` words quadratic. A real command puts its pipe within a few hundred characters.
const PATTERNS: [RegExp, string][] = [
  [new RegExp(String.raw`\b${FETCHER}\b[^\n;&]{0,300}?\|\s*${INTERPRETER}`, 'gi'), 'pipes a download into an interpreter'],
  [new RegExp(String.raw`(?:\b(?:ba|z|k)?sh|\bsource|(?:^|\s)\.|\beval)\s+(?:-c\s+)?["']?\s*(?:<\(|\$\()\s*${FETCHER}\b`, 'gi'), 'runs a download through process or command substitution'],
  [/\b(?:iex|Invoke-Expression)\b[\s(]*(?:\(?\s*New-Object\s+(?:System\.)?Net\.WebClient\s*\)?\.DownloadString|iwr|irm|Invoke-WebRequest|Invoke-RestMethod)\b/gi, 'evaluates a download with Invoke-Expression'],
  [/\bDownloadString\s*\([^)]{0,300}\)\s*\|\s*(?:iex|Invoke-Expression)\b/gi, 'evaluates a download with Invoke-Expression'],
  [/\bpython[\d.]*\s+-c\s+["'][^"'\n]{0,300}?(?:urlopen|requests\.get|urllib|httpx\.get)[^"'\n]{0,300}?\bexec\s*\(/gi, 'executes downloaded Python with exec()'],
  [/\bpip[\d.]*\s+install\b(?![^\n|;&]{0,300}--hash)[^\n|;&]{0,300}?(?<!--(?:extra-)?index-url|--find-links|\s-[if])\s(?:https?:\/\/|git\+)\S+/gi, 'installs a Python package straight from a URL'],
  [/\b(?:npm|pnpm|yarn)\s+(?:install|i|add)\b[^\n|;&]{0,300}?\s(?:https?:\/\/|git\+|github:)\S+/gi, 'installs a Node package straight from a URL'],
  [/\bbase64\s+(?:-d|--decode|-D)\b[^\n;&]{0,300}?\|\s*(?:sudo\s+)?(?:ba|z)?sh\b/gi, 'decodes a blob and pipes it into a shell'],
];

const DOWNLOAD_TO_FILE = /\b(curl|wget)\b[^\n;&|]{0,300}?(https?:\/\/[^\s'"`)]+)[^\n;&|]{0,300}/gi;

/** `curl -o x URL`, `wget URL` (saved under its own name), `wget -O x URL`, `curl URL > x`: the file written. */
function savedFile(cmd: string, tool: string, url: string): string | null {
  const o = /(?:\s-o\s*|\s-O\s+|\s--output(?:-document)?[=\s]|\s>\s*)([^\s'"`;&|]+)/.exec(cmd);
  if (o && !(tool.toLowerCase() === 'curl' && /\s-O\s/.test(cmd) && !/\s-o/.test(cmd))) return o[1];
  if (tool.toLowerCase() === 'wget' || /\s-O\b|\s--remote-name\b/.test(cmd)) return url.replace(/[?#].*$/, '').split('/').pop() || null;
  return null;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Remote code runs in `text`; `following` is text after it (later lines of the same block) where a saved download may be run. */
export function remoteRuns(text: string, following = ''): RemoteRun[] {
  const out: RemoteRun[] = [];
  for (const [re, how] of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      out.push({ index: m.index, url: /https?:\/\/[^\s'"`|)]+/.exec(m[0])?.[0] ?? /https?:\/\/[^\s'"`|)]+/.exec(text.slice(m.index))?.[0], how });
    }
  }
  DOWNLOAD_TO_FILE.lastIndex = 0;
  for (let m = DOWNLOAD_TO_FILE.exec(text); m; m = DOWNLOAD_TO_FILE.exec(text)) {
    if (out.some((r) => r.index === m!.index)) continue;
    const file = savedFile(m[0], m[1], m[2]);
    if (!file) continue;
    const base = escape(file.split('/').pop()!);
    const later = (text.slice(m.index + m[0].length, m.index + m[0].length + 2000) + '\n' + following).slice(0, 4000);
    const run = new RegExp(String.raw`(?:chmod\s+(?:[+ugoa]*x|[0-7]*[1357][0-7]*)\s+(?:\S*/)?${base}\b|(?:^|[\s;&|])(?:\./|(?:ba|z)?sh\s+(?:\S*/)?|python[\d.]*\s+(?:\S*/)?|node\s+(?:\S*/)?|source\s+(?:\S*/)?)${base}\b)`, 'm');
    if (/\.(?:sh|py|js|bin|exe|run|AppImage|pl|rb)$|^[^.]+$/i.test(file) && run.test(later)) {
      out.push({ index: m.index, url: m[2], how: `downloads ${file} and runs it` });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/** Official installers of well-known tools, which instruction files legitimately tell people to run. */
const KNOWN_INSTALLERS = /^(?:sh\.rustup\.rs|(?:www\.)?astral\.sh|bun\.sh|deno\.land|get\.docker\.com|install\.python-poetry\.org|get\.pnpm\.io|(?:www\.)?ollama\.com|claude\.ai|cli\.github\.com|get\.helm\.sh|starship\.rs|sdk\.cloud\.google\.com|foundry\.paradigm\.xyz|install\.determinate\.systems|nixos\.org|get\.volta\.sh|fnm\.vercel\.app|mise\.run|pyenv\.run|tailscale\.com|(?:www\.)?opencode\.ai)$/i;
const KNOWN_INSTALLER_PATHS = /^https:\/\/raw\.githubusercontent\.com\/(?:nvm-sh|Homebrew|rust-lang|pyenv|ohmyzsh|helm|golangci|tj|creationix)\//i;

export function isKnownInstaller(url: string | undefined): boolean {
  if (!url || !url.startsWith('https://')) return false;
  const host = hostOf(url);
  return (host !== null && KNOWN_INSTALLERS.test(host)) || KNOWN_INSTALLER_PATHS.test(url);
}
