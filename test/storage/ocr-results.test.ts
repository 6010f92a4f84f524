/**
 * OCR outcomes of table pictures in the archive (storage/ocr-results.ts, migration 13), without tesseract:
 * the real picture-tables page (test/fixtures/documents/image-tables-87885.html) and its pictures stored as
 * the crawler stores them; which pictures are still to read; an outcome kept apart from the HTML cells and
 * out of `changes`; a page edited at the source reuses the reading of the same picture.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPicture } from '../../crawlers/ocr-worker.ts';
import { tablePictures } from '../../crawlers/table-pictures.ts';
import { ingestFetch, type Archive } from '../../storage/index.ts';
import { pendingPictures, recordOcrOutcome, reuseOcrOutcome } from '../../storage/ocr-results.ts';
import { OWN_FIXTURES } from '../helpers/fixtures.ts';
import { editAfter, FUJIAN_PINGTAN, tempArchive } from './helpers.ts';

const DOCS = join(OWN_FIXTURES, 'documents');
const PAGE_URL = 'http://pics.test/xxgk/ndbg/202403/t20240308_87885_images.html';
const pic = (i: number) => `http://pics.test/xxgk/ndbg/202403/image-tables-87885-table${i}.png`;
const TABLES = ['active', 'applications', 'review_litigation'] as const;
let clock = Date.parse('2025-06-01T00:00:00Z');
const fetch = (url: string, body: Buffer, type: string) => ({
  url, requestedAt: (clock += 60_000), status: 200, headers: { 'content-type': type }, body, elapsedMs: 5, unit: FUJIAN_PINGTAN,
});

describe('table pictures in the archive', () => {
  let db: Archive;
  let cleanup: () => void;
  const page = readFileSync(join(DOCS, 'image-tables-87885.html'));
  let v1: number;
  let docId: number;

  beforeAll(() => {
    ({ db, cleanup } = tempArchive());
    const r = ingestFetch(db, fetch(PAGE_URL, page, 'text/html; charset=utf-8'));
    v1 = r.versionId!;
    docId = r.documentId!;
    const { warnings } = db.prepare(`SELECT warnings FROM reports WHERE version_id = ?`).get(v1) as { warnings: string };
    // the crawler's reading of the page's warnings (followTablePictures records these with the page)
    const found = tablePictures(warnings, (u) => u.startsWith('http://pics.test/'));
    expect(found).toEqual(TABLES.map((t, i) => ({ table: t, url: pic(i + 1) })));
    expect(tablePictures(warnings, () => false)).toEqual([]);
    for (const p of found) db.prepare(`INSERT INTO table_pictures VALUES (?, ?, ?, '2025-06-01T00:00:00Z')`).run(docId, p.table, p.url);
  });
  afterAll(() => cleanup());

  it('a picture is to read once it is stored, for the page\'s current report version', () => {
    expect(pendingPictures(db)).toEqual([]);
    ingestFetch(db, fetch(pic(1), readFileSync(join(DOCS, 'image-tables-87885-table1.png')), 'image/png'));
    const pending = pendingPictures(db);
    expect(pending.map((p) => [p.versionId, p.table, p.pictureUrl, p.contentType])).toEqual([[v1, 'active', pic(1), 'image/png']]);
    expect(pending[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('an outcome is kept apart from the HTML cells, as OCR, and is not a change at the source', () => {
    const changes = db.prepare(`SELECT * FROM changes`).all();
    const [p] = pendingPictures(db);
    // the values stand for what the OCR read (its reading itself is test/ocr.test.ts's)
    recordOcrOutcome(db, { ...p, pictureSha256: p.sha256, status: 'accepted', reason: null, values: { 'a.b.c': 7 }, warning: { code: 'OCR_DERIVED', section: 'active', detail: '1 values read by OCR' }, at: 0 });
    expect(pendingPictures(db)).toEqual([]);
    expect(db.prepare(`SELECT tbl, key, value, provenance FROM latest_cells_provenance WHERE url = ?`).all(PAGE_URL)).toEqual([{ tbl: 'active', key: 'a.b.c', value: 7, provenance: 'ocr' }]);
    expect(db.prepare(`SELECT count(*) AS n FROM report_cells WHERE version_id = ?`).get(v1)).toEqual({ n: 0 });
    expect(db.prepare(`SELECT status, warning_code FROM ocr_outcomes WHERE url = ?`).all(PAGE_URL)).toEqual([{ status: 'accepted', warning_code: 'OCR_DERIVED' }]);
    expect(db.prepare(`SELECT * FROM changes`).all()).toEqual(changes);
  });

  it('a new version of the page reuses the reading of the same stored picture', () => {
    const v2 = ingestFetch(db, fetch(PAGE_URL, editAfter(page, '一、总体情况', '积极助力实验区经济社会发展', '全力助推实验区经济社会发展'), 'text/html; charset=utf-8')).versionId!;
    expect(v2).not.toBe(v1);
    // not before the picture is checked again for the new page version (it comes back the same)
    expect(pendingPictures(db)).toEqual([]);
    ingestFetch(db, fetch(pic(1), readFileSync(join(DOCS, 'image-tables-87885-table1.png')), 'image/png'));
    const [p] = pendingPictures(db);
    expect(p.versionId).toBe(v2);
    expect(reuseOcrOutcome(db, p, 0)).toBe(true);
    expect(db.prepare(`SELECT version_id, key, value FROM latest_ocr_cells WHERE url = ?`).all(PAGE_URL)).toEqual([{ version_id: v2, key: 'a.b.c', value: 7 }]);
  });

  it('not read (no tesseract) is recorded with the reason, and read again only when asked', () => {
    ingestFetch(db, fetch(pic(2), readFileSync(join(DOCS, 'image-tables-87885-table2.png')), 'image/png'));
    const [p] = pendingPictures(db);
    expect(p.table).toBe('applications');
    const reply = readPicture({ id: 1, png: readFileSync(join(DOCS, 'image-tables-87885-table2.png')), table: 'applications', source: p.pictureUrl }, () => false);
    expect(reply).toMatchObject({ status: 'not_run', reason: expect.stringMatching(/tesseract/) });
    recordOcrOutcome(db, { ...p, pictureSha256: p.sha256, status: reply.status, reason: reply.reason, at: 0 });
    expect(pendingPictures(db)).toEqual([]);
    expect(pendingPictures(db, { retryNotRun: true }).map((x) => x.pictureUrl)).toEqual([pic(2)]);
  });

  it('a picture that is not a PNG is refused with the reason', () => {
    const reply = readPicture({ id: 2, png: page, table: 'active', source: PAGE_URL }, () => true);
    expect(reply.status).toBe('refused');
    expect(reply.reason).toMatch(/not a PNG/);
  });
});
