/**
 * commitFetch: the fetch (every request it made) and the frontier transition commit together, or not at
 * all; conditional GET from what the archive holds; redirects settle their target; links found are
 * enqueued in the same transaction; run counts agree with the archive.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { commitFetch } from '../../crawlers/commit.ts';
import { Fetcher } from '../../crawlers/fetcher.ts';
import { enqueue, frontierCounts, getFrontierItem, lease, StaleLeaseError } from '../../crawlers/frontier.ts';
import { getRun, startRun } from '../../crawlers/runs.ts';
import { archiveValidators } from '../../crawlers/validators.ts';
import { page, tempArchive, type TempArchive } from './archive.ts';
import { startServer, text, type TestServer } from './server.ts';

const open: { close(): Promise<void> }[] = [];
let t: TempArchive;
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
  t?.cleanup();
});

async function setup() {
  t = tempArchive();
  const s = await startServer();
  const f = new Fetcher({ allowedHosts: ['127.0.0.1'], allowPrivate: ['127.0.0.1'], hostDefaults: { delayMs: 0 }, retry: { baseMs: 10, maxAttempts: 2 } });
  open.push(s, f);
  return { db: t.db, s, f };
}

const fetchRows = (db: TempArchive['db']) =>
  db.prepare('SELECT url, status, outcome, error FROM fetches ORDER BY id').all() as { url: string; status: number | null; outcome: string; error: string | null }[];

describe('commitFetch', () => {
  it('stores the fetch and settles the item in one transaction; links found are queued with it', async () => {
    const { db, s, f } = await setup();
    s.route('/list', (_q, res) => text(res, 200, page('列表', ['/art/1.html', '/art/2.html'])));
    const run = startRun(db, 'backfill', {});
    enqueue(db, { url: `${s.origin}/list`, kind: 'list', runId: run });
    const [item] = lease(db);
    const result = await f.fetch(item.requestUrl);
    const c = commitFetch(db, item, result, {
      discovered: ['/art/1.html', '/art/2.html'].map((p) => ({ url: s.origin + p, kind: 'detail' as const, depth: 1, discoveredFrom: item.url, runId: run })),
    });
    expect(c.status).toBe('done');
    expect(c.final?.outcome).toBe('new_version');
    const settled = getFrontierItem(db, item.id)!;
    expect([settled.status, settled.attempts, settled.fetchId]).toEqual(['done', 1, c.final!.fetchId]);
    expect(fetchRows(db)).toEqual([{ url: `${s.origin}/list`, status: 200, outcome: 'new_version', error: null }]);
    expect(frontierCounts(db)).toEqual({ queued: 2, in_flight: 0, done: 1, failed: 0, skipped: 0 });
    expect(getRun(db, run)!.counts).toMatchObject({ pages: 1, bytes: result.body!.length, failed: 0 });
    // committing the same lease again is refused, and stores nothing
    expect(() => commitFetch(db, item, result)).toThrow(StaleLeaseError);
    expect(fetchRows(db)).toHaveLength(1);
  });

  it('rolls everything back when any part fails: no fetch stored, the item still in flight', async () => {
    const { db, s, f } = await setup();
    s.route('/a', (_q, res) => text(res, 200, page('a')));
    enqueue(db, { url: `${s.origin}/a`, kind: 'detail' });
    const [item] = lease(db);
    const result = await f.fetch(item.requestUrl);
    // a discovered link that violates the schema makes the enqueue — and so the whole commit — fail
    expect(() => commitFetch(db, item, result, { discovered: [{ url: `${s.origin}/b`, kind: 'bogus' as never }] })).toThrow(/CHECK constraint/);
    expect(fetchRows(db)).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM blobs').get()).toEqual({ n: 0 });
    expect(getFrontierItem(db, item.id)!.status).toBe('in_flight');
    expect(commitFetch(db, item, result).status).toBe('done');
    expect(fetchRows(db)).toHaveLength(1);
  });

  it('stores every request of a fetch: failed attempts, redirect hops, then the answer; the target row is settled too', async () => {
    const { db, s, f } = await setup();
    s.route('/old', (_q, res) => text(res, 301, '', { location: '/new' }));
    s.route('/new', (_q, res, { count }) => text(res, count === 1 ? 503 : 200, count === 1 ? 'busy' : page('new')));
    enqueue(db, [{ url: `${s.origin}/old`, kind: 'detail' }, { url: `${s.origin}/new`, kind: 'detail' }]);
    const [item] = lease(db);
    expect(item.url).toBe(`${s.origin}/old`);
    const c = commitFetch(db, item, await f.fetch(item.requestUrl));
    expect(c.status).toBe('done');
    expect(fetchRows(db).map((r) => [r.url.replace(s.origin, ''), r.status, r.outcome])).toEqual([
      ['/old', 301, 'redirect'], ['/new', 503, 'http_error'], ['/new', 200, 'new_version'],
    ]);
    // the page now known as /new is not fetched again
    const target = getFrontierItem(db, `${s.origin}/new`)!;
    expect([target.status, target.fetchId]).toEqual(['done', c.final!.fetchId]);
    expect(lease(db)).toEqual([]);
  });

  it('queues a retryable failure with backoff, gives up a permanent one, skips a refused one', async () => {
    const { db, s, f } = await setup();
    s.route('/robots.txt', (_q, res) => text(res, 200, 'User-agent: *\nDisallow: /private\n', { 'content-type': 'text/plain' }));
    s.route('/busy', (_q, res) => text(res, 503, 'busy'));
    s.route('/forbidden', (_q, res) => text(res, 403, 'no'));
    const run = startRun(db, 'crawl', {});
    const now = Date.parse('2025-05-01T00:00:00Z');
    enqueue(db, ['/busy', '/forbidden', '/private/x'].map((p) => ({ url: s.origin + p, kind: 'detail' as const, runId: run })), { now });
    const items = lease(db, { limit: 3, perHost: 3, now });
    const results = await Promise.all(items.map((i) => f.fetch(i.requestUrl)));
    const statuses = items.map((i, k) => commitFetch(db, i, results[k], { now, backoff: { baseMs: 60_000, random: () => 0 } }).status);
    expect(statuses).toEqual(['queued', 'failed', 'skipped']);
    const busy = getFrontierItem(db, items[0].id)!;
    expect([busy.status, busy.attempts, busy.lastError, Date.parse(busy.nextAttemptAt) - now]).toEqual(['queued', 1, 'HTTP 503', 30_000]);
    expect(getFrontierItem(db, items[2].id)!.lastError).toMatch(/robots\.txt/);
    // the two attempts at /busy and the one at /forbidden are in the fetch log; the refused URL is not
    expect(fetchRows(db).map((r) => [r.url.replace(s.origin, ''), r.status])).toEqual([['/busy', 503], ['/busy', 503], ['/forbidden', 403]]);
    expect(getRun(db, run)!.counts).toMatchObject({ pages: 3, failed: 1 });
  });

  it('re-crawls conditionally with the validators the archive holds; a 304 is stored as not modified', async () => {
    const { db, s, f } = await setup();
    s.route('/doc', (req, res) => {
      if (req.headers['if-none-match'] === '"e1"') return void (res.writeHead(304, { etag: '"e1"' }), res.end());
      text(res, 200, page('doc'), { etag: '"e1"', 'last-modified': 'Mon, 03 Mar 2025 10:00:00 GMT' });
    });
    const url = `${s.origin}/doc`;
    const run1 = startRun(db, 'crawl', {});
    enqueue(db, { url, kind: 'detail', runId: run1 });
    expect(archiveValidators(db, url)).toBeNull();
    let [item] = lease(db);
    commitFetch(db, item, await f.fetch(url, { validators: (u) => archiveValidators(db, u) }));
    expect(archiveValidators(db, url)).toEqual({ etag: '"e1"', lastModified: 'Mon, 03 Mar 2025 10:00:00 GMT' });

    const run2 = startRun(db, 'crawl', {});
    enqueue(db, { url, kind: 'detail', runId: run2 }, { revisit: true });
    [item] = lease(db);
    const r = await f.fetch(url, { validators: (u) => archiveValidators(db, u) });
    expect([r.kind, r.status]).toEqual(['not_modified', 304]);
    const c = commitFetch(db, item, r);
    expect([c.status, c.final?.outcome]).toEqual(['done', 'not_modified']);
    expect(s.hits('/doc')[1].headers['if-none-match']).toBe('"e1"');
    expect(s.hits('/doc')[1].headers['if-modified-since']).toBe('Mon, 03 Mar 2025 10:00:00 GMT');
    expect(getRun(db, run2)!.counts).toMatchObject({ pages: 1, bytes: 0 });
  });
});
