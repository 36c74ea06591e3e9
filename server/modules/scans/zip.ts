// Reading an uploaded ZIP without trusting it. Everything is decided from the central directory
// before a single byte is inflated (entry count, names, encryption, declared sizes, ratios), and
// the inflated bytes are then counted as they stream, because the declared sizes are the
// attacker's word. Nothing touches the disk, so hostile names cannot escape anywhere; they are
// refused all the same, because a ZIP that tries it is not an honest upload.
import yauzl from 'yauzl';
import { DEFAULT_IGNORED_DIRS, languageOf } from '../../../engine/files.js';
import type { Notice, SourceFile } from '../../../engine/types.js';
import { ApiError } from '../../errors.js';

export interface ZipLimits {
  /** More entries than this: refused (default 5,000). */
  maxEntries: number;
  /** Sum of uncompressed sizes, declared or actual, above this: refused (default 50 MiB). */
  maxTotalBytes: number;
  /** Uncompressed/compressed above this, for an entry of at least `ratioFloorBytes`: refused. */
  maxRatio: number;
  ratioFloorBytes: number;
  /** Supported files larger than this are skipped with a notice, as the CLI does (2 MiB). */
  maxFileBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 5_000,
  maxTotalBytes: 50 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 256 * 1024,
  maxFileBytes: 2 * 1024 * 1024,
};

export interface ZipContents {
  files: SourceFile[];
  notices: Notice[];
  entries: number;
}

const refuse = (error: string, message: string) => new ApiError(400, error, message);

/** yauzl's own name checks (it refuses while parsing the directory) mapped to one clear code. */
function mapZipError(err: Error): ApiError {
  const m = err.message ?? String(err);
  if (/^(absolute path|invalid relative path|invalid characters in fileName)/.test(m)) {
    return refuse('zip_unsafe_path', `the archive has an entry with an unsafe name (${m}); absolute paths and ".." are not accepted`);
  }
  if (/encrypt/i.test(m)) return refuse('zip_encrypted', 'the archive has encrypted entries; upload it without a password');
  if (/too many bytes|too few bytes|size mismatch/.test(m)) {
    return refuse('zip_size_mismatch', 'an entry inflates to a different size than the archive declares; refusing the archive');
  }
  return refuse('invalid_zip', `the upload is not a readable ZIP archive (${m})`);
}

function openZip(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: true }, (err, zip) => {
      if (err || !zip) reject(mapZipError(err ?? new Error('empty archive')));
      else resolve(zip);
    });
  });
}

function listEntries(zip: yauzl.ZipFile, limits: ZipLimits): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    let declaredTotal = 0;
    const fail = (e: ApiError) => {
      zip.removeAllListeners('entry');
      reject(e);
    };
    zip.on('error', (err: Error) => fail(err instanceof ApiError ? err : mapZipError(err)));
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      if (entries.length > limits.maxEntries) return fail(refuse('zip_too_many_entries', `the archive has more than ${limits.maxEntries} entries`));
      // Bit 0: traditional PKWARE encryption (yauzl refuses strong encryption itself).
      if (entry.generalPurposeBitFlag & 0x1) {
        return fail(refuse('zip_encrypted', `the archive has an encrypted entry (${entry.fileName}); upload it without a password`));
      }
      declaredTotal += entry.uncompressedSize;
      if (declaredTotal > limits.maxTotalBytes) {
        return fail(refuse('zip_too_large_uncompressed', `the archive unpacks to more than ${limits.maxTotalBytes} bytes`));
      }
      const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
      if (entry.uncompressedSize >= limits.ratioFloorBytes && ratio > limits.maxRatio) {
        return fail(
          refuse('zip_bomb', `entry ${entry.fileName} claims a compression ratio of ${Math.round(ratio)}:1 (limit ${limits.maxRatio}:1); this looks like a zip bomb`),
        );
      }
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.readEntry();
  });
}

/** Inflates one entry, counting real bytes: a lying header cannot make us inflate more. */
function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, budget: { left: number }, limits: ZipLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(mapZipError(err ?? new Error('cannot read entry')));
      const chunks: Buffer[] = [];
      let n = 0;
      let done = false;
      const stop = (e: ApiError) => {
        if (done) return;
        done = true;
        stream.destroy();
        reject(e);
      };
      stream.on('data', (chunk: Buffer) => {
        n += chunk.length;
        budget.left -= chunk.length;
        if (budget.left < 0) return stop(refuse('zip_too_large_uncompressed', `the archive unpacks to more than ${limits.maxTotalBytes} bytes`));
        if (n > entry.uncompressedSize) return stop(mapZipError(new Error('too many bytes in the stream')));
        chunks.push(chunk);
      });
      stream.on('error', (e: Error) => stop(mapZipError(e)));
      stream.on('end', () => {
        if (done) return;
        done = true;
        resolve(Buffer.concat(chunks, n));
      });
    });
  });
}

function isIgnored(path: string): boolean {
  return path.split('/').slice(0, -1).some((seg) => DEFAULT_IGNORED_DIRS.has(seg));
}

export async function readZip(buffer: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipContents> {
  const zip = await openZip(buffer);
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw refuse('zip_too_many_entries', `the archive has ${zip.entryCount} entries; the limit is ${limits.maxEntries}`);
    }
    const entries = await listEntries(zip, limits);
    const notices: Notice[] = [];
    const files: SourceFile[] = [];
    const seen = new Set<string>();
    const budget = { left: limits.maxTotalBytes };
    for (const entry of entries) {
      const name = entry.fileName;
      if (name.endsWith('/')) continue; // a directory
      const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
      if (mode === 0o120000) {
        notices.push({ file: name, kind: 'skipped', message: 'symbolic link in the archive; not followed' });
        continue;
      }
      if (!languageOf(name) || isIgnored(name)) continue;
      if (seen.has(name)) {
        notices.push({ file: name, kind: 'skipped', message: 'duplicate entry name in the archive; the first one was scanned' });
        continue;
      }
      seen.add(name);
      if (entry.uncompressedSize > limits.maxFileBytes) {
        notices.push({ file: name, kind: 'skipped', message: `file larger than ${limits.maxFileBytes} bytes; not scanned` });
        continue;
      }
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        notices.push({ file: name, kind: 'skipped', message: `unsupported compression method ${entry.compressionMethod}; not scanned` });
        continue;
      }
      files.push({ path: name, content: await readEntry(zip, entry, budget, limits) });
    }
    return { files, notices, entries: entries.length };
  } finally {
    zip.close();
  }
}
