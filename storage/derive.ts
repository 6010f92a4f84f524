/**
 * Stored bytes → everything the archive derives from them (parse status, report, hashes, cells).
 * Pure: no database, never throws. Ingest and reparse both go through here, so a version's hashes
 * always mean the same thing for the same parser and normaliser versions.
 */
import {
  isAnnualReport, parsePageDetailed, PARSER_VERSION, UnreadableInput,
  type CanonicalReport, type DetailedParse, type PageInput,
} from '../parsers/index.ts';
import { parseFetchedDetailed } from '../parsers/fetched.ts';
import { searchTokens, type SearchTokens } from './ngrams.ts';
import { reportFields, type ReportFields } from './reports.ts';
import { contentHashes, normaliseContent, reportCells, sha256Hex, valuesHash, type Cell } from './normalise.ts';
import type { ParseStatus } from './types.ts';

export type ParseFn = (input: PageInput) => DetailedParse;

/** The parser in use and the version label stored with what it produced. */
export interface Deriver {
  parse: ParseFn;
  parserVersion: string;
}

// pages through parsePage; PDF/DOCX attachments through the document readers (DOC/WPS/OFD: unreadable, with the reason)
export const DEFAULT_DERIVER: Deriver = { parse: (input) => parseFetchedDetailed(input), parserVersion: PARSER_VERSION };

export interface Derivation {
  parserVersion: string;
  status: ParseStatus;
  /** why it is not a report (null for a report) */
  reason: string | null;
  charset: string | null;
  /** present when status is 'report' — except in a derivation a worker sent the writer (unpackDerivation): the writer stores `fields` */
  report: CanonicalReport | null;
  /** the parser's main-content text ('' when unreadable) */
  contentText: string;
  /** normalised main-content lines, title first */
  lines: string[];
  contentHash: string;
  proseHash: string;
  /** null unless status is 'report' */
  valuesHash: string | null;
  cells: Cell[];
  /** what the report puts in the search indexes (null unless status is 'report'); made here, off the write lock */
  search: SearchTokens | null;
  /** the report row's columns but the body (null unless status is 'report'); made here, off the write lock */
  fields: ReportFields | null;
}

export interface SourceInfo {
  url: string | null;
  headers: Record<string, string | string[] | undefined>;
}

export function derive(bytes: Uint8Array, source: SourceInfo, deriver: Deriver = DEFAULT_DERIVER): Derivation {
  let parsed: DetailedParse;
  try {
    parsed = deriver.parse({ body: bytes, url: source.url, headers: source.headers });
  } catch (e) {
    // unreadable bytes are kept and identified by their own hash: nothing to normalise
    const raw = `raw:${sha256Hex(bytes)}`;
    const status: ParseStatus = e instanceof UnreadableInput ? 'unreadable' : 'parse_error';
    const reason = e instanceof Error ? (status === 'unreadable' ? e.message : `${e.name}: ${e.message}`) : String(e);
    return {
      parserVersion: deriver.parserVersion, status, reason, charset: null, report: null, contentText: '', lines: [],
      contentHash: raw, proseHash: raw, valuesHash: null, cells: [], search: null, fields: null,
    };
  }
  const { report, contentText, charset } = parsed;
  // folded once: the normalised lines and the search tokens both start from the NFKC body
  const nfkcBody = contentText.normalize('NFKC');
  const lines = normaliseContent(report.title, contentText, nfkcBody);
  const hashes = contentHashes(lines);
  if (!isAnnualReport(report)) {
    const w = report.warnings.find((x) => x.code === 'NOT_A_REPORT');
    return {
      parserVersion: deriver.parserVersion, status: 'not_a_report', reason: w ? `NOT_A_REPORT: ${w.detail}` : 'NOT_A_REPORT',
      charset, report: null, contentText, lines, ...hashes, valuesHash: null, cells: [], search: null, fields: null,
    };
  }
  const cells = reportCells(report);
  return {
    parserVersion: deriver.parserVersion, status: 'report', reason: null, charset, report, contentText, lines,
    ...hashes, valuesHash: valuesHash(cells), cells, search: searchTokens(report.title, report.agency, contentText, nfkcBody),
    fields: reportFields(report, contentText),
  };
}

/**
 * A derivation as a worker thread sends it to the writer (workFetch): the cells as one JSON string and the
 * parsed report left out. The writer rebuilds the structured clone of what a worker sends on its own, busiest
 * thread: ~100 cell objects cost it 0.12 ms a report that way, JSON.parse of them a fraction; the report
 * (0.05 ms) it does not use (its columns are in `fields`).
 */
export interface PackedDerivation extends Omit<Derivation, 'report' | 'cells'> {
  report: null;
  /** the cells as [table, key, value, raw] rows in JSON; null when a value would not survive JSON (then in `cells`) */
  cellsJson: string | null;
  cells: Cell[];
}

// JSON carries these exactly (NaN, ±Infinity, −0 and undefined it does not)
const jsonSafe = (v: unknown) => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v) && !Object.is(v, -0));

export function packDerivation(d: Derivation): PackedDerivation {
  const safe = d.cells.every((c) => jsonSafe(c.value) && (c.raw === null || typeof c.raw === 'string'));
  const cellsJson = safe ? JSON.stringify(d.cells.map((c) => [c.table, c.key, c.value, c.raw])) : null;
  return { ...d, report: null, cellsJson, cells: safe ? [] : d.cells };
}

export function unpackDerivation(d: Derivation | PackedDerivation): Derivation {
  if (!('cellsJson' in d)) return d;
  const { cellsJson, ...rest } = d;
  if (cellsJson === null) return rest;
  const rows = JSON.parse(cellsJson) as [Cell['table'], string, Cell['value'], string | null][];
  return { ...rest, cells: rows.map(([table, key, value, raw]) => ({ table, key, value, raw })) };
}
