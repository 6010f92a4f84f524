/**
 * OCR outcomes of table pictures (migration 13): what was read from a stored picture, kept with the page's
 * report version and apart from the HTML cells (ocr_cells, provenance 'ocr' in the views). Never writes
 * `changes`: values read from a picture appearing are not the report changing at the source. Reparse
 * rewrites reports and report_values only, so these rows are kept through it as they are (the pictures'
 * blobs are stored: a better OCR reads them again, `engine` says which code read each).
 */
import type { CheckResult, ParseWarning, TableKey } from '../parsers/types.ts';
import { stmt } from './sql.ts';
import type { Archive } from './types.ts';

/** The OCR code's label stored with each outcome. */
export const OCR_ENGINE = 'parsers/ocr 1 (tesseract, gated)';

export type OcrStatus = 'accepted' | 'refused' | 'not_run';

export interface StoredOcrOutcome {
  versionId: number;
  table: TableKey;
  pictureUrl: string;
  pictureSha256: string | null;
  status: OcrStatus;
  reason: string | null;
  /** accepted: canonical key → value */
  values?: Record<string, number>;
  warning?: ParseWarning | null;
  checks?: CheckResult[];
  engine?: string;
  at: Date | number | string;
}

/** A picture table still to read: the page's current report version has no outcome for it yet. */
export interface PendingPicture {
  versionId: number;
  table: TableKey;
  pictureUrl: string;
  /** the stored picture (null: not fetched, or not fetched successfully) */
  sha256: string | null;
  contentType: string | null;
}

/** Store one outcome (replacing an earlier one for the same version, table and picture). */
export function recordOcrOutcome(db: Archive, o: StoredOcrOutcome): void {
  const at = typeof o.at === 'string' ? o.at : new Date(o.at).toISOString();
  db.transaction(() => {
    stmt(db, `INSERT OR REPLACE INTO ocr_tables (version_id, table_key, picture_url, picture_sha256, status, reason, warning, checks, engine, at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(o.versionId, o.table, o.pictureUrl, o.pictureSha256, o.status, o.reason,
      o.warning ? JSON.stringify(o.warning) : null, JSON.stringify(o.checks ?? []), o.engine ?? OCR_ENGINE, at);
    stmt(db, `DELETE FROM ocr_cells WHERE version_id = ? AND tbl = ? AND picture_url = ?`).run(o.versionId, o.table, o.pictureUrl);
    if (o.status !== 'accepted' || !o.values) return;
    const ins = stmt(db, `INSERT OR REPLACE INTO ocr_cells (version_id, tbl, key, value, picture_url) VALUES (?, ?, ?, ?, ?)`);
    for (const [k, v] of Object.entries(o.values)) ins.run(o.versionId, o.table, k, v, o.pictureUrl);
  }).immediate();
}

/**
 * Picture tables of current report versions with no outcome yet, whose picture is stored and was
 * fetched since that page version was first seen (its re-check after a page change, not the old picture). `urls`: only these pictures; `retryNotRun`: those not read before (no tesseract) too.
 */
export function pendingPictures(db: Archive, opts: { urls?: readonly string[]; retryNotRun?: boolean } = {}): PendingPicture[] {
  const { urls } = opts;
  const rows = stmt(db, `SELECT d.current_version_id AS versionId, tp.table_key AS tbl, tp.picture_url AS pictureUrl,
        v.blob_sha256 AS sha256, json_extract(f.headers, '$."content-type"') AS contentType
      FROM table_pictures tp
      JOIN documents d ON d.id = tp.page_document_id
      JOIN reports r ON r.version_id = d.current_version_id
      JOIN versions pv ON pv.id = d.current_version_id
      JOIN documents p ON p.url = tp.picture_url
      JOIN versions v ON v.id = p.current_version_id
      JOIN fetches f ON f.id = v.first_fetch_id
      WHERE NOT EXISTS (SELECT 1 FROM ocr_tables o WHERE o.version_id = d.current_version_id AND o.table_key = tp.table_key AND o.picture_url = tp.picture_url
          AND (o.status <> 'not_run' OR ? = 0))
        -- the picture as it was when this page version was seen (a new page version re-fetches its pictures)
        AND EXISTS (SELECT 1 FROM fetches pf WHERE pf.url = tp.picture_url AND pf.requested_at >= pv.first_seen)
        AND (? IS NULL OR tp.picture_url IN (SELECT value FROM json_each(?)))
      ORDER BY d.current_version_id, tp.table_key, tp.picture_url`).all(opts.retryNotRun ? 1 : 0, urls ? 1 : null, JSON.stringify(urls ?? [])) as
    { versionId: number; tbl: TableKey; pictureUrl: string; sha256: string; contentType: string | null }[];
  return rows.map((r) => ({ versionId: r.versionId, table: r.tbl, pictureUrl: r.pictureUrl, sha256: r.sha256, contentType: r.contentType }));
}

/**
 * The outcome an earlier version got from the same stored picture for the same table, by the same OCR
 * code, copied to `versionId` (a page edited elsewhere keeps its pictures: no second reading). True if copied.
 */
export function reuseOcrOutcome(db: Archive, p: PendingPicture, at: Date | number): boolean {
  if (!p.sha256) return false;
  const prev = stmt(db, `SELECT version_id, status, reason, warning, checks FROM ocr_tables
      WHERE picture_sha256 = ? AND table_key = ? AND engine = ? AND status <> 'not_run' ORDER BY version_id DESC LIMIT 1`)
    .get(p.sha256, p.table, OCR_ENGINE) as { version_id: number; status: OcrStatus; reason: string | null; warning: string | null; checks: string } | undefined;
  if (!prev) return false;
  const cells = stmt(db, `SELECT key, value FROM ocr_cells WHERE version_id = ? AND tbl = ?`).all(prev.version_id, p.table) as { key: string; value: number }[];
  recordOcrOutcome(db, {
    versionId: p.versionId, table: p.table, pictureUrl: p.pictureUrl, pictureSha256: p.sha256, status: prev.status, reason: prev.reason,
    values: Object.fromEntries(cells.map((c) => [c.key, c.value])), warning: prev.warning ? JSON.parse(prev.warning) : null,
    checks: JSON.parse(prev.checks), at,
  });
  return true;
}
