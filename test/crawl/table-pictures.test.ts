/**
 * Table pictures end to end on the `attachments` replica portal: page (d) shows the three standard tables of
 * the real page 87885 as pictures (test/fixtures/documents/image-tables-87885-table*.png). The crawler
 * fetches the pictures (stored raw, in the fetch log), reads them with OCR off the crawl thread and stores
 * the values with the page's report version, marked OCR-derived — equal to the page's hand-checked
 * expected.json. Night one runs without OCR (as with no tesseract): pictures stored, OCR recorded as not
 * run with the reason; night two (tesseract present) reads them. The OCR parts skip when tesseract is
 * missing and CI is unset, like test/ocr.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tesseractAvailable } from '../../parsers/ocr/index.ts';
import { ATTACHMENT_PAGES } from '../../scripts/replica/attachments.ts';
import { reparse } from '../../storage/reparse.ts';
import { flattenApplications, num, PINGTAN, reviewObject } from '../helpers/fixtures.ts';
import { world, type World } from './helpers.ts';

const page = ATTACHMENT_PAGES.find((p) => p.role === 'images')!;
const TABLES = ['active', 'applications', 'review_litigation'] as const;
const expected = JSON.parse(readFileSync(join(PINGTAN, '202403/87885_平潭综合实验区2023年度政府信息公开工作年度报告', 'expected.json'), 'utf8')) as Record<string, any>;
/** the page's own values, by table (from its hand-checked expected.json) */
const EXPECTED: Record<string, Record<string, unknown>> = {
  active: Object.fromEntries(Object.entries(expected.active as Record<string, unknown>).map(([k, v]) => [k, num(v)])),
  applications: flattenApplications(expected.applications),
  review_litigation: reviewObject(expected.review_litigation),
};
const skipOcr = !tesseractAvailable() && !process.env.CI;

describe('the crawler reads table pictures with OCR (attachments replica)', () => {
  let w: World;
  let base: string;
  let pageUrl: string;
  const pictureUrls = () => page.files.map((f) => base + f);
  const outcomes = () => w.db.prepare(`SELECT table_key, picture_url, status, reason, warning_code FROM ocr_outcomes WHERE url = ? ORDER BY table_key`).all(pageUrl) as Record<string, any>[];

  beforeAll(async () => {
    w = await world({ only: ['attachments'] });
    base = w.replica.sites.attachments.baseUrl;
    pageUrl = base + page.path;
    // night one: no OCR (as on a machine without tesseract)
    const night1 = await w.crawl({ ocr: { available: false } });
    expect(night1.status).toBe('finished');
  }, 60_000);
  afterAll(() => w?.close());

  it('without OCR: the pictures are fetched once and stored raw, the OCR recorded as not run with the reason', () => {
    for (const url of pictureUrls()) {
      expect(w.replica.log.entries({ site: 'attachments' }).filter((e) => base + e.path === url)).toHaveLength(1);
      const f = w.db.prepare(`SELECT f.status, f.blob_sha256, b.size FROM fetches f JOIN blobs b ON b.sha256 = f.blob_sha256 WHERE f.url = ?`).get(url) as { status: number; size: number };
      expect(f.status).toBe(200);
      expect(f.size).toBe(readFileSync(join('test/fixtures/documents', url.slice(url.lastIndexOf('/') + 1))).length);
    }
    // a picture is not a page kept raw: unparsed_pages leaves it out
    expect(w.db.prepare(`SELECT count(*) AS n FROM unparsed_pages WHERE url IN (SELECT value FROM json_each(?))`).get(JSON.stringify(pictureUrls()))).toEqual({ n: 0 });
    const rows = outcomes();
    expect(rows.map((r) => [r.table_key, r.picture_url, r.status])).toEqual(TABLES.map((t, i) => [t, pictureUrls()[i], 'not_run']));
    for (const r of rows) expect(r.reason).toMatch(/tesseract/);
    expect(w.db.prepare(`SELECT count(*) AS n FROM ocr_cells`).get()).toEqual({ n: 0 });
    // image_tables lists each table with its picture, from table_pictures
    expect(w.db.prepare(`SELECT table_key, image_urls FROM image_tables WHERE url = ? ORDER BY table_key`).all(pageUrl))
      .toEqual(TABLES.map((t, i) => ({ table_key: t, image_urls: pictureUrls()[i] })));
  });

  describe.skipIf(skipOcr)('with tesseract', () => {
    let changesBefore: unknown[];
    let nightChanges: { kind: string; url: string }[];
    beforeAll(async () => {
      changesBefore = w.db.prepare(`SELECT * FROM changes ORDER BY id`).all();
      nightChanges = w.replica.nextNight().changes;
      const night2 = await w.crawl();
      expect(night2.status).toBe('finished');
    }, 180_000);

    it('night two reads the stored pictures (not fetched again): every value equals the page\'s hand-checked one, marked OCR', () => {
      for (const f of page.files) expect(w.replica.log.entries({ site: 'attachments' }).filter((e) => e.path === f)).toHaveLength(1);
      const copy = ATTACHMENT_PAGES.find((p) => p.role === 'html+pdf')!;
      const rows = outcomes();
      for (const r of rows) expect([r.table_key, r.status, r.reason]).toEqual([r.table_key, 'accepted', null]);
      expect(rows.map((r) => r.warning_code)).toEqual(['OCR_DERIVED', 'OCR_DERIVED', 'OCR_DERIVED']);
      for (const t of TABLES) {
        const cells = w.db.prepare(`SELECT key, value, provenance, picture_url FROM latest_cells_provenance WHERE url = ? AND tbl = ?`).all(pageUrl, t) as Record<string, any>[];
        const got = Object.fromEntries(cells.map((c) => [c.key, c.value]));
        for (const [k, v] of Object.entries(EXPECTED[t])) expect([t, k, got[k]]).toEqual([t, k, v]);
        // and every cell as the same report's HTML tables give it (page (e) is the real page 87885)
        const html = w.db.prepare(`SELECT key, value FROM latest_cells WHERE url = ? AND tbl = ?`).all(base + copy.path, t) as Record<string, any>[];
        expect(got, t).toEqual(Object.fromEntries(html.map((c) => [c.key, c.value])));
        expect(new Set(cells.map((c) => c.provenance))).toEqual(new Set(['ocr']));
        expect(new Set(cells.map((c) => c.picture_url))).toEqual(new Set([pictureUrls()[TABLES.indexOf(t)]]));
      }
      // the page's own (HTML) cells stay empty; a real HTML report's cells say 'html'
      expect(w.db.prepare(`SELECT count(*) AS n FROM latest_cells WHERE url = ?`).get(pageUrl)).toEqual({ n: 0 });
      expect(w.db.prepare(`SELECT DISTINCT provenance FROM latest_cells_provenance WHERE url = ?`).all(base + copy.path)).toEqual([{ provenance: 'html' }]);
    });

    it('OCR values appearing are not a change at the source', () => {
      const after = w.db.prepare(`SELECT * FROM changes ORDER BY id`).all();
      expect(after.slice(0, changesBefore.length)).toEqual(changesBefore);
      // the only new events are for what the replica changed at the source tonight (a report file replaced
      // in place): none for the picture page
      const fresh = w.db.prepare(`SELECT d.url FROM changes c JOIN documents d ON d.id = c.document_id WHERE c.id > ? ORDER BY c.id`)
        .all((changesBefore.at(-1) as { id: number } | undefined)?.id ?? 0) as { url: string }[];
      expect(nightChanges.length).toBeGreaterThan(0);
      expect(new Set(fresh.map((r) => r.url))).toEqual(new Set(nightChanges.map((c) => c.url)));
      expect(fresh.map((r) => r.url)).not.toContain(pageUrl);
    });

    it('reparse keeps the OCR-derived values as they are (kept, not re-read)', () => {
      const before = w.db.prepare(`SELECT * FROM ocr_tables ORDER BY version_id, table_key`).all();
      const cells = w.db.prepare(`SELECT * FROM ocr_cells ORDER BY version_id, tbl, key`).all();
      expect(cells.length).toBeGreaterThan(150);
      reparse(w.db, { parserVersion: 'test-reparse' });
      expect(w.db.prepare(`SELECT * FROM ocr_tables ORDER BY version_id, table_key`).all()).toEqual(before);
      expect(w.db.prepare(`SELECT * FROM ocr_cells ORDER BY version_id, tbl, key`).all()).toEqual(cells);
      expect((w.db.prepare(`SELECT count(*) AS n FROM latest_ocr_cells WHERE url = ?`).get(pageUrl) as { n: number }).n).toBe(cells.length);
    });
  });
});
