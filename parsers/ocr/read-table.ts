/**
 * Reading one standard table from its picture: the ruled grid gives the cells and their spans,
 * tesseract reads each cell (chi_sim for labels, a digits-only pass for numbers), and the rows go
 * through the same mappers as an HTML table, so labels decide the canonical keys.
 */
import type { Cell, Row } from '../blocks.ts';
import { applicationChecks, reviewChecks } from '../checks.ts';
import { templateVotes } from '../labels.ts';
import { mapActive } from '../tables/active.ts';
import { mapApplications } from '../tables/applications.ts';
import { mapReview } from '../tables/review.ts';
import type { TableOutput } from '../tables/context.ts';
import type { CellValue, CheckResult, ParseWarning, TableKey } from '../types.ts';
import { findGrid, type Box, type Grid } from './grid.ts';
import { decodePng, type Gray } from './png.ts';
import { cropScaled, inkBox, stack } from './raster.ts';
import { tesseractPages, tesseractWords } from './tesseract.ts';

/**
 * Body type (~12 px) must be enlarged for tesseract, and its digit reading depends on the factor
 * (on the fixtures: at 3x lone "0"s vanish, at 3.5x they read "5", at 6x "5" reads "8"). So the
 * labels are read once at 4x and the numbers at three factors that must agree (see `vote`).
 */
const SCALE = 4;
export const DIGIT_SCALES = [4, 4.5, 5] as const;
const PAD = 4;
const GAP = 40;
const NUMBER = /^\d+(?:\.\d+)?$/;
const CJK = /[\u3400-\u9fff]/g;

export interface OcrCellText {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  /** what was read: chi_sim text for a label, the digits pass for a number ('' = blank cell) */
  text: string;
  kind: 'blank' | 'label' | 'number' | 'uncertain';
  /** the digits readings at each of DIGIT_SCALES ('' = nothing read) */
  readings?: string[];
}

/**
 * One number from several readings: the value read most often, if at least two readings give it and
 * no reading gives another number (a lost glyph is common and harmless, a different digit is not).
 */
export function vote(readings: string[]): { value: string | null; conflict: boolean } {
  const numbers = readings.filter((r) => NUMBER.test(r));
  const distinct = [...new Set(numbers)];
  if (distinct.length > 1) return { value: null, conflict: true };
  return { value: distinct.length === 1 && numbers.length >= 2 ? distinct[0] : null, conflict: false };
}

const grow = (b: Box, p: number): Box => ({ x0: b.x0 - p, y0: b.y0 - p, x1: b.x1 + p, y1: b.y1 + p });

/** Read every cell of the grid. One chi_sim run over all cells stacked, one digits run (a page per cell). */
export function readCells(g: Gray, grid: Grid): OcrCellText[] {
  const inked = grid.cells.map((c) => ({ c, ink: inkBox(g, c.box) }));
  const withInk = inked.filter((x): x is { c: typeof x.c; ink: Box } => x.ink !== null);
  const pieces = withInk.map((x) => cropScaled(g, grow(x.ink, PAD), SCALE));
  // labels: all cells on one sheet; each word goes to the cell whose band holds its middle
  const { sheet, bands } = stack(pieces, GAP);
  const words = tesseractWords(sheet, { lang: 'chi_sim', psm: 6 });
  const labels = bands.map(([a, b]) => words.filter((w) => {
    const mid = w.top + w.height / 2;
    return mid >= a - GAP / 2 && mid <= b + GAP / 2;
  }).map((w) => w.text).join(''));
  // numbers: each cell that is not plainly a label, alone as one text line (psm 7), digits only, at each scale
  // (chi_sim misreads a lone "1" as 工 or drops it: two or more CJK characters make a label)
  const isLabel = labels.map((t) => (t.match(CJK) ?? []).length >= 2);
  const candidates = withInk.map((_, i) => i).filter((i) => !isLabel[i]);
  const readings: string[][] = withInk.map(() => []);
  for (const scale of DIGIT_SCALES) {
    const single = candidates.map((i) => stack([cropScaled(g, grow(withInk[i].ink, PAD), scale)], 10 * scale).sheet);
    const words = tesseractPages(single, { lang: 'eng', psm: 7, whitelist: '0123456789.' });
    candidates.forEach((i, p) => readings[i].push(words.filter((w) => w.page === p).map((w) => w.text).join('')));
  }
  const byCell = new Map(withInk.map((x, i) => [x.c, i]));
  return inked.map(({ c }) => {
    const i = byCell.get(c);
    const base = { row: c.row, col: c.col, rowSpan: c.rowSpan, colSpan: c.colSpan };
    if (i === undefined) return { ...base, text: '', kind: 'blank' as const };
    if (isLabel[i] || !readings[i].some((r) => NUMBER.test(r))) return { ...base, text: labels[i], kind: 'label' as const };
    const v = vote(readings[i]);
    if (v.value === null) return { ...base, text: readings[i][0], kind: 'uncertain' as const, readings: readings[i] };
    return { ...base, text: v.value, kind: 'number' as const, readings: readings[i] };
  });
}

/** The cells as the parser's rows: a cell spanning down is repeated in later rows as `carried`. */
export function toRows(grid: Grid, cells: OcrCellText[]): Row[] {
  const rows: Row[] = Array.from({ length: grid.rows }, () => ({ cells: [] as Cell[] }));
  for (const c of cells) {
    for (let r = c.row; r < c.row + c.rowSpan; r++) {
      rows[r].cells.push({ text: c.text, col: c.col, span: c.colSpan, carried: r !== c.row, image: false });
    }
  }
  for (const r of rows) r.cells.sort((a, b) => a.col - b.col);
  return rows;
}

export interface OcrTableResult {
  table: TableKey;
  template: '2019' | '2021' | null;
  /** canonical keys of the table (as in `report.tables[table]`) → value; every one read by OCR */
  values: Record<string, CellValue>;
  provenance: 'ocr';
  checks: CheckResult[];
  warnings: ParseWarning[];
  /** what each grid cell was read as, for a person checking the result */
  cells: OcrCellText[];
}

function templateOf(cells: OcrCellText[]): '2019' | '2021' | null {
  let v2019 = 0, v2021 = 0;
  for (const c of cells) {
    if (c.kind !== 'label') continue;
    const v = templateVotes(c.text);
    v2019 += v.v2019;
    v2021 += v.v2021;
  }
  return v2021 > v2019 ? '2021' : v2019 > v2021 ? '2019' : null;
}

/** OCR one table picture (PNG bytes) as standard table `table`. Throws on a non-PNG or a picture without a ruled grid. */
export function readTableImage(png: Uint8Array, table: TableKey, templateHint: '2019' | '2021' | null = null): OcrTableResult {
  return readTableRaster(decodePng(png), table, templateHint);
}

export function readTableRaster(g: Gray, table: TableKey, templateHint: '2019' | '2021' | null = null): OcrTableResult {
  const grid = findGrid(g);
  const cells = readCells(g, grid);
  const rows = toRows(grid, cells);
  const out: TableOutput = { values: {}, raw: {}, warnings: [] };
  const template = templateOf(cells) ?? templateHint;
  if (table === 'active') {
    if (template) mapActive(rows, template, out);
  } else if (table === 'applications') mapApplications(rows, out);
  else mapReview(rows, out);
  const checks = table === 'applications' ? applicationChecks(out.values) : table === 'review_litigation' ? reviewChecks(out.values) : [];
  return { table, template, values: out.values, provenance: 'ocr', checks, warnings: out.warnings, cells };
}
