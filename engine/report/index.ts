import type { ScanResult } from '../types.js';
import { toJson } from './json.js';
import { toMarkdown } from './markdown.js';
import { toSarif } from './sarif.js';
import { toText } from './text.js';

export type ReportFormat = 'text' | 'json' | 'sarif' | 'markdown';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif', 'markdown'];

export interface FormatOptions {
  /** Text only: ANSI colours. */
  color?: boolean;
  /** Text only: print just the summary line. */
  quiet?: boolean;
}

export function formatResult(result: ScanResult, format: ReportFormat, opts: FormatOptions = {}): string {
  switch (format) {
    case 'json':
      return toJson(result);
    case 'sarif':
      return `${JSON.stringify(toSarif(result), null, 2)}\n`;
    case 'markdown':
      return toMarkdown(result);
    case 'text':
      return toText(result, opts);
  }
}

export { toJson, toMarkdown, toSarif, toText };
export { sarifLevel } from './sarif.js';
export { packageInfo } from './version.js';
export { summaryLine, severityRank } from './common.js';
