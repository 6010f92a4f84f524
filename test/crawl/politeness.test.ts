/**
 * Politeness over a whole crawl, from the replica servers' own request log: registry entries set per-host
 * concurrency and a minimum delay, and no host ever sees more requests in flight than its concurrency, or
 * two request starts closer together than its delay (with concurrency 1, also no request before the host
 * rested the delay after the previous answer).
 *
 * The replica runs in a process of its own, so the times it logs are not held up by the crawler's thread.
 * Its clock is still its event loop's: on a loaded machine a starved moment logs two requests that arrived
 * 60 ms apart together (seen: about one pair in ten under a load of 9 on 2 cores). So the server's log bounds
 * concurrency strictly and the typical spacing, and the crawler's own fetch log (requested_at, elapsed_ms in the archive) bounds every pair.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCrawl, type CrawlSummary } from '../../crawlers/crawl.ts';
import { forkReplica, type ReplicaChild } from '../../scripts/replica/child.ts';
import { RequestLog } from '../../scripts/replica/log.ts';
import { openArchive, type Archive } from '../../storage/index.ts';
import { FAST } from './helpers.ts';

const RULES: Record<string, { concurrency: number; delayMs: number }> = {
  hanweb: { concurrency: 2, delayMs: 60 },
  'trs-wcm': { concurrency: 1, delayMs: 80 },
};
const TOLERANCE_MS = 3;

let replica: ReplicaChild;
let dir: string;
let db: Archive;
let summary: CrawlSummary;
let log: RequestLog;

beforeAll(async () => {
  // slow answers (150 ms) so that two requests to a host of concurrency 2 really overlap
  replica = await forkReplica({ seed: 1, only: ['hanweb', 'trs-wcm'], sites: { hanweb: { delayMs: 150 }, 'trs-wcm': { delayMs: 30 } } });
  dir = mkdtempSync(join(tmpdir(), 'nianbao-polite-'));
  db = openArchive(join(dir, 'nianbao.db'));
  const entries = replica.registry.map((e) => ({ ...e, overrides: { ...e.overrides, ...RULES[e.id.replace(/^replica-/, '')] } }));
  summary = await runCrawl({ ...FAST, db, entries, fetcher: { ...FAST.fetcher, hostDefaults: { concurrency: 4, delayMs: 0 } } });
  log = RequestLog.from(await replica.log());
}, 60_000);
afterAll(async () => {
  if (db?.open) db.close();
  await replica?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('politeness over a crawl', () => {
  it('the crawl finished and stored a report from every site', () => {
    expect(summary.status).toBe('finished');
    const sites = db.prepare('SELECT site, count(*) AS n FROM latest_reports GROUP BY site ORDER BY site').all() as { site: string; n: number }[];
    expect(sites.map((s) => s.site)).toEqual(['replica-hanweb', 'replica-trs-wcm']);
    expect(summary.counts.new).toBe(sites.reduce((n, s) => n + s.n, 0));
  });

  for (const [site, rule] of Object.entries(RULES)) {
    it(`${site}: the server never saw more than ${rule.concurrency} requests in flight, starts spaced by the delay`, () => {
      const stats = log.stats(site);
      expect(stats.requests).toBeGreaterThan(20);
      expect(stats.maxInFlight).toBe(rule.concurrency);
      const starts = log.entries({ site }).map((e) => e.start).sort((a, b) => a - b);
      const intervals = starts.slice(1).map((t, i) => t - starts[i]);
      // the server's clock is its event loop's: a starved moment logs two requests together (see above), so
      // the typical spacing here, every pair in the crawler's own log below
      intervals.sort((x, y) => x - y);
      expect(intervals[Math.floor(intervals.length / 2)]).toBeGreaterThanOrEqual(rule.delayMs - TOLERANCE_MS);
    });

    it(`${site}: the crawler started its requests at least ${rule.delayMs} ms apart${rule.concurrency === 1 ? ', resting as long after each answer' : ''}`, () => {
      const host = new URL(replica.sites[site]).host;
      const rows = db.prepare(`SELECT requested_at AS at, elapsed_ms AS ms FROM fetches WHERE url LIKE ? ORDER BY requested_at`)
        .all(`http://${host}/%`) as { at: string; ms: number }[];
      expect(rows.length).toBe(log.stats(site).requests - 1); // all but robots.txt
      const t = rows.map((r) => Date.parse(r.at));
      for (let i = 1; i < t.length; i++) {
        // requested_at is stored to the millisecond
        expect(t[i] - t[i - 1]).toBeGreaterThanOrEqual(rule.delayMs - 1);
        if (rule.concurrency === 1) expect(t[i] - (t[i - 1] + rows[i - 1].ms)).toBeGreaterThanOrEqual(rule.delayMs - 2);
      }
    });
  }
});
