/**
 * The browser-path families' variant sites (scripts/replica/gkmlpt-variant.ts, jpaas-variant.ts) crawled with a
 * browser at hand: the adapters read their JSON lists alone, so every report is found and the browser never
 * renders a page nor navigates to one (a rendered fallback would hide an adapter's miss and cost a browser visit
 * per column on real sites).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserPool } from '../../crawlers/browser/index.ts';
import type { CrawlSummary } from '../../crawlers/crawl.ts';
import { expectSiteReports, latestReports, world, type World } from '../crawl/helpers.ts';
import { SKIP_BROWSER, testPool } from './helpers.ts';

const SITES = ['gkmlpt-2', 'jpaas-2'] as const;

describe.skipIf(SKIP_BROWSER)('variant browser-path portals, browser at hand', () => {
  let w: World;
  let pool: BrowserPool;
  let s: CrawlSummary;
  beforeAll(async () => {
    w = await world({ only: [...SITES] });
    pool = testPool();
    s = await w.crawl({ browser: pool });
  }, 120_000);
  afterAll(async () => {
    await pool?.close();
    await w?.close();
  });

  it('finds every report through the JSON lists, and the browser renders nothing', () => {
    expect(s.status).toBe('finished');
    expect(s.counts.failed).toBe(0);
    const got = new Map(latestReports(w.db).map((r) => [r.url, r]));
    let total = 0;
    for (const id of SITES) total += expectSiteReports(w, id, got).length;
    expect(total).toBe(got.size);
    expect(total).toBeGreaterThanOrEqual(50);
    expect(s.browser?.renders ?? 0).toBe(0);
    for (const id of SITES) expect(w.replica.log.entries({ site: id }).filter((e) => e.headers['sec-fetch-mode'] === 'navigate'), id).toEqual([]);
  });
});
