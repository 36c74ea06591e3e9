import type { ScanResult } from '../types.js';

export function toJson(result: ScanResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
