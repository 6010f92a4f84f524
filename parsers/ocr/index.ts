/**
 * OCR of a standard table shown as a picture (TABLE_AS_IMAGE), as an optional step.
 *
 * `ocrTableImage(pngBytes, table)` reads the picture and returns its values only when the reading
 * passes every gate (numbers stable across scales, every cell of the template's table read as a
 * number, no row/column warning, the 勾稽 checks hold); otherwise `{ok: false, reason}` and no
 * numbers. Every accepted value carries `provenance: 'ocr'`, and `applyOcrTable` adds them to a
 * report with an OCR_DERIVED warning listing the keys. Needs Debian's tesseract-ocr and
 * tesseract-ocr-chi-sim (`tesseractAvailable()`); runs tesseract synchronously (~3–20 s CPU a table).
 */
import { APPLICATION_COLUMNS, APPLICATION_ROWS_2019, APPLICATION_ROWS_2021, ACTIVE_DEFAULT_COLUMNS, ACTIVE_ROWS_BY_ITEM, REVIEW_KEYS } from '../labels.ts';
import type { CanonicalReport, CellValue, CheckResult, ParseWarning, TableKey } from '../types.ts';
import { decodePng, type Gray } from './png.ts';
import { readTableRaster, type OcrCellText, type OcrTableResult } from './read-table.ts';

export { tesseractAvailable } from './tesseract.ts';
export { PngError, decodePng, type Gray } from './png.ts';
export { GridError } from './grid.ts';

export interface OcrCell {
  value: number;
  provenance: 'ocr';
}

export type OcrOutcome =
  | {
      ok: true;
      table: TableKey;
      template: '2019' | '2021' | null;
      /** canonical key (as in report.tables[table]) → value read by OCR */
      cells: Record<string, OcrCell>;
      checks: CheckResult[];
      /** OCR_DERIVED: the keys whose values come from OCR */
      warning: ParseWarning;
      grid: OcrCellText[];
    }
  | { ok: false; table: TableKey; reason: string; checks: CheckResult[]; grid: OcrCellText[] };

/** The keys a complete table of the template has. */
function wantedKeys(r: OcrTableResult): string[] | null {
  if (r.table === 'review_litigation') return [...REVIEW_KEYS];
  if (r.table === 'active') {
    if (!r.template) return null;
    const t = r.template;
    return Object.entries(ACTIVE_ROWS_BY_ITEM[t]).flatMap(([item, rows]) =>
      rows!.flatMap((row) => (ACTIVE_DEFAULT_COLUMNS[t][item as keyof (typeof ACTIVE_DEFAULT_COLUMNS)[typeof t]] ?? []).map((c) => `${item}.${row}.${c}`)));
  }
  const has = (row: string) => `${row}.total` in r.values;
  const rows = APPLICATION_ROWS_2021.every(has) ? APPLICATION_ROWS_2021 : APPLICATION_ROWS_2019;
  return rows.flatMap((row) => APPLICATION_COLUMNS.map((c) => `${row}.${c}`));
}

/** Why the reading cannot be trusted, or null when it passes every gate. */
export function refusal(r: OcrTableResult): string | null {
  const unsure = r.cells.filter((c) => c.kind === 'uncertain');
  if (unsure.length) return `${unsure.length} cell(s) read as different numbers at different scales: ${unsure.slice(0, 5).map((c) => `row ${c.row} col ${c.col} (${c.readings!.map((x) => x || '∅').join('/')})`).join(', ')}`;
  if (r.warnings.length) return `the rows did not map cleanly: ${r.warnings.map((w) => `${w.code} ${w.detail}`).join('; ')}`;
  const want = wantedKeys(r);
  if (!want) return 'template unknown: no 2019/2021 column labels were read';
  const missing = want.filter((k) => !(k in r.values));
  if (missing.length) return `cells not read: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ` (+${missing.length - 8})` : ''}`;
  const notNumber = Object.entries(r.values).filter(([, v]) => typeof v !== 'number');
  if (notNumber.length) return `cells not read as numbers: ${notNumber.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`;
  if (r.table !== 'active' && !r.checks.length) return 'no 勾稽 check could be evaluated';
  const failed = r.checks.filter((c) => !c.ok);
  if (failed.length) return `勾稽 checks fail: ${failed.map((c) => `${c.rule} (${c.detail})`).join('; ')}`;
  return null;
}

/**
 * Read a table picture as standard table `table`. Throws PngError / GridError for a file that is not
 * a PNG or shows no ruled grid; a picture that is read but not trusted gives `{ok: false, reason}`.
 */
export function ocrTableImage(png: Uint8Array, table: TableKey, source: string | null = null): OcrOutcome {
  return ocrTableRaster(decodePng(png), table, source);
}

/** `ocrTableImage` for an already decoded picture (grayscale). */
export function ocrTableRaster(g: Gray, table: TableKey, source: string | null = null): OcrOutcome {
  const r = readTableRaster(g, table);
  const reason = refusal(r);
  if (reason) return { ok: false, table, reason, checks: r.checks, grid: r.cells };
  const cells: Record<string, OcrCell> = {};
  for (const [k, v] of Object.entries(r.values)) cells[k] = { value: v as number, provenance: 'ocr' };
  const keys = Object.keys(cells);
  return {
    ok: true, table, template: r.template, cells, checks: r.checks, grid: r.cells,
    warning: { code: 'OCR_DERIVED', section: table, detail: `${keys.length} values read by OCR${source ? ` from ${source}` : ''} (not typed by the agency as text): ${keys.join(' ')}` },
  };
}

/** The report with an accepted OCR table filled in: values, its checks, and the OCR_DERIVED warning. */
export function applyOcrTable(report: CanonicalReport, outcome: OcrOutcome): CanonicalReport {
  if (!outcome.ok) return report;
  const values: Record<string, CellValue> = Object.fromEntries(Object.entries(outcome.cells).map(([k, c]) => [k, c.value]));
  return {
    ...report,
    tables: { ...report.tables, [outcome.table]: values },
    checks: [...report.checks, ...outcome.checks],
    warnings: [...report.warnings, outcome.warning],
  };
}
