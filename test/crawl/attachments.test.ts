/**
 * The crawler follows report files (issue 5), end to end on the `attachments` replica portal: a page that is
 * only a link to its PDF or DOCX takes the file's tables (the file fetched once, stored as a report with the
 * page's hand-checked values, linked to its page); DOC/WPS files are kept raw with the reason; a report whose
 * tables are pictures is listed in image_tables; the PDF copy of a report that has its own tables is not
 * fetched (crawlers/attachments.ts policy); each night re-checks the followed files conditionally: a file
 * replaced under its unchanged page is noticed, a deleted one removed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACHMENT_PAGES } from '../../scripts/replica/attachments.ts';
import { listChanges } from '../../storage/index.ts';
import { flattenApplications, PINGTAN, reviewObject } from '../helpers/fixtures.ts';
import { world, type World } from './helpers.ts';

// (the replica runs in this process with the crawler's short test timeouts: a PDF read on the crawler's own
// thread would stall both for seconds and show up here as a timeout and a second request — commit-batcher.ts
// reads report files on its workers)

const page = (role: string) => ATTACHMENT_PAGES.find((p) => p.role === role)!;
const expectedOf = (dir: string) => JSON.parse(readFileSync(join(PINGTAN, dir, 'expected.json'), 'utf8')) as Record<string, any>;
const EXPECTED: Record<string, Record<string, any>> = {
  'pingtan:87885': expectedOf('202403/87885_平潭综合实验区2023年度政府信息公开工作年度报告'),
  'pingtan:80576': expectedOf('202001/80576_平潭综合实验区2019年度政府信息公开工作年度报告'),
};

describe('the crawler follows report files (attachments replica)', () => {
  let w: World;
  let base: string;
  let firstNight: Awaited<ReturnType<World['crawl']>>;
  const requests = (path: string, afterSeq = 0) => w.replica.log.entries({ site: 'attachments' }).filter((e) => e.path === path && e.seq > afterSeq);

  beforeAll(async () => {
    w = await world({ only: ['attachments'] });
    base = w.replica.sites.attachments.baseUrl;
    // (table pictures and their OCR: table-pictures.test.ts)
    firstNight = await w.crawl({ ocr: false });
  }, 60_000);
  afterAll(() => w?.close());

  it('fetches each PDF/DOCX/DOC/WPS a link-only page names, once', () => {
    expect(firstNight.status).toBe('finished');
    for (const role of ['pdf', 'docx', 'doc', 'wps']) expect(requests(page(role).files[0])).toHaveLength(1);    // the DOCX link is a download URL that redirects to the file: asked once too, and the file is linked by where it landed
    expect(requests(page('docx').link!).map((e) => e.status)).toEqual([302]);
  });

  it('stores the PDF and DOCX as reports with the source page\'s values, linked to their pages', () => {
    for (const role of ['pdf', 'docx']) {
      const p = page(role);
      const src = w.db.prepare(`SELECT * FROM report_sources WHERE page_url = ?`).get(base + p.path) as Record<string, any>;
      expect(src).toMatchObject({ attachment_url: base + p.files[0], attachment_type: role, page_title: p.title, parse_status: 'report', year: p.year });
      const exp = EXPECTED[p.source!];
      const cells = w.db.prepare(`SELECT tbl, key, value FROM report_cells WHERE version_id = ?`).all(src.report_version_id) as { tbl: string; key: string; value: number | null }[];
      const got = (tbl: string) => Object.fromEntries(cells.filter((c) => c.tbl === tbl).map((c) => [c.key, c.value]));
      const apps = got('applications');
      for (const [k, v] of Object.entries(flattenApplications(exp.applications))) expect([k, apps[k]]).toEqual([k, v]);
      expect(Object.keys(apps).length).toBeGreaterThan(100);
      const review = got('review_litigation');
      for (const [k, v] of Object.entries(reviewObject(exp.review_litigation))) expect([k, review[k]]).toEqual([k, v]);
      // the page's own report says it is in the file
      const pageReport = w.db.prepare(`SELECT warnings FROM latest_reports l JOIN reports r ON r.version_id = l.version_id WHERE l.url = ?`).get(base + p.path) as { warnings: string };
      expect(pageReport.warnings).toContain('BODY_IS_ATTACHMENT_LINK');
    }
  });

  it('keeps DOC and WPS files raw, listed as unparsed with the reason', () => {
    for (const role of ['doc', 'wps']) {
      const p = page(role);
      const row = w.db.prepare(`SELECT parse_status, parse_reason FROM unparsed_pages WHERE url = ?`).get(base + p.files[0]) as { parse_status: string; parse_reason: string };
      expect(row.parse_status).toBe('unreadable');
      expect(row.parse_reason).toMatch(new RegExp(`\\.${role}\\b.*not parsed`));
      const src = w.db.prepare(`SELECT attachment_url, parse_status, report_version_id FROM report_sources WHERE page_url = ?`).get(base + p.path);
      expect(src).toEqual({ attachment_url: base + p.files[0], parse_status: 'unreadable', report_version_id: null });
    }
  });

  it('lists the picture tables in image_tables with their URLs', () => {
    const p = page('images');
    const rows = w.db.prepare(`SELECT table_key, image_urls FROM image_tables WHERE url = ? ORDER BY table_key`).all(base + p.path);
    expect(rows).toEqual(['active', 'applications', 'review_litigation'].map((k, i) => ({ table_key: k, image_urls: base + p.files[i] })));
  });

  it('does not fetch the PDF copy of a report that has its own tables, but lists it with the report', () => {
    const p = page('html+pdf');
    expect(requests(p.files[0])).toHaveLength(0);
    const r = w.db.prepare(`SELECT r.attachments FROM latest_reports l JOIN reports r ON r.version_id = l.version_id WHERE l.url = ?`).get(base + p.path) as { attachments: string };
    expect(JSON.parse(r.attachments)).toContainEqual(expect.objectContaining({ url: base + p.files[0], type: 'pdf' }));
    const exp = EXPECTED[p.source!];
    const total = w.db.prepare(`SELECT value FROM latest_cells WHERE url = ? AND tbl = 'applications' AND key = 'new_received.total'`).get(base + p.path) as { value: number };
    expect(total.value).toBe(exp.applications.new_received.total);
  });

  // (the replica's night 2 replaces the DOCX under its unchanged page: table 三's first 本年新收 number plus one;
  // night 3 deletes the PDF: scripts/replica/attachments.ts)
  it('night two: pages answer 304, the file replaced under its page is noticed, the other files answer 304', async () => {
    const versions = (w.db.prepare('SELECT count(*) AS n FROM versions').get() as { n: number }).n;
    const seq = Math.max(0, ...w.replica.log.entries().map((e) => e.seq));
    const docx = page('docx');
    const night = w.replica.nextNight();
    expect(night.changes.map((c) => [c.kind, c.url])).toEqual([['edited', base + docx.files[0]]]);
    const at = new Date().toISOString();
    const night2 = await w.crawl({ ocr: false });
    expect(night2.status).toBe('finished');
    for (const p of ATTACHMENT_PAGES) expect(requests(p.path, seq).map((e) => e.status)).toEqual([304]);
    // every followed file asked once, conditionally: the unchanged ones answer 304 without a body
    for (const role of ['pdf', 'doc', 'wps']) expect(requests(page(role).files[0], seq).map((e) => [e.status, e.bytes])).toEqual([[304, 0]]);
    expect(requests(docx.link!, seq).map((e) => e.status)).toEqual([302]);
    expect(requests(docx.files[0], seq).map((e) => e.status)).toEqual([200]);
    // nothing else came with a body but the list page and the replaced file
    const bodies = w.replica.log.entries({ site: 'attachments' }).filter((e) => e.seq > seq && e.bytes > 0 && e.status === 200).map((e) => e.path);
    expect(bodies.filter((p) => p !== '/xxgk/ndbg/index.html' && p !== '/robots.txt')).toEqual([docx.files[0]]);
    // exactly one new version and one event: the file's number, old → new
    expect((w.db.prepare('SELECT count(*) AS n FROM versions').get() as { n: number }).n).toBe(versions + 1);
    const was = EXPECTED[docx.source!].applications.new_received.natural_person as number;
    const changes = listChanges(w.db, { since: at });
    expect(changes.map((c) => [c.kind, c.url, c.detail])).toEqual([
      ['numbers_changed', base + docx.files[0], { cells: [{ table: 'applications', key: 'new_received.natural_person', old: was, new: was + 1 }] }],
    ]);
    expect(night2.counts).toMatchObject({ new: 0, changed: 1, removed: 0 });
    const src = w.db.prepare(`SELECT report_version_id FROM report_sources WHERE page_url = ?`).get(base + docx.path) as { report_version_id: number };
    expect(w.db.prepare(`SELECT value FROM report_cells WHERE version_id = ? AND tbl = 'applications' AND key = 'new_received.natural_person'`).get(src.report_version_id)).toEqual({ value: was + 1 });
    // nothing was delisted: the files stand for their pages
    expect(night2.counts.delisted ?? 0).toBe(0);
  }, 60_000);

  it('a file deleted under its page is removed, and re-checked the next night like a page', async () => {
    const pdf = page('pdf');
    const seq3 = Math.max(0, ...w.replica.log.entries().map((e) => e.seq));
    const night = w.replica.nextNight();
    expect(night.changes.map((c) => [c.kind, c.url])).toEqual([['deleted', base + pdf.files[0]]]);
    const at = new Date().toISOString();
    const night3 = await w.crawl({ ocr: false });
    expect(requests(pdf.files[0], seq3).map((e) => e.status)).toEqual([404]);
    expect(listChanges(w.db, { since: at }).map((c) => [c.kind, c.url])).toEqual([['removed', base + pdf.files[0]]]);
    expect(night3.counts).toMatchObject({ new: 0, changed: 0, removed: 1 });
    expect(w.db.prepare('SELECT status FROM documents WHERE url = ?').get(base + pdf.files[0])).toEqual({ status: 'removed' });
    // night four: asked again (still 404), no second event
    const seq4 = Math.max(0, ...w.replica.log.entries().map((e) => e.seq));
    w.replica.nextNight();
    const at4 = new Date().toISOString();
    const night4 = await w.crawl({ ocr: false });
    expect(requests(pdf.files[0], seq4).map((e) => e.status)).toEqual([404]);
    expect(listChanges(w.db, { since: at4 })).toEqual([]);
    expect(night4.counts).toMatchObject({ new: 0, changed: 0, removed: 0 });
  }, 60_000);
});

describe('a stop right after a link-only page is committed loses nothing', () => {
  let w: World;
  beforeAll(async () => {
    w = await world({ only: ['attachments'] });
  });
  afterAll(() => w?.close());

  it('the page\'s file is queued in the page\'s own commit, and a resumed run fetches it once', async () => {
    const base = w.replica.sites.attachments.baseUrl;
    const pdf = page('pdf');
    const ac = new AbortController();
    let atCommit: unknown = null;
    const first = await w.crawl({
      mode: 'backfill', signal: ac.signal, ocr: false,
      onEvent: (e) => {
        if (e.event !== 'fetched' || e.url !== base + pdf.path || atCommit) return;
        // the moment the page's commit is visible: its file is in the frontier and linked already
        atCommit = {
          frontier: w.db.prepare(`SELECT kind, discovered_from FROM frontier WHERE url = ?`).get(base + pdf.files[0]),
          linked: w.db.prepare(`SELECT attachment_type FROM report_sources WHERE page_url = ?`).get(base + pdf.path),
        };
        ac.abort();
      },
    });
    expect(atCommit).toEqual({ frontier: { kind: 'attachment', discovered_from: base + pdf.path }, linked: { attachment_type: 'pdf' } });
    expect(first.status).toBe('interrupted');
    const second = await w.crawl({ mode: 'backfill', ocr: false });
    expect(second.status).toBe('finished');
    for (const role of ['pdf', 'docx', 'doc', 'wps']) {
      expect(w.replica.log.entries({ site: 'attachments' }).filter((e) => e.path === page(role).files[0])).toHaveLength(1);
    }
    expect(w.db.prepare(`SELECT count(*) AS n FROM frontier WHERE status <> 'done'`).get()).toEqual({ n: 0 });
  }, 60_000);
});
