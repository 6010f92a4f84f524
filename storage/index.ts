/** The archive's public API (issue 3). See each module for the why. */
export { openArchive, DEFAULT_DB_PATH, APPLICATION_ID, NotAnArchiveError, spacedCjk, type OpenOptions } from './db.ts';
export { migrate, MIGRATIONS, SCHEMA_VERSION, SchemaTooNewError, schemaVersion, type Migration } from './migrations.ts';
export {
  ingestFetch, ingestBatch, planFetch, workFetch, prepareFetch, commitFetches,
  type IngestOptions, type FetchPlan, type FetchWork, type PreparedFetch,
} from './ingest.ts';
export { IngestPool, type IngestPoolOptions, type IngestPoolStats } from './pool.ts';
export { markGone, listChanges, diffCells, diffLines, type ChangeQuery, type ChangeRow } from './changes.ts';
export { reparse, type ReparseOptions, type ReparseSummary, type ParserChangeKind } from './reparse.ts';
export { search, queryWords, type SearchHit, type SearchOptions } from './search.ts';
export {
  showDocument, exportRows, archiveStats, EXPORT_VIEWS,
  type DocumentView, type VersionInfo, type ParserChangeRow, type ExportView, type ArchiveStats,
} from './queries.ts';
export { getBlob, putBlob } from './blobs.ts';
export { loadReport, loadCells, flushSearchIndex } from './reports.ts';
export { derive, DEFAULT_DERIVER, type Deriver, type Derivation, type ParseFn } from './derive.ts';
export { normaliseLine, normaliseContent, canonicalUrl, NORMALISER_VERSION } from './normalise.ts';
export type * from './types.ts';
