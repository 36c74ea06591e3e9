/**
 * Scans files on worker threads. Parsing and analysis are CPU-bound and files are independent,
 * so a repository scan uses every core; results are merged in input order, so the ScanResult is
 * the same as a single-threaded scan's.
 */
import { availableParallelism } from 'node:os';
import { startWorker } from './start-worker.js';
import type { SourceFile } from './types.js';
import type { FileScan, FileScanOptions } from './scan-file.js';


export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

export async function scanInPool(
  files: SourceFile[],
  options: FileScanOptions,
  threads: number,
  onDone?: (done: number, file: string) => void,
): Promise<FileScan[]> {
  const results: FileScan[] = new Array(files.length);
  const workers = Array.from({ length: Math.min(threads, files.length) }, () => startWorker(import.meta.url, 'scan-worker'));
  let next = 0;
  let done = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= files.length) return resolve();
              const id = next++;
              worker.postMessage({ id, file: files[id], options });
            };
            worker.on('message', (msg: { id: number; result?: FileScan; error?: string }) => {
              if (msg.error) return reject(new Error(`scanning ${files[msg.id].path}: ${msg.error}`));
              results[msg.id] = msg.result!;
              onDone?.(++done, files[msg.id].path);
              send();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (code !== 0) reject(new Error(`scan worker exited with code ${code}`));
            });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
