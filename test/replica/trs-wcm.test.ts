/** The TRS WCM replica: index_N.html paging by createPageHTML, GBK pages with no charset in the header. */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePage, isAnnualReport } from '../../parsers/index.ts';
import { startReplica, type Replica } from '../../scripts/replica/index.ts';
import { flattenApplications, pingtanEntries, pingtanExpected, reviewObject } from '../helpers/fixtures.ts';
import { get, hrefs } from './helpers.ts';

let r: Replica;
beforeAll(async () => {
  r = await startReplica({ only: ['trs-wcm'] });
});
afterAll(() => r?.close());

const gbk = (b: Buffer) => iconv.decode(b, 'gbk');
const isUtf8 = (b: Buffer) => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
};

describe('TRS WCM replica', () => {
  it('pages the column as index.html, index_1.html, … by createPageHTML(countPage, currentPage, "index", "html")', async () => {
    const site = r.sites['trs-wcm'];
    expect(site.entryUrls).toEqual([`${site.baseUrl}/xxgk/zfxxgknb/index.html`]);
    const first = gbk((await get(site.entryUrls[0])).body);
    expect(first).toContain('createPageHTML(countPage, currentPage, "index", "html");');
    const count = Number(/var countPage = (\d+)/.exec(first)?.[1]);
    expect(count).toBe(5); // 43 items, 10 a page
    const seen: string[] = [];
    for (let p = 0; p < count; p++) {
      const res = await get(site.url(`/xxgk/zfxxgknb/${p ? `index_${p}.html` : 'index.html'}`));
      expect(res.status).toBe(200);
      const html = gbk(res.body);
      expect(html).toContain(`var currentPage = ${p};`);
      seen.push(...hrefs(html).filter((h) => /^\.\/\d{6}\/t\d{8}_\d+\.html$/.test(h)));
    }
    expect(seen).toHaveLength(43);
    const live = site.docs().filter((d) => d.status === 'live');
    expect(seen.map((h) => new URL(h, site.entryUrls[0]).href).sort()).toEqual(live.map((d) => d.url).sort());
    // past the last page, and index_0: 404
    expect((await get(site.url(`/xxgk/zfxxgknb/index_${count}.html`))).status).toBe(404);
    expect((await get(site.url('/xxgk/zfxxgknb/index_0.html'))).status).toBe(404);
  });

  it('sends GBK bytes with a bare Content-Type: text/html (the charset only in <meta>)', async () => {
    const site = r.sites['trs-wcm'];
    const d = site.reports().sort((a, b) => b.published.localeCompare(a.published))[0]; // on the first list page
    for (const url of [site.entryUrls[0], d.url]) {
      const res = await get(url);
      expect(res.headers['content-type']).toBe('text/html');
      expect(isUtf8(res.body)).toBe(false);
      const html = gbk(res.body);
      expect(html).toContain('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">');
      expect(html).toContain(d.title);
      expect(res.body.includes(iconv.encode(d.title, 'gbk'))).toBe(true);
    }
    const detail = gbk((await get(d.url)).body);
    expect(detail).toContain(`<meta name="ArticleTitle" content="${d.title}">`);
    expect(detail).toMatch(/<meta name="catalogs" content="\d+">/);
    expect(detail).toMatch(/<div class="TRS_Editor">[\s\S]*本年新收/);
    expect(d.path).toMatch(/^\/xxgk\/zfxxgknb\/(\d{6})\/t\1\d{2}_\d+\.html$/);
  });

  it('a served GBK report parses to the same numbers as its source page (Pingtan 2024, expected.json)', async () => {
    const site = r.sites['trs-wcm'];
    const d = site.reports().find((x) => x.source === 'pingtan:97791');
    expect(d).toBeDefined();
    expect(d!.year).toBe(2024);
    const res = await get(d!.url);
    const rep = parsePage({ body: new Uint8Array(res.body), url: d!.url, headers: res.headers });
    expect(isAnnualReport(rep)).toBe(true);
    expect(rep.title).toBe(d!.title);
    expect(rep.agency).toBe(d!.agency);
    expect(rep.year).toBe(2024);
    expect(rep.template).toBe('2021');
    // numbers typed from the source page (fixtures/portals/pingtan/202503/…/expected.json)
    expect(rep.tables.applications['new_received.natural_person']).toBe(217);
    expect(rep.tables.applications['new_received.commercial']).toBe(1);
    expect(rep.tables.applications['new_received.total']).toBe(218);
    expect(rep.tables.applications['granted.total']).toBe(71);
    expect(rep.tables.applications['unavailable_not_held.total']).toBe(75);
    expect(rep.tables.review_litigation.review_total).toBe(7);
    expect(rep.tables.review_litigation.suit_after_review_total).toBe(19);
    // and every value the expected file lists
    const exp = pingtanExpected(pingtanEntries().find((e) => e.docid === '97791')!);
    const want = flattenApplications(exp.applications);
    expect(Object.fromEntries(Object.keys(want).map((k) => [k, rep.tables.applications[k]]))).toEqual(want);
    const review = reviewObject(exp.review_litigation);
    expect(Object.fromEntries(Object.keys(review).map((k) => [k, rep.tables.review_litigation[k]]))).toEqual(review);
  });

  it('serves a home page and a permissive robots.txt', async () => {
    const site = r.sites['trs-wcm'];
    expect(gbk((await get(site.url('/'))).body)).toContain('href="/xxgk/zfxxgknb/"');
    expect((await get(site.url('/robots.txt'))).text).toBe('User-agent: *\nDisallow:\n');
  });
});
