// Built-in checks of a tool call's parameters, independent of any policy: secrets leaving in an
// outbound payload, destructive shell commands and download-and-execute, known exfiltration
// endpoints, URLs to private, loopback or metadata addresses, path traversal and protected paths.
// Pure functions over the parameters; the secret shapes, their redaction and the download-and-run
// patterns are the scanner's own (engine/redact.ts, engine/rules/remote-code.ts).
import net from 'node:net';
import { findSecrets, looksLikePlaceholder, redactSecrets } from '../../../engine/redact.js';
import { remoteRuns } from '../../../engine/rules/remote-code.js';
import { isPrivateAddress } from '../../ssrf.js';
import { normalizePath } from '../permissions/model.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export type Effect = 'block' | 'require_approval' | 'allow';

export interface Reason {
  code: string;
  severity: Severity;
  title: string;
  /** What in the call triggered it, with secrets redacted. */
  evidence: string;
  /** What this reason asks for: a block wins over an approval, which wins over an allow. */
  effect: Effect;
}

/** A string found in the parameters, with where it was. */
export interface Field {
  /** `parameters.body.text`, `parameters.files[2]`. */
  at: string;
  /** The last key on the way (`text`, `files`), lower-cased: what the value is for. */
  key: string;
  value: string;
}

const MAX_DEPTH = 8;
const MAX_FIELDS = 500;
/** Longer values are checked on their head only: bounded work per call. */
const MAX_VALUE = 64 * 1024;

/** Every string in the parameters (and object keys that look like paths or URLs), bounded. */
export function fieldsOf(parameters: Record<string, unknown>): Field[] {
  const out: Field[] = [];
  const walk = (v: unknown, at: string, key: string, depth: number) => {
    if (out.length >= MAX_FIELDS) return;
    if (typeof v === 'string') {
      out.push({ at, key, value: v.length > MAX_VALUE ? v.slice(0, MAX_VALUE) : v });
      return;
    }
    if (depth >= MAX_DEPTH || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length && out.length < MAX_FIELDS; i++) walk(v[i], `${at}[${i}]`, key, depth + 1);
      return;
    }
    for (const k in v as Record<string, unknown>) {
      if (!Object.hasOwn(v, k)) continue;
      walk((v as Record<string, unknown>)[k], `${at}.${k}`, k.toLowerCase(), depth + 1);
    }
  };
  walk(parameters, 'parameters', '', 0);
  return out;
}

export function clip(s: string, n = 160): string {
  const red = redactSecrets(s);
  return red.length > n ? `${red.slice(0, n)}…` : red;
}

// ---- URLs ---------------------------------------------------------------------------------------

const URL_IN_TEXT = /\b(?:https?|wss?|ftp):\/\/[^\s"'<>`]{1,2048}/gi;

export interface FoundUrl {
  field: Field;
  url: string;
  host: string;
}

export function urlsOf(fields: readonly Field[]): FoundUrl[] {
  const out: FoundUrl[] = [];
  for (const f of fields) {
    if (!f.value.includes('://')) continue;
    URL_IN_TEXT.lastIndex = 0;
    for (let m = URL_IN_TEXT.exec(f.value); m && out.length < 50; m = URL_IN_TEXT.exec(f.value)) {
      let host: string;
      try {
        host = new URL(m[0]).hostname.toLowerCase();
      } catch {
        continue;
      }
      if (host.startsWith('[')) host = host.slice(1, -1);
      out.push({ field: f, url: m[0], host: host.replace(/\.$/, '') });
    }
  }
  return out;
}

const METADATA_HOSTS = new Set(['169.254.169.254', 'fd00:ec2::254', 'metadata.google.internal', 'metadata', 'metadata.azure.com', '100.100.100.200']);
const LOCAL_NAMES = /^(?:localhost|localhost\.localdomain|ip6-localhost|ip6-loopback)$|\.localhost$|\.internal$|\.local$/;

/** Paste sites, request catchers and chat webhooks: where stolen data is sent. */
const EXFIL_HOSTS = [
  'pastebin.com', 'paste.ee', 'hastebin.com', 'ghostbin.com', 'ghostbin.co', 'dpaste.com', 'dpaste.org', 'controlc.com', 'rentry.co', 'justpaste.it', 'paste.rs', 'termbin.com', 'ix.io', '0x0.st', 'transfer.sh', 'file.io', 'privatebin.net',
  'webhook.site', 'requestbin.com', 'requestbin.net', 'pipedream.net', 'm.pipedream.net', 'beeceptor.com', 'requestcatcher.com', 'hookbin.com', 'postb.in', 'ptsv2.com', 'ptsv3.com', 'mockbin.org', 'webhook.cool', 'interact.sh', 'oast.pro', 'oast.live', 'oast.fun', 'oast.me', 'oast.online', 'burpcollaborator.net', 'canarytokens.com', 'dnslog.cn', 'ngrok.io', 'ngrok-free.app', 'ngrok.app', 'trycloudflare.com', 'serveo.net', 'localtunnel.me', 'loca.lt',
  'hooks.slack.com', 'discord.com', 'discordapp.com', 'api.telegram.org', 'outlook.office.com', 'webhook.office.com',
];
const EXFIL_PATHS: [RegExp, string][] = [
  [/^https?:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\//i, 'Discord webhook'],
  [/^https?:\/\/hooks\.slack\.com\//i, 'Slack incoming webhook'],
  [/^https?:\/\/api\.telegram\.org\/bot/i, 'Telegram bot API'],
  [/^https?:\/\/[\w.-]*(?:outlook\.office|webhook\.office)\.com\/webhook/i, 'Microsoft Teams webhook'],
];
/** Hosts whose every URL is an exfiltration endpoint (chat services are only so on their webhook paths). */
const EXFIL_ANY_PATH = EXFIL_HOSTS.filter((h) => !['hooks.slack.com', 'discord.com', 'discordapp.com', 'api.telegram.org', 'outlook.office.com', 'webhook.office.com'].includes(h));

function exfilKind(u: FoundUrl): string | null {
  for (const [re, what] of EXFIL_PATHS) if (re.test(u.url)) return what;
  for (const h of EXFIL_ANY_PATH) if (u.host === h || u.host.endsWith(`.${h}`)) return h;
  return null;
}

function privateKind(host: string): string | null {
  if (METADATA_HOSTS.has(host)) return 'a cloud metadata endpoint';
  if (LOCAL_NAMES.test(host)) return 'a local host name';
  if (net.isIP(host)) return isPrivateAddress(host) ? (host.startsWith('127.') || host === '::1' ? 'a loopback address' : 'a private or reserved address') : null;
  return null;
}

// ---- shell --------------------------------------------------------------------------------------

const SHELL_KEYS = /^(?:command|cmd|commands|script|shell|bash|sh|code|exec|run|args|argv|line|input|program)$/;
const SHELL_TOOLS = /shell|bash|exec|terminal|command|subprocess|run_?(?:code|script|cmd)|^sh$|powershell|console/i;

const DESTRUCTIVE: [RegExp, string][] = [
  [/\brm\s+(?:-[a-zA-Z]*\s+)*-[a-zA-Z]*(?:r[a-zA-Z]*f|f[a-zA-Z]*r)[a-zA-Z]*\s+(?:-[-\w]+\s+)*(?:--no-preserve-root\s+)?(?:\/|\/\*|~\/?|\$HOME\/?|\*|\.\/?\*?|\/(?:etc|usr|var|home|root|boot|bin|lib|opt|srv)\/?)(?=\s|$|;|&|\|)/i, 'recursive forced delete of a root, home or working directory'],
  [/\bmkfs(?:\.\w+)?\s+\/dev\//i, 'formats a block device'],
  [/\bdd\s+[^\n;|&]{0,200}\bof=\/dev\/(?:sd|nvme|hd|xvd|vd|disk|mmcblk)/i, 'overwrites a block device'],
  [/>\s*\/dev\/(?:sd[a-z]|nvme\d|hd[a-z]|xvd[a-z]|vd[a-z]|disk\d)\b/i, 'overwrites a block device'],
  [/:\s*\(\s*\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:/, 'fork bomb'],
  [/\bchmod\s+(?:-[a-zA-Z]*R[a-zA-Z]*\s+)(?:0?777|a\+rwx)\s+\/(?:\s|$)/i, 'makes the whole filesystem world-writable'],
  [/\b(?:shutdown|poweroff|halt|reboot)\b(?:\s+-[\w-]+)*(?:\s+now)?\s*(?:$|;|&)/i, 'shuts the machine down'],
  [/\bgit\s+push\s+[^\n;|&]{0,200}(?:--force\b|-f\b)[^\n;|&]{0,200}\b(?:main|master|production|prod)\b/i, 'force-pushes over a protected branch'],
  [/\b(?:DROP\s+(?:DATABASE|SCHEMA|TABLE)|TRUNCATE\s+TABLE)\b/i, 'drops or truncates database objects'],
  [/\bfind\s+\/\S*\s+[^\n;|&]{0,200}-delete\b/i, 'deletes files across the filesystem'],
  [/\bRemove-Item\b[^\n;|&]{0,200}-Recurse\b[^\n;|&]{0,200}(?:C:\\|\$env:USERPROFILE|~)/i, 'recursive delete of a drive or home directory'],
];

// ---- paths --------------------------------------------------------------------------------------

const PATH_KEYS = /(?:^|_)(?:path|paths|file|files|filename|filepath|dir|directory|folder|dest|destination|src|source|target|location|cwd)$/;
const PATHLIKE = /^(?:~|\.{1,2})?\/|^[A-Za-z]:\\|^\.{1,2}$/;
const TRAVERSAL = /(?:^|[\\/])\.\.(?:[\\/]|$)|%2e%2e(?:%2f|%5c|[\\/])|\.\.%2f|\.\.%5c/i;

const PROTECTED: [RegExp, string][] = [
  [/(?:^|\/)\.ssh(?:\/|$)|(?:^|\/)id_(?:rsa|dsa|ecdsa|ed25519)(?:\.pub)?$|(?:^|\/)authorized_keys$/, 'SSH keys'],
  [/(?:^|\/)\.env(?:\.[\w-]+)?$/, 'an environment file with secrets'],
  [/(?:^|\/)\.aws\/(?:credentials|config)$/, 'AWS credentials'],
  [/(?:^|\/)\.config\/gcloud(?:\/|$)|application_default_credentials\.json$/, 'Google Cloud credentials'],
  [/(?:^|\/)\.azure(?:\/|$)/, 'Azure credentials'],
  [/(?:^|\/)\.kube\/config$/, 'Kubernetes credentials'],
  [/(?:^|\/)\.docker\/config\.json$/, 'Docker registry credentials'],
  [/(?:^|\/)\.(?:netrc|npmrc|pypirc|git-credentials|pgpass)$/, 'stored credentials'],
  [/(?:^|\/)\.gnupg(?:\/|$)/, 'GnuPG keys'],
  [/^\/etc\/(?:shadow|gshadow|sudoers)(?:$|\/)/, 'system password and sudo files'],
  [/^\/proc\/(?:self|\d+)\/environ$/, 'a process environment'],
  [/(?:^|\/)[^/]+\.(?:pem|key|p12|pfx)$/, 'a key or certificate file'],
];

export interface FoundPath {
  field: Field;
  raw: string;
  path: string;
}

export function pathsOf(fields: readonly Field[]): FoundPath[] {
  const out: FoundPath[] = [];
  for (const f of fields) {
    const v = f.value.trim();
    if (v.length === 0 || v.length > 4096 || v.includes('://') || /[\n\r]/.test(v)) continue;
    if (!PATH_KEYS.test(f.key) && !PATHLIKE.test(v)) continue;
    out.push({ field: f, raw: v, path: normalizePath(safeDecode(v)) });
  }
  return out;
}

function safeDecode(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// ---- the checks ---------------------------------------------------------------------------------

const OUTBOUND_TOOLS = /http|request|fetch|curl|wget|post|send|email|mail|upload|webhook|slack|discord|telegram|message|publish|tweet|notify|sms|share|api_call|browse|navigate/i;

export interface CheckInput {
  toolName: string;
  fields: Field[];
  urls: FoundUrl[];
  paths: FoundPath[];
}

export function builtinChecks(input: CheckInput): Reason[] {
  const { toolName, fields, urls, paths } = input;
  const reasons: Reason[] = [];

  for (const u of urls) {
    const priv = privateKind(u.host);
    if (priv) {
      reasons.push({
        code: 'private_address',
        severity: priv.includes('metadata') ? 'critical' : 'high',
        title: `URL to ${priv}`,
        evidence: `${u.field.at}: ${clip(u.url)}`,
        effect: 'block',
      });
      continue;
    }
    const exfil = exfilKind(u);
    if (exfil) reasons.push({ code: 'exfiltration_endpoint', severity: 'high', title: `known exfiltration endpoint (${exfil})`, evidence: `${u.field.at}: ${clip(u.url)}`, effect: 'block' });
  }

  // A secret is only a leak when the call sends something somewhere.
  const outbound = urls.length > 0 || OUTBOUND_TOOLS.test(toolName);
  if (outbound) {
    for (const f of fields) {
      if (f.value.length < 16) continue;
      const hit = findSecrets(f.value).find((h) => !looksLikePlaceholder(h.value));
      if (!hit) continue;
      const isKey = hit.id === 'private-key';
      reasons.push({
        code: isKey ? 'private_key_in_payload' : 'secret_in_payload',
        severity: 'critical',
        title: `${hit.name} in an outbound payload`,
        evidence: `${f.at}: ${clip(f.value.slice(Math.max(0, hit.index - 40), hit.index + hit.length + 40))}`,
        effect: 'block',
      });
    }
  }

  const shellTool = SHELL_TOOLS.test(toolName);
  for (const f of fields) {
    if (!shellTool && !SHELL_KEYS.test(f.key)) continue;
    for (const [re, what] of DESTRUCTIVE) {
      const m = re.exec(f.value);
      if (m) {
        reasons.push({ code: 'destructive_command', severity: 'critical', title: `destructive command: ${what}`, evidence: `${f.at}: ${clip(m[0])}`, effect: 'block' });
        break;
      }
    }
    const run = remoteRuns(f.value)[0];
    if (run) reasons.push({ code: 'download_and_execute', severity: 'critical', title: `download and execute: ${run.how}`, evidence: `${f.at}: ${clip(f.value.slice(run.index, run.index + 200))}`, effect: 'block' });
  }

  for (const p of paths) {
    if (TRAVERSAL.test(p.raw)) {
      reasons.push({ code: 'path_traversal', severity: 'high', title: 'path climbs out of its directory with ..', evidence: `${p.field.at}: ${clip(p.raw)}`, effect: 'block' });
      continue;
    }
    for (const [re, what] of PROTECTED) {
      if (re.test(p.path)) {
        reasons.push({ code: 'protected_path', severity: 'critical', title: `protected path: ${what}`, evidence: `${p.field.at}: ${clip(p.raw)}`, effect: 'block' });
        break;
      }
    }
  }
  return reasons;
}
