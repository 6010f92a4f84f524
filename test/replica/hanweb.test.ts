/** The Hanweb JCMS replica: XML island on the column page, dataproxy.jsp in both styles, /art/ details. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplica, type Replica } from '../../scripts/replica/index.ts';
import { get } from './helpers.ts';

let r: Replica;
beforeAll(async () => {
  r = await startReplica({ only: ['hanweb'], sites: { hanweb: { perPage: 10, groupSize: 2 } } });
});
afterAll(() => r?.close());

const records = (xml: string) => [...xml.matchAll(/<record><!\[CDATA\[[\s\S]*?href="([^"]+)"[^>]*title="([^"]*)"[\s\S]*?\]\]><\/record>/g)].map((m) => m[1]);
const nextgroup = (xml: string) => /<nextgroup><!\[CDATA\[<a href="([^"]+)"/.exec(xml)?.[1] ?? null;

describe('Hanweb JCMS replica', () => {
  it('embeds the first group of records as XML in the column page, with the jpage init', async () => {
    const site = r.sites.hanweb;
    expect(site.entryUrls).toEqual([`${site.baseUrl}/col/col57812/index.html`]);
    const res = await get(site.entryUrls[0]);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<div id="243907"><script type="text\/xml"><datastore>\s*<nextgroup><!\[CDATA\[<a href="\/module\/web\/jpage\/dataproxy\.jsp\?page=1&appid=1/);
    const inline = records(res.text);
    expect(inline).toHaveLength(20); // groupSize 2 × perPage 10
    for (const h of inline) expect(h).toMatch(/^\/art\/\d{4}\/[1-9]\d?\/[1-9]\d?\/art_57812_\d+\.html$/);
    const total = Number(/totalRecord:(\d+)/.exec(res.text)?.[1]);
    expect(total).toBe(site.docs().filter((d) => d.status === 'live').length);
    expect(total).toBe(43); // 6 agencies × 7 years − 2 held back + 3 notices
    // the webname in <nextgroup> is URL-encoded twice, as on real sites
    expect(nextgroup(res.text)).toContain('webname=%25E4%25B8%259C');
  });

  it('pages through dataproxy.jsp style B (GET page=N from <nextgroup>) to every record', async () => {
    const site = r.sites.hanweb;
    const col = (await get(site.entryUrls[0])).text;
    const seen = records(col);
    let next = nextgroup(col);
    let pages = 0;
    while (next) {
      const res = await get(site.url(next));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/xml/);
      expect(res.text).toMatch(/<totalrecord>43<\/totalrecord>\s*<totalpage>3<\/totalpage>/);
      seen.push(...records(res.text));
      next = nextgroup(res.text);
      pages++;
    }
    expect(pages).toBe(2);
    // page=1 is the group after the inline one; no duplicates, nothing missing, newest first
    expect(new Set(seen).size).toBe(43);
    expect(seen.sort()).toEqual(site.docs().filter((d) => d.status === 'live').map((d) => d.path).sort());
    // past the end: an empty recordset
    const past = await get(site.url('/module/web/jpage/dataproxy.jsp?page=9&appid=1&webid=67&path=/&columnid=57812&unitid=243907'));
    expect(records(past.text)).toHaveLength(0);
  });

  it('answers style A (POST ?startrecord&endrecord&perpage with the widget form body), 1-based inclusive', async () => {
    const site = r.sites.hanweb;
    const body = 'col=1&appid=1&webid=67&path=%2F&columnid=57812&sourceContentType=1&unitid=243907&webname=%E4%B8%9C%E5%B2%9A&permissiontype=0';
    const post = (s: number, e: number) => get(site.url(`/module/web/jpage/dataproxy.jsp?startrecord=${s}&endrecord=${e}&perpage=10`), {
      method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8', 'x-requested-with': 'XMLHttpRequest' },
    });
    const a = records((await post(1, 20)).text);
    const b = records((await post(21, 40)).text);
    const c = records((await post(41, 60)).text);
    expect([a.length, b.length, c.length]).toEqual([20, 20, 3]);
    expect(a).toEqual(records((await get(site.entryUrls[0])).text));
    expect(new Set([...a, ...b, ...c]).size).toBe(43);
    expect((await post(1, 20)).text).toContain('<totalrecord>43</totalrecord>');
    // another column's id → an empty datastore
    const other = await get(site.url('/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=20&perpage=10'), { method: 'POST', body: 'columnid=999&unitid=1' });
    expect(other.text).toContain('<totalrecord>0</totalrecord>');
    // the older proxy paths do not exist here
    expect((await get(site.url('/module/jslib/jquery/jpage/dataproxy.jsp?page=1'))).status).toBe(404);
  });

  it('serves details at /art/YYYY/M/D/art_C_N.html with Hanweb conventions', async () => {
    const site = r.sites.hanweb;
    const d = site.reports()[0];
    const res = await get(d.url);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html;charset=UTF-8');
    const t = res.text;
    expect(t).toMatch(/<!--ZJEG_RSS\.content\.begin--><meta name="ContentStart">[\s\S]*本年新收[\s\S]*<meta name="ContentEnd"><!--ZJEG_RSS\.content\.end-->/);
    expect(t).toContain(`<meta name="ArticleTitle" content="${d.title}">`);
    expect(t).toMatch(/<meta name="PubDate" content="\d{4}-\d{2}-\d{2} \d{2}:\d{2}">/);
    expect(t).toContain(`<meta name="i_columnid" content="57812">`);
    expect(t).toContain("<meta name='Generator' content='大汉版通'>");
    expect(t).toMatch(/<table class="xxgk_table"[\s\S]*索引号[\s\S]*发布机构<\/td><td>[^<]+<\/td>[\s\S]*标题<\/td><td colspan="3">/);
    expect(t).toContain('Produced By 大汉网络 大汉版通发布系统');
    // month and day are not zero-padded
    const [y, m, dd] = d.published.split('-').map(Number);
    expect(d.path.startsWith(`/art/${y}/${m}/${dd}/art_57812_`)).toBe(true);
    // a wrong date in the path is not the page
    expect((await get(site.url(d.path.replace(`/art/${y}/`, `/art/${y - 1}/`)))).status).toBe(404);
  });

  it('has many distinct reports (agencies × years 2019–2025), non-reports to skip, and a permissive robots.txt', async () => {
    const docs = r.sites.hanweb.docs();
    const reports = docs.filter((d) => d.isReport);
    expect(new Set(reports.map((d) => d.title)).size).toBe(reports.length);
    expect(new Set(reports.map((d) => d.agency)).size).toBe(6);
    expect(new Set(reports.map((d) => d.year))).toEqual(new Set([2019, 2020, 2021, 2022, 2023, 2024, 2025]));
    expect(docs.filter((d) => !d.isReport).map((d) => d.title)).toEqual(expect.arrayContaining([expect.stringMatching(/^关于做好\d{4}年度政府信息公开工作年度报告编制发布工作的通知$/)]));
    expect(docs.filter((d) => !d.isReport)).toHaveLength(3);
    const robots = await get(r.sites.hanweb.url('/robots.txt'));
    expect(robots.status).toBe(200);
    expect(robots.text).toBe('User-agent: *\nDisallow:\n');
  });
});
