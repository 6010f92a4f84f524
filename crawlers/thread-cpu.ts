/**
 * CPU time of the calling thread (not the process: process.cpuUsage counts every thread), for the crawl
 * benchmark's breakdown of where the crawler's CPU goes. Linux only (/proc/thread-self/schedstat, ns).
 */
import { openSync, readSync } from 'node:fs';

// the file stays open: it names the thread that opened it (module state is per thread), and one pread costs
// a few µs where open+read+close costs tens
let fd: number | null | undefined = process.platform === 'linux' ? undefined : null;
const buf = Buffer.alloc(128);

/** Milliseconds of CPU this thread has used; null where the platform does not tell. */
export function threadCpuMs(): number | null {
  if (fd === null) return null;
  try {
    fd ??= openSync('/proc/thread-self/schedstat', 'r');
    const n = readSync(fd, buf, 0, buf.length, 0);
    const s = buf.toString('latin1', 0, n);
    return Number(s.slice(0, s.indexOf(' '))) / 1e6;
  } catch {
    fd = null;
    return null;
  }
}

/**
 * Sums of thread CPU by label: `time('store', () => …)`. Reading the clock is a syscall (tens of µs on a busy VM),
 * so a label timed often can be sampled: `time('plan', fn, 8)` measures one call in 8 and counts it 8 times.
 * A no-op (and no syscalls) when disabled.
 */
export class CpuLedger {
  readonly ms: Record<string, number> = {};
  private readonly calls: Record<string, number> = {};
  constructor(readonly enabled: boolean) {}

  time<T>(label: string, fn: () => T, every = 1): T {
    if (!this.enabled) return fn();
    const n = (this.calls[label] = (this.calls[label] ?? 0) + 1);
    if ((n - 1) % every !== 0) return fn();
    const t0 = threadCpuMs() ?? 0;
    try {
      return fn();
    } finally {
      this.ms[label] = (this.ms[label] ?? 0) + ((threadCpuMs() ?? 0) - t0) * every;
    }
  }
}
