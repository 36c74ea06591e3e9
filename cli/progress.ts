/** A single self-overwriting status line on an interactive stderr; silent everywhere else. */
export function progressLine(enabled: boolean, stream: NodeJS.WriteStream = process.stderr) {
  let last = 0;
  let shown = false;
  return {
    update(done: number, total: number, file: string): void {
      if (!enabled || total <= 50) return;
      const now = Date.now();
      if (now - last < 80 && done < total) return; // repainting faster than the eye reads only costs time
      last = now;
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      const text = `scanning ${done}/${total} ${file}`;
      stream.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
      shown = true;
    },
    clear(): void {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
