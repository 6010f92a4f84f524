/**
 * The hard portals crawled end to end into a fresh archive, browser included: gkmlpt and Hanweb JPaaS through
 * their JSON APIs (no browser), a JS-only list rendered once, and two challenge portals (瑞数-style 412,
 * 加速乐-style 521 in two rounds) solved by one browser visit per site, every later page plain with the cookie.
 */
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../scripts/replica/index.ts';
import { canonicalUrl } from '../../storage/index.ts';
import { expectAllSiteReports } from '../crawl/helpers.ts';
import { crawledWithBrowser, expectedCells, SKIP_BROWSER } from './helpers.ts';

const SITES = ['gkmlpt', 'jpaas', 'waf412', 'waf521', 'js-list'] as const;
const browserNav = (e: LogEntry) => e.headers['sec-fetch-mode'] === 'navigate';

describe.skipIf(SKIP_BROWSER)('crawl of the hard portals (browser path)', () => {
  const small = { agencies: 4 }; // 4 agencies × 7 years a portal: enough pages, a quick test
  const run = crawledWithBrowser({ only: [...SITES], sites: { gkmlpt: small, jpaas: small, waf412: small, waf521: small } });

  it('finds every report of every portal, with its title and year, and fetches no non-report', () => {
    const { total, bySite } = expectAllSiteReports(run.w, run.s, SITES);
    for (const id of SITES) expect(bySite.get(id), id).toBeGreaterThan(10);
    expect(run.s.counts.new).toBe(total);
  });

  it('reads the values the source pages have (hand-checked Pingtan values, under other agencies\' names)', () => {
    const cellsOf = run.w.db.prepare(`SELECT key, value FROM latest_cells WHERE url = ? AND tbl = 'applications'`);
    for (const id of SITES) {
      let checked = 0;
      for (const d of run.w.replica.sites[id].reports()) {
        const want = expectedCells(d.source);
        if (!want) continue;
        const have = new Map((cellsOf.all(canonicalUrl(d.url)) as { key: string; value: number | null }[]).map((c) => [c.key, c.value]));
        for (const [k, v] of want) expect(have.get(k), `${id} ${d.title} ${k}`).toBe(v);
        checked++;
      }
      expect(checked, `${id}: reports with hand-checked values`).toBeGreaterThanOrEqual(3);
    }
  });

  it('lists gkmlpt and JPaaS through their JSON APIs, page by page, without a browser', () => {
    const g = run.w.replica.log.entries({ site: 'gkmlpt' });
    const api = g.filter((e) => e.path.startsWith('/gkmlpt/api/all/2629?'));
    // pages of 20 from 1, up to the last one the total allows (page 1's size is the page size): no empty page
    const live = run.w.replica.sites.gkmlpt.docs().filter((d) => d.status === 'live').length;
    const pages = Math.ceil(live / 20);
    expect(api.map((e) => new URLSearchParams(e.path.split('?')[1]).get('page'))).toEqual(Array.from({ length: pages }, (_, i) => String(i + 1)));
    expect(api.every((e) => e.status === 200 && e.path.includes('sid=756101'))).toBe(true);
    const j = run.w.replica.log.entries({ site: 'jpaas', pathPrefix: '/api-gateway/jpaas-publish-server/front/page/build/unit' });
    const rows = 15;
    expect(j.length).toBe(Math.floor(run.w.replica.sites.jpaas.docs().filter((d) => d.status === 'live').length / rows) + 1);
    for (const id of ['gkmlpt', 'jpaas']) expect(run.w.replica.log.entries({ site: id }).filter(browserNav), id).toEqual([]);
  });

  it('renders the JS-only list once, and fetches its documents plainly', () => {
    const es = run.w.replica.log.entries({ site: 'js-list' });
    const nav = es.filter(browserNav);
    expect(nav.map((e) => e.path)).toEqual(['/xxgk/ndbg/index.html']);
    expect(es.filter((e) => e.path.startsWith('/art/')).every((e) => !browserNav(e) && e.status === 200)).toBe(true);
    expect(run.s.browser?.renders).toBe(1);
  });

  for (const [id, status, rounds] of [['waf412', 412, 1], ['waf521', 521, 2]] as const) {
    it(`${id}: one browser visit wins the ${status} challenge for the whole site; later pages are plain, with the cookie`, () => {
      const es = run.w.replica.log.entries({ site: id });
      const site = run.w.replica.sites[id].site as unknown as { solvedCookies(): Record<string, string> };
      const solved = Object.entries(site.solvedCookies()).map(([k, v]) => `${k}=${v}`);
      const nav = es.filter(browserNav);
      // one visit: the browser came once without cookies, went through the challenge's rounds, and got the page
      expect(nav.filter((e) => !e.headers.cookie)).toHaveLength(1);
      // the challenge's rounds, then the page; a round may come twice when Chromium's navigation leaves before the
      // script's document.cookie write has reached its cookie store (seen once on a loaded machine)
      const statuses = nav.map((e) => e.status);
      expect(statuses.at(-1)).toBe(200);
      expect(statuses.slice(0, -1).every((x) => x === status)).toBe(true);
      expect(statuses.length - 1).toBeGreaterThanOrEqual(rounds);
      expect(statuses.length - 1).toBeLessThanOrEqual(rounds + 1);
      // the plain fetcher met the challenge before the visit only (at most its per-host concurrency of 2)
      const firstNav = nav[0].seq;
      const plain = es.filter((e) => !browserNav(e) && e.path !== '/robots.txt' && !e.headers['sec-fetch-mode']);
      const before = plain.filter((e) => e.seq < firstNav);
      expect(before.length).toBeGreaterThanOrEqual(1);
      expect(before.length).toBeLessThanOrEqual(2);
      expect(before.every((e) => e.status === status)).toBe(true);
      const after = plain.filter((e) => e.seq > firstNav);
      expect(after.length).toBeGreaterThan(run.w.replica.sites[id].reports().length);
      for (const e of after) {
        expect(e.status, e.path).toBe(200);
        for (const c of solved) expect(e.headers.cookie, e.path).toContain(c);
      }
      expect(run.s.browser?.solves).toBe(2);
      expect(run.s.browser?.failedSolves).toBe(0);
    });
  }

  it('used one browser, and closed every page and every context of the run', () => {
    expect(run.pool.stats.launches).toBe(1);
    expect(run.pool.stats.pagesClosed).toBe(run.pool.stats.pagesOpened);
    expect(run.pool.stats.contextsClosed).toBe(run.pool.stats.contextsOpened);
    expect(run.pool.stats.contextsOpened).toBe(3); // waf412, waf521, js-list; none for the JSON-API portals
  });
});
