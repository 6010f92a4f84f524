/** Parse throughput on the real pages: reports/s and MB/s on one core, and peak memory. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePage } from '../../parsers/index.ts';
import { PINGTAN_DIR, SEEDS_DIR, pingtanPages, seedTexts } from './corpus.ts';

export interface ParseBenchResult {
  reports: number;
  seconds: number;
  /** process CPU time (user + system, all threads): the time the work took on a core */
  cpuSeconds: number;
  reportsPerSecond: number;
  reportsPerCpuSecond: number;
  mbPerCpuSecond: number;
  peakRssMb: number;
}

export function benchParse(minSeconds = 5): ParseBenchResult {
  const inputs = [
    ...pingtanPages().map((p) => ({ body: readFileSync(join(PINGTAN_DIR, p.path)), url: p.url, form: 'html' as const })),
    ...seedTexts().map((f) => ({ body: readFileSync(join(SEEDS_DIR, f)), url: null, form: 'text' as const })),
  ];
  // warm-up: JIT and lazy module state
  for (const i of inputs) parsePage(i, i.form);
  let reports = 0;
  let bytes = 0;
  let peak = process.memoryUsage().rss;
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < minSeconds) {
    for (const i of inputs) {
      parsePage(i, i.form);
      reports++;
      bytes += i.body.length;
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    reports,
    seconds: elapsed,
    cpuSeconds,
    reportsPerSecond: reports / elapsed,
    reportsPerCpuSecond: reports / cpuSeconds,
    mbPerCpuSecond: bytes / 1e6 / cpuSeconds,
    peakRssMb: peak / 1024 / 1024,
  };
}
