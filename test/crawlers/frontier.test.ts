/** The persistent frontier: dedup, fair leases, backoff, skips, recovery after a kill, revisits. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  enqueue, frontierCounts, getFrontierItem, lease, markDone, markFailed, markSkipped, nextDueAt, recoverInFlight, release,
  StaleLeaseError, type FrontierItem,
} from '../../crawlers/frontier.ts';
import { addRunCounts, findRunning, finishRun, getRun, startRun } from '../../crawlers/runs.ts';
import { SCHEMA_VERSION, schemaVersion } from '../../storage/index.ts';
import { tempArchive, type TempArchive } from './archive.ts';

const T0 = Date.parse('2025-05-01T00:00:00Z');
const at = (ms: number) => T0 + ms;

let t: TempArchive;
afterEach(() => t?.cleanup());
function archive() {
  t = tempArchive();
  return t.db;
}

describe('frontier', () => {
  it('lives in migration 4: frontier and crawl_runs tables', () => {
    const db = archive();
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(4);
    const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['frontier', 'crawl_runs']));
  });

  it('deduplicates by canonical URL (fragment, session parameters, case of host)', () => {
    const db = archive();
    const s = enqueue(db, [
      { url: 'http://WWW.Example.gov.cn/col/index.html#top', kind: 'list' },
      { url: 'http://www.example.gov.cn/col/index.html', kind: 'list' },
      { url: 'http://www.example.gov.cn/col/index.html?jsessionid=ABC&utm_source=x', kind: 'list' },
      { url: 'http://www.example.gov.cn/art/1.html', kind: 'detail', depth: 1 },
      { url: 'javascript:void(0)', kind: 'detail' },
      { url: 'mailto:gk@example.gov.cn', kind: 'detail' },
    ], { now: T0 });
    expect([s.added, s.existing, s.rejected]).toEqual([2, 2, ['javascript:void(0)', 'mailto:gk@example.gov.cn']]);
    expect(s.ids[0]).toBe(s.ids[1]);
    expect(s.ids[0]).toBe(s.ids[2]);
    const again = enqueue(db, { url: 'http://www.example.gov.cn/art/1.html#p2', kind: 'detail' }, { now: T0 });
    expect([again.added, again.existing]).toEqual([0, 1]);
    expect(db.prepare('SELECT count(*) AS n FROM frontier').get()).toEqual({ n: 2 });
    const item = getFrontierItem(db, 'http://www.example.gov.cn/col/index.html')!;
    expect([item.url, item.requestUrl, item.site, item.host, item.status]).toEqual([
      'http://www.example.gov.cn/col/index.html', 'http://www.example.gov.cn/col/index.html', 'www.example.gov.cn', 'www.example.gov.cn', 'queued',
    ]);
    // a rediscovery at a smaller depth / higher priority improves the queued row
    enqueue(db, { url: 'http://www.example.gov.cn/art/1.html', kind: 'detail', depth: 0, priority: 5 }, { now: T0 });
    const art = getFrontierItem(db, 'http://www.example.gov.cn/art/1.html')!;
    expect([art.depth, art.priority]).toEqual([0, 5]);
  });

  it('leases due items fairly across hosts, by priority within a host', () => {
    const db = archive();
    for (const h of ['a', 'b', 'c']) {
      for (let i = 1; i <= 4; i++) enqueue(db, { url: `http://${h}.gov.cn/${i}`, kind: 'detail', priority: h === 'a' && i === 4 ? 9 : 0 }, { now: T0 });
    }
    const first = lease(db, { limit: 3, now: T0 });
    expect(first.map((x) => x.url.replace('http://', ''))).toEqual(['a.gov.cn/4', 'b.gov.cn/1', 'c.gov.cn/1']);
    expect(first.every((x) => x.status === 'in_flight' && x.leases === 1)).toBe(true);
    // two per host: each host's next, then each host's one after
    const next = lease(db, { limit: 10, perHost: 2, now: T0 });
    expect(next.map((x) => x.url.replace('http://', ''))).toEqual(['a.gov.cn/1', 'b.gov.cn/2', 'c.gov.cn/2', 'a.gov.cn/2', 'b.gov.cn/3', 'c.gov.cn/3']);
    // busy hosts can be left out
    const rest = lease(db, { limit: 10, now: T0, excludeHosts: ['A.gov.cn', 'b.gov.cn'] });
    expect(rest.map((x) => x.url.replace('http://', ''))).toEqual(['c.gov.cn/4']);
    expect(frontierCounts(db)).toEqual({ queued: 2, in_flight: 10, done: 0, failed: 0, skipped: 0 });
  });

  it("takes each host's best rows among those due and of the run, whatever sorts ahead of them", () => {
    const db = archive();
    const run = startRun(db, 'crawl', {});
    const other = startRun(db, 'crawl', {});
    // a.gov.cn: its two best rows are not due yet / another run's; b.gov.cn: a plain queue
    enqueue(db, [
      { url: 'http://a.gov.cn/later', kind: 'list', priority: 10, runId: run, notBefore: at(60_000) },
      { url: 'http://a.gov.cn/theirs', kind: 'list', priority: 10, runId: other },
      { url: 'http://a.gov.cn/1', kind: 'detail', runId: run },
      { url: 'http://a.gov.cn/2', kind: 'detail', runId: run },
      { url: 'http://b.gov.cn/1', kind: 'detail', runId: run },
      { url: 'http://b.gov.cn/2', kind: 'detail', runId: run },
    ], { now: T0 });
    const got = lease(db, { limit: 10, perHost: 2, runId: run, now: T0 });
    expect(got.map((x) => x.url.replace('http://', ''))).toEqual(['a.gov.cn/1', 'b.gov.cn/1', 'a.gov.cn/2', 'b.gov.cn/2']);
    expect(lease(db, { limit: 10, perHost: 2, runId: run, now: at(60_000) }).map((x) => x.url)).toEqual(['http://a.gov.cn/later']);
    expect(lease(db, { limit: 10, perHost: 2, now: at(60_000) }).map((x) => x.url)).toEqual(['http://a.gov.cn/theirs']);
  });

  it('does not lease an item before it is due', () => {
    const db = archive();
    enqueue(db, { url: 'http://a.gov.cn/later', kind: 'detail', notBefore: at(60_000) }, { now: T0 });
    expect(lease(db, { now: at(59_999) })).toEqual([]);
    expect(nextDueAt(db)).toBe(new Date(at(60_000)).toISOString());
    expect(lease(db, { now: at(60_000) }).map((x) => x.url)).toEqual(['http://a.gov.cn/later']);
    expect(nextDueAt(db)).toBeNull();
  });

  it('schedules failed attempts with exponential backoff, honours Retry-After, and gives up after maxAttempts', () => {
    const db = archive();
    enqueue(db, { url: 'http://a.gov.cn/flaky', kind: 'detail' }, { now: T0 });
    const backoff = { baseMs: 1000, maxMs: 60_000, maxAttempts: 4, random: () => 0 };
    let now = T0;
    const dueAfter: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [item] = lease(db, { now });
      expect(item.attempts).toBe(i);
      expect(markFailed(db, item, 'HTTP 503', { retryable: true, backoff, now })).toBe('queued');
      const due = Date.parse(getFrontierItem(db, item.id)!.nextAttemptAt);
      dueAfter.push(due - now);
      expect(lease(db, { now: due - 1 })).toEqual([]);
      now = due;
    }
    expect(dueAfter).toEqual([500, 1000, 2000]); // base·2^(n−1), equal jitter with random 0
    const [last] = lease(db, { now });
    expect(markFailed(db, last, 'HTTP 503', { retryable: true, backoff, now })).toBe('failed');
    const gone = getFrontierItem(db, last.id)!;
    expect([gone.status, gone.attempts, gone.lastError]).toEqual(['failed', 4, 'HTTP 503']);

    // Retry-After longer than the backoff wins; a permanent error fails at once
    enqueue(db, [{ url: 'http://a.gov.cn/429', kind: 'detail' }, { url: 'http://a.gov.cn/403', kind: 'detail' }], { now });
    const [a, b] = lease(db, { now, limit: 2, perHost: 2 });
    markFailed(db, a, 'HTTP 429', { retryable: true, retryAfterMs: 3_600_000, backoff, now });
    expect(Date.parse(getFrontierItem(db, a.id)!.nextAttemptAt) - now).toBe(3_600_000);
    expect(markFailed(db, b, 'HTTP 403', { retryable: false, backoff, now })).toBe('failed');
  });

  it('settles an item once: a stale lease throws', () => {
    const db = archive();
    enqueue(db, [{ url: 'http://a.gov.cn/1', kind: 'detail' }, { url: 'http://a.gov.cn/robots-says-no', kind: 'detail' }], { now: T0 });
    const [item, other] = lease(db, { now: T0, limit: 2, perHost: 2 });
    markDone(db, item, { now: T0 });
    expect(() => markDone(db, item, { now: T0 })).toThrow(StaleLeaseError);
    expect(() => markFailed(db, item, 'x', { retryable: true, now: T0 })).toThrow(StaleLeaseError);
    markSkipped(db, other, 'robots.txt disallows', { now: T0 });
    const skipped = getFrontierItem(db, other.id)!;
    expect([skipped.status, skipped.attempts, skipped.lastError]).toEqual(['skipped', 0, 'robots.txt disallows']);
  });

  it('requeues what a killed process left in flight; the old lease can no longer settle it', () => {
    const db = archive();
    enqueue(db, ['1', '2', '3', '4'].map((i) => ({ url: `http://a.gov.cn/${i}`, kind: 'detail' as const })), { now: T0 });
    const leased = lease(db, { now: T0, limit: 3, perHost: 3 });
    markDone(db, leased[0], { now: T0 });
    // the process dies here: two items in flight, nothing else happens to them
    const reopened = t.reopen();
    expect(frontierCounts(reopened)).toEqual({ queued: 1, in_flight: 2, done: 1, failed: 0, skipped: 0 });
    expect(recoverInFlight(reopened, { now: at(1) })).toBe(2);
    expect(frontierCounts(reopened)).toEqual({ queued: 3, in_flight: 0, done: 1, failed: 0, skipped: 0 });
    const again = lease(reopened, { now: at(2), limit: 10, perHost: 10 });
    expect(again.map((x) => x.url).sort()).toEqual(['http://a.gov.cn/2', 'http://a.gov.cn/3', 'http://a.gov.cn/4']);
    const stale: FrontierItem = leased[1];
    expect(() => markDone(reopened, stale)).toThrow(StaleLeaseError);
    const fresh = again.find((x) => x.id === stale.id)!;
    expect(fresh.leases).toBe(2);
    markDone(reopened, fresh);
    // release hands a lease back without counting an attempt
    const back = again.find((x) => x.id !== stale.id)!;
    release(reopened, back);
    expect([getFrontierItem(reopened, back.id)!.status, getFrontierItem(reopened, back.id)!.attempts]).toEqual(['queued', 0]);
  });

  it('revisits settled items for a new run only when asked', () => {
    const db = archive();
    const run1 = startRun(db, 'crawl', {}, T0);
    enqueue(db, { url: 'http://a.gov.cn/list', kind: 'list', runId: run1 }, { now: T0 });
    markDone(db, lease(db, { now: T0 })[0]);
    finishRun(db, run1, 'finished', at(10));
    const run2 = startRun(db, 'crawl', {}, at(20));
    expect(enqueue(db, { url: 'http://a.gov.cn/list', kind: 'list', runId: run2 }, { now: at(20) }).existing).toBe(1);
    expect(lease(db, { now: at(20) })).toEqual([]);
    const s = enqueue(db, { url: 'http://a.gov.cn/list', kind: 'list', runId: run2 }, { now: at(20), revisit: true });
    expect(s.revisited).toBe(1);
    // within the same run a revisit is a no-op: nothing is fetched twice in one run
    expect(enqueue(db, { url: 'http://a.gov.cn/list', kind: 'list', runId: run2 }, { now: at(20), revisit: true }).revisited).toBe(0);
    const [item] = lease(db, { now: at(20), runId: run2 });
    expect([item.runId, item.attempts, item.leases]).toEqual([run2, 0, 2]);
  });

  it('records runs with counts', () => {
    const db = archive();
    const id = startRun(db, 'backfill', { province: '福建省', years: [2019, 2024] }, T0);
    addRunCounts(db, id, { pages: 2, bytes: 100, new: 1 });
    addRunCounts(db, id, { pages: 1, changed: 1, failed: 1 });
    expect(findRunning(db, 'backfill')?.id).toBe(id);
    expect(findRunning(db, 'crawl')).toBeNull();
    finishRun(db, id, 'finished', at(5));
    const run = getRun(db, id)!;
    expect(run).toMatchObject({
      mode: 'backfill', args: { province: '福建省', years: [2019, 2024] }, status: 'finished',
      counts: { pages: 3, new: 1, changed: 1, removed: 0, failed: 1, bytes: 100 },
    });
    expect(findRunning(db, 'backfill')).toBeNull();
  });
});
