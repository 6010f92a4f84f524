/** What the table mappers write into, and the row-level helpers they share. */
import type { Cell, Row } from '../blocks.ts';
import type { CellValue, ParseWarning, TableKey } from '../types.ts';
import { isValueLike, parseCell, type Unit } from '../values.ts';

export interface TableOutput {
  values: Record<string, CellValue>;
  raw: Record<string, string>;
  warnings: ParseWarning[];
}

export interface SplitRow {
  /** non-blank label cells, outermost first (rowspan copies included) */
  labels: string[];
  /** the cells after the labels, in page order */
  values: Cell[];
}

const BLANK: Cell = { text: '', col: -1, span: 1, carried: false, image: false };

/**
 * Split a row into label cells and value cells: the labels end at the last text cell before the
 * first non-blank value ("规章 | | 0 | 0" keeps its blank first value). A value cell spanning down
 * from the row above is not this row's value: it reads as blank.
 */
export function splitRow(row: Row): SplitRow {
  const cells = row.cells;
  const firstValue = cells.findIndex((c) => c.text !== '' && isValueLike(c.text));
  const scanEnd = firstValue === -1 ? cells.length : firstValue;
  let lastLabel = -1;
  for (let i = 0; i < scanEnd; i++) if (!isValueLike(cells[i].text)) lastLabel = i;
  const labels = cells.slice(0, lastLabel + 1).filter((c) => c.text !== '').map((c) => c.text);
  const values = cells.slice(lastLabel + 1).map((c) => (c.carried ? { ...BLANK, col: c.col, span: c.span } : c));
  return { labels, values };
}

/**
 * "a.b" as one shared string per pair: values are stored and read under the same few hundred keys in every
 * report, and a key string seen before is hashed and interned already (a fresh template string costs both,
 * on each store and each lookup).
 */
const dotKeys = new Map<string, Map<string, string>>();
export function dotKey(a: string, b: string): string {
  let byB = dotKeys.get(a);
  if (!byB) dotKeys.set(a, (byB = new Map()));
  let k = byB.get(b);
  if (k === undefined) {
    if (byB.size > 1000) byB.clear();
    byB.set(b, (k = `${a}.${b}`));
  }
  return k;
}

export type HeaderColumns = Map<string, { col: number; span: number }>;

export type FitStatus = 'exact' | 'header' | 'short' | 'mismatch';

/**
 * Fit a row's value cells onto `keys` (page order). Surplus blank cells at either end are dropped
 * (Word tables carry spacer cells). When the count still differs, the header's physical columns
 * decide (HTML grids only); failing that a short row is read left to right and a long one is refused.
 * A key left without a cell (a row cut short, as on a truncated page) is null in `cells` and status is
 * 'short': the page does not have that cell, so it is not stored (absent, not blank).
 */
export function fitValues(
  values: Cell[],
  keys: readonly string[],
  header: HeaderColumns | null,
): { cells: Array<Cell | null>; status: FitStatus } {
  const n = keys.length;
  const v = values.slice();
  while (v.length > n && v[v.length - 1].text === '') v.pop();
  while (v.length > n && v[0].text === '') v.shift();
  if (v.length === n) return { cells: v, status: 'exact' };
  if (header && keys.every((k) => header.has(k)) && v.every((c) => c.col >= 0)) {
    const cells = keys.map((k) => {
      const h = header.get(k)!;
      const hits = v.filter((c) => c.col < h.col + h.span && h.col < c.col + c.span);
      return hits.length === 1 ? hits[0] : null;
    });
    const used = new Set(cells.filter(Boolean));
    const stray = v.filter((c) => c.text !== '' && !used.has(c));
    if (stray.length === 0) return { cells, status: cells.every(Boolean) ? 'header' : 'short' };
  }
  if (v.length < n) return { cells: [...v, ...Array(n - v.length).fill(null)], status: 'short' };
  return { cells: [], status: 'mismatch' };
}

/**
 * Store one parsed cell under `table.key`, keeping the printed text when it was not a bare number.
 * No cell (null) stores nothing: a key the page does not have is absent; only a blank cell is null.
 */
export function storeCell(
  out: TableOutput,
  table: TableKey,
  key: string,
  cell: Cell | null,
  unit: Unit = null,
  headerUnit: Unit = null,
): void {
  if (cell === null) return;
  const parsed = parseCell(cell.text, unit, headerUnit);
  out.values[key] = parsed.value;
  if (parsed.raw !== null) out.raw[dotKey(table, key)] = parsed.raw;
  if (parsed.nonNumeric) {
    out.warnings.push({ code: 'VALUE_NOT_NUMERIC', section: table, detail: `${key}: "${parsed.raw}" is not a number; kept as printed` });
  }
}

export function rowLabel(s: SplitRow): string {
  return s.labels.join(' / ');
}
