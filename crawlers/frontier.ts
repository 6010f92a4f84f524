/**
 * The persistent frontier, in the archive's SQLite (migration 4): every URL the crawl means to fetch,
 * deduplicated by storage's canonicalUrl, with its state
 *
 *   queued ──lease──► in_flight ──markDone────► done
 *     ▲                  │  └────markSkipped──► skipped   (robots.txt, policy)
 *     │                  └───────markFailed──► failed    (permanent, or attempts used up)
 *     └──── retry later (backoff) ◄──┘
 *     └──── recoverInFlight (on startup: the process that leased it is gone)
 *
 * Every transition is one committed statement (or part of the caller's transaction — commitFetch puts
 * the transition in the same transaction as the fetch it settles). A transition names the lease it ends
 * (`leases`), so a stale item — settled already, or leased again after a recovery — can never be settled
 * twice: it throws StaleLeaseError and, inside commitFetch, rolls the whole fetch back.
 *
 * One crawler process per archive: recoverInFlight assumes every in_flight row was left by a dead one.
 */
import { canonicalUrl } from '../storage/normalise.ts';
import { isoTime, json, stmt } from '../storage/sql.ts';
import type { Archive } from '../storage/types.ts';
import { backoffMs } from './retry.ts';

export type FrontierKind = 'list' | 'detail' | 'attachment';
export type FrontierStatus = 'queued' | 'in_flight' | 'done' | 'failed' | 'skipped';

export interface FrontierItem {
  id: number;
  /** canonical URL (the dedup key) */
  url: string;
  /** the URL to request: as first discovered, without its fragment */
  requestUrl: string;
  site: string;
  host: string;
  kind: FrontierKind;
  depth: number;
  status: FrontierStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  discoveredFrom: string | null;
  runId: number | null;
  priority: number;
  /** which lease this is; transitions must name it */
  leases: number;
  leasedAt: string | null;
  fetchId: number | null;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: number; url: string; request_url: string; site: string; host: string; kind: FrontierKind; depth: number;
  status: FrontierStatus; attempts: number; next_attempt_at: string; last_error: string | null;
  discovered_from: string | null; run_id: number | null; priority: number; leases: number; leased_at: string | null;
  fetch_id: number | null; created_at: string; updated_at: string;
}

const toItem = (r: Row): FrontierItem => ({
  id: r.id, url: r.url, requestUrl: r.request_url, site: r.site, host: r.host, kind: r.kind, depth: r.depth,
  status: r.status, attempts: r.attempts, nextAttemptAt: r.next_attempt_at, lastError: r.last_error,
  discoveredFrom: r.discovered_from, runId: r.run_id, priority: r.priority, leases: r.leases, leasedAt: r.leased_at,
  fetchId: r.fetch_id, createdAt: r.created_at, updatedAt: r.updated_at,
});

type Time = Date | number | string;

export class StaleLeaseError extends Error {
  override name = 'StaleLeaseError';
  constructor(item: Pick<FrontierItem, 'id' | 'url' | 'leases'>) {
    super(`frontier item ${item.id} (${item.url}) is no longer in flight under lease ${item.leases}: it was settled or leased again`);
  }
}

// ------------------------------------------------------------------------------------------------
// enqueue
// ------------------------------------------------------------------------------------------------

export interface EnqueueInput {
  url: string;
  kind: FrontierKind;
  /** registry site key; default the URL's host */
  site?: string | null;
  depth?: number;
  discoveredFrom?: string | null;
  priority?: number;
  runId?: number | null;
  /** not due before this time */
  notBefore?: Time;
}

export interface EnqueueOptions {
  now?: Time;
  /**
   * Re-crawl: a row already settled (done/failed/skipped) by another run is queued again for this
   * input's run (nightly list pages, conditional re-checks). Without it, a known URL is left as it is.
   */
  revisit?: boolean;
}

export interface EnqueueSummary {
  added: number;
  /** settled rows queued again (revisit) */
  revisited: number;
  /** already known: left alone (a queued row may get a higher priority or a smaller depth) */
  existing: number;
  /** not http(s) URLs */
  rejected: string[];
  /** row id of each input, in order (null when rejected) */
  ids: (number | null)[];
}

function splitUrl(raw: string): { url: string; requestUrl: string; host: string } | null {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  u.hash = '';
  return { url: canonicalUrl(u.href), requestUrl: u.href, host: u.host.toLowerCase() };
}

/** Add URLs to the frontier, deduplicated by canonical URL. One transaction for the whole batch. */
export function enqueue(db: Archive, items: EnqueueInput | readonly EnqueueInput[], opts: EnqueueOptions = {}): EnqueueSummary {
  const list = Array.isArray(items) ? items : [items as EnqueueInput];
  const now = isoTime(opts.now ?? Date.now());
  const summary: EnqueueSummary = { added: 0, revisited: 0, existing: 0, rejected: [], ids: [] };
  db.transaction(() => {
    for (const it of list) {
      const u = splitUrl(it.url);
      if (!u) {
        summary.rejected.push(it.url);
        summary.ids.push(null);
        continue;
      }
      const due = it.notBefore !== undefined ? isoTime(it.notBefore) : now;
      const depth = it.depth ?? 0;
      const priority = it.priority ?? 0;
      const runId = it.runId ?? null;
      const row = stmt(db, 'SELECT id, status, run_id FROM frontier WHERE url = ?').get(u.url) as
        { id: number; status: FrontierStatus; run_id: number | null } | undefined;
      if (!row) {
        const id = Number(stmt(db, `INSERT INTO frontier (url, request_url, site, host, kind, depth, status, next_attempt_at,
            discovered_from, run_id, priority, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?)`)
          .run(u.url, u.requestUrl, it.site ?? u.host, u.host, it.kind, depth, due, it.discoveredFrom ?? null, runId, priority, now, now)
          .lastInsertRowid);
        summary.added++;
        summary.ids.push(id);
        continue;
      }
      summary.ids.push(row.id);
      const settled = row.status === 'done' || row.status === 'failed' || row.status === 'skipped';
      if (opts.revisit && settled && row.run_id !== runId) {
        stmt(db, `UPDATE frontier SET status = 'queued', attempts = 0, next_attempt_at = ?, last_error = NULL, run_id = ?,
            priority = ?, depth = min(depth, ?), updated_at = ? WHERE id = ?`).run(due, runId, priority, depth, now, row.id);
        summary.revisited++;
      } else {
        if (row.status === 'queued') {
          stmt(db, `UPDATE frontier SET priority = max(priority, ?), depth = min(depth, ?), updated_at = ?
              WHERE id = ? AND (priority < ? OR depth > ?)`).run(priority, depth, now, row.id, priority, depth);
        }
        summary.existing++;
      }
    }
  }).immediate();
  return summary;
}

// ------------------------------------------------------------------------------------------------
// lease
// ------------------------------------------------------------------------------------------------

export interface LeaseOptions {
  /** items at most (default 1) */
  limit?: number;
  /** items per host at most (default 1): hosts take turns */
  perHost?: number;
  now?: Time;
  /** only this run's items */
  runId?: number;
  /** hosts to leave out (their limiter is busy) */
  excludeHosts?: Iterable<string>;
}

/**
 * Take due queued items, fairly across hosts: each host's best item (priority, then due time) first,
 * then each host's second, and so on. The chosen rows become in_flight in one committed transaction.
 *
 * The cost grows with the number of queued hosts, not of queued rows: the recursive CTE skips from one queued
 * host to the next along frontier_queue (migration 12) and reads each host's first `perHost` due rows from it;
 * only those few are ranked.
 */
export function lease(db: Archive, opts: LeaseOptions = {}): FrontierItem[] {
  const now = isoTime(opts.now ?? Date.now());
  const limit = Math.max(0, opts.limit ?? 1);
  const perHost = Math.max(1, opts.perHost ?? 1);
  const exclude = json([...(opts.excludeHosts ?? [])].map((h) => h.toLowerCase()));
  if (limit === 0) return [];
  return db.transaction(() => {
    const ids = stmt(db, `WITH RECURSIVE hosts(host) AS (
        SELECT (SELECT min(host) FROM frontier INDEXED BY frontier_queue WHERE status = 'queued')
        UNION ALL
        SELECT (SELECT min(host) FROM frontier INDEXED BY frontier_queue WHERE status = 'queued' AND host > hosts.host) FROM hosts WHERE host IS NOT NULL
      ), due AS (
        SELECT f.id, f.priority, f.next_attempt_at,
               ROW_NUMBER() OVER (PARTITION BY f.host ORDER BY f.priority DESC, f.next_attempt_at, f.id) AS rn
        FROM hosts JOIN frontier f ON f.id IN (
          SELECT id FROM frontier INDEXED BY frontier_queue
          WHERE status = 'queued' AND host = hosts.host AND next_attempt_at <= ? AND (? IS NULL OR run_id = ?)
          ORDER BY priority DESC, next_attempt_at, id LIMIT ?)
        WHERE hosts.host IS NOT NULL AND hosts.host NOT IN (SELECT value FROM json_each(?))
      )
      SELECT id FROM due ORDER BY rn, priority DESC, next_attempt_at, id LIMIT ?`)
      .all(now, opts.runId ?? null, opts.runId ?? null, perHost, exclude, limit) as { id: number }[];
    const take = stmt(db, `UPDATE frontier SET status = 'in_flight', leases = leases + 1, leased_at = ?, updated_at = ?
        WHERE id = ? RETURNING *`);
    return ids.map(({ id }) => toItem(take.get(now, now, id) as Row));
  }).immediate();
}

// ------------------------------------------------------------------------------------------------
// transitions
// ------------------------------------------------------------------------------------------------

export interface FrontierBackoff {
  /** wait after the first failed attempt; doubles with each further one */
  baseMs: number;
  maxMs: number;
  /** attempts before an item is given up (status failed) */
  maxAttempts: number;
  random?: () => number;
}

export const DEFAULT_FRONTIER_BACKOFF: FrontierBackoff = { baseMs: 60_000, maxMs: 6 * 3600_000, maxAttempts: 5 };

function settle(db: Archive, item: FrontierItem, sql: string, args: unknown[]): void {
  const r = stmt(db, `UPDATE frontier SET ${sql} WHERE id = ? AND status = 'in_flight' AND leases = ?`).run(...args, item.id, item.leases);
  if (r.changes !== 1) throw new StaleLeaseError(item);
}

/** The item's fetch is stored (pass its fetch id). */
export function markDone(db: Archive, item: FrontierItem, opts: { fetchId?: number | null; now?: Time } = {}): void {
  const now = isoTime(opts.now ?? Date.now());
  settle(db, item, `status = 'done', attempts = attempts + 1, last_error = NULL, fetch_id = ?, leased_at = NULL, updated_at = ?`,
    [opts.fetchId ?? null, now]);
}

export interface FailOptions {
  /** may a later attempt succeed (network error, timeout, 429, 5xx)? false: given up now */
  retryable: boolean;
  /** the server asked to wait at least this long */
  retryAfterMs?: number;
  fetchId?: number | null;
  now?: Time;
  backoff?: Partial<FrontierBackoff>;
}

/** The attempt failed: queue it again after a backoff, or give it up. Returns the new status. */
export function markFailed(db: Archive, item: FrontierItem, error: string, opts: FailOptions): 'queued' | 'failed' {
  const b = { ...DEFAULT_FRONTIER_BACKOFF, ...opts.backoff };
  const nowMs = new Date(isoTime(opts.now ?? Date.now())).getTime();
  const now = isoTime(nowMs);
  const attempts = item.attempts + 1;
  if (!opts.retryable || attempts >= b.maxAttempts) {
    settle(db, item, `status = 'failed', attempts = attempts + 1, last_error = ?, fetch_id = coalesce(?, fetch_id),
      leased_at = NULL, updated_at = ?`, [error, opts.fetchId ?? null, now]);
    return 'failed';
  }
  const wait = Math.max(backoffMs(attempts, b), opts.retryAfterMs ?? 0);
  settle(db, item, `status = 'queued', attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
    fetch_id = coalesce(?, fetch_id), leased_at = NULL, updated_at = ?`, [error, isoTime(nowMs + wait), opts.fetchId ?? null, now]);
  return 'queued';
}

/** Not to be fetched (robots.txt, registry policy). Not an attempt. */
export function markSkipped(db: Archive, item: FrontierItem, reason: string, opts: { now?: Time } = {}): void {
  settle(db, item, `status = 'skipped', last_error = ?, leased_at = NULL, updated_at = ?`, [reason, isoTime(opts.now ?? Date.now())]);
}

/** Hand an unfinished lease back (shutdown): queued again, due now, no attempt counted. */
export function release(db: Archive, item: FrontierItem, opts: { now?: Time } = {}): void {
  settle(db, item, `status = 'queued', leased_at = NULL, updated_at = ?`, [isoTime(opts.now ?? Date.now())]);
}

/**
 * On startup: rows left in_flight by a process that died are queued again (nothing lost). Their fetches
 * never committed (a committed fetch settles its row in the same transaction), so nothing is stored twice.
 */
export function recoverInFlight(db: Archive, opts: { now?: Time } = {}): number {
  return stmt(db, `UPDATE frontier SET status = 'queued', leased_at = NULL, updated_at = ? WHERE status = 'in_flight'`)
    .run(isoTime(opts.now ?? Date.now())).changes;
}

// ------------------------------------------------------------------------------------------------
// reading
// ------------------------------------------------------------------------------------------------

export function getFrontierItem(db: Archive, idOrUrl: number | string): FrontierItem | null {
  const r = (typeof idOrUrl === 'number'
    ? stmt(db, 'SELECT * FROM frontier WHERE id = ?').get(idOrUrl)
    : stmt(db, 'SELECT * FROM frontier WHERE url = ?').get(canonicalUrl(idOrUrl))) as Row | undefined;
  return r ? toItem(r) : null;
}

export function frontierCounts(db: Archive, runId?: number): Record<FrontierStatus, number> {
  const out: Record<FrontierStatus, number> = { queued: 0, in_flight: 0, done: 0, failed: 0, skipped: 0 };
  const rows = stmt(db, 'SELECT status, count(*) AS n FROM frontier WHERE (? IS NULL OR run_id = ?) GROUP BY status')
    .all(runId ?? null, runId ?? null) as { status: FrontierStatus; n: number }[];
  for (const r of rows) out[r.status] = r.n;
  return out;
}

/** When the next queued item becomes due (null: nothing queued) — how long a crawl loop may sleep. */
export function nextDueAt(db: Archive, opts: { runId?: number } = {}): string | null {
  const r = stmt(db, `SELECT min(next_attempt_at) AS t FROM frontier WHERE status = 'queued' AND (? IS NULL OR run_id = ?)`)
    .get(opts.runId ?? null, opts.runId ?? null) as { t: string | null };
  return r.t;
}
