/**
 * Crawl runs: one row per `crawl` or `backfill`, with its arguments and running counts. Counts are
 * added in the same transaction as the fetch they count (commit.ts), so after a kill they still agree
 * with the archive. A run left 'running' by a killed process is resumed by id (findRunning).
 */
import { isoTime, json, parseJson, stmt } from '../storage/sql.ts';
import type { Archive } from '../storage/types.ts';

export type RunMode = 'crawl' | 'backfill';
export type RunStatus = 'running' | 'finished' | 'failed' | 'interrupted';

export interface RunCounts {
  /** requests stored in the archive */
  pages: number;
  /** change events: new reports, changed (text or numbers), removed */
  new: number;
  changed: number;
  removed: number;
  /** frontier items given up (failed for good) */
  failed: number;
  /** body bytes stored */
  bytes: number;
  /** reports gone from (back on) every list of their site while still served (listing.ts; absent when none) */
  delisted?: number;
  relisted?: number;
}

export const ZERO_COUNTS: RunCounts = { pages: 0, new: 0, changed: 0, removed: 0, failed: 0, bytes: 0 };

export interface CrawlRun {
  id: number;
  mode: RunMode;
  args: Record<string, unknown>;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  counts: RunCounts;
}

interface RunRow {
  id: number;
  mode: RunMode;
  args: string;
  started_at: string;
  finished_at: string | null;
  status: RunStatus;
  counts: string;
}

const toRun = (r: RunRow): CrawlRun => ({
  id: r.id, mode: r.mode, args: parseJson(r.args, {}), startedAt: r.started_at, finishedAt: r.finished_at,
  status: r.status, counts: { ...ZERO_COUNTS, ...parseJson<Partial<RunCounts>>(r.counts, {}) },
});

export function startRun(db: Archive, mode: RunMode, args: Record<string, unknown> = {}, now: Date | number = Date.now()): number {
  return Number(stmt(db, `INSERT INTO crawl_runs (mode, args, started_at, status, counts) VALUES (?, ?, ?, 'running', ?)`)
    .run(mode, json(args), isoTime(now), json(ZERO_COUNTS)).lastInsertRowid);
}

export function getRun(db: Archive, id: number): CrawlRun | null {
  const r = stmt(db, 'SELECT * FROM crawl_runs WHERE id = ?').get(id) as RunRow | undefined;
  return r ? toRun(r) : null;
}

/** The newest run of this mode still marked running (its process was killed): resume it rather than start anew. */
export function findRunning(db: Archive, mode: RunMode): CrawlRun | null {
  const r = stmt(db, `SELECT * FROM crawl_runs WHERE mode = ? AND status = 'running' ORDER BY id DESC LIMIT 1`).get(mode) as RunRow | undefined;
  return r ? toRun(r) : null;
}

export function finishRun(db: Archive, id: number, status: Exclude<RunStatus, 'running'> = 'finished', now: Date | number = Date.now()): void {
  stmt(db, 'UPDATE crawl_runs SET status = ?, finished_at = ? WHERE id = ?').run(status, isoTime(now), id);
}

/** Add to a run's counts (call inside the transaction that stores what is counted). */
export function addRunCounts(db: Archive, id: number, delta: Partial<RunCounts>): void {
  const d = { ...ZERO_COUNTS, ...delta };
  if (Object.values(d).every((v) => v === 0)) return;
  stmt(db, `UPDATE crawl_runs SET counts = json_set(counts,
      '$.pages',   coalesce(json_extract(counts, '$.pages'), 0) + ?,
      '$.new',     coalesce(json_extract(counts, '$.new'), 0) + ?,
      '$.changed', coalesce(json_extract(counts, '$.changed'), 0) + ?,
      '$.removed', coalesce(json_extract(counts, '$.removed'), 0) + ?,
      '$.failed',  coalesce(json_extract(counts, '$.failed'), 0) + ?,
      '$.bytes',   coalesce(json_extract(counts, '$.bytes'), 0) + ?)
    WHERE id = ?`).run(d.pages, d.new, d.changed, d.removed, d.failed, d.bytes, id);
}
