/**
 * Report files and picture tables in the archive: a fetched PDF/DOCX is stored as a report with the page's
 * cells; a DOC is kept raw, unreadable, with the reason; a page whose tables are pictures is listed by the
 * image_tables view with the pictures' URLs; a page that is only a link to its PDF says so.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePage } from '../parsers/index.ts';
import { ingestFetch, type Archive } from '../storage/index.ts';
import { OWN_FIXTURES } from './helpers/fixtures.ts';
import { FUJIAN_PINGTAN, fetchOf, pingtanPage, tempArchive } from './storage/helpers.ts';

const DOCS = join(OWN_FIXTURES, 'documents');
const page87885 = pingtanPage('87885');
const BASE = page87885.url.replace(/[^/]+$/, '');

const cellsOf = (db: Archive, versionId: number | null) =>
  db.prepare('SELECT tbl, key, value, text FROM report_cells WHERE version_id = ? ORDER BY tbl, key').all(versionId);

describe('report files and picture tables in the archive', () => {
  let t: ReturnType<typeof tempArchive>;
  beforeAll(() => {
    t = tempArchive();
  });
  afterAll(() => t?.cleanup());

  it('a fetched PDF and DOCX of a report are stored as reports with the same cells as its page', () => {
    const html = ingestFetch(t.db, fetchOf(page87885));
    for (const [ext, type] of [['pdf', 'application/pdf'], ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document']]) {
      const r = ingestFetch(t.db, fetchOf({ ...page87885, url: `${BASE}P020240301_87885.${ext}`, body: readFileSync(join(DOCS, `pingtan-87885-2023.${ext}`)), contentType: type }));
      expect(r.outcome).toBe('new_version');
      const v = t.db.prepare('SELECT parse_status, parse_reason FROM versions WHERE id = ?').get(r.versionId) as { parse_status: string };
      expect(v).toEqual({ parse_status: 'report', parse_reason: null });
      expect(cellsOf(t.db, r.versionId)).toEqual(cellsOf(t.db, html.versionId));
      expect(cellsOf(t.db, r.versionId).length).toBeGreaterThan(190);
    }
  });

  it('a DOC attachment is kept raw, unreadable, with the reason', () => {
    const body = readFileSync(join(DOCS, 'sample.doc'));
    const r = ingestFetch(t.db, fetchOf({ ...page87885, url: `${BASE}P020240301_87885.doc`, body, contentType: 'application/msword' }));
    const v = t.db.prepare('SELECT parse_status, parse_reason, blob_sha256 FROM versions WHERE id = ?').get(r.versionId) as Record<string, string>;
    expect(v.parse_status).toBe('unreadable');
    expect(v.parse_reason).toMatch(/\.doc .*not parsed/);
    const blob = t.db.prepare('SELECT size FROM blobs WHERE sha256 = ?').get(v.blob_sha256) as { size: number };
    expect(blob.size).toBe(body.length);
  });

  it('image_tables lists each table shown as a picture, with the pictures\' URLs', () => {
    const url = `${BASE}t20240301_87885_images.htm`;
    ingestFetch(t.db, fetchOf({ ...page87885, url, body: readFileSync(join(DOCS, 'image-tables-87885.html')), unit: FUJIAN_PINGTAN }));
    const rows = t.db.prepare('SELECT url, agency, year, table_key, image_urls FROM image_tables ORDER BY table_key').all();
    expect(rows).toEqual(['active', 'applications', 'review_litigation'].map((k, i) => ({
      url, agency: '平潭综合实验区党工委管委会', year: 2023, table_key: k, image_urls: `${BASE}image-tables-87885-table${i + 1}.png`,
    })));
  });
});

describe('a report page whose body is only a link to its file', () => {
  it('lists the attachment and says the report is in it', () => {
    const r = parsePage({ body: readFileSync(join(DOCS, 'link-only-87885.html')), url: page87885.url });
    expect(r.title).toBe('平潭综合实验区2023年度政府信息公开工作年度报告');
    const pdf = `${new URL(page87885.url).origin}/zwgk/zfxxgk/zfxxgknb/202403/P020240301_pingtan-87885-2023.pdf`;
    expect(r.attachments).toEqual([{ url: pdf, type: 'pdf', title: '平潭综合实验区2023年度政府信息公开工作年度报告.pdf' }]);
    const w = r.warnings.find((x) => x.code === 'BODY_IS_ATTACHMENT_LINK');
    expect(w?.detail).toContain(`pdf ${pdf}`);
    expect(r.tables).toEqual({ active: {}, applications: {}, review_litigation: {} });
  });

  it('a page with its own tables and an attachment is not flagged', () => {
    const r = parsePage({ body: page87885.body, url: page87885.url });
    expect(r.warnings.map((w) => w.code)).not.toContain('BODY_IS_ATTACHMENT_LINK');
  });
});
