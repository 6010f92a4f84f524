/** The family adapters on bytes alone (no server): list parsing, continuation and stop rules. */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ADAPTERS, adapterFor, trsPager } from '../../crawlers/adapters/index.ts';
import { trsPageUrl } from '../../crawlers/adapters/types.ts';
import { keepReport } from '../../crawlers/crawl.ts';
import type { RegistryEntry } from '../../crawlers/registry.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trsFujianListArgs } from '../../crawlers/adapters/trs-fujian-list-args.ts';
import { SHARED } from '../helpers/fixtures.ts';

const entry = (family: RegistryEntry['family'], overrides: Record<string, unknown> = {}): RegistryEntry => ({
  id: 'x', name: 'x', province: '福建省', city: null, county: null, level: 'city', family, entryUrls: ['http://h.test/col/index.html'], overrides,
});
const html = { 'content-type': 'text/html; charset=utf-8' };

describe('adapters', () => {
  it('one adapter per family, generic as the fallback', () => {
    expect(Object.keys(ADAPTERS).sort()).toEqual(['generic', 'gkmlpt', 'hanweb-jcms', 'hanweb-jpaas', 'trs-fujian', 'trs-wcm']);
    expect(adapterFor('unknown-cms')).toBe(ADAPTERS.generic);
  });

  it('reads both forms of the TRS createPageHTML pager', () => {
    expect(trsPager('var currentPage = 2;\nvar countPage = 7//共多少页\ncreatePageHTML(countPage, currentPage, "index", "html");'))
      .toEqual({ count: 7, current: 2, name: 'index', ext: 'html', base: 0 });
    expect(trsPager('createPageHTML(5, 0, "index", "shtml");')).toEqual({ count: 5, current: 0, name: 'index', ext: 'shtml', base: 0 });
    expect(trsPager('<p>no pager</p>')).toBeNull();
  });

  it('reads the other TRS pager signatures: createPage, appended style/record count, the 1-based element-id form', () => {
    expect(trsPager('createPage(4, 1, "index", "html");')).toEqual({ count: 4, current: 1, name: 'index', ext: 'html', base: 0 });
    expect(trsPager('createPageHTML(25, 0, "index", "shtml", "black2", 497);')).toEqual({ count: 25, current: 0, name: 'index', ext: 'shtml', base: 0 });
    // Hunan / Xinjiang: the pager element's id first, pages numbered from 1 (the second page is index_2)
    const one = trsPager("createPageHTML('paging', 25, 1, 'index', 'html', 497);")!;
    expect(one).toEqual({ count: 25, current: 0, name: 'index', ext: 'html', base: 1 });
    expect(trsPageUrl('http://h.test/c/index.html', one.name, one.ext, 1, one.base)).toBe('http://h.test/c/index_2.html');
    expect(trsPager('createPageHTML("page_div", 3, 2, "list", "shtml", 30);')).toMatchObject({ current: 1, name: 'list', base: 1 });
    // an inline page.js defines the function before the call: its parameters are not a pager
    expect(trsPager('function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {}\nvar countPage = 3;createPageHTML(countPage, 0, "index", "html");'))
      .toEqual({ count: 3, current: 0, name: 'index', ext: 'html', base: 0 });
  });

  it('trs-wcm: 1-based pager, table rows, mixed ./ and ../../ links, GBK with no charset declared anywhere', () => {
    const page = `<html><head><title>政府信息公开年报</title></head><body><table>
<tr><td><a href="./202403/t20240315_123.shtml" target="_blank">北溪市2023年政府信息公开工作年度报告</a></td><td>2024-03-15</td></tr>
<tr><td><a href="../../zwgk/bmgk/mzj/202402/t20240220_99.shtml" title="北溪市民政局2023年政府信息公开工作年度报告">北溪市民政局…</a></td><td>2024-02-20</td></tr>
</table><script>createPageHTML('page_div', 3, 1, 'index', 'shtml', 25);</script></body></html>`;
    const r = ADAPTERS['trs-wcm'].parseList(entry('trs-wcm'), 'http://h.test/zwgk/zfxxgknb/index.shtml', iconv.encode(page, 'gbk'), { 'content-type': 'text/html' }, { depth: 0 });
    expect(r.reports.map((x) => [x.url, x.title, x.date])).toEqual([
      ['http://h.test/zwgk/zfxxgknb/202403/t20240315_123.shtml', '北溪市2023年政府信息公开工作年度报告', '2024-03-15'],
      ['http://h.test/zwgk/bmgk/mzj/202402/t20240220_99.shtml', '北溪市民政局2023年政府信息公开工作年度报告', '2024-02-20'],
    ]);
    expect(r.next).toEqual(['http://h.test/zwgk/zfxxgknb/index_2.shtml', 'http://h.test/zwgk/zfxxgknb/index_3.shtml']);
  });

  it('trs-wcm: an entry that is not the column leads to it (home → 政府信息公开 → 年报)', () => {
    const home = '<a href="/xwzx/">新闻中心</a><a href="/zwgk/index.shtml">政府信息公开</a><a href="/hdjl/">互动交流</a>';
    const a = ADAPTERS['trs-wcm'].parseList(entry('trs-wcm'), 'http://h.test/', Buffer.from(home), html, { depth: 0 });
    expect(a.next).toEqual(['http://h.test/zwgk/index.shtml']);
    const hub = '<a href="./zfxxgkzn/">政府信息公开指南</a><a href="./zcjd/">政策解读</a><a href="./zfxxgknb/index.shtml">政府信息公开年报</a>';
    const b = ADAPTERS['trs-wcm'].parseList(entry('trs-wcm'), 'http://h.test/zwgk/index.shtml', Buffer.from(hub), html, { depth: 1 });
    expect(b.next).toEqual(['http://h.test/zwgk/zfxxgknb/index.shtml']);
  });

  it('trs-wcm: a GBK page without a header charset, all pages queued from the first', () => {
    const page = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body><ul>
<li><a href="./202403/t20240301_5.html" title="南屿县民政局2023年政府信息公开工作年度报告">南屿县民政局2023年…</a><span>2024-03-01</span></li></ul>
<script>var currentPage = 0;var countPage = 3//共多少页
createPageHTML(countPage, currentPage, "index", "html");</script></body></html>`;
    const r = ADAPTERS['trs-wcm'].parseList(entry('trs-wcm'), 'http://h.test/xxgk/zfxxgknb/index.html', iconv.encode(page, 'gbk'), { 'content-type': 'text/html' }, { depth: 0 });
    expect(r.reports).toEqual([{ url: 'http://h.test/xxgk/zfxxgknb/202403/t20240301_5.html', title: '南屿县民政局2023年政府信息公开工作年度报告', date: '2024-03-01' }]);
    expect(r.next).toEqual(['http://h.test/xxgk/zfxxgknb/index_1.html', 'http://h.test/xxgk/zfxxgknb/index_2.html']);
  });

  it('hanweb-jcms: the XML island, <nextgroup>, and the stop on a short batch', () => {
    const e = entry('hanweb-jcms', { perPage: 2, groupSize: 1, inlineGroupPage: 0 });
    const rec = (n: number) => `<record><![CDATA[<li><a href="/art/2024/3/1/art_1_${n}.html" title="东岚市2023年政府信息公开工作年度报告${n}">x</a><b>2024-03-01</b></li>]]></record>`;
    const col = `<div id="9"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&columnid=1"></a>]]></nextgroup><recordset>${rec(1)}${rec(2)}</recordset></datastore></script></div><script>$('#9').jpage({totalRecord:3});</script>`;
    const a = ADAPTERS['hanweb-jcms'].parseList(e, 'http://h.test/col/col1/index.html', Buffer.from(col), html, { depth: 0 });
    expect(a.reports.map((r) => r.url)).toEqual(['http://h.test/art/2024/3/1/art_1_1.html', 'http://h.test/art/2024/3/1/art_1_2.html']);
    expect(a.next).toEqual(['http://h.test/module/web/jpage/dataproxy.jsp?page=1&columnid=1']);
    const xml = `<?xml version="1.0"?><datastore><totalrecord>3</totalrecord><recordset>${rec(3)}</recordset></datastore>`;
    const b = ADAPTERS['hanweb-jcms'].parseList(e, a.next[0], Buffer.from(xml), { 'content-type': 'text/xml' }, { depth: 1 });
    expect(b.reports).toHaveLength(1);
    expect(b.next).toEqual([]);
    expect(b.done).toBe(true);
  });

  it('hanweb-jcms: no knobs, no <nextgroup>: the jpage init names the old proxy path, ids and group; range calls until short', () => {
    const e = entry('hanweb-jcms');
    const rec = (n: number) => `<record><![CDATA[\n<tr><td><a title='西岭市2023年政府信息公开工作年度报告${n}' href='/art/2024/3/1/art_7_${n}.html' target=_blank>西岭市…</a></td><td><span class="time">\n2024-03-01\n</span></td></tr>]]></record>`;
    const col = `<div id="5501"><script type="text/xml"><datastore><recordset>${[1, 2, 3, 4].map(rec).join('')}</recordset></datastore></script></div>
<script>$('#5501').jpage({themeName:'default',totalRecord:9,groupSize:2,proxyUrl:'/module/jslib/jquery/jpage/dataproxy.jsp',perPage:2,ajaxParam:{col:1,appid:'1',webid:12,path:'/',columnid:7,unitid:'5501',webname:'西岭市',permissiontype:0}});</script>`;
    const a = ADAPTERS['hanweb-jcms'].parseList(e, 'http://h.test/col/col7/index.html', Buffer.from(col), html, { depth: 0 });
    expect(a.reports.map((r) => [r.url, r.date])).toContainEqual(['http://h.test/art/2024/3/1/art_7_1.html', '2024-03-01']);
    expect(a.reports).toHaveLength(4);
    const n1 = new URL(a.next[0]);
    expect(n1.pathname).toBe('/module/jslib/jquery/jpage/dataproxy.jsp');
    expect(Object.fromEntries(n1.searchParams)).toMatchObject({ startrecord: '5', endrecord: '8', perpage: '2', columnid: '7', unitid: '5501', webid: '12' });
    const xml = (ns: number[]) => Buffer.from(`<?xml version="1.0"?><datastore><totalrecord>9</totalrecord><recordset>${ns.map(rec).join('')}</recordset></datastore>`);
    const b = ADAPTERS['hanweb-jcms'].parseList(e, a.next[0], xml([5, 6, 7, 8]), { 'content-type': 'text/xml' }, { depth: 1 });
    expect(b.reports).toHaveLength(4);
    expect(Object.fromEntries(new URL(b.next[0]).searchParams)).toMatchObject({ startrecord: '9', endrecord: '12' });
    const c = ADAPTERS['hanweb-jcms'].parseList(e, b.next[0], xml([9]), { 'content-type': 'text/xml' }, { depth: 2 });
    expect(c.reports).toHaveLength(1);
    expect(c.next).toEqual([]);
    expect(c.done).toBe(true);
  });

  it('trs-fujian: the static block, then the JSON list call page by page until pageCount', () => {
    const e = entry('trs-fujian', { search: { url: 'http://h.test/fjdzapp/search', params: { channelid: '1', classsql: 'chnlid=2', prepage: 2 }, pageBase: 1 } });
    const list = '<dl><dd><a href="./202403/t20240301_9.htm" title="平潭综合实验区2023年度政府信息公开工作年度报告">…</a></dd><dd>2024-03-01</dd></dl>';
    const a = ADAPTERS['trs-fujian'].parseList(e, 'http://h.test/zwgk/zfxxgk/zfxxgknb/index.htm', Buffer.from(list), html, { depth: 0 });
    expect(a.reports[0].url).toBe('http://h.test/zwgk/zfxxgk/zfxxgknb/202403/t20240301_9.htm');
    expect(a.next).toEqual(['http://h.test/fjdzapp/search?channelid=1&classsql=chnlid%3D2&prepage=2&page=1']);
    const json = (page: number) => Buffer.from(JSON.stringify({ total: 3, page, prepage: 2, pageCount: 2, docs: [{ doctitle: 't', chnldocurl: 'http://h.test/a.htm', docreltime: '2024-03-01 10:00:00' }] }));
    const p1 = ADAPTERS['trs-fujian'].parseList(e, a.next[0], json(1), { 'content-type': 'application/json' }, { depth: 1 });
    expect(p1.next).toEqual(['http://h.test/fjdzapp/search?channelid=1&classsql=chnlid%3D2&prepage=2&page=2']);
    expect(p1.reports).toEqual([{ url: 'http://h.test/a.htm', title: 't', date: '2024-03-01' }]);
    const p2 = ADAPTERS['trs-fujian'].parseList(e, p1.next[0], json(2), { 'content-type': 'application/json' }, { depth: 2 });
    expect(p2.next).toEqual([]);
  });

  it('trs-fujian without search knobs: the list call the page names (the real Pingtan list page)', () => {
    const page = readFileSync(join(SHARED, 'fixtures', 'sites', 'trs-fujian', 'pingtan-zfxxgknb-list.html'), 'utf8');
    const url = 'http://h.test/zwgk/zfxxgk/zfxxgknb/index.htm';
    // channelid is SiteInfo.searchId (200210 on the page), classsql the non-empty side of `"" || "chnlid=1813"`
    expect(trsFujianListArgs(page, url)).toEqual({ url: 'http://h.test/fjdzapp/search', params: { channelid: '200210', classsql: 'chnlid=1813', sortfield: '-docorderpri,-docreltime', prepage: '10' } });
    expect(trsFujianListArgs('<script>listModel({ listArgs: { channelid: 201988, classsql: "chnlid=33294" } })</script>', url)?.params).toEqual({ channelid: '201988', classsql: 'chnlid=33294' });
    expect(trsFujianListArgs('<p>no script</p>', url)).toBeNull();
    const a = ADAPTERS['trs-fujian'].parseList(entry('trs-fujian'), url, Buffer.from(page), html, { depth: 0 });
    expect(a.next).toEqual(['http://h.test/fjdzapp/search?channelid=200210&classsql=chnlid%3D1813&sortfield=-docorderpri%2C-docreltime&prepage=10&page=1']);
    expect(a.reports.some((r) => r.url === 'http://h.test/zwgk/zfxxgk/zfxxgknb/202503/t20250310_97791.htm')).toBe(true);
  });

  it('trs-fujian: an answer with only {total, docs} pages by the prepage asked for', () => {
    const call = 'http://h.test/fjdzapp/search?channelid=1&classsql=chnlid%3D2&prepage=8&page=3';
    const doc = { doctitle: '霞屿县2023年政府信息公开工作年度报告', chnldocurl: '/bmxxgk/jyj/zfxxgknb/202403/t20240305_1.html', docreltime: '2024-03-05 09:10:00' };
    const p3 = ADAPTERS['trs-fujian'].parseList(entry('trs-fujian'), call, Buffer.from(JSON.stringify({ total: 30, docs: [doc] })), { 'content-type': 'application/json' }, { depth: 3 });
    expect(p3.reports).toEqual([{ url: 'http://h.test/bmxxgk/jyj/zfxxgknb/202403/t20240305_1.html', title: doc.doctitle, date: '2024-03-05' }]);
    // 30 in pages of 8: page 4 is the last
    expect(p3.next).toEqual(['http://h.test/fjdzapp/search?channelid=1&classsql=chnlid%3D2&prepage=8&page=4']);
    const p4 = ADAPTERS['trs-fujian'].parseList(entry('trs-fujian'), p3.next[0], Buffer.from(JSON.stringify({ total: 30, docs: [doc] })), { 'content-type': 'application/json' }, { depth: 4 });
    expect(p4).toMatchObject({ next: [], done: true });
  });

  it('keeps annual-report titles only, and filters by year', () => {
    expect(keepReport('平潭综合实验区2023年度政府信息公开工作年度报告', null)).toBe(true);
    expect(keepReport('东岚市民政局2022年政府信息公开年报', null)).toBe(true);
    expect(keepReport('政府信息公开年报', null)).toBe(false); // the column itself
    expect(keepReport('关于报送2023年政府信息公开工作年度报告的通知', null)).toBe(false);
    expect(keepReport('关于第12号事项的通知', null)).toBe(false);
    // the other forms a title takes, and what a column lists beside the reports
    expect(keepReport('2023年度西岭区政府信息公开年报', null)).toBe(true);
    expect(keepReport('西岭区2023年度政府信息公开工作报告', null)).toBe(true);
    expect(keepReport('《西岭区2023年政府信息公开工作年度报告》政策解读', null)).toBe(false);
    expect(keepReport('图解：西岭区2023年政府信息公开工作年度报告', null)).toBe(false);
    expect(keepReport('西岭区民政局2024年政务公开工作年度计划', null)).toBe(false);
    expect(keepReport('西岭区民政局2023年度工作总结', null)).toBe(false);
    expect(keepReport('东岚市2021年政府信息公开工作年度报告', { from: 2022, to: 2024 })).toBe(false);
    expect(keepReport('东岚市2023年政府信息公开工作年度报告', { from: 2022, to: 2024 })).toBe(true);
  });
});
