/**
 * `npm run bench [-- parse] [-- archive] [-- browser]`: prints the figures the issues set targets for. Nothing here
 * touches the network; each section runs on this machine only. With no section named, all of them run.
 *
 *   BENCH_SECONDS   parse: seconds to run (default 5)
 *   BENCH_VERSIONS  archive: report versions to build (default 100000)
 *   crawl: --reports N (default 10000) --hosts H (default 50) --family trs-wcm|hanweb-jcms|mixed --concurrency C
 *   BENCH_WORKERS   archive (pool) and crawl: parse worker threads
 *   BENCH_BROWSER_PAGES  browser: report pages in the backfill through Chromium (default 2000)
 */
import { parseArgs } from 'node:util';
import { benchArchive } from './archive-bench.ts';
import { benchCrawl } from './crawl-bench.ts';
import { benchBrowser } from './browser-bench.ts';
import { benchParse } from './parse-bench.ts';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: { reports: { type: 'string' }, hosts: { type: 'string' }, family: { type: 'string' }, concurrency: { type: 'string' } },
});
const which = new Set(positionals);
const all = which.size === 0;
const started = process.hrtime.bigint();

if (all || which.has('parse')) {
  const r = benchParse(Number(process.env.BENCH_SECONDS ?? 5));
  console.log('parse (real pages: 20 Pingtan HTML + 5 seed texts, one core)');
  console.log(`  reports parsed   ${r.reports} in ${r.seconds.toFixed(2)} s wall, ${r.cpuSeconds.toFixed(2)} s CPU`);
  console.log(`  throughput       ${r.reportsPerCpuSecond.toFixed(0)} reports/s   ${r.mbPerCpuSecond.toFixed(1)} MB/s   per CPU-second of one core (target ≥ 300 reports/s)`);
  console.log(`  wall clock       ${r.reportsPerSecond.toFixed(0)} reports/s (lower when other processes share the cores)`);
  console.log(`  peak RSS         ${r.peakRssMb.toFixed(0)} MB`);
}
if (all || which.has('archive')) {
  await benchArchive({
    versions: Number(process.env.BENCH_VERSIONS ?? 100_000),
    mode: (process.env.BENCH_INGEST as 'fetch' | 'batch' | 'pool' | undefined) ?? undefined,
    workers: process.env.BENCH_WORKERS ? Number(process.env.BENCH_WORKERS) : undefined,
    batch: process.env.BENCH_BATCH ? Number(process.env.BENCH_BATCH) : undefined,
  });
}
if (all || which.has('crawl')) {
  await benchCrawl({
    reports: Number(flags.reports ?? 10_000),
    hosts: Number(flags.hosts ?? 50),
    family: flags.family as 'trs-wcm' | 'hanweb-jcms' | 'mixed' | undefined,
    concurrency: flags.concurrency ? Number(flags.concurrency) : undefined,
    workers: process.env.BENCH_WORKERS ? Number(process.env.BENCH_WORKERS) : undefined,
  });
}
if (all || which.has('browser')) {
  await benchBrowser({ pages: Number(process.env.BENCH_BROWSER_PAGES ?? 2000), backfillOnly: process.env.BENCH_BROWSER_ONLY === 'backfill', trace: process.env.BENCH_BROWSER_TRACE === '1' });
}
console.log(`bench total        ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`);
