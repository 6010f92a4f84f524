/**
 * Source change events (new / text_changed / numbers_changed / removed / restored) and the diffs they carry.
 * Only documents that have been read as a report at least once get events: a list page or a notice that
 * changes daily is kept in the log but never tells a journalist "the report changed".
 */
import type { CellValue } from '../parsers/index.ts';
import { canonicalUrl, TABLE_ORDER, type Cell } from './normalise.ts';
import { isoTime, json, parseJson, stmt } from './sql.ts';
import type { Archive, CellDiff, ChangeEvent, ChangeKind, TextDiff } from './types.ts';

/** Lines kept in a text diff (each way); a longer diff is cut and marked truncated. */
export const MAX_DIFF_LINES = 40;
const MAX_LINE_CHARS = 400;

const sameValue = (a: CellValue | undefined, b: CellValue | undefined) => a === b;

/** Every cell whose value differs, appears or disappears, in table order then key order. */
export function diffCells(oldCells: Cell[], newCells: Cell[]): CellDiff[] {
  const key = (c: Cell) => `${c.table}\u0000${c.key}`;
  const before = new Map(oldCells.map((c) => [key(c), c]));
  const after = new Map(newCells.map((c) => [key(c), c]));
  const diffs: CellDiff[] = [];
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    const o = before.get(k);
    const n = after.get(k);
    if (o && n && sameValue(o.value, n.value)) continue;
    const d: CellDiff = { table: (o ?? n)!.table, key: (o ?? n)!.key };
    if (o) d.old = o.value;
    if (n) d.new = n.value;
    diffs.push(d);
  }
  const order = (d: CellDiff) => TABLE_ORDER.indexOf(d.table);
  return diffs.sort((a, b) => order(a) - order(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Lines that left and lines that arrived (as multisets, in page order). Enough to show what was edited. */
export function diffLines(oldLines: string[], newLines: string[]): TextDiff {
  const count = (lines: string[]) => {
    const m = new Map<string, number>();
    for (const l of lines) m.set(l, (m.get(l) ?? 0) + 1);
    return m;
  };
  const pick = (lines: string[], other: Map<string, number>) => {
    const left = new Map(other);
    const out: string[] = [];
    for (const l of lines) {
      const n = left.get(l) ?? 0;
      if (n > 0) left.set(l, n - 1);
      else out.push(l);
    }
    return out;
  };
  const removed = pick(oldLines, count(newLines));
  const added = pick(newLines, count(oldLines));
  const cut = (ls: string[]) => ls.slice(0, MAX_DIFF_LINES).map((l) => (l.length > MAX_LINE_CHARS ? l.slice(0, MAX_LINE_CHARS) + '…' : l));
  const diff: TextDiff = { removed: cut(removed), added: cut(added) };
  if (removed.length > MAX_DIFF_LINES || added.length > MAX_DIFF_LINES) diff.truncated = true;
  return diff;
}

/** A change event before it has its row id. */
export type NewChange = Omit<ChangeEvent, 'id'>;

export function recordChange(db: Archive, c: NewChange): ChangeEvent {
  const r = stmt(db, `INSERT INTO changes (document_id, kind, at, fetch_id, old_version_id, new_version_id, detail)
    VALUES (?, ?, ?, ?, ?, ?, ?)`).run(c.documentId, c.kind, c.at, c.fetchId, c.oldVersionId, c.newVersionId, json(c.detail));
  return { id: Number(r.lastInsertRowid), ...c };
}

/** The newest version of a document that was read as a report (the one a journalist last saw). */
export function lastReportVersion(db: Archive, documentId: number, beforeVersionId?: number): number | null {
  const row = stmt(db, `SELECT v.id FROM versions v JOIN reports r ON r.version_id = v.id
    WHERE v.document_id = ? AND v.id < ? ORDER BY v.id DESC LIMIT 1`).get(documentId, beforeVersionId ?? Number.MAX_SAFE_INTEGER) as { id: number } | undefined;
  return row?.id ?? null;
}

/**
 * The crawler saw a live document vanish from its list (its URL may still answer 200). Marks it removed
 * and, if it was ever a report, records a 'removed' event. Returns the event, or null if nothing changed.
 */
export function markGone(db: Archive, url: string, at: string | Date | number = new Date(), reason = 'gone from its list'): ChangeEvent | null {
  return db.transaction(() => {
    const doc = stmt(db, 'SELECT id, status FROM documents WHERE url = ?').get(canonicalUrl(url)) as { id: number; status: string } | undefined;
    if (!doc || doc.status !== 'live') return null;
    return markRemoved(db, doc.id, isoTime(at), null, { reason });
  }).immediate();
}

/** Set a document removed; an event only if it was ever a report. */
export function markRemoved(db: Archive, documentId: number, at: string, fetchId: number | null, detail: Record<string, unknown>): ChangeEvent | null {
  stmt(db, "UPDATE documents SET status = 'removed', status_since = ? WHERE id = ?").run(at, documentId);
  const last = lastReportVersion(db, documentId);
  if (last === null) return null;
  return recordChange(db, { documentId, kind: 'removed', at, fetchId, oldVersionId: last, newVersionId: null, detail });
}

export interface ChangeQuery {
  /** ISO time (inclusive) */
  since?: string | Date;
  until?: string | Date;
  kind?: ChangeKind | ChangeKind[];
  province?: string;
  documentId?: number;
  limit?: number;
}

export interface ChangeRow {
  id: number;
  at: string;
  kind: ChangeKind;
  documentId: number;
  url: string;
  status: string;
  title: string | null;
  agency: string | null;
  year: number | null;
  province: string | null;
  level: string | null;
  oldVersionId: number | null;
  newVersionId: number | null;
  detail: Record<string, unknown>;
}

/** Source changes, newest first (recent_changes view). */
export function listChanges(db: Archive, q: ChangeQuery = {}): ChangeRow[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (q.since) (where.push('at >= ?'), args.push(isoTime(q.since)));
  if (q.until) (where.push('at < ?'), args.push(isoTime(q.until)));
  if (q.kind) {
    const kinds = Array.isArray(q.kind) ? q.kind : [q.kind];
    where.push(`kind IN (${kinds.map(() => '?').join(', ')})`);
    args.push(...kinds);
  }
  if (q.province) (where.push('province = ?'), args.push(q.province));
  if (q.documentId !== undefined) (where.push('document_id = ?'), args.push(q.documentId));
  const sql = `SELECT * FROM recent_changes ${where.length ? 'WHERE ' + where.join(' AND ') : ''} LIMIT ?`;
  const rows = db.prepare(sql).all(...args, q.limit ?? -1) as Record<string, any>[];
  return rows.map((r) => ({
    id: r.id, at: r.at, kind: r.kind, documentId: r.document_id, url: r.url, status: r.status, title: r.title,
    agency: r.agency, year: r.year, province: r.province, level: r.level, oldVersionId: r.old_version_id,
    newVersionId: r.new_version_id, detail: parseJson(r.detail, {}),
  }));
}
