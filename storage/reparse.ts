/**
 * Re-deriving versions from their stored bytes when the parser (or the normaliser) improves — no fetching.
 *
 * What the new parser reads differently is recorded in parser_changes (cause: nianbao), never in changes
 * (cause: the source). A journalist reading `changes` / recent_changes never sees "the report changed"
 * when only nianbao did.
 */
import { getBlob } from './blobs.ts';
import { diffCells, diffLines } from './changes.ts';
import { DEFAULT_DERIVER, derive, type Derivation, type Deriver, type ParseFn } from './derive.ts';
import { NORMALISER_VERSION, normaliseContent } from './normalise.ts';
import {
  deleteReport, flushSearchIndex, insertReport, registerCellKeys, loadCells, loadReportRow, METADATA_FIELDS, REPORT_COLUMNS, reportColumns, type ReportRow,
} from './reports.ts';
import { isoTime, json, parseJson, stmt } from './sql.ts';
import type { Archive, ParseStatus, UnitInfo } from './types.ts';

export type ParserChangeKind = 'numbers_changed' | 'text_changed' | 'status_changed' | 'metadata_changed';

export interface ParserChange {
  versionId: number;
  kind: ParserChangeKind;
  detail: Record<string, unknown>;
}

interface VersionRow {
  id: number;
  document_id: number;
  blob_sha256: string;
  first_fetch_id: number;
  parse_status: ParseStatus;
  content_hash: string;
  parser_version: string;
  normaliser_version: number;
}

/** Is this version's derived data from another parser or normaliser than the one in use? */
export function isStale(v: { parser_version: string; normaliser_version: number }, deriver: Deriver): boolean {
  return v.parser_version !== deriver.parserVersion || v.normaliser_version !== NORMALISER_VERSION;
}

/** Derive a version again from its blob, with the URL and headers of the fetch that first brought it. */
export function deriveStored(db: Archive, versionId: number, deriver: Deriver): Derivation {
  const row = stmt(db, `SELECT v.blob_sha256, f.url, f.headers FROM versions v JOIN fetches f ON f.id = v.first_fetch_id
    WHERE v.id = ?`).get(versionId) as { blob_sha256: string; url: string; headers: string } | undefined;
  if (!row) throw new Error(`no version ${versionId}`);
  const bytes = getBlob(db, row.blob_sha256);
  if (!bytes) throw new Error(`version ${versionId}: blob ${row.blob_sha256} is missing`);
  return derive(bytes, { url: row.url, headers: parseJson(row.headers, {}) }, deriver);
}

/**
 * Store a new derivation of an existing version: record what differs as parser changes, then replace the
 * version's hashes, report and cells. The caller holds the transaction.
 */
export function applyDerivation(db: Archive, versionId: number, d: Derivation, ctx: { runId: number | null; at: string }): ParserChange[] {
  const v = stmt(db, 'SELECT * FROM versions WHERE id = ?').get(versionId) as VersionRow;
  const old = loadReportRow(db, versionId);
  const found: ParserChange[] = [];
  const add = (kind: ParserChangeKind, detail: Record<string, unknown>) => found.push({ versionId, kind, detail });

  if (v.parse_status !== d.status) {
    add('status_changed', { old: v.parse_status, new: d.status, reason: d.reason });
  }
  const newCols = d.report ? reportColumns(d.report, d.contentText) : null;
  if (old && newCols) {
    const cells = diffCells(loadCells(db, versionId), d.cells);
    if (cells.length) add('numbers_changed', { cells });
    const fields: Record<string, { old: unknown; new: unknown }> = {};
    for (const f of METADATA_FIELDS) if (old[f] !== newCols[f]) fields[f] = { old: old[f], new: newCols[f] };
    if (Object.keys(fields).length) add('metadata_changed', { fields });
    // compared under today's normaliser on both sides, so a normaliser upgrade alone is not a text change
    const text = diffLines(normaliseContent(old.title, old.body), d.lines);
    if (text.removed.length || text.added.length) add('text_changed', { ...text });
  }

  stmt(db, `UPDATE versions SET parse_status = ?, parse_reason = ?, charset = ?, content_hash = ?, prose_hash = ?,
    values_hash = ?, parser_version = ?, normaliser_version = ? WHERE id = ?`).run(
    d.status, d.reason, d.charset, d.contentHash, d.proseHash, d.valuesHash, d.parserVersion, NORMALISER_VERSION, versionId,
  );
  if (old && newCols && unchangedReport(old, newCols, found)) {
    // the common case: same report; only the label changes (no FTS churn)
    stmt(db, 'UPDATE reports SET parser_version = ? WHERE version_id = ?').run(d.parserVersion, versionId);
  } else {
    const unit = old ? unitOf(old) : documentUnit(db, v.document_id);
    if (old) deleteReport(db, versionId);
    if (d.report) insertReport(db, versionId, d, unit);
  }

  const ins = stmt(db, `INSERT INTO parser_changes (run_id, at, document_id, version_id, old_parser_version, new_parser_version, kind, detail)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const c of found) ins.run(ctx.runId, ctx.at, v.document_id, versionId, v.parser_version, d.parserVersion, c.kind, json(c.detail));
  return found;
}

function unchangedReport(old: ReportRow, cols: ReturnType<typeof reportColumns>, found: ParserChange[]): boolean {
  if (found.some((c) => c.kind === 'numbers_changed')) return false;
  return REPORT_COLUMNS.every((c) => old[c] === cols[c]);
}

function unitOf(r: ReportRow): UnitInfo {
  return { name: r.unit_name, province: r.province, city: r.city, county: r.county, level: r.level };
}

export function documentUnit(db: Archive, documentId: number): UnitInfo {
  const d = stmt(db, 'SELECT unit_name, province, city, county, level FROM documents WHERE id = ?').get(documentId) as Record<string, string | null>;
  return { name: d.unit_name, province: d.province, city: d.city, county: d.county, level: d.level };
}

/** Re-derive one version in place (inside the caller's transaction). */
export function rederiveVersion(db: Archive, versionId: number, deriver: Deriver, ctx: { runId: number | null; at: string }): ParserChange[] {
  return applyDerivation(db, versionId, deriveStored(db, versionId, deriver), ctx);
}

export interface ReparseOptions {
  /** the parser to use (tests inject one); default: parsers/ parsePageDetailed */
  parse?: ParseFn;
  /** the label stored with what `parse` produced; default PARSER_VERSION (or "<PARSER_VERSION>+custom" with a custom parse) */
  parserVersion?: string;
  /** versions derived outside the lock, then written in one transaction */
  batchSize?: number;
  /** only versions whose stored parser/normaliser version differs from the one in use */
  onlyStale?: boolean;
  at?: string | Date;
  onProgress?: (done: number, total: number) => void;
}

export interface ReparseSummary {
  runId: number;
  parserVersion: string;
  versionsSeen: number;
  versionsChanged: number;
  changes: Record<ParserChangeKind, number>;
}

/**
 * Re-derive reports and cells of every stored version from its blob. Parsing happens outside the write
 * lock; each batch is written in one transaction, so a killed reparse leaves whole versions only and can
 * simply be run again.
 */
export function reparse(db: Archive, opts: ReparseOptions = {}): ReparseSummary {
  const deriver: Deriver = opts.parse
    ? { parse: opts.parse, parserVersion: opts.parserVersion ?? `${DEFAULT_DERIVER.parserVersion}+custom` }
    : { ...DEFAULT_DERIVER, parserVersion: opts.parserVersion ?? DEFAULT_DERIVER.parserVersion };
  const at = isoTime(opts.at ?? new Date());
  const runId = Number(stmt(db, `INSERT INTO reparse_runs (started_at, parser_version, normaliser_version) VALUES (?, ?, ?)`)
    .run(at, deriver.parserVersion, NORMALISER_VERSION).lastInsertRowid);
  const all = stmt(db, 'SELECT id, parser_version, normaliser_version FROM versions ORDER BY id').all() as VersionRow[];
  const ids = (opts.onlyStale ? all.filter((v) => isStale(v, deriver)) : all).map((v) => v.id);
  const batch = Math.max(1, opts.batchSize ?? 50);
  const changes: Record<ParserChangeKind, number> = { numbers_changed: 0, text_changed: 0, status_changed: 0, metadata_changed: 0 };
  let changed = 0;
  for (let i = 0; i < ids.length; i += batch) {
    const derived = ids.slice(i, i + batch).map((id) => [id, deriveStored(db, id, deriver)] as const);
    registerCellKeys(db, derived.map(([, d]) => d));
    db.transaction(() => {
      for (const [id, d] of derived) {
        const found = applyDerivation(db, id, d, { runId, at });
        if (found.length) changed++;
        for (const c of found) changes[c.kind]++;
      }
      stmt(db, 'UPDATE reparse_runs SET versions_seen = ?, versions_changed = ? WHERE id = ?').run(Math.min(i + batch, ids.length), changed, runId);
      flushSearchIndex(db);
    }).immediate();
    opts.onProgress?.(Math.min(i + batch, ids.length), ids.length);
  }
  stmt(db, 'UPDATE reparse_runs SET finished_at = ?, versions_seen = ?, versions_changed = ? WHERE id = ?').run(isoTime(new Date()), ids.length, changed, runId);
  return { runId, parserVersion: deriver.parserVersion, versionsSeen: ids.length, versionsChanged: changed, changes };
}
