/** Types at the storage module boundaries (what the crawler hands in, what the CLI gets back). */
import type Database from 'better-sqlite3';
import type { CellValue, TableKey } from '../parsers/index.ts';

/** An open archive: a better-sqlite3 connection whose schema openArchive() has brought up to date. */
export type Archive = Database.Database;

/** Where a report comes from, as the crawler's portal registry knows it. */
export interface UnitInfo {
  name?: string | null;
  province?: string | null;
  city?: string | null;
  county?: string | null;
  /** national / province / city / county / department */
  level?: string | null;
}

/** One HTTP request as the crawler made it. Every field is stored, whatever the outcome. */
export interface FetchInput {
  url: string;
  /** a site key from the registry; defaults to the URL's host */
  site?: string | null;
  requestedAt: string | Date | number;
  /** null when no response arrived (DNS, timeout, reset) */
  status: number | null;
  headers?: Record<string, string | string[] | undefined>;
  body?: Uint8Array | null;
  elapsedMs?: number | null;
  error?: string | null;
  unit?: UnitInfo | null;
}

/** What ingestFetch did with a fetch (also stored in fetches.outcome). */
export type FetchOutcome =
  | 'new_version' // a 2xx whose main content or values differ from the document's current version
  | 'same_version' // a 2xx whose content is the current version's (bytes may differ only by noise)
  | 'not_modified' // 304
  | 'gone' // 404 / 410
  | 'redirect' // a 3xx the fetcher did not follow: kept in the log, no effect on the document
  | 'http_error' // any other status (403, 429, 5xx…): kept in the log, no effect on the document
  | 'network_error' // no response
  | 'no_body'; // a 2xx without a body

/** delisted / relisted: gone from (back on) every list of its site while the page still answers (migration 6) */
export type ChangeKind = 'new' | 'text_changed' | 'numbers_changed' | 'removed' | 'restored' | 'delisted' | 'relisted';

/** How the parser read a version. Anything but 'report' is "stored raw, marked unparsed". */
export type ParseStatus = 'report' | 'not_a_report' | 'unreadable' | 'parse_error';

/** One cell's change. `old`/`new` absent = the cell is not in that version; null = printed blank. */
export interface CellDiff {
  table: TableKey;
  key: string;
  old?: CellValue;
  new?: CellValue;
}

/** Normalised main-content lines that left or entered the page (noise already stripped). */
export interface TextDiff {
  removed: string[];
  added: string[];
  /** true when the lists were cut (see MAX_DIFF_LINES) */
  truncated?: boolean;
}

export interface ChangeEvent {
  id: number;
  documentId: number;
  kind: ChangeKind;
  at: string;
  fetchId: number | null;
  oldVersionId: number | null;
  newVersionId: number | null;
  detail: Record<string, unknown>;
}

export interface IngestResult {
  fetchId: number;
  /** null when the fetch concerned no known document and created none (a 404 for an unseen URL, an error) */
  documentId: number | null;
  /** the version this fetch's content is, when it had content */
  versionId: number | null;
  outcome: FetchOutcome;
  events: ChangeEvent[];
}
