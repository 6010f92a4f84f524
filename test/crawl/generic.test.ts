/**
 * The generic adapter on sites it was not written for: from a portal's home page it finds the 年报 column by
 * link text / URL slug and follows the column's pagination (TRS createPageHTML one page at a time; Hanweb's
 * <nextgroup> links by exploring the column's own links).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../../crawlers/registry.ts';
import { canonicalUrl } from '../../storage/index.ts';
import { latestReports, world, type World } from './helpers.ts';

let w: World;
beforeAll(async () => {
  w = await world({ only: ['pingtan', 'hanweb', 'trs-wcm'] });
});
afterAll(async () => {
  await w?.close();
});

describe('generic adapter', () => {
  it('finds the report column from the home page, and every report in it', async () => {
    const entries = loadRegistry(w.registryDir).map((e) => ({
      ...e, family: 'generic' as const, entryUrls: [new URL('/', e.entryUrls[0]).href],
    }));
    const s = await w.crawl({ entries });
    expect(s.status).toBe('finished');
    const got = new Set(latestReports(w.db).map((r) => r.url));
    for (const id of ['hanweb', 'trs-wcm']) {
      const reports = w.replica.sites[id].reports();
      const missing = reports.filter((d) => !got.has(canonicalUrl(d.url)));
      expect(missing.map((d) => d.title), id).toEqual([]);
      // the column was found by its link: the home page and the column, nothing unrelated
      const paths = w.replica.log.entries({ site: id }).map((e) => e.path);
      expect(paths).toContain('/');
      const mine = id === 'hanweb' ? /^\/(?:robots\.txt|col\/col\d+\/(?:index\.html)?|module\/web\/jpage\/dataproxy\.jsp\?.*|art\/.*)?$/ : /^\/(?:robots\.txt|xxgk\/zfxxgknb\/.*)?$/;
      expect(paths.filter((p) => !mine.test(p)), id).toEqual([]);
    }
    // Pingtan without its JS list call: the static block's reports (the first page of the column)
    const pt = w.replica.sites.pingtan;
    const shown = pt.docs().filter((d) => d.status === 'live').sort((a, b) => b.published.localeCompare(a.published)).slice(0, 10);
    for (const d of shown.filter((x) => x.isReport)) expect(got.has(canonicalUrl(d.url)), d.title).toBe(true);
    // never a non-report
    const non = Object.values(w.replica.sites).flatMap((x) => x.docs().filter((d) => !d.isReport).map((d) => canonicalUrl(d.url)));
    expect(non.filter((u) => got.has(u))).toEqual([]);
  });
});
