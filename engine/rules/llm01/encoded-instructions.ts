import type { Rule } from '../types.js';
import { strings } from '../../parse/jsonc.js';

const BLOB = /(?<![A-Za-z0-9+/=_-])(?:[A-Za-z0-9+/]{4}){8,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?(?![A-Za-z0-9+/=_-])|(?<![A-Za-z0-9+/=_-])(?:[A-Za-z0-9_-]{4}){10,}[A-Za-z0-9_-]{0,3}(?![A-Za-z0-9+/=_-])/g;
/** What decoded instructions and commands say. */
const ORDERS = /\b(?:ignore|disregard|instructions?|system prompt|you (?:are|must|should|will)|do not tell|assistant|send|upload|post|exfiltrate|curl|wget|bash|sh -c|powershell|eval|exec|chmod|rm -rf|api[_ ]?key|token|password|secret|credentials?|\.ssh|id_rsa|\.env|https?:\/\/)\b/i;

/**
 * A base64 blob in an instruction file is text a reviewer cannot read and a model can: "decode
 * this and follow it", or `echo … | base64 -d | sh`. Blobs that decode to readable instructions
 * or commands are reported with the decoded text. Images, hashes, integrity strings, keys and
 * tokens decode to binary or structured data and stay silent.
 */
export const rule: Rule = {
  meta: {
    id: 'prompt-injection/encoded-instructions',
    owasp: 'LLM01',
    asi: 'ASI01',
    cwe: 'CWE-506',
    severity: 'HIGH',
    title: 'Encoded instructions in agent instructions',
    description: 'An agent instruction file or config carries a base64 blob that decodes to instructions or shell commands, hiding them from human review.',
    fix: 'Replace the blob with the plain text it encodes, review that text, and reject files that ship encoded orders.',
    languages: ['instructions', 'mcp-config', 'claude-settings'],
  },
  check(ctx) {
    const texts = ctx.json ? [...strings(ctx.json)].map(({ node }) => ({ text: node.value, line: node.line })) : ctx.source.split('\n').map((text, i) => ({ text, line: i + 1 }));
    const reported = new Set<number>();
    for (const { text, line } of texts) {
      if (reported.has(line) || text.length < 32) continue;
      BLOB.lastIndex = 0;
      for (let m = BLOB.exec(text); m; m = BLOB.exec(text)) {
        // Data URIs, SRI hashes and PEM bodies are encodings with a declared, benign purpose.
        const before = text.slice(Math.max(0, m.index - 24), m.index);
        if (/(?:base64,|sha(?:256|384|512)-|integrity=["']?)$/i.test(before)) continue;
        const decoded = decode(m[0]);
        // In a config an encoded value can be data; in prose instructions an encoded sentence has no honest purpose.
        if (!decoded || !(ORDERS.test(decoded) || (ctx.language === 'instructions' && isProse(decoded)))) continue;
        reported.add(line);
        const shown = decoded.replace(/\s+/g, ' ').trim();
        ctx.report({ line, message: `A base64 blob here decodes to ${JSON.stringify(shown.length > 160 ? `${shown.slice(0, 159)}…` : shown)}, text a reviewer cannot read.` });
        break;
      }
    }
  },
};

/** Several words of running text. */
function isProse(text: string): boolean {
  return (text.match(/\b[A-Za-z]{2,}\b/g) ?? []).length >= 6;
}

/** The blob as UTF-8 text when it is mostly readable prose or commands, else null. */
function decode(blob: string): string | null {
  const b64 = blob.replace(/-/g, '+').replace(/_/g, '/');
  let text: string;
  try {
    text = Buffer.from(b64, 'base64').toString('utf8');
  } catch {
    return null;
  }
  if (text.length < 16 || text.includes('\uFFFD')) return null;
  const readable = [...text].filter((c) => /[\p{L}\p{N}\p{P}\p{Zs}\p{S}\n\t]/u.test(c)).length / [...text].length;
  const spaces = (text.match(/\s/g) ?? []).length;
  // Prose and commands have spaces; JSON headers (JWTs) and random bytes do not read as sentences.
  if (readable < 0.95 || spaces < 2 || /^\s*\{"(?:alg|typ|kid)"/.test(text)) return null;
  return text;
}
