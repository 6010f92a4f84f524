/**
 * commitFetch: a fetch and the frontier transition it causes, committed as ONE transaction.
 *
 * Inside it: the lease is checked first (a stale item throws and nothing is written); every request the
 * fetch made (failed attempts, redirect hops, the final answer) goes to storage's ingestFetch; the item
 * becomes done / queued-for-retry / failed / skipped; links found on the page are enqueued; the run's
 * counts are added. better-sqlite3 nests ingestFetch's own transaction as a savepoint.
 *
 * commitPrepared is the same with the requests prepared beforehand (commit-batcher.ts commits many fetches,
 * each in its own savepoint, in one transaction, with the parsing done on worker threads).
 *
 * So after a SIGKILL at any moment, an item is either settled with its fetch stored, or still in_flight
 * with nothing of that fetch stored — recoverInFlight queues it again and it is fetched once more, but
 * stored once. Parsing happens inside the write lock here (ingestFetch's own pre-lock parse runs inside
 * the outer transaction); one crawler process writes, and WAL readers are not blocked.
 */
import { commitFetches, prepareFetch, type IngestOptions, type PreparedFetch } from '../storage/ingest.ts';
import type { Archive, ChangeEvent, FetchInput, IngestResult, UnitInfo } from '../storage/types.ts';
import { attachmentLanded, followAttachments, type FollowOptions } from './attachments.ts';
import type { FetchResult } from './fetcher.ts';
import { enqueue, markDone, markFailed, markSkipped, StaleLeaseError, type EnqueueInput, type FrontierBackoff, type FrontierItem, type FrontierStatus } from './frontier.ts';
import { carryListed, recordListed } from './listing.ts';
import { addRunCounts, type RunCounts } from './runs.ts';
import { followTablePictures } from './table-pictures.ts';

export interface CommitOptions {
  /** registry facts for the document (storage's UnitInfo) */
  unit?: UnitInfo | null;
  ingest?: IngestOptions;
  /** links found on the page, enqueued in the same transaction (nothing found is lost to a kill) */
  discovered?: readonly EnqueueInput[];
  /** discovered URLs settled by an earlier run are queued again for theirs (re-listed pages, re-checked reports) */
  revisit?: boolean;
  /** the report URLs this list page named, recorded for the run (listing.ts) */
  listed?: { site: string; runId: number; urls: readonly string[] };
  /** report pages whose report is in their files: queue the files (attachments.ts); default: not followed */
  attachments?: FollowOptions;
  /** the run whose counts this adds to; default the item's run */
  runId?: number | null;
  backoff?: Partial<FrontierBackoff>;
  now?: Date | number;
}

export interface CommitResult {
  /** the item's status after the commit */
  status: FrontierStatus;
  /** one per request stored, in order */
  ingested: IngestResult[];
  /** the final answer's ingest (null when nothing was requested) */
  final: IngestResult | null;
  events: ChangeEvent[];
}

function frontierState(db: Archive, item: FrontierItem): void {
  const row = db.prepare('SELECT status, leases FROM frontier WHERE id = ?').get(item.id) as { status: string; leases: number } | undefined;
  if (!row || row.status !== 'in_flight' || row.leases !== item.leases) throw new StaleLeaseError(item);
}

/** The storage input of each request a fetch made. */
export function fetchInputs(item: FrontierItem, result: FetchResult, unit: UnitInfo | null | undefined): FetchInput[] {
  return result.exchanges.map((ex) => ({
    url: ex.url, site: item.site, requestedAt: ex.requestedAt, status: ex.status, headers: ex.headers,
    body: ex.body, elapsedMs: ex.elapsedMs, error: ex.error, unit: unit ?? null,
  }));
}

export function commitFetch(db: Archive, item: FrontierItem, result: FetchResult, opts: CommitOptions = {}): CommitResult {
  return db.transaction((): CommitResult => {
    frontierState(db, item);
    const prepared = fetchInputs(item, result, opts.unit).map((input) => prepareFetch(db, input, opts.ingest));
    return commitPrepared(db, item, result, prepared, opts);
  }).immediate();
}

/**
 * The body of commitFetch with the fetch's requests already prepared (planFetch + workFetch, perhaps on
 * another thread — commit-batcher.ts). Must run inside the caller's transaction.
 */
export function commitPrepared(db: Archive, item: FrontierItem, result: FetchResult, prepared: readonly PreparedFetch[], opts: CommitOptions = {}): CommitResult {
  frontierState(db, item);
  return settleFetch(db, item, result, prepared.length ? commitFetches(db, prepared, opts.ingest) : [], opts);
}

/** Throws StaleLeaseError unless the item is still in flight under its lease. */
export function checkLease(db: Archive, item: FrontierItem): void {
  frontierState(db, item);
}

/**
 * The frontier side of a fetch whose requests are stored (`ingested`, one per exchange): settle the item,
 * its redirect target, the links found, the run's counts. Inside the caller's transaction, after checkLease.
 */
export function settleFetch(db: Archive, item: FrontierItem, result: FetchResult, ingested: IngestResult[], opts: CommitOptions = {}): CommitResult {
  const now = opts.now ?? Date.now();
  const bytes = result.exchanges.reduce((n, ex) => n + (ex.body?.length ?? 0), 0);
  // the final exchange carries the fetcher's verdict (too many redirects, loop) in its error: store that one
  const final = ingested.length ? ingested[ingested.length - 1] : null;
  if (final && result.error && result.exchanges[result.exchanges.length - 1]?.error !== result.error) {
    db.prepare('UPDATE fetches SET error = ? WHERE id = ?').run(result.error, final.fetchId);
  }
  const events = ingested.flatMap((r) => r.events);
  const fetchId = final?.fetchId ?? null;

  let status: FrontierStatus;
  switch (result.kind) {
    case 'ok':
    case 'not_modified':
    case 'gone':
      markDone(db, item, { fetchId, now });
      status = 'done';
      break;
    case 'refused':
      markSkipped(db, item, result.error ?? 'refused', { now });
      status = 'skipped';
      break;
    default:
      status = markFailed(db, item, result.error ?? `HTTP ${result.status}`, {
        retryable: result.retryable, retryAfterMs: result.retryAfterMs, fetchId, now, backoff: opts.backoff,
      });
  }

  // the redirect target is this same page: settle its own row too, so it is not fetched again
  if (status === 'done' && result.redirects.length > 0) settleRedirectTarget(db, item, result, fetchId, now);
  if (status === 'done' && result.redirects.length > 0) attachmentLanded(db, item, result.finalUrl);
  if (opts.discovered?.length) enqueue(db, opts.discovered, { now, revisit: opts.revisit });
  if (status === 'done' && opts.attachments) followAttachments(db, item, final, { ...opts.attachments, runId: opts.runId ?? item.runId, now });
  // a report whose tables are pictures: the pictures are queued with the page too (table-pictures.ts)
  if (status === 'done' && opts.attachments) followTablePictures(db, item, final, { ...opts.attachments, runId: opts.runId ?? item.runId, now });
  if (opts.listed?.urls.length) recordListed(db, opts.listed.site, opts.listed.runId, opts.listed.urls, now);
  // a listed report reached through a redirect: the page it landed on is the listed document
  if (status === 'done' && item.kind === 'detail' && result.redirects.length > 0 && item.runId !== null) carryListed(db, item.url, result.finalUrl, item.runId);

  const runId = opts.runId !== undefined ? opts.runId : item.runId;
  if (runId !== null && runId !== undefined) {
    const delta: Partial<RunCounts> = {
      pages: ingested.length, bytes,
      new: events.filter((e) => e.kind === 'new').length,
      changed: events.filter((e) => e.kind === 'text_changed' || e.kind === 'numbers_changed').length,
      removed: events.filter((e) => e.kind === 'removed').length,
      failed: status === 'failed' ? 1 : 0,
    };
    addRunCounts(db, runId, delta);
  }
  return { status, ingested, final, events };
}

function settleRedirectTarget(db: Archive, item: FrontierItem, result: FetchResult, fetchId: number | null, now: Date | number): void {
  const summary = enqueue(db, { url: result.finalUrl, kind: item.kind, site: item.site, depth: item.depth, discoveredFrom: item.requestUrl, runId: item.runId }, { now });
  const id = summary.ids[0];
  if (id === null || id === item.id) return;
  const at = new Date(now).toISOString();
  // a queued row is settled by this fetch; one in flight elsewhere or already settled is left alone
  db.prepare(`UPDATE frontier SET status = 'done', fetch_id = ?, last_error = NULL, updated_at = ?
    WHERE id = ? AND status = 'queued'`).run(fetchId, at, id);
}
