/** ingestFetch details the crawler relies on: parse skipping, registry units, URLs, times, headers. */
import { describe, expect, it } from 'vitest';
import { parsePageDetailed } from '../../parsers/index.ts';
import { DEFAULT_DERIVER, archiveStats, ingestFetch, search, showDocument } from '../../storage/index.ts';
import type { Deriver } from '../../storage/index.ts';
import { fetchOf, injectIntoContent, pingtanPage, tempArchive } from './helpers.ts';

const page = pingtanPage('97791');

function countingDeriver(): Deriver & { calls: number } {
  const d = { calls: 0, parserVersion: DEFAULT_DERIVER.parserVersion, parse: (i: Parameters<typeof parsePageDetailed>[0]) => (d.calls++, parsePageDetailed(i)) };
  return d;
}

describe('ingestFetch', () => {
  it('parses bytes once: a re-crawl returning known bytes of the current version is not parsed again', () => {
    const { db, cleanup } = tempArchive();
    try {
      const deriver = countingDeriver();
      ingestFetch(db, fetchOf(page), { deriver });
      ingestFetch(db, fetchOf(page), { deriver });
      ingestFetch(db, fetchOf(page), { deriver });
      expect(deriver.calls).toBe(1);
      // new bytes (noise) are parsed once, then known too
      const noisy = injectIntoContent(page.body, '<p>浏览次数：5</p>');
      ingestFetch(db, fetchOf(page, { body: noisy }), { deriver });
      ingestFetch(db, fetchOf(page, { body: noisy }), { deriver });
      expect(deriver.calls).toBe(2);
      expect(archiveStats(db)).toMatchObject({ fetches: 5, blobs: 2, documents: 1, versions: 1, reports: 1, changes: 1 });
    } finally {
      cleanup();
    }
  });

  it('fills and updates the registry unit on the document and its reports; absent fields are kept', () => {
    const { db, cleanup } = tempArchive();
    try {
      ingestFetch(db, fetchOf(page, { unit: { name: '平潭综合实验区', province: '福建省', level: 'county' } }));
      expect(search(db, '平潭', { province: '福建省' })).toHaveLength(1);
      ingestFetch(db, fetchOf(page, { status: 304, body: null, unit: { city: '福州市' } }));
      const view = showDocument(db, page.url)!;
      expect(view.document.unit).toEqual({ name: '平潭综合实验区', province: '福建省', city: '福州市', county: null, level: 'county' });
      expect(db.prepare('SELECT unit_name, province, city, level FROM reports').get())
        .toEqual({ unit_name: '平潭综合实验区', province: '福建省', city: '福州市', level: 'county' });
      ingestFetch(db, fetchOf(page, { unit: null }));
      expect(showDocument(db, page.url)!.document.unit.province).toBe('福建省');
    } finally {
      cleanup();
    }
  });

  it('one document per canonical URL; the fetch log keeps the URL as requested', () => {
    const { db, cleanup } = tempArchive();
    try {
      const a = ingestFetch(db, fetchOf(page, { url: page.url + '#top' }));
      const b = ingestFetch(db, fetchOf(page, { url: page.url.replace('https://www.', 'https://WWW.') + '?jsessionid=1' }));
      expect(b.documentId).toBe(a.documentId);
      expect(b.events).toEqual([]);
      expect(db.prepare('SELECT url FROM fetches ORDER BY id').all().map((r: any) => r.url)).toEqual([
        page.url + '#top', page.url.replace('https://www.', 'https://WWW.') + '?jsessionid=1',
      ]);
      expect(showDocument(db, a.documentId!)!.document.url).toBe(page.url);
      expect(showDocument(db, String(a.documentId))!.document.url).toBe(page.url);
      expect(showDocument(db, 'https://nowhere.example/')).toBeNull();
    } finally {
      cleanup();
    }
  });

  it('stores time as ISO UTC, headers lower-cased as JSON, and the elapsed time', () => {
    const { db, cleanup } = tempArchive();
    try {
      ingestFetch(db, { ...fetchOf(page), requestedAt: new Date('2025-03-10T07:35:00+08:00'), headers: { 'Content-Type': 'text/html', ETag: '"abc"', 'Set-Cookie': ['a=1', 'b=2'] }, elapsedMs: 321 });
      expect(db.prepare('SELECT requested_at, headers, elapsed_ms, status, outcome FROM fetches').get()).toEqual({
        requested_at: '2025-03-09T23:35:00.000Z', headers: JSON.stringify({ 'content-type': 'text/html', etag: '"abc"', 'set-cookie': ['a=1', 'b=2'] }),
        elapsed_ms: 321, status: 200, outcome: 'new_version',
      });
      expect(() => ingestFetch(db, { ...fetchOf(page), requestedAt: 'not a time' })).toThrow(/not a time/);
      expect(archiveStats(db).fetches).toBe(1);
    } finally {
      cleanup();
    }
  });

  it('an unfollowed redirect and a 429 are logged without touching the document', () => {
    const { db, cleanup } = tempArchive();
    try {
      ingestFetch(db, fetchOf(page));
      const moved = ingestFetch(db, fetchOf(page, { status: 301, body: null, headers: { location: 'https://www.pingtan.gov.cn/' } }));
      const busy = ingestFetch(db, fetchOf(page, { status: 429, body: Buffer.from('slow down'), headers: { 'retry-after': '30' } }));
      expect([moved.outcome, busy.outcome]).toEqual(['redirect', 'http_error']);
      expect([...moved.events, ...busy.events]).toEqual([]);
      expect(showDocument(db, page.url)!.document).toMatchObject({ status: 'live', fetches: 3 });
      expect(JSON.parse((db.prepare('SELECT headers FROM fetches WHERE status = 301').get() as { headers: string }).headers)).toEqual({ location: 'https://www.pingtan.gov.cn/' });
    } finally {
      cleanup();
    }
  });

  it('a parser that throws marks the version parse_error with the reason, and does not crash the crawl', () => {
    const { db, cleanup } = tempArchive();
    try {
      const broken: Deriver = { parserVersion: 'broken', parse: () => { throw new TypeError('boom'); } };
      const r = ingestFetch(db, fetchOf(page), { deriver: broken });
      expect(r).toMatchObject({ outcome: 'new_version', events: [] });
      expect(db.prepare('SELECT parse_status, parse_reason FROM unparsed_pages').get()).toEqual({ parse_status: 'parse_error', parse_reason: 'TypeError: boom' });
    } finally {
      cleanup();
    }
  });
});
