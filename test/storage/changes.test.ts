/**
 * Successive fetches of ONE URL (the real Pingtan 2024 report, docid 97791): only real edits of the report
 * make events; view counters, clocks, session tokens and page chrome never do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBlob, ingestFetch, listChanges, markGone, showDocument } from '../../storage/index.ts';
import type { Archive, IngestResult } from '../../storage/index.ts';
import { editAfter, fetchOf, injectIntoContent, pingtanPage, tempArchive } from './helpers.ts';

const page = pingtanPage('97791');

// noise inside the content region: a view counter, a clock time and a session token that differ per fetch
const noise = (views: number, clock: string, token: string) =>
  `<p>浏览次数：${views}　更新时间：2025-03-10 ${clock}</p><p>会话 JSESSIONID=${token}</p>`;
const withCounter123 = injectIntoContent(page.body, noise(123, '15:35:20', '8F3A9C2B7D1E4F60A1B2C3D4E5F60718'));
// same report; counter, clock and token moved on, and the page chrome outside the content changed too
const withCounter456 = Buffer.from(
  injectIntoContent(page.body, noise(456, '16:02:11', 'C0FFEE00BADC0DE11223344556677889'))
    .toString('utf8')
    .replace('</body>', '<script>var _t = 1718000000123;</script></body>'),
);
// table 三, row (一)予以公开, column 自然人: 71 → 72 (and the counter moved again)
const numberEdited = editAfter(
  injectIntoContent(page.body, noise(789, '09:15:00', '0123456789ABCDEF0123456789ABCDEF')),
  '（一）予以公开', '>71<', '>72<',
);
// a paragraph of 一、总体情况 reworded
const paragraphEdited = editAfter(numberEdited, '全年发布政策文件解读96篇', '获得良好的传播效果', '获得较好的传播效果');

describe('successive fetches of one report URL', () => {
  let db: Archive;
  let cleanup: () => void;
  const results: IngestResult[] = [];
  const ingest = (over: Parameters<typeof fetchOf>[1]) => {
    const r = ingestFetch(db, fetchOf(page, over));
    results.push(r);
    return r;
  };

  beforeAll(() => {
    ({ db, cleanup } = tempArchive());
    ingest({ body: withCounter123 }); // 0 first sight
    ingest({ body: withCounter123 }); // 1 identical bytes
    ingest({ body: withCounter456 }); // 2 noise only
    ingest({ status: 304, body: null }); // 3 not modified
    ingest({ body: numberEdited }); // 4 one number in table 三
    ingest({ body: paragraphEdited }); // 5 one paragraph
    ingest({ status: 503, body: Buffer.from('<html>Service Unavailable</html>') }); // 6 transient
    ingest({ status: null, body: null, error: 'ETIMEDOUT' }); // 7 no response
    ingest({ status: 404, body: Buffer.from('<html><body>404 页面不存在</body></html>') }); // 8 removed
    ingest({ status: 404, body: Buffer.from('<html><body>404 页面不存在</body></html>') }); // 9 still removed
    ingest({ body: paragraphEdited }); // 10 back
  });
  afterAll(() => cleanup());

  it('makes exactly: new, numbers_changed, text_changed, removed, restored', () => {
    expect(results.map((r) => r.events.map((e) => e.kind))).toEqual([
      ['new'], [], [], [], ['numbers_changed'], ['text_changed'], [], [], ['removed'], [], ['restored'],
    ]);
    expect(listChanges(db).map((c) => c.kind).reverse()).toEqual(['new', 'numbers_changed', 'text_changed', 'removed', 'restored']);
  });

  it('records what each fetch was', () => {
    expect(results.map((r) => r.outcome)).toEqual([
      'new_version', 'same_version', 'same_version', 'not_modified', 'new_version', 'new_version',
      'http_error', 'network_error', 'gone', 'gone', 'same_version',
    ]);
    const [v1, , , , v2, v3] = results.map((r) => r.versionId);
    expect(new Set([v1, v2, v3]).size).toBe(3);
    expect(results.map((r) => r.versionId)).toEqual([v1, v1, v1, v1, v2, v3, null, null, null, null, v3]);
  });

  it('the noise was inside the main content the parser read (so normalisation, not luck, ignored it)', () => {
    const body = (id: number | null) => (db.prepare('SELECT body FROM reports WHERE version_id = ?').get(id) as { body: string }).body;
    expect(body(results[0].versionId)).toContain('浏览次数：123');
    expect(body(results[0].versionId)).toContain('15:35:20');
    expect(body(results[0].versionId)).toContain('JSESSIONID=8F3A9C2B7D1E4F60A1B2C3D4E5F60718');
    expect(body(results[4].versionId)).toContain('浏览次数：789');
  });

  it('the numbers change carries exactly the edited cell, old → new', () => {
    const ev = results[4].events[0];
    expect(ev.detail).toEqual({ cells: [{ table: 'applications', key: 'granted.natural_person', old: 71, new: 72 }] });
    expect(ev.oldVersionId).toBe(results[0].versionId);
    expect(ev.newVersionId).toBe(results[4].versionId);
  });

  it('the text change shows the reworded line and nothing else', () => {
    const detail = results[5].events[0].detail as { removed: string[]; added: string[] };
    expect(detail.removed).toHaveLength(1);
    expect(detail.added).toHaveLength(1);
    expect(detail.removed[0]).toContain('获得良好的传播效果');
    expect(detail.added[0]).toContain('获得较好的传播效果');
    expect(detail.added[0].replace('较好', '良好')).toBe(detail.removed[0]);
  });

  it('removal and restoration name the status and the version', () => {
    const removed = results[8].events[0];
    expect(removed.detail).toEqual({ status: 404 });
    expect(removed.oldVersionId).toBe(results[5].versionId);
    const restored = results[10].events[0];
    expect(restored.newVersionId).toBe(results[5].versionId);
    expect(showDocument(db, page.url)!.document.status).toBe('live');
  });

  it('keeps every byte received, each fetch pointing at its own bytes', () => {
    const rows = db.prepare('SELECT id, blob_sha256 FROM fetches ORDER BY id').all() as { id: number; blob_sha256: string | null }[];
    expect(rows).toHaveLength(results.length);
    const sent = [withCounter123, withCounter123, withCounter456, null, numberEdited, paragraphEdited,
      Buffer.from('<html>Service Unavailable</html>'), null, Buffer.from('<html><body>404 页面不存在</body></html>'),
      Buffer.from('<html><body>404 页面不存在</body></html>'), paragraphEdited];
    rows.forEach((r, i) => {
      if (sent[i] === null) expect(r.blob_sha256).toBeNull();
      else expect(getBlob(db, r.blob_sha256!, { verify: true })!.equals(sent[i]!)).toBe(true);
    });
    // identical bodies share one blob
    expect((db.prepare('SELECT count(*) AS n FROM blobs').get() as { n: number }).n).toBe(6);
    expect((db.prepare('SELECT error FROM fetches WHERE status IS NULL').get() as { error: string }).error).toBe('ETIMEDOUT');
  });

  it('shows the document history with its cell diffs', () => {
    const view = showDocument(db, page.url)!;
    expect(view.versions.map((v) => [v.seq, v.parseStatus])).toEqual([[1, 'report'], [2, 'report'], [3, 'report']]);
    expect(view.versions.map((v) => v.fetches)).toEqual([4, 1, 2]);
    expect(view.report!.tables.applications['granted.natural_person']).toBe(72);
    expect(view.report!.title).toBe('平潭综合实验区2024年度政府信息公开工作年度报告');
    expect(view.changes.map((c) => c.kind)).toEqual(['new', 'numbers_changed', 'text_changed', 'removed', 'restored']);
    expect(view.changes[1].detail).toEqual({ cells: [{ table: 'applications', key: 'granted.natural_person', old: 71, new: 72 }] });
    expect(view.parserChanges).toEqual([]);
    expect(view.document.unit.province).toBe('福建省');
  });
});

describe('a report that leaves its list, and pages that are not reports', () => {
  it('markGone records removed once; the next 200 restores it', () => {
    const { db, cleanup } = tempArchive();
    try {
      ingestFetch(db, fetchOf(page));
      const ev = markGone(db, page.url, '2025-07-01T00:00:00Z');
      expect(ev).toMatchObject({ kind: 'removed', detail: { reason: 'gone from its list' } });
      expect(markGone(db, page.url)).toBeNull();
      expect(markGone(db, 'https://nowhere.example/never-seen.htm')).toBeNull();
      expect(ingestFetch(db, fetchOf(page)).events.map((e) => e.kind)).toEqual(['restored']);
      // gone again, and back with a number edited: restored (naming the version now live), then the diff
      markGone(db, page.url);
      const back = ingestFetch(db, fetchOf(page, { body: editAfter(page.body, '（一）予以公开', '>71<', '>70<') }));
      expect(back.events.map((e) => [e.kind, e.newVersionId])).toEqual([['restored', back.versionId], ['numbers_changed', back.versionId]]);
      expect(back.events[1].detail).toEqual({ cells: [{ table: 'applications', key: 'granted.natural_person', old: 71, new: 70 }] });
    } finally {
      cleanup();
    }
  });

  it('a report replaced by a non-report page is a text change naming the parse status', () => {
    const { db, cleanup } = tempArchive();
    try {
      ingestFetch(db, fetchOf(page));
      const notice = pingtanPage('80787').body; // 关于2014年政府信息公开工作要点落实情况的函: not an annual report
      const r = ingestFetch(db, fetchOf(page, { body: notice }));
      expect(r.outcome).toBe('new_version');
      expect(r.events.map((e) => [e.kind, e.detail])).toEqual([
        ['text_changed', { parse_status: { old: 'report', new: 'not_a_report' }, reason: expect.stringMatching(/^NOT_A_REPORT/) }],
      ]);
      // and back: compared with the last report, nothing in the numbers moved
      const back = ingestFetch(db, fetchOf(page));
      expect(back.events.map((e) => [e.kind, e.detail])).toEqual([['text_changed', { parse_status: { old: 'not_a_report', new: 'report' } }]]);
    } finally {
      cleanup();
    }
  });

  it('non-report and unreadable pages are kept raw, marked unparsed with the reason, and never make events', () => {
    const { db, cleanup } = tempArchive();
    try {
      const notice = pingtanPage('80787');
      const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 7)]);
      const results = [
        ingestFetch(db, fetchOf(notice)),
        ingestFetch(db, fetchOf(notice, { body: editAfter(notice.body, '省政府办公厅', '取得了一定成效', '取得了明显成效') })),
        ingestFetch(db, fetchOf(notice, { status: 410, body: null })),
        ingestFetch(db, fetchOf(notice, { url: 'https://www.pingtan.gov.cn/report.pdf', body: pdf, headers: { 'content-type': 'application/pdf' } })),
        ingestFetch(db, fetchOf(notice, { url: 'https://www.pingtan.gov.cn/empty.htm', body: Buffer.alloc(0) })),
      ];
      expect(results.flatMap((r) => r.events)).toEqual([]);
      expect(results.map((r) => r.outcome)).toEqual(['new_version', 'new_version', 'gone', 'new_version', 'no_body']);
      const unparsed = db.prepare('SELECT url, status, parse_status, parse_reason FROM unparsed_pages ORDER BY document_id').all();
      expect(unparsed).toEqual([
        { url: notice.url, status: 'removed', parse_status: 'not_a_report', parse_reason: expect.stringContaining('is not a 政府信息公开工作年度报告') },
        { url: 'https://www.pingtan.gov.cn/report.pdf', status: 'live', parse_status: 'unreadable', parse_reason: expect.stringMatching(/PDF/) },
      ]);
      expect(getBlob(db, (db.prepare("SELECT blob_sha256 FROM fetches WHERE url LIKE '%.pdf'").get() as { blob_sha256: string }).blob_sha256)!.equals(pdf)).toBe(true);
      expect((db.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n).toBe(0);
    } finally {
      cleanup();
    }
  });
});
