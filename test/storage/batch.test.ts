/**
 * Batched and pooled ingest (ingestBatch, IngestPool) store exactly what ingestFetch stores one fetch at a
 * time, commit all-or-nothing, and keep the v5 structures right: report_latest, the search indexes and
 * their unit tokens.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Corpus } from '../../scripts/bench/archive-corpus.ts';
import { DEFAULT_DERIVER, ingestBatch, ingestFetch, IngestPool, reparse, search } from '../../storage/index.ts';
import type { Archive, Deriver, FetchInput, IngestResult } from '../../storage/index.ts';
import { parsePageDetailed } from '../../parsers/index.ts';
import { editAfter, fetchOf, injectIntoContent, pingtanPage, tempArchive } from './helpers.ts';
import { dump, verifyArchive } from './invariants.ts';

/** One URL through every kind of answer, then 300 fetches of the benchmark's varied stream. */
function sequence(): FetchInput[] {
  const page = pingtanPage('97791');
  const edited = editAfter(page.body, '（一）予以公开', '>71<', '>72<');
  const out: FetchInput[] = [
    fetchOf(page), fetchOf(page), fetchOf(page, { body: injectIntoContent(page.body, '<p>浏览次数：5</p>') }),
    fetchOf(page, { status: 304, body: null }), fetchOf(page, { body: edited }),
    fetchOf(page, { body: editAfter(edited, '全年发布政策文件解读96篇', '获得良好的传播效果', '获得较好的传播效果') }),
    fetchOf(page, { status: 503, body: Buffer.from('busy') }), fetchOf(page, { status: null, body: null, error: 'ETIMEDOUT' }),
    fetchOf(page, { status: 404, body: Buffer.from('<html>404</html>') }), fetchOf(page, { status: 404, body: Buffer.from('<html>404</html>') }),
    fetchOf(page, { body: edited }), fetchOf(page, { unit: { province: '浙江省' } }),
  ];
  const corpus = new Corpus(7);
  for (let i = 0; i < 300; i++) out.push(corpus.next());
  return out;
}

const summary = (r: IngestResult) => ({ ...r, events: r.events.map(({ id, kind, oldVersionId, newVersionId, detail }) => ({ id, kind, oldVersionId, newVersionId, detail })) });

describe('ingestBatch and IngestPool', () => {
  const inputs = sequence();
  const one = tempArchive();
  let sequential: IngestResult[];

  beforeAll(() => {
    sequential = inputs.map((f) => ingestFetch(one.db, f));
  });
  afterAll(() => one.cleanup());

  it('the one-by-one archive is whole (latest, search index, nothing queued)', () => {
    verifyArchive(one.db);
    expect(sequential.map((r) => r.outcome)).toContain('new_version');
    expect(sequential.slice(0, 12).map((r) => r.events.map((e) => e.kind))).toEqual([
      ['new'], [], [], [], ['numbers_changed'], ['text_changed'], [], [], ['removed'], [], ['restored', 'text_changed'], ['numbers_changed'],
    ]);
  });

  it('ingestBatch gives every fetch the result ingestFetch gives it, and writes the same archive', () => {
    const b = tempArchive();
    try {
      const results: IngestResult[] = [];
      // batches of 7: the one URL's whole story in two batches, repeats of a URL inside a batch
      for (let i = 0; i < inputs.length; i += 7) results.push(...ingestBatch(b.db, inputs.slice(i, i + 7)));
      expect(results.map(summary)).toEqual(sequential.map(summary));
      expect(dump(b.db)).toEqual(dump(one.db));
      verifyArchive(b.db);
    } finally {
      b.cleanup();
    }
  });

  it('IngestPool (parsing on a worker thread) gives the same results and archive; a result means committed', async () => {
    const p = tempArchive();
    const reader = new Database(p.path, { readonly: true });
    try {
      const pool = new IngestPool(p.db, { workers: 1, batchSize: 16 });
      const seen: number[] = [];
      const results = await Promise.all(inputs.map((f) => pool.ingest(f).then((r) => {
        // another connection sees the fetch as soon as its promise resolves
        seen.push((reader.prepare('SELECT count(*) AS n FROM fetches WHERE id = ?').get(r.fetchId) as { n: number }).n);
        return r;
      })));
      await pool.close();
      expect(seen.every((n) => n === 1)).toBe(true);
      expect(results.map(summary)).toEqual(sequential.map(summary));
      expect(dump(p.db)).toEqual(dump(one.db));
      verifyArchive(p.db);
    } finally {
      reader.close();
      p.cleanup();
    }
  }, 60_000);

  it('a batch is all or nothing: a bad fetch anywhere in it stores none of it', () => {
    const b = tempArchive();
    try {
      const page = pingtanPage('87885');
      expect(() => ingestBatch(b.db, [fetchOf(page), { ...fetchOf(page), requestedAt: 'not a time' }])).toThrow(/not a time/);
      // a failure inside the transaction (here: a trigger refusing the third fetch) rolls back the first two
      b.db.exec(`CREATE TEMP TRIGGER refuse BEFORE INSERT ON fetches WHEN new.url LIKE '%refuse%'
        BEGIN SELECT RAISE(ABORT, 'refused'); END`);
      expect(() => ingestBatch(b.db, [fetchOf(page), fetchOf(pingtanPage('97791')), fetchOf(page, { url: `${page.url}?refuse` })])).toThrow(/refused/);
      expect(b.db.prepare('SELECT (SELECT count(*) FROM fetches) + (SELECT count(*) FROM documents) + (SELECT count(*) FROM blobs) AS n').get()).toEqual({ n: 0 });
      verifyArchive(b.db);
    } finally {
      b.cleanup();
    }
  });

  it('cell keys first numbered inside a transaction that rolls back are numbered again (no stale key ids)', () => {
    const b = tempArchive();
    try {
      const page = pingtanPage('97791');
      // ingested inside the caller's transaction, which then rolls back: its new cell keys go with it
      expect(() => b.db.transaction(() => {
        ingestFetch(b.db, fetchOf(page));
        expect((b.db.prepare('SELECT count(*) AS n FROM cell_keys').get() as { n: number }).n).toBeGreaterThan(0);
        throw new Error('caller rolls back');
      })()).toThrow(/caller rolls back/);
      expect(b.db.prepare('SELECT count(*) AS n FROM cell_keys').get()).toEqual({ n: 0 });
      // again inside a caller's transaction (as the crawler ingests), this time committed
      const r = b.db.transaction(() => ingestFetch(b.db, fetchOf(page)))();
      expect(r.outcome).toBe('new_version');
      verifyArchive(b.db);
      // and outside one
      expect(ingestFetch(b.db, fetchOf(pingtanPage('87885'))).outcome).toBe('new_version');
      verifyArchive(b.db);
      expect(dump(b.db).cells.length).toBeGreaterThan(100);
    } finally {
      b.cleanup();
    }
  });

  it('the pool rejects only the fetch that fails, and goes on', async () => {
    const p = tempArchive();
    try {
      p.db.exec(`CREATE TEMP TRIGGER refuse BEFORE INSERT ON fetches WHEN new.url LIKE '%refuse%'
        BEGIN SELECT RAISE(ABORT, 'refused'); END`);
      const pool = new IngestPool(p.db, { workers: 1 });
      const page = pingtanPage('87885');
      const all = await Promise.allSettled([fetchOf(page), fetchOf(page, { url: `${page.url}?refuse` }), fetchOf(pingtanPage('97791'))].map((f) => pool.ingest(f)));
      await pool.close();
      expect(all.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await pool.ingest(fetchOf(page)).catch((e: Error) => e.message)).toBe('IngestPool is closed');
      verifyArchive(p.db);
    } finally {
      p.cleanup();
    }
  }, 60_000);
});

describe('v5 structures under reparse and registry changes', () => {
  let db: Archive;
  let cleanup: () => void;
  const page = pingtanPage('97791');
  beforeAll(() => {
    ({ db, cleanup } = tempArchive());
    ingestFetch(db, fetchOf(page));
    ingestFetch(db, fetchOf(page, { body: editAfter(page.body, '全年发布政策文件解读96篇', '获得良好的传播效果', '获得意想不到的传播效果') }));
  });
  afterAll(() => cleanup());

  it('report_latest follows a reparse that un-reads and re-reads the newest version as a report', () => {
    const [v1, v2] = (db.prepare('SELECT id FROM versions ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    expect(db.prepare('SELECT version_id FROM latest_report_versions').all()).toEqual([{ version_id: v2 }]);
    // a parser that cannot read the edited version: it becomes parse_error, and latest falls back to v1
    const picky: Deriver = {
      parserVersion: 'picky',
      parse: (input) => {
        const d = parsePageDetailed(input);
        if (d.contentText.includes('意想不到')) throw new Error('picky');
        return d;
      },
    };
    reparse(db, { parse: picky.parse, parserVersion: picky.parserVersion });
    expect(db.prepare('SELECT parse_status FROM versions WHERE id = ?').get(v2)).toEqual({ parse_status: 'parse_error' });
    expect(db.prepare('SELECT version_id FROM latest_report_versions').all()).toEqual([{ version_id: v1 }]);
    expect(search(db, '意想不到')).toEqual([]);
    expect(search(db, '获得良好的传播效果').map((h) => h.versionId)).toEqual([v1]);
    verifyArchive(db);
    reparse(db, { parserVersion: DEFAULT_DERIVER.parserVersion });
    expect(db.prepare('SELECT version_id FROM latest_report_versions').all()).toEqual([{ version_id: v2 }]);
    verifyArchive(db);
  });

  it('a registry change of the unit re-indexes the reports under it (filters see the new unit only)', () => {
    expect(search(db, '平潭', { province: '福建省' })).toHaveLength(1);
    ingestFetch(db, fetchOf(page, { status: 304, body: null, unit: { province: '测试省', level: 'city' } }));
    expect(search(db, '平潭', { province: '福建省' })).toEqual([]);
    expect(search(db, '平潭', { province: '测试省', level: 'city' }).map((h) => h.province)).toEqual(['测试省']);
    expect(search(db, '平潭', { province: '测试省', level: 'county' })).toEqual([]);
    expect(search(db, '平潭', { allVersions: true, province: '测试省' })).toHaveLength(2);
    verifyArchive(db);
  });

  it('a report written without indexing it (not through nianbao) is indexed when the archive is next opened', async () => {
    const { openArchive } = await import('../../storage/index.ts');
    const t = tempArchive();
    try {
      ingestFetch(t.db, fetchOf(page));
      // a foreign writer: re-titles the report and commits without flushing the search queue
      t.db.prepare("UPDATE reports SET title = '某某局关于鲲鹏的报告'").run();
      expect(search(t.db, '鲲鹏')).toEqual([]);
      t.db.close();
      const again = openArchive(t.path);
      expect(search(again, '鲲鹏')).toHaveLength(1);
      expect(again.prepare('SELECT count(*) AS n FROM search_queue').get()).toEqual({ n: 0 });
      again.exec("INSERT INTO reports_fts (reports_fts) VALUES ('integrity-check')");
      again.close();
    } finally {
      t.cleanup();
    }
  });
});

describe('search order and pages', () => {
  let db: Archive;
  let cleanup: () => void;
  beforeAll(() => {
    ({ db, cleanup } = tempArchive());
    ingestBatch(db, sequence());
  });
  afterAll(() => cleanup());

  it('lists title/agency hits first, each group newest year first; pages are slices of the whole list', () => {
    const all = search(db, '民政', { limit: 10_000 });
    expect(all.length).toBeGreaterThan(20);
    const header = (h: (typeof all)[number]) => (h.title ?? '').includes('民政') || (h.agency ?? '').includes('民政');
    const firstBody = all.findIndex((h) => !header(h));
    expect(all.slice(0, firstBody).every(header)).toBe(true);
    expect(all.slice(firstBody).some(header)).toBe(false);
    for (const group of [all.slice(0, firstBody), all.slice(firstBody)]) {
      const order = group.map((h) => [h.year ?? 0, h.versionId]);
      expect(order).toEqual([...order].sort((a, b) => b[0] - a[0] || b[1] - a[1]));
    }
    const pages = [0, 7, 14, 21].flatMap((offset) => search(db, '民政', { limit: 7, offset }));
    expect(pages.map((h) => h.versionId)).toEqual(all.slice(0, 28).map((h) => h.versionId));
    for (const h of all.slice(0, 30)) expect(h.snippet.includes('民政') || header(h)).toBe(true);
  });

  it('filters by unit and year through the index agree with filtering the full list', () => {
    const all = search(db, '政府信息公开', { limit: 10_000 });
    const f = search(db, '政府信息公开', { province: '浙江省', year: { from: 2020, to: 2023 }, limit: 10_000 });
    expect(f.map((h) => h.versionId)).toEqual(all.filter((h) => h.province === '浙江省' && h.year !== null && h.year >= 2020 && h.year <= 2023).map((h) => h.versionId));
    expect(f.length).toBeGreaterThan(0);
  });
});
