import * as core from '@actions/core';
import { sortIssues, owaspLabel, asiLabel } from '../../engine/report/common.js';
import type { Issue, Severity } from '../../engine/types.js';

/**
 * GitHub shows at most 10 annotations of each level per step and drops the rest without a word,
 * so more than that would only hide which ones were lost. The most severe go first.
 */
export const ANNOTATIONS_PER_LEVEL = 10;

type Level = 'error' | 'warning' | 'notice';

export function levelOf(severity: Severity): Level {
  return severity === 'CRITICAL' || severity === 'HIGH' ? 'error' : severity === 'MEDIUM' ? 'warning' : 'notice';
}

export interface AnnotationCounts {
  shown: number;
  hidden: number;
}

export function annotate(issues: readonly Issue[], sink: Pick<typeof core, Level> = core): AnnotationCounts {
  const byLevel: Record<Level, Issue[]> = { error: [], warning: [], notice: [] };
  for (const issue of sortIssues(issues)) byLevel[levelOf(issue.severity)].push(issue);
  const overflowOutsideNotices = byLevel.error.length > ANNOTATIONS_PER_LEVEL || byLevel.warning.length > ANNOTATIONS_PER_LEVEL;
  const overflow = overflowOutsideNotices || byLevel.notice.length > ANNOTATIONS_PER_LEVEL;
  // The closing "N more" line is itself a notice, so it takes one notice slot when needed.
  const limits: Record<Level, number> = {
    error: ANNOTATIONS_PER_LEVEL,
    warning: ANNOTATIONS_PER_LEVEL,
    notice: overflow ? ANNOTATIONS_PER_LEVEL - 1 : ANNOTATIONS_PER_LEVEL,
  };
  let shown = 0;
  for (const level of ['error', 'warning', 'notice'] as const) {
    for (const issue of byLevel[level].slice(0, limits[level])) {
      sink[level](message(issue), {
        title: `AgentCop ${issue.severity}: ${issue.title || issue.rule}`,
        file: issue.file,
        startLine: Math.max(1, issue.line),
        endLine: Math.max(issue.line, issue.end_line || issue.line),
        // A column only makes sense on a one-line annotation; GitHub ignores it otherwise.
        ...(issue.end_line && issue.end_line > issue.line ? {} : { startColumn: Math.max(1, issue.column || 1) }),
      });
      shown++;
    }
  }
  const hidden = issues.length - shown;
  if (hidden > 0) {
    sink.notice(
      `${hidden} more issue${hidden === 1 ? '' : 's'} not annotated (GitHub shows ${ANNOTATIONS_PER_LEVEL} annotations per level per step). ` +
        'Every issue is in the job summary, the log above and the SARIF file.',
      { title: `AgentCop: ${hidden} more issue${hidden === 1 ? '' : 's'}` },
    );
  }
  return { shown, hidden };
}

function message(issue: Issue): string {
  const refs = [owaspLabel(issue.owasp), asiLabel(issue.asi), issue.cwe, issue.rule].filter(Boolean).join(' · ');
  return [issue.description, issue.fix ? `Fix: ${issue.fix}` : '', refs].filter(Boolean).join('\n');
}
