/**
 * CPU time of the calling thread (not the process: process.cpuUsage counts every thread), for the crawl
 * benchmark's breakdown of where the crawler's CPU goes. Linux only (/proc/thread-self/schedstat, ns).
 */
import { readFileSync } from 'node:fs';

let available = process.platform === 'linux';

/** Milliseconds of CPU this thread has used; null where the platform does not tell. */
export function threadCpuMs(): number | null {
  if (!available) return null;
  try {
    const s = readFileSync('/proc/thread-self/schedstat', 'latin1');
    return Number(s.slice(0, s.indexOf(' '))) / 1e6;
  } catch {
    available = false;
    return null;
  }
}

/** Sums of thread CPU by label: `time('store', () => …)`. A no-op (and no syscalls) when disabled. */
export class CpuLedger {
  readonly ms: Record<string, number> = {};
  constructor(readonly enabled: boolean) {}

  time<T>(label: string, fn: () => T): T {
    if (!this.enabled) return fn();
    const t0 = threadCpuMs() ?? 0;
    try {
      return fn();
    } finally {
      this.ms[label] = (this.ms[label] ?? 0) + (threadCpuMs() ?? 0) - t0;
    }
  }
}
