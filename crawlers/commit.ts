/**
 * commitFetch: a fetch and the frontier transition it causes, committed as ONE transaction.
 *
 * Inside it: the lease is checked first (a stale item throws and nothing is written); every request the
 * fetch made (failed attempts, redirect hops, the final answer) goes to storage's ingestFetch; the item
 * becomes done / queued-for-retry / failed / skipped; links found on the page are enqueued; the run's
 * counts are added. better-sqlite3 nests ingestFetch's own transaction as a savepoint.
 *
 * So after a SIGKILL at any moment, an item is either settled with its fetch stored, or still in_flight
 * with nothing of that fetch stored — recoverInFlight queues it again and it is fetched once more, but
 * stored once. Parsing happens inside the write lock here (ingestFetch's own pre-lock parse runs inside
 * the outer transaction); one crawler process writes, and WAL readers are not blocked.
 */
import { ingestFetch, type IngestOptions } from '../storage/ingest.ts';
import type { Archive, ChangeEvent, FetchInput, IngestResult, UnitInfo } from '../storage/types.ts';
import type { FetchResult } from './fetcher.ts';
import { enqueue, markDone, markFailed, markSkipped, StaleLeaseError, type EnqueueInput, type FrontierBackoff, type FrontierItem, type FrontierStatus } from './frontier.ts';
import { addRunCounts, type RunCounts } from './runs.ts';

export interface CommitOptions {
  /** registry facts for the document (storage's UnitInfo) */
  unit?: UnitInfo | null;
  ingest?: IngestOptions;
  /** links found on the page, enqueued in the same transaction (nothing found is lost to a kill) */
  discovered?: readonly EnqueueInput[];
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

export function commitFetch(db: Archive, item: FrontierItem, result: FetchResult, opts: CommitOptions = {}): CommitResult {
  const now = opts.now ?? Date.now();
  return db.transaction((): CommitResult => {
    frontierState(db, item);
    const ingested: IngestResult[] = [];
    let bytes = 0;
    for (const ex of result.exchanges) {
      const input: FetchInput = {
        url: ex.url, site: item.site, requestedAt: ex.requestedAt, status: ex.status, headers: ex.headers,
        body: ex.body, elapsedMs: ex.elapsedMs, error: ex.error, unit: opts.unit ?? null,
      };
      ingested.push(ingestFetch(db, input, opts.ingest));
      bytes += ex.body?.length ?? 0;
    }
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
    if (opts.discovered?.length) enqueue(db, opts.discovered, { now });

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
  }).immediate();
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
