import type { AstNode } from '../../parse/index.js';
import type { PyModel } from '../../flow/python.js';

/** Text that shows a value was masked on the way: a short slice, a hash, a mask or redact helper. */
const MASKED = /\[\s*-?\d*\s*:\s*-?\d*\s*\]|\b(mask\w*|redact\w*|obfuscat\w*|anonymi[sz]\w*|pseudonymi[sz]\w*|hash\w*|sha\d+|md5|blake2\w*|hmac)\b|\*\*\*|["']\*["']\s*\*/i;

/** Whether the emitted expression, or the line a value was formatted on, masks it. */
export function isMasked(model: PyModel, node: AstNode, line?: number): boolean {
  return MASKED.test(model.text(node)) || (line !== undefined && MASKED.test(model.line(line)));
}
