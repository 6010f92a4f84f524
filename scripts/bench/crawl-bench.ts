/**
 * The crawl end to end (issue 4): a fresh archive, the benchmark replica (N reports on H hosts, no delay) served
 * by a child process, one backfill over every host — list pages, report pages, fetch, store, parse — and the
 * figures: pages/s, CPU per page (this process and its worker threads; the replica's CPU is its own), peak RSS,
 * the frontier's size on disk, the archive's size.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCrawl } from '../../crawlers/crawl.ts';
import { threadCpuMs } from '../../crawlers/thread-cpu.ts';
import { forkReplica } from '../replica/child.ts';
import { openArchive } from '../../storage/index.ts';

export interface CrawlBenchOptions {
  reports: number;
  hosts: number;
  family?: 'trs-wcm' | 'hanweb-jcms' | 'mixed';
  /** items in flight over all hosts (default 32) */
  concurrency?: number;
  /** requests in flight per host (default 2) */
  perHost?: number;
  /** parse/compress worker threads (default: the crawl's, commit-batcher.ts) */
  workers?: number;
  log?: (line: string) => void;
}

export interface CrawlBenchResult {
  pages: number;
  reports: number;
  seconds: number;
  pagesPerSecond: number;
  cpuMsPerPage: number;
  peakRssMb: number;
  /** the crawl thread's CPU per page by step (ms; Linux only): see the log lines */
  mainMsPerPage: Record<string, number> | null;
  frontierBytes: number;
  frontierRows: number;
  archiveBytes: number;
}

export async function benchCrawl(o: CrawlBenchOptions): Promise<CrawlBenchResult> {
  const log = o.log ?? ((l: string) => console.log(l));
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-crawl-bench-'));
  const path = join(dir, 'archive.db');
  const replica = await forkReplica({ only: [], bench: { reports: o.reports, hosts: o.hosts, family: o.family ?? 'trs-wcm' } });
  const db = openArchive(path);
  // rss() alone: memoryUsage() also walks the heaps, CPU that would count as the crawl's
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 250);
  try {
    log(`crawl (${o.reports.toLocaleString('en')} reports on ${o.hosts} replica hosts, ${o.family ?? 'trs-wcm'}, no delay; one backfill into a fresh archive)`);
    const perHost = o.perHost ?? 2;
    const cpu0 = process.cpuUsage();
    const main0 = threadCpuMs();
    const t0 = performance.now();
    const summary = await runCrawl({
      db, entries: replica.registry, mode: 'backfill', fresh: true,
      concurrency: o.concurrency ?? 32,
      fetcher: { hostDefaults: { concurrency: perHost, delayMs: 0 }, globalConcurrency: o.concurrency ?? 32, timeoutMs: 30_000 },
      commit: { measure: true, ...(o.workers !== undefined ? { workers: o.workers } : {}) },
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const main1 = threadCpuMs();
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const served = await replica.stats();
    const pages = summary.counts.pages;
    const reports = (db.prepare(`SELECT count(*) AS n FROM latest_reports`).get() as { n: number }).n;
    const frontier = db.prepare(`SELECT sum(pgsize) AS bytes FROM dbstat WHERE name = 'frontier' OR name IN
        (SELECT name FROM sqlite_schema WHERE tbl_name = 'frontier' AND type = 'index')`).get() as { bytes: number };
    const frontierRows = (db.prepare('SELECT count(*) AS n FROM frontier').get() as { n: number }).n;
    db.pragma('wal_checkpoint(TRUNCATE)');
    const archiveBytes = statSync(path).size;
    const cpuMsPerPage = (cpu.user + cpu.system) / 1000 / Math.max(1, pages);
    const mainMsPerPage = main0 === null || main1 === null ? null : breakdown(main1 - main0, summary.cpu ?? {}, pages);
    const r: CrawlBenchResult = {
      pages, reports, seconds, pagesPerSecond: pages / seconds, cpuMsPerPage, mainMsPerPage, peakRssMb: peak / 2 ** 20,
      frontierBytes: frontier.bytes, frontierRows, archiveBytes,
    };
    if (o.workers !== undefined) log(`  parse workers    ${o.workers} (BENCH_WORKERS)`);
    log(`  run              ${summary.status}: pages ${pages}  new ${summary.counts.new}  failed ${summary.counts.failed}  (replica served ${served.requests} requests)`);
    log(`  pages fetched    ${pages} in ${seconds.toFixed(1)} s wall → ${r.pagesPerSecond.toFixed(0)} pages/s end to end (target ≥ 300)`);
    log(`  reports stored   ${reports}`);
    log(`  CPU per page     ${cpuMsPerPage.toFixed(2)} ms (crawler process incl. worker threads: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s; replica process: ${((served.cpu.user + served.cpu.system) / 1e6).toFixed(1)} s)`);
    if (mainMsPerPage) {
      const m = mainMsPerPage;
      const f = (x: number) => x.toFixed(2);
      log(`  crawl thread     ${f(m.total)} ms CPU per page: storage writer ${f(m.store)} (commitFetches) + BEGIN/COMMIT ${f(m.commit)}` +
        ` + parse here ${f(m.work)} (before the workers start) + frontier settle ${f(m.settle)} + plan ${f(m.plan)} (hash, lookups)` +
        ` + to workers ${f(m.dispatch)} + lease ${f(m.lease)} + the rest ${f(m.rest)} (fetch, list pages, batching)`);
      log(`  other threads    ${f(cpuMsPerPage - m.total)} ms CPU per page (parse/compress workers, GC and libuv helpers)`);
      log(`  crawl machinery  ${f(m.total - m.store - m.commit - m.work)} ms CPU per page (crawl thread minus storage writer, BEGIN/COMMIT and parsing; target ≤ 2)`);
    }
    log(`  peak RSS         ${r.peakRssMb.toFixed(0)} MB (crawler process, worker threads included)`);
    log(`  frontier         ${frontierRows} rows, ${(frontier.bytes / 2 ** 20).toFixed(2)} MB on disk (table + indexes, dbstat)`);
    log(`  archive          ${(archiveBytes / 2 ** 20).toFixed(1)} MB`);
    return r;
  } finally {
    clearInterval(sampler);
    if (db.open) db.close();
    await replica.close();
    if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
    else log(`  (kept ${path})`);
  }
}

/** The crawl thread's CPU per page, by step (CommitBatcher's ledger); `rest` is everything outside a commit. */
function breakdown(totalMs: number, steps: Record<string, number>, pages: number): Record<string, number> {
  const per = (x: number) => x / Math.max(1, pages);
  const txn = steps.transaction ?? 0;
  const store = steps.store ?? 0;
  const settle = steps.settle ?? 0;
  const plan = steps.plan ?? 0;
  const work = steps.work ?? 0;
  const dispatch = steps.dispatch ?? 0;
  const lease = steps.lease ?? 0;
  return {
    total: per(totalMs), store: per(store), settle: per(settle), commit: per(txn - store - settle), plan: per(plan),
    work: per(work), dispatch: per(dispatch), lease: per(lease), rest: per(totalMs - txn - plan - work - dispatch - lease),
  };
}
