/** The browser path's pure parts (no browser): challenge detection, the cookie jar, the gkmlpt and JPaaS adapters. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../crawlers/adapters/index.ts';
import { gkmlptConfig } from '../../crawlers/adapters/gkmlpt.ts';
import { detectChallenge } from '../../crawlers/browser/index.ts';
import { CookieJar } from '../../crawlers/cookie-jar.ts';
import type { RegistryEntry } from '../../crawlers/registry.ts';
import { startReplica, type Replica } from '../../scripts/replica/index.ts';
import { PINGTAN, pingtanEntries } from '../helpers/fixtures.ts';
import { get } from '../replica/helpers.ts';

const entry = (family: RegistryEntry['family'], url: string, overrides: Record<string, unknown> = {}): RegistryEntry => ({
  id: 'x', name: 'x', province: '广东省', city: null, county: null, level: 'city', family, entryUrls: [url], overrides,
});
const json = { 'content-type': 'application/json; charset=utf-8' };
const html = { 'content-type': 'text/html; charset=utf-8' };

describe('challenge detection', () => {
  let r: Replica;
  beforeAll(async () => {
    r = await startReplica({ only: ['waf412', 'waf521', 'hanweb'] });
  });
  afterAll(() => r?.close());

  it('knows the 412 and both 521 rounds the challenge portals send, and lets their pages through', async () => {
    const a = await get(r.sites.waf412.entryUrls[0]);
    expect(a.status).toBe(412);
    expect(detectChallenge(a.status, a.body)).toBe('riversafe');
    const b1 = await get(r.sites.waf521.entryUrls[0]);
    expect(detectChallenge(b1.status, b1.body)).toBe('jiasule');
    const jsluid = /__jsluid_h=([^;]+)/.exec(b1.headers['set-cookie'])![1];
    const codes = /fromCharCode\(([\d,]+)\)/.exec(b1.text)![1].split(',').map(Number);
    const interim = String.fromCharCode(...codes);
    const b2 = await get(r.sites.waf521.entryUrls[0], { headers: { cookie: `__jsluid_h=${jsluid}; ${interim}` } });
    expect(b2.status).toBe(521);
    expect(b2.text).toContain('go({');
    expect(detectChallenge(b2.status, b2.body)).toBe('jiasule');
    const site = r.sites.waf521.site as unknown as { solvedCookies(): Record<string, string> };
    const ok = await get(r.sites.waf521.entryUrls[0], { headers: { cookie: Object.entries(site.solvedCookies()).map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect(ok.status).toBe(200);
    expect(detectChallenge(ok.status, ok.body)).toBeNull();
    const plain = await get(r.sites.hanweb.entryUrls[0]);
    expect(detectChallenge(plain.status, plain.body)).toBeNull();
  });

  it('does not take a real report page, a 404 or a page that merely sets a cookie for a challenge', () => {
    for (const e of pingtanEntries().slice(0, 5)) expect(detectChallenge(200, readFileSync(join(PINGTAN, e.path)))).toBeNull();
    expect(detectChallenge(404, Buffer.from('<html><body><h1>404</h1></body></html>'))).toBeNull();
    const prose = `<html><body><script>document.cookie='lang=zh';location.href='#top'</script>${'<p>政府信息公开工作年度报告正文。</p>'.repeat(40)}</body></html>`;
    expect(detectChallenge(200, Buffer.from(prose))).toBeNull();
    // EdgeOne-style: a small 200 page whose script sets the cookie and reloads
    expect(detectChallenge(200, Buffer.from('<html><script>document.cookie="__tst_status=3612672000#;path=/";location.reload()</script></html>'))).toBe('js-cookie');
    expect(detectChallenge(null, null)).toBeNull();
  });
});

describe('cookie jar', () => {
  it('sends back what a host set, per host:port, and forgets expired cookies', () => {
    const jar = new CookieJar();
    expect(jar.get('http://a.test/x')).toBe('');
    jar.setFromResponse('http://a.test:8080/x', ['sid=1; Path=/; HttpOnly', 'tok=abc=def; Max-Age=3600']);
    expect(jar.get('http://a.test:8080/y')).toBe('sid=1; tok=abc=def');
    expect(jar.get('http://a.test:9090/y')).toBe('');
    jar.setFromResponse('http://a.test:8080/x', 'sid=; Max-Age=0');
    expect(jar.get('http://a.test:8080/')).toBe('tok=abc=def');
    jar.setFromResponse('http://a.test:8080/x', 'tok=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT');
    expect(jar.get('http://a.test:8080/')).toBe('');
    jar.set('b.test', 'k', 'v'); // a bare host name: every port
    jar.set('b.test:81', 'p', 'q');
    expect(jar.get('http://b.test:81/')).toBe('k=v; p=q');
    expect(jar.get('http://b.test/')).toBe('k=v');
  });
});

describe('gkmlpt adapter', () => {
  it('discovers SID and the 年报 category from a JS-literal _CONFIG, under a department path prefix', () => {
    const page = `<script>window._CONFIG = { SID: '662021', TREE: [{id: 700, name: '政策文件', children: []}, {id: 721, name: '政府信息公开年报', children: []}], SERVICE_AREA_ID: 3 };</script>`;
    const r = ADAPTERS.gkmlpt.parseList(entry('gkmlpt', 'http://h.test/yjzjj/gkmlpt/index'), 'http://h.test/yjzjj/gkmlpt/index', Buffer.from(page), html, { depth: 0 });
    expect(r.reports).toEqual([]);
    expect(r.next).toEqual(['http://h.test/yjzjj/gkmlpt/api/all/721?page=1&sid=662021']);
    expect(gkmlptConfig(page, 'http://h.test/gkmlpt/annualreport#2629')).toEqual({ sid: '662021', cat: 2629 });
    expect(gkmlptConfig(page, 'http://h.test/gkmlpt/index', 9)).toEqual({ sid: '662021', cat: 9 });
    expect(gkmlptConfig('<p>no config</p>', 'http://h.test/gkmlpt/index')).toBeNull();
  });

  it('pages the list API up to the total (page 1 queues the rest), or until an empty page without one, decoding %u-escaped titles', () => {
    const e = entry('gkmlpt', 'http://h.test/gkmlpt/index');
    const api = 'http://h.test/gkmlpt/api/all/721?page=1&sid=662021';
    const pageUrl = (n: number) => `http://h.test/gkmlpt/api/all/721?page=${n}&sid=662021`;
    const art = (id: number, title: string) => ({ id, title, url: `http://h.test/gkmlpt/content/0/${id}/post_${id}.html`, created_at: '2024-01-20 09:00:00' });
    const p1 = ADAPTERS.gkmlpt.parseList(e, api, Buffer.from(JSON.stringify({ total: 3, articles: [art(1, '%u73E0%u5CAD%u5E022023%u5E74%u653F%u5E9C%u4FE1%u606F%u516C%u5F00%u5DE5%u4F5C%u5E74%u5EA6%u62A5%u544A'), art(2, 'b')] })), json, { depth: 1 });
    expect(p1.reports[0]).toEqual({ url: 'http://h.test/gkmlpt/content/0/1/post_1.html', title: '珠岭市2023年政府信息公开工作年度报告', date: '2024-01-20' });
    expect(p1.next).toEqual([pageUrl(2)]);
    // page 2 is short and the last: no empty page 3 asked
    const p2 = ADAPTERS.gkmlpt.parseList(e, p1.next[0], Buffer.from(JSON.stringify({ total: 3, articles: [art(3, 'c')] })), json, { depth: 2 });
    expect(p2.next).toEqual([]);
    // 5 in pages of 2: page 1 queues pages 2 and 3, and they queue nothing
    const five = ADAPTERS.gkmlpt.parseList(e, api, Buffer.from(JSON.stringify({ total: 5, articles: [art(1, 'a'), art(2, 'b')] })), json, { depth: 1 });
    expect(five.next).toEqual([pageUrl(2), pageUrl(3)]);
    expect(ADAPTERS.gkmlpt.parseList(e, pageUrl(2), Buffer.from(JSON.stringify({ total: 5, articles: [art(3, 'c'), art(4, 'd')] })), json, { depth: 2 }).next).toEqual([]);
    // all on page 1: nothing more, and the column is known to end there
    expect(ADAPTERS.gkmlpt.parseList(e, api, Buffer.from(JSON.stringify({ classify: { post_count: 2 }, articles: [art(1, 'a'), art(2, 'b')] })), json, { depth: 1 })).toMatchObject({ next: [], done: true });
    // no total: page after page until an empty one
    expect(ADAPTERS.gkmlpt.parseList(e, pageUrl(2), Buffer.from(JSON.stringify({ articles: [art(3, 'c')] })), json, { depth: 2 }).next).toEqual([pageUrl(3)]);
    const empty = ADAPTERS.gkmlpt.parseList(e, api, Buffer.from('{"articles":[]}'), json, { depth: 1 });
    expect(empty).toMatchObject({ reports: [], next: [], done: true });
    expect(ADAPTERS.gkmlpt.parseList(e, api, Buffer.from('<html>error</html>'), html, { depth: 1 }).done).toBe(true);
  });
});

describe('gkmlpt adapter on other sites of the family', () => {
  it('finds the 年报 node by name when the node prints name before id, nested, beside a 解读 node', () => {
    const page = `<script>window._CONFIG = {SID: '662021', TREE: [{id: 700, name: '政府信息公开', children: [
      {name: '政策解读', id: 702, children: []}, {name: '其他', id: 710, children: [
        {name: '年报解读', id: 719, children: []}, {name: '政府信息公开年度报告', id: 721, post_count: 30, children: []}]}]}]};</script>`;
    expect(gkmlptConfig(page, 'http://h.test/yjzjj/gkmlpt/index')).toEqual({ sid: '662021', cat: 721 });
    // JSON with quoted keys, id first, children before a later sibling
    const json1 = `<script>window._CONFIG = {"SID":"175","TREE":[{"id":1,"name":"目录","children":[{"id":2,"name":"规划"}]},{"id":2629,"name":"政府信息公开年报"}]};</script>`;
    expect(gkmlptConfig(json1, 'http://h.test/gkmlpt/index')).toEqual({ sid: '175', cat: 2629 });
  });

  it("takes post_url when url is empty ('')", () => {
    const e = entry('gkmlpt', 'http://h.test/yjzjj/gkmlpt/index');
    const api = 'http://h.test/yjzjj/gkmlpt/api/all/721?page=1&sid=662021';
    const body = JSON.stringify({ classify: { post_count: 1 }, articles: [{ id: 5, title: '阳澜市2023年政府信息公开工作年度报告', url: '', post_url: '/yjzjj/gkmlpt/content/0/5/mpost_5.html' }] });
    const r = ADAPTERS.gkmlpt.parseList(e, api, Buffer.from(body), json, { depth: 1 });
    expect(r.reports.map((x) => x.url)).toEqual(['http://h.test/yjzjj/gkmlpt/content/0/5/mpost_5.html']);
  });
});

describe('hanweb-jpaas adapter', () => {
  const e = entry('hanweb-jpaas', 'http://h.test/col/col1229080140/index.html');
  it('reads the unit API call from the pager element', () => {
    const page = `<div class="pager" count="31" rows="15" pageNo="1" unitUrl="/api-gateway/jpaas-publish-server/front/page/build/unit" queryData="{'webId':'3185','pageId':'1229080140','tagId':'信息列表','tplSetId':'abc'}"></div>`;
    const r = ADAPTERS['hanweb-jpaas'].parseList(e, e.entryUrls[0], Buffer.from(page), html, { depth: 0 });
    const u = new URL(r.next[0]);
    expect(u.pathname).toBe('/api-gateway/jpaas-publish-server/front/page/build/unit');
    expect(Object.fromEntries(u.searchParams)).toEqual({ webId: '3185', pageId: '1229080140', parseType: 'bulidstatic', pageType: 'column', tagId: '信息列表', tplSetId: 'abc', rows: '15', pageNo: '1' });
  });

  it('a pager with a count queues every API page at once; pages queued so chain nothing (pageNo past the end may repeat page 1)', () => {
    // lower-case attributes as a saved DOM has them, JSON queryData with &quot; and unquoted numbers, a static first page
    const page = `<ul><li><a href="/col/col1229561234/art/2025/art_0a1b.html" title="青岙县2024年政府信息公开工作年度报告">x</a><span>2025-01-05</span></li></ul>
      <div class="pager" count="9" rows="4" pageno="1" uniturl="/api-gateway/jpaas-publish-server/front/page/build/unit" querydata="{&quot;webId&quot;:4021,&quot;pageId&quot;:1229561234,&quot;tagId&quot;:&quot;信息列表&quot;,&quot;tplSetId&quot;:&quot;X&quot;}"></div>`;
    const r = ADAPTERS['hanweb-jpaas'].parseList(e, e.entryUrls[0], Buffer.from(page), html, { depth: 0 });
    expect(r.reports.map((x) => x.url)).toEqual(['http://h.test/col/col1229561234/art/2025/art_0a1b.html']);
    expect(r.next.map((u) => Object.fromEntries(new URL(u).searchParams))).toEqual([1, 2, 3].map((n) => ({
      webId: '4021', pageId: '1229561234', parseType: 'bulidstatic', pageType: 'column', tagId: '信息列表', tplSetId: 'X', rows: '4', pageNo: String(n),
    })));
    const li = (n: number) => `<li><a href="/col/c/art/2025/art_${n}.html" title="青岙县2023年政府信息公开工作年度报告${n}">x</a></li>`;
    const full = Buffer.from(JSON.stringify({ success: true, data: { html: `<ul>${li(1)}${li(2)}${li(3)}${li(4)}</ul>` } }));
    // page 3 queued from the column page (one hop): full, but the count said it is the last
    expect(ADAPTERS['hanweb-jpaas'].parseList(e, r.next[2], full, json, { depth: 1 })).toMatchObject({ next: [], done: true });
    // no count: a chain from the column page
    const chain = ADAPTERS['hanweb-jpaas'].parseList(e, e.entryUrls[0], Buffer.from(page.replace(' count="9"', '')), html, { depth: 0 });
    expect(chain.next.map((u) => new URL(u).searchParams.get('pageNo'))).toEqual(['1']);
  });

  it('pages the JSON until a short page; a failed answer lists nothing', () => {
    const api = 'http://h.test/api-gateway/jpaas-publish-server/front/page/build/unit?webId=3185&pageId=1&rows=2&pageNo=1';
    const li = (n: number) => `<li><a href="/art/2024/3/1/art_1_${n}.html" title="临澜市2023年政府信息公开工作年度报告${n}">x</a><span>2024-03-01</span></li>`;
    const full = ADAPTERS['hanweb-jpaas'].parseList(e, api, Buffer.from(JSON.stringify({ success: true, data: { html: `<ul>${li(1)}${li(2)}</ul>` } })), json, { depth: 1 });
    expect(full.reports.map((r) => r.url)).toEqual(['http://h.test/art/2024/3/1/art_1_1.html', 'http://h.test/art/2024/3/1/art_1_2.html']);
    expect(full.reports[0].date).toBe('2024-03-01');
    expect(new URL(full.next[0]).searchParams.get('pageNo')).toBe('2');
    const short = ADAPTERS['hanweb-jpaas'].parseList(e, api, Buffer.from(JSON.stringify({ success: true, data: { html: `<ul>${li(3)}</ul>` } })), json, { depth: 2 });
    expect(short).toMatchObject({ next: [], done: true });
    const failed = ADAPTERS['hanweb-jpaas'].parseList(e, api, Buffer.from('{"success":false,"message":"参数错误"}'), json, { depth: 1 });
    expect(failed).toMatchObject({ reports: [], next: [], done: true });
  });
});
