/**
 * The crawl engine (issue 4, slice C): registry entries → list pages (family adapters) → report pages → archive.
 *
 *   runCrawl({ db, entries, mode: 'crawl' })              nightly: re-list every column, re-check known reports
 *                                                         conditionally (If-None-Match / If-Modified-Since → 304)
 *   runCrawl({ db, entries, mode: 'backfill', years })    everything listed, optionally only reports of some years
 *
 * A run left 'running' by a killed process is resumed (findRunning; recoverInFlight queues its in-flight
 * items again). Every fetch is committed with its frontier transition and discovered links in one
 * transaction (commit.ts), so a resumed run fetches each URL into the archive once.
 *
 * Bounds (registry overrides, per entry): maxDepth link hops from the entry (default 6) and maxListPages list
 * requests per site per run (default 100) — what ends calendar traps and endless lists on generic sites.
 */
import { titleLooksLikeReport } from '../parsers/metadata.ts';
import { stmt } from '../storage/sql.ts';
import type { Archive } from '../storage/types.ts';
import { adapterFor } from './adapters/index.ts';
import { browserForRun, renderForList, type RunBrowser } from './browser/run.ts';
import type { BrowserPool } from './browser/pool.ts';
import { CommitBatcher, type CommitBatcherOptions } from './commit-batcher.ts';
import { Fetcher, type FetcherOptions, type FetchResult } from './fetcher.ts';
import { enqueue, lease, nextDueAt, recoverInFlight, release, StaleLeaseError, type EnqueueInput, type FrontierBackoff, type FrontierItem } from './frontier.ts';
import { whyNotCrawlable } from './families.ts';
import { entryHosts, unitOf, type RegistryEntry } from './registry.ts';
import { findRunning, finishRun, getRun, startRun, type RunCounts, type RunMode, type RunStatus } from './runs.ts';
import { listsComplete, REVISIT_DELISTED_DAYS, settleListing } from './listing.ts';
import { OcrRunner, type OcrRunnerOptions } from './ocr-runner.ts';
import { isPrivateAddress } from './url-policy.ts';
import { archiveValidators } from './validators.ts';

export interface YearRange {
  from: number;
  to: number;
}

export interface CrawlEvent {
  event: 'start' | 'fetched' | 'list' | 'skip' | 'finish';
  runId: number;
  /** skip: the registry entry left out (with `error` = why) */
  site?: string;
  url?: string;
  kind?: string;
  status?: number | null;
  result?: string;
  reports?: number;
  next?: number;
  counts?: RunCounts;
  queued?: number;
  resumed?: boolean;
  error?: string;
}

export interface CrawlOptions {
  db: Archive;
  entries: RegistryEntry[];
  mode?: RunMode;
  /** backfill: keep only reports whose title (or list date) names one of these years */
  years?: YearRange | null;
  /** recorded in crawl_runs.args (the CLI's arguments) */
  args?: Record<string, unknown>;
  /** fetcher options on top of the registry's (allowedHosts/allowPrivate are always the registry's) */
  fetcher?: Partial<FetcherOptions>;
  /** frontier retry backoff for failed items (default: frontier's, minutes) */
  backoff?: Partial<FrontierBackoff>;
  /** items in flight at once, over all hosts (default 8) */
  concurrency?: number;
  /** stop (status interrupted) rather than wait longer than this for a retry to come due (default 10 min) */
  maxWaitMs?: number;
  /** progress callback */
  onEvent?: (e: CrawlEvent) => void;
  /** stop: in-flight fetches finish and are committed, the run is left 'interrupted' */
  signal?: AbortSignal;
  /** start a new run even if one of this mode is still marked running */
  fresh?: boolean;
  /** how fetches are committed: batch size, delay, parse workers (commit-batcher.ts) */
  commit?: CommitBatcherOptions;
  /** the browser path: a shared pool (left open, its contexts for these sites closed at the end), false for
   *  none; default: a pool of this run's own, launched only if a site needs it */
  browser?: BrowserPool | false;
  /** OCR of table pictures after their fetch (ocr-runner.ts); false: pictures stored, not read this run */
  ocr?: OcrRunnerOptions | false;
}

export interface CrawlSummary {
  runId: number;
  mode: RunMode;
  resumed: boolean;
  status: RunStatus;
  counts: RunCounts;
  /** frontier items of this run given up, by reason */
  failures: Record<string, number>;
  /** items not fetched (robots.txt, host policy), and entries not crawlable (no adapter for their family), by reason */
  skipped: Record<string, number>;
  /** items still queued (a retry not yet due when the run stopped) */
  queued: number;
  elapsedMs: number;
  /** the browser path: challenges solved (and failed), pages rendered */
  browser?: { solves: number; failedSolves: number; renders: number };  /** with commit.measure: the crawl thread's CPU (ms) by commit step (commit-batcher.ts) */
  cpu?: Record<string, number>;
}

const LIST_PRIORITY = 10;
const maxListPagesOf = (e: RegistryEntry): number => (typeof e.overrides.maxListPages === 'number' ? e.overrides.maxListPages : 100);
const yearOf = (title: string): number | null => {
  const m = /((?:19|20)\d{2})\s*年/.exec(title);
  return m ? Number(m[1]) : null;
};

export function keepReport(title: string, years: YearRange | null | undefined, date?: string): boolean {
  const t = title.replace(/\s+/g, '');
  // a report names its year; the column's own name (政府信息公开年报) does not
  if (!titleLooksLikeReport(t) || !/(?:19|20)\d{2}/.test(t)) return false;
  if (!years) return true;
  const y = yearOf(t) ?? (date ? Number(date.slice(0, 4)) - 1 : null);
  return y === null || (y >= years.from && y <= years.to);
}

export async function runCrawl(o: CrawlOptions): Promise<CrawlSummary> {
  const t0 = Date.now();
  const { db } = o;
  // entries of a family without an adapter (or without an entry URL) are left out, with their reason
  const notCrawlable = new Map(o.entries.map((e) => [e, whyNotCrawlable(e)] as const).filter(([, why]) => why !== null));
  const entries = o.entries.filter((e) => !notCrawlable.has(e));
  const mode = o.mode ?? 'crawl';
  const byId = new Map(entries.map((e) => [e.id, e]));
  const hostsOf = new Map(entries.map((e) => [e.id, new Set(entryHosts(e))]));

  recoverInFlight(db);
  const sites = entries.map((e) => e.id);
  // resume: a run whose process was killed (still 'running'); for a backfill also one stopped by a signal or
  // by a retry too far away ('interrupted'). A nightly crawl stopped that way starts a new night instead.
  let running = o.fresh ? null : findRunning(db, mode);
  if (!running && mode === 'backfill' && !o.fresh) {
    const last = stmt(db, `SELECT id FROM crawl_runs WHERE mode = 'backfill' ORDER BY id DESC LIMIT 1`).get() as { id: number } | undefined;
    const run = last ? getRun(db, last.id) : null;
    if (run?.status === 'interrupted' && JSON.stringify(run.args.sites ?? null) === JSON.stringify(sites)) {
      stmt(db, `UPDATE crawl_runs SET status = 'running', finished_at = NULL WHERE id = ?`).run(run.id);
      running = run;
    }
  }
  if (running && JSON.stringify(running.args.sites ?? null) !== JSON.stringify(sites)) {
    // a killed run over other sites: not this one to resume
    finishRun(db, running.id, 'interrupted');
    running = null;
  }
  const resumed = running !== null;
  const runId = running?.id ?? startRun(db, mode, { ...o.args, sites, years: o.years ?? null });
  o.onEvent?.({ event: 'start', runId, resumed });
  for (const [e, why] of notCrawlable) o.onEvent?.({ event: 'skip', runId, site: e.id, error: why! });

  if (!resumed) {
    // the columns, always re-listed; then (nightly) every report already fetched, re-checked conditionally
    const seeds: EnqueueInput[] = entries.flatMap((e) => adapterFor(e.family).listRequests(e).map((url) => ({
      url, kind: 'list' as const, site: e.id, depth: 0, priority: LIST_PRIORITY, runId,
    })));
    if (mode === 'crawl' && entries.length) {
      // (a report delisted long ago is left alone: listing.ts)
      const known = stmt(db, `SELECT request_url, site, depth FROM frontier WHERE kind = 'detail' AND status IN ('done', 'failed')
          AND site IN (SELECT value FROM json_each(?))
          AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.url = frontier.url AND d.delisted_since < ?)`)
        .all(JSON.stringify(entries.map((e) => e.id)), new Date(Date.now() - REVISIT_DELISTED_DAYS * 86_400_000).toISOString()) as { request_url: string; site: string; depth: number }[];
      for (const k of known) seeds.push({ url: k.request_url, kind: 'detail', site: k.site, depth: k.depth, runId });
    }
    enqueue(db, seeds, { revisit: true });
    // items an interrupted run of these sites left queued are this run's now
    stmt(db, `UPDATE frontier SET run_id = ? WHERE status = 'queued' AND site IN (SELECT value FROM json_each(?))`).run(runId, JSON.stringify(sites));
  }

  const allHosts = [...new Set(entries.flatMap((e) => entryHosts(e)))];
  const names = [...new Set(allHosts.map((h) => new URL(`http://${h}`).hostname.replace(/^\[|\]$/g, '')))];
  const hostSettings: Record<string, { delayMs?: number; concurrency?: number }> = {};
  for (const e of entries) {
    const d = e.overrides.delayMs;
    const c = e.overrides.concurrency;
    if (typeof d === 'number' || typeof c === 'number') {
      for (const h of entryHosts(e)) hostSettings[h] = { ...(typeof d === 'number' ? { delayMs: d } : {}), ...(typeof c === 'number' ? { concurrency: c } : {}) };
    }
  }
  const browser: RunBrowser | null = browserForRun(o.browser, entries, o.fetcher?.userAgent);
  const fetcher = new Fetcher({
    timeoutMs: 30_000,
    ...(browser ? { browser: browser.assist } : {}),
    ...o.fetcher,
    hosts: { ...o.fetcher?.hosts, ...hostSettings },
    allowedHosts: names,
    allowPrivate: names.filter((n) => /^[\d.]+$|:/.test(n) && isPrivateAddress(n)),
  });

  const slots = Math.max(1, o.concurrency ?? 8);
  const perHost = new Map<string, number>();
  const hostCap = (host: string) => Math.max(1, hostSettings[host]?.concurrency ?? o.fetcher?.hostDefaults?.concurrency ?? 1);
  const inFlight = new Set<Promise<void>>();
  const maxWait = o.maxWaitMs ?? 600_000;
  let stopped = false;
  let crashed: unknown = null;

  // list pages this run has queued per site: counted in the frontier once, then here (links of fetches not yet
  // committed are not in the frontier yet); a URL already known counts too, so the bound errs on the safe side
  const listPages = new Map<string, number>();
  // sites with a list page this process could not read: their lists are not complete this run (listing.ts)
  const unreadLists = new Set<string>();
  const listPagesUsed = (site: string): number => {
    let n = listPages.get(site);
    if (n === undefined) {
      n = (stmt(db, `SELECT count(*) AS n FROM frontier WHERE run_id = ? AND site = ? AND kind = 'list'`).get(runId, site) as { n: number }).n;
      listPages.set(site, n);
    }
    return n;
  };

  const sameSiteOf = (entry: RegistryEntry) => (u: string): boolean => {
    try {
      return hostsOf.get(entry.id)!.has(new URL(u).host.toLowerCase());
    } catch {
      return false;
    }
  };

  const discover = (item: FrontierItem, entry: RegistryEntry, result: FetchResult): { out: EnqueueInput[]; listed: string[]; found: number | null } => {
    // found: links the adapter read on a list page (0: maybe a JS-only list); null: not a readable list page
    if (item.kind !== 'list' || result.kind !== 'ok' || !result.body?.length) return { out: [], listed: [], found: null };
    const adapter = adapterFor(entry.family);
    let page;
    try {
      page = adapter.parseList(entry, result.finalUrl, result.body, result.headers, { depth: item.depth });
    } catch (err) {
      o.onEvent?.({ event: 'list', runId, url: item.requestUrl, error: (err as Error).message });
      unreadLists.add(entry.id);
      return { out: [], listed: [], found: null };
    }
    const sameSite = sameSiteOf(entry);
    const out: EnqueueInput[] = [];
    const seen = new Set<string>();
    // every report the list names, whatever years this run keeps (listing.ts)
    const listed = page.reports.filter((r) => sameSite(r.url) && keepReport(r.title, null, r.date)).map((r) => r.url);
    for (const r of page.reports) {
      if (seen.has(r.url) || !sameSite(r.url) || !keepReport(r.title, mode === 'backfill' ? o.years : null, r.date)) continue;
      seen.add(r.url);
      out.push({ url: r.url, kind: 'detail', site: entry.id, depth: item.depth + 1, discoveredFrom: item.url, runId });
    }
    const maxDepth = typeof entry.overrides.maxDepth === 'number' ? entry.overrides.maxDepth : 6;
    const maxPages = maxListPagesOf(entry);
    let budget = maxPages - listPagesUsed(entry.id);
    if (item.depth + 1 <= maxDepth) {
      for (const u of page.next) {
        if (budget <= 0) break;
        if (seen.has(u) || !sameSite(u)) continue;
        seen.add(u);
        out.push({ url: u, kind: 'list', site: entry.id, depth: item.depth + 1, discoveredFrom: item.url, priority: LIST_PRIORITY, runId });
        listPages.set(entry.id, listPagesUsed(entry.id) + 1);
        budget--;
      }
    }
    o.onEvent?.({ event: 'list', runId, url: item.requestUrl, reports: page.reports.length, next: page.next.length });
    return { out, listed, found: page.reports.length + page.next.length };
  };

  const work = async (item: FrontierItem): Promise<void> => {
    const entry = byId.get(item.site);
    // validators only for a URL the crawl has stored a fetch of (a first fetch has none to send: no lookup)
    const result = await fetcher.fetch(item.requestUrl, {
      validators: item.kind !== 'list' && item.fetchId !== null ? (u) => archiveValidators(db, u) : undefined,
    });
    if (!entry) {
      commitSafe(item, result, []);
      return;
    }
    let { out, listed, found } = discover(item, entry, result);
    // a list page that names nothing without JS: read it again as the browser renders it
    if (browser && found === 0) {
      const rendered = await renderForList(browser, result);
      if (rendered) ({ out, listed, found } = discover(item, entry, rendered));
    }
    commitSafe(item, result, out, entry, listed);
  };

  // the fetch slot is free once the fetch is handed to the batcher; its frontier row stays in_flight until
  // the batch holding it commits (a kill before that: fetched again on resume, stored once)
  const batcher = new CommitBatcher(db, o.commit);
  // table pictures are read off this thread once stored; the first poke picks up ones an earlier run left unread
  const ocr = o.ocr === false ? null : new OcrRunner(db, o.ocr);
  ocr?.poke();
  // a big queue from the start: parse in the workers from the first page on
  batcher.expect((stmt(db, `SELECT count(*) AS n FROM frontier WHERE run_id = ? AND status = 'queued'`).get(runId) as { n: number }).n);
  const commitSafe = (item: FrontierItem, result: FetchResult, discovered: EnqueueInput[], entry?: RegistryEntry, listed: string[] = []) => {
    // known URLs settled by an earlier run are this run's again (re-listed pages, re-checked reports)
    batcher.submit(item, result, {
      unit: entry ? unitOf(entry) : null, discovered, revisit: true, runId, backoff: o.backoff,
      // a report page whose report is in its files: the files are queued with the page (attachments.ts)
      attachments: entry ? { sameSite: sameSiteOf(entry) } : undefined,
      listed: entry && listed.length ? { site: entry.id, runId, urls: listed } : undefined,
    })
      .then(
        () => {
          if (item.kind === 'attachment' && result.kind === 'ok') ocr?.poke();
        },
      )
      .then(
        () => o.onEvent?.({ event: 'fetched', runId, url: item.requestUrl, kind: item.kind, status: result.status, result: result.kind, error: result.error ?? undefined }),
        (err) => {
          if (!(err instanceof StaleLeaseError)) crashed ??= err;
        },
      );
  };
  const BACKLOG = 4 * (o.commit?.maxBatch ?? 64);

  const stop = () => {
    stopped = true;
  };
  o.signal?.addEventListener('abort', stop, { once: true });

  // leased items waiting for a free slot on their host (in_flight in the frontier: a kill re-queues them)
  let leased: FrontierItem[] = [];
  let leaseDry: { commits: number; at: number } | null = null;
  const start = (item: FrontierItem) => {
    perHost.set(item.host, (perHost.get(item.host) ?? 0) + 1);
    const p: Promise<void> = work(item)
      .catch((err) => {
        crashed ??= err;
      })
      .finally(() => {
        inFlight.delete(p);
        perHost.set(item.host, (perHost.get(item.host) ?? 1) - 1);
        wake?.();
      });
    inFlight.add(p);
  };
  // the loop waits for any item to finish: one waker, not a Promise.race that hangs a reaction on every item in
  // flight each time round
  let wake: (() => void) | null = null;
  const anyFinished = () => new Promise<void>((resolve) => {
    wake = () => {
      wake = null;
      resolve();
    };
  });
  const fillSlots = () => {
    const rest: FrontierItem[] = [];
    for (const item of leased) {
      if (inFlight.size < slots && (perHost.get(item.host) ?? 0) < hostCap(item.host)) start(item);
      else rest.push(item);
    }
    leased = rest;
  };

  try {
    for (;;) {
      if (crashed) throw crashed;
      if (!stopped && batcher.pending >= BACKLOG) await batcher.flush();
      if (!stopped && inFlight.size < slots) {
        fillSlots();
        // lease in chunks, with hysteresis: only when a free slot has nothing in hand to start or the hand is
        // down to `slots` items, and then up to 3 × slots (in flight + in hand) — one lease per ~slots pages, not
        // one per page. After a lease that came back short, ask again only once a batch has committed (new
        // links) or a little time has passed (hosts freed, retries due)
        const dry = leaseDry !== null && leaseDry.commits === batcher.stats.transactions && Date.now() - leaseDry.at < 100;
        if ((inFlight.size < slots || leased.length < slots) && !dry) {
          // a host with plenty in flight and in hand is left out: the hand stays spread over the hosts
          const inHand = new Map<string, number>();
          for (const i of leased) inHand.set(i.host, (inHand.get(i.host) ?? 0) + 1);
          const full = [...new Set([...perHost.keys(), ...inHand.keys()])]
            .filter((h) => (perHost.get(h) ?? 0) + (inHand.get(h) ?? 0) >= 2 * hostCap(h));
          const cap = Math.max(1, ...Object.values(hostSettings).map((h) => h.concurrency ?? 1), o.fetcher?.hostDefaults?.concurrency ?? 1);
          const want = 3 * slots - inFlight.size - leased.length;
          const got = batcher.cpu.time('lease', () => lease(db, { limit: want, perHost: cap, runId, excludeHosts: full }));
          leaseDry = got.length < want ? { commits: batcher.stats.transactions, at: Date.now() } : null;
          leased.push(...got);
          fillSlots();
        }
      }
      if (inFlight.size > 0) {
        await anyFinished();
        continue;
      }
      // links of fetches not yet committed are not in the frontier yet
      if (batcher.pending > 0) {
        await batcher.flush();
        continue;
      }
      if (stopped) break;
      const due = nextDueAt(db, { runId });
      if (due === null) break;
      const wait = new Date(due).getTime() - Date.now();
      if (wait > maxWait) break;
      await new Promise((r) => setTimeout(r, Math.max(5, Math.min(wait, 1000))));
    }
    if (crashed) throw crashed;
  } catch (err) {
    await Promise.allSettled(inFlight);
    await batcher.close().catch(() => undefined);
    await ocr?.close();
    finishRun(db, runId, 'failed');
    await fetcher.close();
    await browser?.done();
    throw err;
  } finally {
    o.signal?.removeEventListener('abort', stop);
    // leased but never started (a stop): back to the queue, no attempt counted
    for (const item of leased) release(db, item);
    leased = [];
  }
  await batcher.close();
  await fetcher.close();
  await browser?.done();
  // a stopped run does not wait for OCR: what is unread stays pending for the next run
  if (ocr && !stopped) await ocr.drain().catch((err) => (crashed ??= err));
  await ocr?.close();
  if (crashed) {
    finishRun(db, runId, 'failed');
    throw crashed;
  }

  const queued = (stmt(db, `SELECT count(*) AS n FROM frontier WHERE run_id = ? AND status = 'queued'`).get(runId) as { n: number }).n;
  const reasons = (status: string) => Object.fromEntries((stmt(db, `SELECT coalesce(last_error, '?') AS r, count(*) AS n FROM frontier
      WHERE run_id = ? AND status = ? GROUP BY r ORDER BY n DESC`).all(runId, status) as { r: string; n: number }[]).map((x) => [shortReason(x.r), x.n]));
  const failures = reasons('failed');
  const skipped = reasons('skipped');
  for (const why of notCrawlable.values()) skipped[why!] = (skipped[why!] ?? 0) + 1;
  const status: RunStatus = stopped || queued > 0 ? 'interrupted' : 'finished';
  // a finished nightly crawl: reports no complete list of their site named any more are delisted (listing.ts)
  if (mode === 'crawl' && status === 'finished') {
    for (const e of entries) if (!unreadLists.has(e.id) && listsComplete(db, runId, e.id, maxListPagesOf(e))) settleListing(db, runId, e.id);
  }
  stmt(db, `UPDATE crawl_runs SET counts = json_set(counts, '$.failures', json(?), '$.skipped', json(?), '$.queued', ?) WHERE id = ?`)
    .run(JSON.stringify(failures), JSON.stringify(skipped), queued, runId);
  finishRun(db, runId, status);
  const counts = getRun(db, runId)!.counts;
  const summary: CrawlSummary = { runId, mode, resumed, status, counts, failures, skipped, queued, elapsedMs: Date.now() - t0, ...(browser ? { browser: browser.summary() } : {}),
    ...(o.commit?.measure ? { cpu: { ...batcher.cpu.ms } } : {}) };
  o.onEvent?.({ event: 'finish', runId, counts, queued });
  return summary;
}

/** "HTTP 500" / "timeout …" / "refused: robots.txt of … disallows …" → a short grouping key. */
function shortReason(r: string): string {
  if (r.startsWith('refused: robots.txt')) return 'robots.txt';
  if (r.startsWith('refused:')) return r.replace(/\s+https?:\S+/g, '').slice(0, 60);
  return r.replace(/https?:\/\/\S+/g, '<url>').slice(0, 80);
}

/** The summary as a few lines for a terminal. */
export function formatSummary(s: CrawlSummary): string {
  const c = s.counts;
  const lines = [
    `run ${s.runId} (${s.mode}${s.resumed ? ', resumed' : ''}) ${s.status} in ${(s.elapsedMs / 1000).toFixed(1)} s`,
    `  pages ${c.pages}  new ${c.new}  changed ${c.changed}  removed ${c.removed}  failed ${c.failed}  bytes ${c.bytes}` +
      (c.delisted ? `  delisted ${c.delisted}` : '') + (c.relisted ? `  relisted ${c.relisted}` : '') + (s.queued ? `  still queued ${s.queued}` : ''),
  ];
  for (const [r, n] of Object.entries(s.failures)) lines.push(`  failed ×${n}: ${r}`);
  for (const [r, n] of Object.entries(s.skipped)) lines.push(`  skipped ×${n}: ${r}`);
  if (s.browser && (s.browser.solves || s.browser.failedSolves || s.browser.renders)) {
    lines.push(`  browser: challenges solved ${s.browser.solves}` + (s.browser.failedSolves ? ` (failed ${s.browser.failedSolves})` : '') + `, list pages rendered ${s.browser.renders}`);
  }
  return lines.join('\n');
}
