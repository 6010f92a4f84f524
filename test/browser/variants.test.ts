/**
 * The browser-path families' variant sites (scripts/replica/gkmlpt-variant.ts, jpaas-variant.ts) crawled with a
 * browser at hand: the adapters read their JSON lists alone, so every report is found and the browser never
 * renders a page nor navigates to one (a rendered fallback would hide an adapter's miss and cost a browser visit
 * per column on real sites).
 */
import { describe, expect, it } from 'vitest';
import { expectAllSiteReports } from '../crawl/helpers.ts';
import { crawledWithBrowser, SKIP_BROWSER } from './helpers.ts';

const SITES = ['gkmlpt-2', 'jpaas-2'] as const;

describe.skipIf(SKIP_BROWSER)('variant browser-path portals, browser at hand', () => {
  const run = crawledWithBrowser({ only: [...SITES] });

  it('finds every report through the JSON lists, and the browser renders nothing', () => {
    const { w, s } = run;
    const { total } = expectAllSiteReports(w, s, SITES);
    expect(total).toBeGreaterThanOrEqual(50);
    expect(s.browser?.renders ?? 0).toBe(0);
    for (const id of SITES) expect(w.replica.log.entries({ site: id }).filter((e) => e.headers['sec-fetch-mode'] === 'navigate'), id).toEqual([]);
  });
});
