/** The family adapters on bytes alone (no server): list parsing, continuation and stop rules. */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ADAPTERS, adapterFor, trsPager } from '../../crawlers/adapters/index.ts';
import { keepReport } from '../../crawlers/crawl.ts';
import type { RegistryEntry } from '../../crawlers/registry.ts';

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
      .toEqual({ count: 7, current: 2, name: 'index', ext: 'html' });
    expect(trsPager('createPageHTML(5, 0, "index", "shtml");')).toEqual({ count: 5, current: 0, name: 'index', ext: 'shtml' });
    expect(trsPager('<p>no pager</p>')).toBeNull();
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

  it('keeps annual-report titles only, and filters by year', () => {
    expect(keepReport('平潭综合实验区2023年度政府信息公开工作年度报告', null)).toBe(true);
    expect(keepReport('东岚市民政局2022年政府信息公开年报', null)).toBe(true);
    expect(keepReport('政府信息公开年报', null)).toBe(false); // the column itself
    expect(keepReport('关于报送2023年政府信息公开工作年度报告的通知', null)).toBe(false);
    expect(keepReport('关于第12号事项的通知', null)).toBe(false);
    expect(keepReport('东岚市2021年政府信息公开工作年度报告', { from: 2022, to: 2024 })).toBe(false);
    expect(keepReport('东岚市2023年政府信息公开工作年度报告', { from: 2022, to: 2024 })).toBe(true);
  });
});
