import { randomBytes } from 'node:crypto';

/** `prefix_` + 96 random bits, url-safe: unguessable, so ids can appear in public URLs. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

let lastMs = 0;
let seq = 0;

/**
 * `prefix_` + a time-ordered part + 72 random bits. Rows written in the same millisecond (a log
 * read back newest first) keep the order this process made them in, where a random id would tie
 * at random.
 */
export function newSortableId(prefix: string, ms = Date.now()): string {
  if (ms > lastMs) {
    lastMs = ms;
    seq = 0;
  } else {
    seq++;
  }
  const time = lastMs.toString(36).padStart(9, '0') + seq.toString(36).padStart(4, '0');
  return `${prefix}_${time}${randomBytes(9).toString('base64url')}`;
}
