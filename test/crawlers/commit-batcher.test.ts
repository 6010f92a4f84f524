/**
 * CommitBatcher: fetches committed many to a transaction with their parsing on a worker thread store exactly
 * what commitFetch stores one by one; nothing is in the archive before its promise resolves; a stale lease
 * or a fetch that breaks its commit is rejected alone, the rest of its batch committed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CommitBatcher } from '../../crawlers/commit-batcher.ts';
import { commitFetch } from '../../crawlers/commit.ts';
import { Fetcher, type FetchResult } from '../../crawlers/fetcher.ts';
import { enqueue, frontierCounts, getFrontierItem, lease, StaleLeaseError, type FrontierItem } from '../../crawlers/frontier.ts';
import { getRun, startRun } from '../../crawlers/runs.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PINGTAN, pingtanEntries } from '../helpers/fixtures.ts';
import { page, tempArchive, type TempArchive } from './archive.ts';
import { startServer, text, type TestServer } from './server.ts';

const open: { close(): Promise<void> }[] = [];
const temps: TempArchive[] = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
  for (const t of temps.splice(0)) t.cleanup();
});

/** A server with real report pages and a list naming them; its fetches, leased from a fresh archive. */
async function crawlOnce(s: TestServer, f: Fetcher, paths: string[]) {
  const t = tempArchive();
  temps.push(t);
  const run = startRun(t.db, 'backfill', {});
  enqueue(t.db, paths.map((p) => ({ url: s.origin + p, kind: 'detail' as const, runId: run })));
  const items = lease(t.db, { limit: paths.length, perHost: paths.length });
  const results = await Promise.all(items.map((i) => f.fetch(i.requestUrl)));
  return { db: t.db, run, items, results };
}

const archiveOf = (db: TempArchive['db']) => ({
  fetches: db.prepare('SELECT url, status, outcome, blob_sha256 FROM fetches ORDER BY url').all(),
  versions: db.prepare(`SELECT d.url, v.parse_status, v.content_hash, v.values_hash FROM versions v JOIN documents d ON d.id = v.document_id ORDER BY d.url`).all(),
  cells: db.prepare('SELECT count(*) AS n, sum(value) AS total FROM report_cells').get(),
  changes: db.prepare(`SELECT d.url, c.kind FROM changes c JOIN documents d ON d.id = c.document_id ORDER BY d.url`).all(),
  search: db.prepare('SELECT count(*) AS n FROM reports_fts').get(),
  frontier: frontierCounts(db),
});

describe('CommitBatcher', () => {
  it('stores what commitFetch stores one by one, committing only when a batch is done', async () => {
    const s = await startServer();
    const f = new Fetcher({ allowedHosts: ['127.0.0.1'], allowPrivate: ['127.0.0.1'], hostDefaults: { delayMs: 0, concurrency: 4 } });
    open.push(s, f);
    const pages = pingtanEntries().slice(0, 4).map((e) => readFileSync(join(PINGTAN, e.path)));
    const paths = pages.map((body, i) => {
      s.route(`/r/${i}.html`, (_q, res) => void (res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }), res.end(body)));
      return `/r/${i}.html`;
    });
    s.route('/gone.html', (_q, res) => text(res, 404, 'no'));
    paths.push('/gone.html');

    const one = await crawlOnce(s, f, paths);
    one.items.forEach((item, i) => commitFetch(one.db, item, one.results[i]));

    const many = await crawlOnce(s, f, paths);
    const b = new CommitBatcher(many.db, { workers: 1, poolAfter: 0, maxBatch: 3, maxDelayMs: 100 });
    open.push(b);
    const done = many.items.map((item, i) => b.submit(item, many.results[i]));
    // nothing is committed before its batch is (the worker is still parsing)
    expect(many.db.prepare('SELECT count(*) AS n FROM fetches').get()).toEqual({ n: 0 });
    const results = await Promise.all(done);
    expect(b.workers).toBe(1);
    expect(b.stats).toEqual({ transactions: 2, fetches: 5 });
    expect(results.map((r) => r.status)).toEqual(many.items.map(() => 'done'));
    expect(results.filter((r) => r.events.some((e) => e.kind === 'new'))).toHaveLength(pages.length);
    expect(archiveOf(many.db)).toEqual(archiveOf(one.db));
    expect((archiveOf(many.db).search as { n: number }).n).toBe(pages.length);
    expect(getRun(many.db, many.run)!.counts).toEqual(getRun(one.db, one.run)!.counts);
  });

  it('starts its workers at once when told more than poolAfter fetches are coming, not for fewer', async () => {
    const t = tempArchive();
    temps.push(t);
    const small = new CommitBatcher(t.db, { workers: 1, poolAfter: 4 });
    const big = new CommitBatcher(t.db, { workers: 1, poolAfter: 4 });
    open.push(small, big);
    small.expect(4);
    big.expect(5);
    expect([small.workers, big.workers]).toEqual([0, 1]);
  });

  it('rejects a stale lease and a fetch whose commit fails, alone; the rest of the batch is committed', async () => {
    const s = await startServer();
    const f = new Fetcher({ allowedHosts: ['127.0.0.1'], allowPrivate: ['127.0.0.1'], hostDefaults: { delayMs: 0, concurrency: 4 } });
    open.push(s, f);
    for (const p of ['a', 'b', 'c']) s.route(`/${p}`, (_q, res) => text(res, 200, page(p)));
    const { db, items, results } = await crawlOnce(s, f, ['/a', '/b', '/c']);
    const b = new CommitBatcher(db, { workers: 0, maxBatch: 3, maxDelayMs: 10_000 });
    open.push(b);
    const stale: FrontierItem = { ...items[0], leases: items[0].leases + 1 };
    const bad = { discovered: [{ url: `${s.origin}/x`, kind: 'bogus' as never }] };
    const settled = await Promise.allSettled([
      b.submit(stale, results[0]), b.submit(items[1], results[1] as FetchResult, bad), b.submit(items[2], results[2]),
    ]);
    expect(settled[0]).toMatchObject({ status: 'rejected', reason: expect.any(StaleLeaseError) });
    expect(settled[1]).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: expect.stringMatching(/CHECK constraint/) }) });
    expect(settled[2]).toMatchObject({ status: 'fulfilled', value: { status: 'done' } });
    expect(db.prepare('SELECT url FROM fetches').all()).toEqual([{ url: `${s.origin}/c` }]);
    expect([getFrontierItem(db, items[0].id)!.status, getFrontierItem(db, items[1].id)!.status]).toEqual(['in_flight', 'in_flight']);
  });
});
