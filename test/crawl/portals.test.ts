/** (a) Every replica portal crawled end to end into a fresh archive: every report found, every non-report skipped. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../storage/index.ts';
import { cell, expectSiteReports, latestReports, world, type World } from './helpers.ts';

let w: World;
beforeAll(async () => {
  w = await world({ only: ['pingtan', 'hanweb', 'trs-wcm'] });
});
afterAll(async () => {
  await w?.close();
});

describe('crawl of the replica portals', () => {
  it('finds every report each portal has, with its title and year, and nothing else', async () => {
    const s = await w.crawl();
    expect(s.status).toBe('finished');
    expect(s.counts.failed).toBe(0);
    const got = new Map(latestReports(w.db).map((r) => [r.url, r]));
    for (const id of ['pingtan', 'hanweb', 'trs-wcm']) {
      const reports = expectSiteReports(w, id, got);
      expect(reports.length, id).toBeGreaterThan(5);
      // and no report was requested twice
      const paths = w.replica.log.entries({ site: id }).map((e) => e.path).filter((p) => reports.some((d) => d.path === p));
      expect(new Set(paths).size).toBe(paths.length);
    }
    const total = ['pingtan', 'hanweb', 'trs-wcm'].reduce((n, id) => n + w.replica.sites[id].reports().length, 0);
    expect(got.size).toBe(total);
    expect(s.counts.new).toBe(total);
    const run = w.db.prepare('SELECT status, counts FROM crawl_runs WHERE id = ?').get(s.runId) as { status: string; counts: string };
    expect(run.status).toBe('finished');
    expect(JSON.parse(run.counts).new).toBe(total);
  });

  it('reads the values the source has (Pingtan 97791: 218 new applications, 71 granted)', () => {
    const d = w.replica.sites.pingtan.docs().find((x) => x.path.endsWith('_97791.htm'))!;
    expect(d).toBeDefined();
    const url = canonicalUrl(d.url);
    expect(cell(w.db, url, 'new_received.total')).toBe(218);
    expect(cell(w.db, url, 'granted.total')).toBe(71);
    expect(cell(w.db, url, 'new_received.natural_person')).toBe(217);
  });

  it('lists Hanweb through the dataproxy groups and TRS WCM through every index_N page', () => {
    const hw = w.replica.log.entries({ site: 'hanweb', pathPrefix: '/module/web/jpage/dataproxy.jsp' });
    expect(hw.length).toBeGreaterThan(0);
    expect(hw.every((e) => e.status === 200)).toBe(true);
    const wcm = w.replica.sites['trs-wcm'];
    const pages = Math.ceil(wcm.docs().filter((d) => d.status === 'live').length / 10);
    const lists = w.replica.log.entries({ site: 'trs-wcm' }).filter((e) => /\/index(_\d+)?\.html$/.test(e.path));
    expect(lists.length).toBe(pages);
    expect(lists.every((e) => e.status === 200)).toBe(true);
    const pt = w.replica.log.entries({ site: 'pingtan', pathPrefix: '/fjdzapp/search' });
    expect(pt.length).toBeGreaterThan(0);
  });
});
