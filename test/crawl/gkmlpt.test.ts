/**
 * The gkmlpt list API from the replica's request log: page 1's size and the total give the last page, so a
 * crawl asks pages 1…⌈live/20⌉ once each and never the empty page past the end (crawlers/adapters/gkmlpt.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSiteReports, latestReports, world, type World } from './helpers.ts';

const PER_PAGE = 20; // the replica's default page size (scripts/replica/gkmlpt.ts)

describe('gkmlpt listing (replica, no browser)', () => {
  let w: World;
  beforeAll(async () => {
    w = await world({ only: ['gkmlpt'], sites: { gkmlpt: { agencies: 4 } } });
  });
  afterAll(() => w?.close());

  const apiPages = (afterSeq = 0) => w.replica.log.entries({ site: 'gkmlpt' })
    .filter((e) => e.seq > afterSeq && e.path.startsWith('/gkmlpt/api/all/'))
    .map((e) => ({ page: Number(new URLSearchParams(e.path.split('?')[1]).get('page')), status: e.status }))
    .sort((a, b) => a.page - b.page);
  const expected = () => {
    const live = w.replica.sites.gkmlpt.docs().filter((d) => d.status === 'live').length;
    // a short last page: the case that used to cost one more, empty, request
    expect(live % PER_PAGE).not.toBe(0);
    return Array.from({ length: Math.ceil(live / PER_PAGE) }, (_, i) => ({ page: i + 1, status: 200 }));
  };

  it('asks each API page once, up to the last one the total allows, and finds every report', async () => {
    const s = await w.crawl({ browser: false });
    expect(s.status).toBe('finished');
    expect(expected().length).toBeGreaterThan(1);
    expect(apiPages()).toEqual(expected());
    expectSiteReports(w, 'gkmlpt', new Map(latestReports(w.db).map((r) => [r.url, r])));
  }, 60_000);

  it('night two (reports added): the new last page, and still nothing past it', async () => {
    const seq = Math.max(0, ...w.replica.log.entries().map((e) => e.seq));
    w.replica.nextNight();
    const s = await w.crawl({ browser: false });
    expect(s.status).toBe('finished');
    expect(apiPages(seq)).toEqual(expected());
  }, 60_000);
});
