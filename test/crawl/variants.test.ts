/**
 * The adapters on sites they were not written against: a second replica site per family (scripts/replica/
 * variants.ts) that differs the way real portals do, crawled end to end into a fresh archive. Every report is
 * found under its title and year with the numbers checked by hand for its source page (Pingtan expected.json,
 * seed expected), no noise page (解读, 图解, 年度计划, 工作总结, 关于公布…的通知) is kept or fetched, robots.txt is
 * obeyed, and no host sees more requests at once than its registry entry allows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrawlSummary } from '../../crawlers/crawl.ts';
import { loadRegistry } from '../../crawlers/registry.ts';
import { canonicalUrl } from '../../storage/index.ts';
import { flattenApplications, pingtanEntries, pingtanExpected, seedExpected } from '../helpers/fixtures.ts';
import { expectAllSiteReports, latestReports, world, type World } from './helpers.ts';

const SITES = ['trs-wcm-2', 'hanweb-2', 'generic-2', 'gkmlpt-2', 'trs-fujian-2', 'jpaas-2', 'hanweb-3'] as const;
const POLITE = { concurrency: 1, delayMs: 5 };

let w: World;
let s: CrawlSummary;
beforeAll(async () => {
  w = await world({ only: [...SITES] });
  const entries = loadRegistry(w.registryDir).map((e) => ({ ...e, overrides: { ...e.overrides, ...POLITE } }));
  // the adapters alone (no browser fallback that could hide an adapter's miss)
  s = await w.crawl({ entries, browser: false });
}, 60_000);
afterAll(async () => {
  await w?.close();
});

/** Most requests open at once among these log entries. */
function maxInFlight(es: { start: number; end: number | null }[]): number {
  const ev = es.flatMap((e) => [[e.start, 1], [e.end ?? Infinity, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let n = 0;
  let max = 0;
  for (const [, d] of ev) max = Math.max(max, (n += d));
  return max;
}

/** The hand-checked applications table of a variant report's source page. */
function expectedApplications(source: string): Record<string, unknown> {
  const [kind, id] = source.split(':');
  if (kind === 'pingtan') return flattenApplications(pingtanExpected(pingtanEntries().find((e) => e.docid === id)!).applications);
  return flattenApplications(seedExpected(`${id}.txt`).applications);
}

describe('variant replica sites (one per family, unlike the first)', () => {
  it('finds every report of each variant, with its title and year, and nothing else', () => {
    const { bySite } = expectAllSiteReports(w, s, SITES);
    for (const id of SITES) expect(bySite.get(id), id).toBeGreaterThanOrEqual(15);
  });

  it('keeps no noise page as a report, and fetches none', () => {
    const got = new Set(latestReports(w.db).map((r) => r.url));
    for (const id of SITES) {
      const noise = w.replica.sites[id].docs().filter((d) => !d.isReport);
      expect(noise.length, id).toBeGreaterThanOrEqual(2);
      for (const d of noise) expect(got.has(canonicalUrl(d.url)), d.title).toBe(false);
    }
    const titles = w.replica.sites['generic-2'].docs().filter((d) => !d.isReport).map((d) => d.title);
    expect(titles.some((t) => t.endsWith('政策解读')) && titles.some((t) => t.startsWith('图解')) && titles.some((t) => t.startsWith('关于公布'))).toBe(true);
  });

  it('reads the numbers the source pages hold (hand-checked applications table)', () => {
    const cells = w.db.prepare(`SELECT key, value FROM latest_cells WHERE url = ? AND tbl = 'applications'`);
    let checked = 0;
    for (const id of SITES) {
      for (const d of w.replica.sites[id].reports()) {
        const want = expectedApplications(d.source);
        const have = Object.fromEntries((cells.all(canonicalUrl(d.url)) as { key: string; value: number | null }[]).map((c) => [c.key, c.value]));
        for (const [k, v] of Object.entries(want)) if (typeof v === 'number') expect(have[k], `${id} ${d.title} ${k}`).toBe(v);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(45);
    // one value read off the fixture page itself: Pingtan 97791 had 218 new applications
    const d = w.replica.sites['hanweb-2'].reports().find((x) => x.source === 'pingtan:97791')!;
    const one = cells.all(canonicalUrl(d.url)) as { key: string; value: number | null }[];
    expect(one.find((c) => c.key === 'new_received.total')?.value).toBe(218);
  });

  it('TRS WCM: reached the column from home in two clicks and read every 1-based page', () => {
    const paths = w.replica.log.entries({ site: 'trs-wcm-2' }).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/', '/zwgk/index.shtml', '/zwgk/zfxxgknb/', '/zwgk/zfxxgknb/index_2.shtml', '/zwgk/zfxxgknb/index_3.shtml']));
    // never index_1 (that column has none), nothing past the last page, no side column
    expect(paths.filter((p) => /index_(?:1|4)\.shtml|zcjd|zfxxgkzn|xwzx/.test(p))).toEqual([]);
    // department reports listed as ../../zwgk/bmgk/… were found in their own channel
    expect(w.replica.sites['trs-wcm-2'].reports().filter((d) => d.path.startsWith('/zwgk/bmgk/')).length).toBeGreaterThan(0);
  });

  it('Hanweb: the ranges of the older proxy path, found from the page alone (the entry has no knobs)', () => {
    const entry = loadRegistry(w.registryDir).find((e) => e.id === 'replica-hanweb-2')!;
    expect(Object.keys(entry.overrides)).toEqual(['hosts']);
    const calls = w.replica.log.entries({ site: 'hanweb-2', pathPrefix: '/module/' });
    expect(calls.map((e) => e.path.split('?')[0])).toEqual(['/module/jslib/jquery/jpage/dataproxy.jsp', '/module/jslib/jquery/jpage/dataproxy.jsp']);
    const ranges = calls.map((e) => new URL(e.path, 'http://x').searchParams).map((q) => [q.get('startrecord'), q.get('endrecord'), q.get('columnid'), q.get('unitid')]);
    expect(ranges).toEqual([['13', '24', '12377', '38486'], ['25', '36', '12377', '38486']]);
  });

  it('generic: 政务公开 → 年度报告 by link text and slug, robots.txt obeyed, no side column opened', () => {
    const paths = w.replica.log.entries({ site: 'generic-2' }).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/robots.txt', '/', '/xxgk/index.html', '/xxgk/ndbg/index.html', '/xxgk/ndbg/index_2.html']));
    expect(paths.filter((p) => p.startsWith('/zfxxgk/'))).toEqual([]);
    expect(s.skipped['robots.txt']).toBeGreaterThanOrEqual(1);
    expect(paths.filter((p) => /^\/(?:news|bsfw)\/|\/xxgk\/(?:zn|fdzdgknr|ysqgk|zcjd)\//.test(p))).toEqual([]);
  });

  it('gkmlpt: the department path prefix, the 年报 node by name, every API page once (the last one short)', () => {
    const paths = w.replica.log.entries({ site: 'gkmlpt-2' }).map((e) => e.path);
    expect(paths.filter((p) => p !== '/robots.txt' && !p.startsWith('/yjzjj/gkmlpt/'))).toEqual([]);
    const pages = paths.filter((p) => p.startsWith('/yjzjj/gkmlpt/api/all/')).map((p) => new URL(p, 'http://x')).map((u) => [u.pathname, u.searchParams.get('page')]);
    const docs = w.replica.sites['gkmlpt-2'].docs().length;
    const perPage = 7; // the variant's page size (scripts/replica/gkmlpt-variant.ts)
    expect(docs % perPage).not.toBe(0);
    expect(pages.sort()).toEqual(Array.from({ length: Math.ceil(docs / perPage) }, (_, i) => ['/yjzjj/gkmlpt/api/all/721', String(i + 1)]));
  });

  it('TRS Fujian: the list call the page names (no knobs), every page of 8 once, department channels reached', () => {
    const entry = loadRegistry(w.registryDir).find((e) => e.id === 'replica-trs-fujian-2')!;
    expect(Object.keys(entry.overrides)).toEqual(['hosts']);
    const calls = w.replica.log.entries({ site: 'trs-fujian-2', pathPrefix: '/fjdzapp/' }).map((e) => new URL(e.path, 'http://x').searchParams);
    const docs = w.replica.sites['trs-fujian-2'].docs().length;
    expect(docs % 8).not.toBe(0);
    expect(calls.map((q) => Number(q.get('page'))).sort((a, b) => a - b)).toEqual(Array.from({ length: Math.ceil(docs / 8) }, (_, i) => i + 1));
    for (const q of calls) expect([q.get('channelid'), q.get('classsql'), q.get('prepage')]).toEqual(['201988', 'chnlid=33294', '8']);
    expect(w.replica.sites['trs-fujian-2'].reports().filter((d) => d.path.startsWith('/bmxxgk/')).length).toBeGreaterThan(0);
  });

  it('JPaaS: every API page the pager count names, once, none past the end; the static column read', () => {
    const calls = w.replica.log.entries({ site: 'jpaas-2', pathPrefix: '/api-gateway/' }).map((e) => new URL(e.path, 'http://x').searchParams);
    const docs = w.replica.sites['jpaas-2'].docs().filter((d) => d.path.startsWith('/col/col1229561234/')).length;
    const rows = 4; // the variant's page size (scripts/replica/jpaas-variant.ts)
    expect(docs % rows).toBe(0); // a full last page: the case where only the count tells the end
    expect(Math.ceil(docs / rows)).toBeGreaterThan(6); // more pages than link hops
    expect(calls.map((q) => Number(q.get('pageNo'))).sort((a, b) => a - b)).toEqual(Array.from({ length: docs / rows }, (_, i) => i + 1));
    for (const q of calls) expect([q.get('webId'), q.get('pageId'), q.get('rows')]).toEqual(['4021', '1229561234', '4']);
    expect(w.replica.sites['jpaas-2'].reports().filter((d) => d.path.startsWith('/col/col1229561299/')).length).toBe(5);
  });

  it("Hanweb on host aliases: the department reports on zwgk.X (the entry's hosts), never the city's host", () => {
    const entry = loadRegistry(w.registryDir).find((e) => e.id === 'replica-hanweb-3')!;
    const site = w.replica.sites['hanweb-3'];
    const hosts = entry.overrides.hosts as string[];
    expect(hosts).toHaveLength(2);
    const byHost = new Map<string, string[]>();
    for (const e of w.replica.log.entries({ site: 'hanweb-3' })) byHost.set(e.host, [...(byHost.get(e.host) ?? []), e.path]);
    // the reports on the alias were asked there, and only hosts of the entry were asked at all
    const onAlias = site.reports().filter((d) => new URL(d.url).host === hosts[1]);
    expect(onAlias.length).toBeGreaterThanOrEqual(15);
    expect(byHost.get(hosts[1])).toEqual(expect.arrayContaining(onAlias.map((d) => d.path)));
    expect([...byHost.keys()].sort()).toEqual([...hosts].sort());
    // the column lists the city's report on the city's host: named, not fetched
    expect(w.replica.log.entries({ site: 'hanweb-3', pathPrefix: '/art/2025/2/10/art_3301_' })).toEqual([]);
  });

  it('politeness: no host had more requests in flight than its entry allows', () => {
    for (const id of SITES) {
      // per host: a site on host aliases is one host per alias
      const es = w.replica.log.entries({ site: id });
      for (const h of new Set(es.map((e) => e.host))) expect(maxInFlight(es.filter((e) => e.host === h)), `${id} ${h}`).toBeLessThanOrEqual(POLITE.concurrency);
      expect(w.replica.log.maxInFlight(id), id).toBeLessThanOrEqual(id === 'hanweb-3' ? 2 * POLITE.concurrency : POLITE.concurrency);
      expect(w.replica.log.stats(id).requests, id).toBeGreaterThan(5);
    }
  });
});
