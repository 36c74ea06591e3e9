import { createColors } from 'picocolors';
import type { Issue, RiskLevel, ScanResult, Severity } from '../types.js';
import { compare, sortIssues, summaryLine } from './common.js';

export interface TextOptions {
  /** The caller decides (TTY, --no-color, NO_COLOR); this module never looks at the environment. */
  color?: boolean;
  /** Only the summary line. */
  quiet?: boolean;
}

export function toText(result: ScanResult, opts: TextOptions = {}): string {
  const c = createColors(opts.color ?? false);
  const sev: Record<Severity, (s: string) => string> = {
    CRITICAL: (s) => c.bold(c.red(s)),
    HIGH: c.red,
    MEDIUM: c.yellow,
    LOW: c.cyan,
    INFO: c.dim,
  };
  const risk: Record<RiskLevel, (s: string) => string> = {
    SAFE: c.green,
    LOW: c.green,
    MODERATE: c.yellow,
    HIGH: c.red,
    CRITICAL: (s) => c.bold(c.red(s)),
  };
  const out: string[] = [];

  if (!opts.quiet) {
    const byFile = new Map<string, Issue[]>();
    for (const issue of result.issues) byFile.set(issue.file, [...(byFile.get(issue.file) ?? []), issue]);
    for (const file of [...byFile.keys()].sort(compare)) {
      out.push(c.underline(file));
      const issues = sortIssues(byFile.get(file)!).sort((a, b) => a.line - b.line || a.column - b.column);
      for (const i of issues) {
        const pos = `${i.line}:${i.column}`.padEnd(7);
        out.push(`  ${c.dim(pos)} ${sev[i.severity](i.severity.padEnd(8))}  ${i.title || i.rule}  ${c.dim(`${i.rule} · ${i.owasp}${i.asi ? `/${i.asi}` : ''} · ${i.cwe}`)}`);
        const indent = ' '.repeat(20);
        out.push(`${indent}${i.description}`);
        if (i.code_snippet) out.push(`${indent}${c.dim('>')} ${i.code_snippet}`);
        if (i.fix) out.push(`${indent}${c.green('fix:')} ${i.fix}`);
      }
      out.push('');
    }

    const suppressed = result.suppressed_issues ?? [];
    if (suppressed.length) {
      const kinds = new Map<string, number>();
      for (const i of suppressed) kinds.set(i.suppressed?.kind ?? 'suppressed', (kinds.get(i.suppressed?.kind ?? 'suppressed') ?? 0) + 1);
      out.push(c.dim(`${suppressed.length} suppressed (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}), not counted in the score`), '');
    }

    if (result.notices?.length) {
      out.push('Notices:');
      for (const n of result.notices) out.push(`  ${n.file ? `${n.file}: ` : ''}${c.dim(n.kind)}: ${n.message}`);
      out.push('');
    }
  }

  const line = summaryLine(result);
  const [head, ...rest] = line.split(' · ');
  out.push([risk[result.risk_level](c.bold(head)), ...rest].join(' · '));
  return `${out.join('\n')}\n`;
}
