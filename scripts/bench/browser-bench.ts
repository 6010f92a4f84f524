/**
 * The browser path (issue 5), on the replica portals (127.0.0.1 only):
 *   render      pages/s through Chromium (goto, scripts, network quiet, HTML out, page closed), one page at a time
 *   challenge   the cost of one challenge per site: a fresh context solving the 412 and the two-round 521
 *   backfill    BENCH_BROWSER_PAGES (default 2,000) report pages backfilled with every page through the browser
 *               (registry browser: "always") into a fresh archive: pages/s, and Node's and Chromium's RSS at
 *               start, middle and end (Chromium: the summed RSS of its process tree, from /proc)
 * CPU per page is printed too (Node and Chromium separately): other processes on the machine slow the wall clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BrowserPool } from '../../crawlers/browser/index.ts';
import { runCrawl } from '../../crawlers/crawl.ts';
import { DEFAULT_USER_AGENT } from '../../crawlers/fetcher.ts';
import { startReplica } from '../replica/index.ts';
import { forkReplica } from '../replica/child.ts';
import { openArchive } from '../../storage/index.ts';
import { chromiumUsage } from './proc-rss.ts';

export interface BrowserBenchOptions {
  /** report pages in the backfill (default 2000) */
  pages?: number;
  /** pages rendered one at a time for the render rate (default 60) */
  renders?: number;
  /** fresh-context solves per challenge kind (default 5) */
  solves?: number;
  /** skip the render-rate and challenge sections (default false) */
  backfillOnly?: boolean;
  /** print every memory sample (every 50 pages), not only start/middle/end (default false) */
  trace?: boolean;
  log?: (line: string) => void;
}

/**
 * A full garbage collection, so heapUsed is what is retained (RSS alone includes allocator slack and garbage not
 * yet collected). `--expose-gc` set at run time: the bench is started by tsx, whose node flags we do not control.
 */
const collect: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

const mb = (b: number) => b / 1024 / 1024;
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

export async function benchBrowser(opts: BrowserBenchOptions = {}): Promise<void> {
  const log = opts.log ?? ((l: string) => console.log(l));
  if (!BrowserPool.available()) {
    log('browser: no Chromium at /usr/bin/chromium (apt-get install -y chromium fonts-wqy-zenhei) — skipped');
    return;
  }
  const ua = DEFAULT_USER_AGENT;

  // ---- render rate and challenge cost
  if (!opts.backfillOnly) {
    const r = await startReplica({ only: ['js-list', 'hanweb', 'waf412', 'waf521'] });
    const pool = new BrowserPool({ userAgent: ua });
    try {
      const urls = [r.sites['js-list'].entryUrls[0], ...r.sites.hanweb.reports().map((d) => d.url)];
      await pool.render(urls[0]); // launch and first page out of the measurement
      const n = opts.renders ?? 60;
      const c0 = cpuNow();
      const k0 = chromiumUsage().cpuSeconds;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await pool.render(urls[i % urls.length]);
      const s = (performance.now() - t0) / 1000;
      const node = cpuNow() - c0;
      const chrome = chromiumUsage().cpuSeconds - k0;
      log('browser: render (real report pages and a JS-built list, one page at a time, in the site\'s kept page)');
      log(`  pages rendered   ${n} in ${s.toFixed(2)} s → ${(n / s).toFixed(1)} pages/s, ${((s * 1000) / n).toFixed(0)} ms/page`);
      log(`  CPU per page     Node ${((node * 1000) / n).toFixed(0)} ms, Chromium ${((chrome * 1000) / n).toFixed(0)} ms`);

      const solves = opts.solves ?? 5;
      for (const id of ['waf412', 'waf521'] as const) {
        const url = r.sites[id].entryUrls[0];
        const host = new URL(url).host;
        const times: number[] = [];
        let navs = 0;
        for (let i = 0; i < solves; i++) {
          await pool.closeSite(host); // a fresh context: no cookies, as for a new site
          const res = await pool.solveChallenge(url);
          times.push(res.elapsedMs);
          navs = res.navigations;
        }
        times.sort((a, b) => a - b);
        const kind = id === 'waf412' ? '412 (瑞数-style, one round)   ' : '521 (加速乐-style, two rounds)';
        log(`  challenge ${kind} ${times[Math.floor(times.length / 2)].toFixed(0)} ms median per site (min ${times[0].toFixed(0)}, max ${times[times.length - 1].toFixed(0)}; ${navs} navigations; once per site, later pages plain)`);
      }
    } finally {
      await pool.close();
      await r.close();
    }
  }

  // ---- the 2,000-page backfill through the browser
  const pages = opts.pages ?? 2000;
  // two hosts: each context serves enough pages to be recycled several times (every 200)
  const hosts = 2;
  // the replica in a process of its own: Node's RSS, heap and CPU below are the crawler's alone
  const r = await forkReplica({ only: [], bench: { reports: pages, hosts, family: 'hanweb-jcms', perPage: 20 } });
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-browser-bench-'));
  const db = openArchive(join(dir, 'archive.db'));
  const pool = new BrowserPool({ userAgent: ua, maxContexts: hosts });
  try {
    // a host's list is ~pages/2/60 list pages deep (a Hanweb XML call holds 3 pages of 20): past the default
    // maxDepth of 6 the rest of the reports would never be found
    const entries = r.registry.map((e) => ({ ...e, overrides: { ...e.overrides, browser: 'always', maxDepth: Math.ceil(pages / hosts / 20) + 2 } }));
    const samples: Array<{ at: number; node: number; heap: number; external: number; chrome: number; procs: number }> = [];
    const sample = (at: number) => {
      collect();
      const m = process.memoryUsage();
      const c = chromiumUsage();
      const x = { at, node: mb(m.rss), heap: mb(m.heapUsed), external: mb(m.external), chrome: c.rssMb, procs: c.processes };
      samples.push(x);
      if (opts.trace) log(`  sample ${x.at}: Node RSS ${x.node.toFixed(0)} MB, heap ${x.heap.toFixed(1)} MB, external ${x.external.toFixed(1)} MB; Chromium ${x.chrome.toFixed(0)} MB (${x.procs} processes)`);
    };
    let fetched = 0;
    const startAt = Math.max(20, Math.floor(pages / 20));
    let chromeCpu = 0;
    const c0 = cpuNow();
    const t0 = performance.now();
    const s = await runCrawl({
      db, entries, mode: 'backfill', browser: pool, concurrency: 8,
      fetcher: { hostDefaults: { concurrency: 1, delayMs: 0 }, timeoutMs: 30_000, retry: { baseMs: 50, maxMs: 500, maxAttempts: 2 } },
      onEvent: (e) => {
        if (e.event !== 'fetched') return;
        fetched++;
        // start: every host at work (5% in); middle: half; end: the last sample before the run closes up
        if (fetched === startAt || fetched === Math.floor(pages / 2) || fetched % 50 === 0) {
          sample(fetched);
          chromeCpu = chromiumUsage().cpuSeconds;
        }
      },
    });
    const after = chromiumUsage();
    const secs = (performance.now() - t0) / 1000;
    const node = cpuNow() - c0;
    const first = samples.find((x) => x.at === startAt) ?? samples[0];
    const mid = samples.find((x) => x.at === Math.floor(pages / 2)) ?? samples[Math.floor(samples.length / 2)];
    const last = samples[samples.length - 1];
    const maxChrome = Math.max(...samples.map((x) => x.chrome));
    log(`browser: backfill of ${pages} reports on ${hosts} hosts, every page through Chromium (registry browser: "always"), parsed and archived`);
    if (s.counts.new < pages) log(`  WARNING          ${pages - s.counts.new} of the ${pages} reports were not archived`);
    log(`  pages            ${fetched} (${s.counts.new} reports new, ${s.counts.failed} failed; run ${s.status}${s.queued ? `, ${s.queued} still queued for a retry` : ''}) in ${secs.toFixed(1)} s → ${(fetched / secs).toFixed(1)} pages/s`);
    log(`  CPU per page     Node ${((node * 1000) / fetched).toFixed(0)} ms (render wait, parse, archive), Chromium ${((chromeCpu * 1000) / fetched).toFixed(0)} ms`);
    log(`  RSS Node         start ${first.node.toFixed(0)} MB   middle ${mid.node.toFixed(0)} MB   end ${last.node.toFixed(0)} MB   (pages ${first.at} / ${mid.at} / ${last.at})`);
    log(`  heap Node        start ${first.heap.toFixed(1)} MB   middle ${mid.heap.toFixed(1)} MB   end ${last.heap.toFixed(1)} MB   (heapUsed after a full GC; external ${first.external.toFixed(1)} / ${mid.external.toFixed(1)} / ${last.external.toFixed(1)} MB)`);
    log(`  RSS Chromium     start ${first.chrome.toFixed(0)} MB   middle ${mid.chrome.toFixed(0)} MB   end ${last.chrome.toFixed(0)} MB   (max ${maxChrome.toFixed(0)} MB; ${last.procs} processes; one browser, contexts opened ${pool.stats.contextsOpened}: one per site, renewed every 200 pages)`);
    log(`  after the run    Chromium ${after.rssMb.toFixed(0)} MB with the run's contexts closed (${after.processes} processes)`);
  } finally {
    await pool.close();
    db.close();
    await r.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
