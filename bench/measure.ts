/** Timing shared by the throughput benches: best of N runs, wall and CPU, in MB/s (MB = 10^6 bytes). */
export interface Timing {
  /** Fastest wall-clock run. */
  best_ms: number;
  first_ms: number;
  all_ms: number[];
  mb_per_s: number;
  /** CPU time (user + system, all threads of this process) of the least expensive run: steadier than wall time on a busy machine. */
  cpu_ms: number;
  mb_per_cpu_s: number;
}

export const round = (n: number, d = 1): number => Math.round(n * 10 ** d) / 10 ** d;

export async function measureRuns(runs: number, bytes: number, body: () => Promise<void> | void): Promise<Timing> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await body();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const best = Math.min(...wall);
  const bestCpu = Math.min(...cpu);
  return {
    best_ms: round(best),
    first_ms: round(wall[0]),
    all_ms: wall.map((n) => round(n)),
    mb_per_s: round(bytes / 1e6 / (best / 1000), 2),
    cpu_ms: round(bestCpu),
    mb_per_cpu_s: round(bytes / 1e6 / (bestCpu / 1000), 2),
  };
}
