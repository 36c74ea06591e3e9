// Messages between the server and its PGlite thread, and the type parsers both sides agree on.

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * int8 (count(*), sum(), bigint columns) comes back as a string from `pg` and as a number or
 * BigInt from PGlite. Every count we keep is far below 2^53, so both drivers hand back numbers.
 */
export function int8ToNumber(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} is beyond 2^53`);
  return n;
}

export const PGLITE_PARSERS = { [INT8_OID]: int8ToNumber, [NUMERIC_OID]: Number };
export const PG_TYPE_OIDS = { INT8_OID, NUMERIC_OID };

export interface PGliteWorkerData {
  /** `memory://` or an absolute directory. */
  location: string;
  /** A dumped data dir to start from (only passed when the directory holds no database yet). */
  snapshot?: Blob;
  pgliteWasmModule?: WebAssembly.Module;
  initdbWasmModule?: WebAssembly.Module;
  fsBundle?: Blob;
}

export type PGliteRequest =
  | { id: number; op: 'ready' }
  | { id: number; op: 'close' }
  | { id: number; op: 'query'; sql: string; params: unknown[]; blob?: Blob };

export type PGliteReply =
  | { id: number; ok: true; rows: Record<string, unknown>[]; affectedRows?: number }
  | { id: number; ok: false; message: string; fields: Record<string, string> };
