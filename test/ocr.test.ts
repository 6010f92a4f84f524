/**
 * OCR of table pictures (parsers/ocr): page 87885's three tables as screenshots
 * (test/fixtures/documents/image-tables-87885-table*.png) read back into the page's own values, which
 * are the hand-checked ones; a reading that cannot be trusted gives no numbers. The tesseract tests skip
 * only when tesseract is not installed and CI is not set.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePage } from '../parsers/index.ts';
import { APPLICATION_COLUMNS, APPLICATION_ROWS_2021, REVIEW_KEYS } from '../parsers/labels.ts';
import { applyOcrTable, decodePng, ocrTableImage, ocrTableRaster, PngError, tesseractAvailable, type OcrOutcome } from '../parsers/ocr/index.ts';
import { findGrid } from '../parsers/ocr/grid.ts';
import { vote } from '../parsers/ocr/read-table.ts';
import type { TableKey } from '../parsers/types.ts';
import { OWN_FIXTURES, PINGTAN, flattenApplications, num, pingtanEntries, pingtanExpected, reviewObject } from './helpers/fixtures.ts';

const DOCS = join(OWN_FIXTURES, 'documents');
const TABLES: TableKey[] = ['active', 'applications', 'review_litigation'];
const png = (i: number) => readFileSync(join(DOCS, `image-tables-87885-table${i + 1}.png`));
const entry = pingtanEntries().find((e) => e.docid === '87885')!;
/** the real page, whose HTML tables the pictures show */
const page = parsePage({ body: readFileSync(join(PINGTAN, entry.path)) });
const expected = pingtanExpected(entry);

describe('table pictures: grid (no OCR)', () => {
  it('finds the ruled grid of each picture, merged cells included', () => {
    const apps = findGrid(decodePng(png(1)));
    // three header rows, then one row per row of the 2021 template; three label columns, then the seven
    expect(apps.rows).toBe(3 + APPLICATION_ROWS_2021.length);
    expect(apps.cols).toBe(3 + APPLICATION_COLUMNS.length);
    const review = findGrid(decodePng(png(2)));
    expect(review.cells.filter((c) => c.row === review.rows - 1)).toHaveLength(REVIEW_KEYS.length);
    // "行政复议" spans the five review columns, "行政诉讼" the ten litigation ones
    expect(review.cells.filter((c) => c.row === 0).map((c) => c.colSpan)).toEqual([5, 10]);
  });

  it('refuses a file that is not a PNG, with the reason', () => {
    expect(() => decodePng(readFileSync(join(DOCS, 'image-tables-87885.html')))).toThrow(PngError);
    expect(() => ocrTableImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), 'active')).toThrow(/not a PNG/);
  });

  it('a number is kept only when readings at several scales agree', () => {
    expect(vote(['0', '', '0'])).toEqual({ value: '0', conflict: false });
    expect(vote(['0', '5', '0'])).toEqual({ value: null, conflict: true });
    expect(vote(['77', '', ''])).toEqual({ value: null, conflict: false });
  });
});

const skip = !tesseractAvailable() && !process.env.CI;

describe.skipIf(skip)('table pictures: OCR with tesseract', () => {
  const outcomes: OcrOutcome[] = [];
  beforeAll(() => {
    TABLES.forEach((t, i) => outcomes.push(ocrTableImage(png(i), t, `image-tables-87885-table${i + 1}.png`)));
  }, 300_000);

  it('reads every cell of the three tables as the page prints it, each marked OCR-derived', () => {
    for (const o of outcomes) {
      if (!o.ok) throw new Error(`${o.table} refused: ${o.reason}`);
      const values = Object.fromEntries(Object.entries(o.cells).map(([k, c]) => [k, c.value]));
      expect(values, o.table).toEqual(page.tables[o.table]);
      expect(new Set(Object.values(o.cells).map((c) => c.provenance))).toEqual(new Set(['ocr']));
      expect(o.warning.code).toBe('OCR_DERIVED');
      expect(o.warning.detail.split(': ')[1].split(' ').sort()).toEqual(Object.keys(page.tables[o.table]).sort());
    }
    // and the hand-checked values of the page
    const [active, apps, review] = outcomes.map((o) => (o.ok ? Object.fromEntries(Object.entries(o.cells).map(([k, c]) => [k, c.value])) : {}));
    for (const [k, v] of Object.entries(expected.active)) expect(active[k], k).toBe(num(v));
    for (const [k, v] of Object.entries(flattenApplications(expected.applications))) expect(apps[k], k).toBe(v);
    expect(review).toEqual(reviewObject(expected.review_litigation));
  });

  it('the 勾稽 checks of the read tables hold', () => {
    const checks = outcomes.flatMap((o) => o.checks);
    expect(checks.length).toBe(page.checks.filter((c) => !c.rule.startsWith('narrative.')).length);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('fills the picture-only page into the same tables as the real page, flagged OCR_DERIVED', () => {
    let report = parsePage({ body: readFileSync(join(DOCS, 'image-tables-87885.html')) });
    expect(report.warnings.filter((w) => w.code === 'TABLE_AS_IMAGE')).toHaveLength(3);
    for (const o of outcomes) report = applyOcrTable(report, o);
    expect(report.tables).toEqual(page.tables);
    expect(report.warnings.filter((w) => w.code === 'OCR_DERIVED').map((w) => w.section)).toEqual(TABLES);
    // still listed for a person to check: the pictures stay flagged
    expect(report.warnings.filter((w) => w.code === 'TABLE_AS_IMAGE')).toHaveLength(3);
  });

  it('gives no numbers for a picture read as the wrong table, or with a cell rubbed out', () => {
    const wrong = ocrTableImage(png(2), 'applications');
    expect(wrong.ok).toBe(false);
    // rub out the litigation total ("5" under 未经复议直接起诉/总计): its check can no longer hold
    const g = decodePng(png(2));
    const grid = findGrid(g);
    const last = grid.cells.filter((c) => c.row === grid.rows - 1);
    const cell = last[REVIEW_KEYS.indexOf('suit_direct_total')];
    for (let y = cell.box.y0; y <= cell.box.y1; y++) g.data.fill(255, y * g.width + cell.box.x0, y * g.width + cell.box.x1 + 1);
    const rubbed = ocrTableRaster(g, 'review_litigation');
    expect(rubbed.ok).toBe(false);
    if (!rubbed.ok) expect(rubbed.reason).toMatch(/suit_direct_total/);
  }, 120_000);
});
