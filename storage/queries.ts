/** Read-side API the CLI commands are thin wrappers of: show one document, export a view, archive totals. */
import type { CanonicalReport } from '../parsers/index.ts';
import { listChanges, type ChangeRow } from './changes.ts';
import { canonicalUrl } from './normalise.ts';
import type { ParserChangeKind } from './reparse.ts';
import { loadReport, loadReportRow } from './reports.ts';
import { parseJson, stmt } from './sql.ts';
import type { Archive, ParseStatus, UnitInfo } from './types.ts';

export interface VersionInfo {
  id: number;
  seq: number;
  firstSeen: string;
  firstFetchId: number;
  blobSha256: string;
  parseStatus: ParseStatus;
  parseReason: string | null;
  parserVersion: string;
  contentHash: string;
  valuesHash: string | null;
  /** fetches whose body was found to be this version */
  fetches: number;
}

export interface ParserChangeRow {
  id: number;
  at: string;
  runId: number | null;
  versionId: number;
  kind: ParserChangeKind;
  oldParserVersion: string | null;
  newParserVersion: string;
  detail: Record<string, unknown>;
}

export interface DocumentView {
  document: {
    id: number;
    url: string;
    site: string | null;
    status: 'live' | 'removed';
    statusSince: string;
    firstSeen: string;
    lastSeen: string;
    currentVersionId: number | null;
    unit: UnitInfo;
    fetches: number;
  };
  /** the newest version read as a report, as the canonical report */
  report: (CanonicalReport & { versionId: number; parserVersion: string }) | null;
  versions: VersionInfo[];
  /** source changes, oldest first; numbers_changed carry the cell diffs */
  changes: ChangeRow[];
  /** what nianbao's parser read differently over time (not changes of the report) */
  parserChanges: ParserChangeRow[];
}

/** A document by id, or by URL (canonicalised as ingest does). */
export function showDocument(db: Archive, idOrUrl: number | string): DocumentView | null {
  const byId = typeof idOrUrl === 'number' || /^\d+$/.test(idOrUrl);
  const d = (byId
    ? stmt(db, 'SELECT * FROM documents WHERE id = ?').get(Number(idOrUrl))
    : stmt(db, 'SELECT * FROM documents WHERE url = ?').get(canonicalUrl(idOrUrl))) as Record<string, any> | undefined;
  if (!d) return null;
  const versions = (stmt(db, `SELECT v.*, (SELECT count(*) FROM fetches f WHERE f.version_id = v.id) AS n_fetches
    FROM versions v WHERE v.document_id = ? ORDER BY v.seq`).all(d.id) as Record<string, any>[]).map((v): VersionInfo => ({
    id: v.id, seq: v.seq, firstSeen: v.first_seen, firstFetchId: v.first_fetch_id, blobSha256: v.blob_sha256,
    parseStatus: v.parse_status, parseReason: v.parse_reason, parserVersion: v.parser_version,
    contentHash: v.content_hash, valuesHash: v.values_hash, fetches: v.n_fetches,
  }));
  const latest = stmt(db, 'SELECT version_id FROM latest_report_versions WHERE document_id = ?').get(d.id) as { version_id: number } | undefined;
  const report = latest ? loadReport(db, latest.version_id) : null;
  const parserChanges = (stmt(db, 'SELECT * FROM parser_changes WHERE document_id = ? ORDER BY id').all(d.id) as Record<string, any>[])
    .map((p): ParserChangeRow => ({
      id: p.id, at: p.at, runId: p.run_id, versionId: p.version_id, kind: p.kind, oldParserVersion: p.old_parser_version,
      newParserVersion: p.new_parser_version, detail: parseJson(p.detail, {}),
    }));
  return {
    document: {
      id: d.id, url: d.url, site: d.site, status: d.status, statusSince: d.status_since, firstSeen: d.first_seen,
      lastSeen: d.last_seen, currentVersionId: d.current_version_id,
      unit: { name: d.unit_name, province: d.province, city: d.city, county: d.county, level: d.level },
      fetches: (stmt(db, 'SELECT count(*) AS n FROM fetches WHERE document_id = ?').get(d.id) as { n: number }).n,
    },
    report: report && latest ? { ...report, versionId: latest.version_id, parserVersion: loadReportRow(db, latest.version_id)!.parser_version } : null,
    versions,
    changes: listChanges(db, { documentId: d.id }).reverse(),
    parserChanges,
  };
}

/** The views meant for people; exportRows reads only these. */
export const EXPORT_VIEWS = [
  'latest_reports', 'applications_wide', 'latest_cells', 'failed_checks', 'recent_changes', 'report_counts', 'unparsed_pages',
  'report_sources', 'image_tables', 'latest_cells_provenance', 'ocr_outcomes',
] as const;
export type ExportView = (typeof EXPORT_VIEWS)[number];

/** Stream a view's rows (constant memory, for CSV/JSONL export). */
export function exportRows(db: Archive, view: ExportView): IterableIterator<Record<string, unknown>> {
  if (!(EXPORT_VIEWS as readonly string[]).includes(view)) throw new Error(`unknown view "${view}"; one of: ${EXPORT_VIEWS.join(', ')}`);
  return db.prepare(`SELECT * FROM ${view}`).iterate() as IterableIterator<Record<string, unknown>>;
}

export interface ArchiveStats {
  fetches: number;
  blobs: number;
  bytesReceived: number;
  bytesStored: number;
  documents: number;
  removed: number;
  versions: number;
  reports: number;
  unparsed: number;
  changes: number;
  parserChanges: number;
}

export function archiveStats(db: Archive): ArchiveStats {
  const n = (sql: string) => Object.values(db.prepare(sql).get() as Record<string, number>)[0] ?? 0;
  return {
    fetches: n('SELECT count(*) FROM fetches'),
    blobs: n('SELECT count(*) FROM blobs'),
    bytesReceived: n('SELECT coalesce(sum(size), 0) FROM blobs'),
    bytesStored: n('SELECT coalesce(sum(length(data)), 0) FROM blobs'),
    documents: n('SELECT count(*) FROM documents'),
    removed: n("SELECT count(*) FROM documents WHERE status = 'removed'"),
    versions: n('SELECT count(*) FROM versions'),
    reports: n('SELECT count(*) FROM reports'),
    unparsed: n('SELECT count(*) FROM unparsed_pages'),
    changes: n('SELECT count(*) FROM changes'),
    parserChanges: n('SELECT count(*) FROM parser_changes'),
  };
}
