// The public share page: a self-contained HTML report. Everything in it that came from a scan —
// snippets above all, which are the scanned (possibly hostile) code — goes through `esc`. No
// script at all, one inline stylesheet allowed by its hash, nothing loaded from elsewhere.
import { createHash } from 'node:crypto';
import { OWASP_LLM, type Issue, type ScanResult } from '../../../engine/types.js';
import { asiLabel, cweUrl, sortIssues } from '../../../engine/report/common.js';

export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Only http(s) links are ever written into an href. */
function safeHref(url: string): string {
  return /^https?:\/\//.test(url) ? esc(url) : '#';
}

const STYLE = `
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#fff;--code:#f6f8fa}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:960px;margin:0 auto;padding:24px 16px 64px}
header{display:flex;gap:24px;align-items:center;flex-wrap:wrap;border-bottom:1px solid var(--line);padding-bottom:16px}
.score{font-size:56px;font-weight:700;line-height:1}.score small{font-size:18px;color:var(--muted)}
.level{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;color:#fff}
.SAFE{background:#1a7f37}.LOW{background:#2da44e}.MODERATE{background:#bf8700}.HIGH{background:#bc4c00}.CRITICAL{background:#cf222e}
.meta{color:var(--muted);font-size:14px}
h2{margin-top:32px;font-size:20px;border-bottom:1px solid var(--line);padding-bottom:4px}
article{border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin:12px 0}
article h3{margin:0 0 4px;font-size:16px}
.sev{font-size:12px;font-weight:700;padding:1px 6px;border-radius:4px;color:#fff;margin-right:6px}
.sev-CRITICAL{background:#cf222e}.sev-HIGH{background:#bc4c00}.sev-MEDIUM{background:#bf8700}.sev-LOW{background:#57606a}.sev-INFO{background:#8c959f}
pre{background:var(--code);padding:8px 12px;border-radius:6px;overflow:auto;font-size:13px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.fix{border-left:3px solid #2da44e;padding-left:10px}
a{color:#0969da}footer{margin-top:48px;color:var(--muted);font-size:13px}
`;

/** For the Content-Security-Policy: the one inline style the page has, and nothing else. */
export const STYLE_HASH = `sha256-${createHash('sha256').update(STYLE).digest('base64')}`;

export const SHARE_CSP = [
  "default-src 'none'",
  `style-src '${STYLE_HASH}'`,
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const OWASP_TOP10_URL = 'https://genai.owasp.org/llm-top-10/';

function issueHtml(i: Issue): string {
  const cwe = i.cwe ? cweUrl(i.cwe) : undefined;
  const asi = asiLabel(i.asi);
  const refs = [
    `<a href="${OWASP_TOP10_URL}" rel="noopener noreferrer">${esc(i.owasp)}</a>`,
    asi ? esc(asi) : '',
    i.cwe ? (cwe ? `<a href="${safeHref(cwe)}" rel="noopener noreferrer">${esc(i.cwe)}</a>` : esc(i.cwe)) : '',
  ].filter(Boolean);
  return `<article class="issue" data-rule="${esc(i.rule)}">
<h3><span class="sev sev-${esc(i.severity)}">${esc(i.severity)}</span>${esc(i.title ?? i.rule)}</h3>
<div class="meta"><code>${esc(i.file)}:${esc(i.line)}</code> · <code>${esc(i.rule)}</code> · ${refs.join(' · ')}</div>
<p>${esc(i.description)}</p>
<pre><code>${esc(i.code_snippet)}</code></pre>
${i.fix ? `<p class="fix"><strong>Fix:</strong> ${esc(i.fix)}</p>` : ''}
</article>`;
}

export function renderSharePage(result: ScanResult, opts: { badgePath: string; agentName: string | null; version: string }): string {
  const groups = new Map<string, Issue[]>();
  for (const i of sortIssues(result.issues)) {
    const list = groups.get(i.owasp) ?? [];
    list.push(i);
    groups.set(i.owasp, list);
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const title = `AgentCop report${opts.agentName ? ` — ${opts.agentName}` : ''}`;
  const sections = ordered
    .map(
      ([owasp, issues]) => `<section id="${esc(owasp)}">
<h2>${esc(owasp)} ${esc((OWASP_LLM as Record<string, string>)[owasp] ?? '')} <span class="meta">(${issues.length})</span></h2>
${issues.map(issueHtml).join('\n')}
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<div><div class="score" id="trust-score">${esc(result.trust_score)}<small>/100</small></div><div class="meta">trust score</div></div>
<div><span class="level ${esc(result.risk_level)}" id="risk-level">${esc(result.risk_level)}</span>
<div class="meta">${esc(result.total_issues)} issue${result.total_issues === 1 ? '' : 's'} · ${esc(result.files_scanned)} file${result.files_scanned === 1 ? '' : 's'} scanned · ${esc(result.created_at)}</div>
${result.frameworks?.length ? `<div class="meta">frameworks: ${esc(result.frameworks.join(', '))}</div>` : ''}</div>
<img src="${esc(opts.badgePath)}" alt="AgentCop badge" height="20">
</header>
<h1>${esc(title)}</h1>
${result.issues.length === 0 ? '<p id="no-issues">No issues found.</p>' : sections}
${result.suppressed_issues?.length ? `<p class="meta">${esc(result.suppressed_issues.length)} suppressed issue(s) are not shown and do not count.</p>` : ''}
<footer>AgentCop ${esc(opts.version)} · scan <code>${esc(result.scan_id)}</code> · snippets have secrets redacted</footer>
</main>
</body>
</html>
`;
}

export function renderNotFoundPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Scan not found — AgentCop</title><link rel="icon" href="data:,"><style>${STYLE}</style></head><body><main><h1>Scan not found</h1><p>This scan does not exist, or the link is incomplete.</p></main></body></html>\n`;
}
