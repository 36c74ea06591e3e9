/** Worker side of the scan pool: scans the files it is sent with the same scanFile as the main thread. */
import { parentPort } from 'node:worker_threads';
import { prepareEngine, scanFile, type FileScanOptions } from './scan-file.js';
import type { SourceFile } from './types.js';

const ready = prepareEngine();

parentPort!.on('message', async (msg: { id: number; file: SourceFile; options: FileScanOptions }) => {
  await ready;
  try {
    parentPort!.postMessage({ id: msg.id, result: scanFile(msg.file, msg.options) });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: (err as Error).stack ?? String(err) });
  }
});
