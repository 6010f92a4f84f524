/**
 * BrowserPool and the fetcher's browser hook against the replica: render after JS, a challenge solved once for
 * concurrent callers, cookies handed to the plain fetcher, contexts per site closed/evicted/recycled, pages closed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserAssist, BrowserPool } from '../../crawlers/browser/index.ts';
import { DEFAULT_USER_AGENT, Fetcher } from '../../crawlers/fetcher.ts';
import { startReplica, type LogEntry, type Replica } from '../../scripts/replica/index.ts';
import { get } from '../replica/helpers.ts';
import { SKIP_BROWSER, testPool } from './helpers.ts';

const nav = (e: LogEntry) => e.headers['sec-fetch-mode'] === 'navigate';
const cookiesOf = (r: Replica, id: string) => (r.sites[id].site as unknown as { solvedCookies(): Record<string, string> }).solvedCookies();

describe.skipIf(SKIP_BROWSER)('browser pool and the fetcher hook', () => {
  let r: Replica;
  let pool: BrowserPool;
  beforeAll(async () => {
    r = await startReplica({ only: ['waf412', 'waf521', 'js-list', 'hanweb'] });
    pool = testPool();
  });
  afterAll(async () => {
    await pool?.close();
    await r?.close();
  });

  it('renders a list page as it is after its script ran (the plain bytes have no links)', async () => {
    const url = r.sites['js-list'].entryUrls[0];
    const plain = await get(url);
    expect(plain.text).not.toContain('href="/art/');
    const page = await pool.render(url);
    expect(page.status).toBe(200);
    const links = [...page.html.matchAll(/<a href="(\/art\/[^"]+)"/g)].map((m) => m[1]);
    expect(links.sort()).toEqual(r.sites['js-list'].docs().filter((d) => d.status === 'live').map((d) => d.path).sort());
  });

  it('solves a two-round 521 challenge once for three concurrent callers, and the cookies open the site to plain requests', async () => {
    const url = r.sites.waf521.entryUrls[0];
    const before = pool.stats.solves;
    const [a, b, c] = await Promise.all([pool.solveChallenge(url), pool.solveChallenge(url), pool.solveChallenge(url)]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(pool.stats.solves - before).toBe(1);
    expect(a.status).toBe(200);
    expect(a.navigations).toBe(3); // round 1, round 2, the page
    const won = Object.fromEntries(a.cookies.map((x) => [x.name, x.value]));
    expect(won).toMatchObject(cookiesOf(r, 'waf521'));
    const plain = await get(url, { headers: { cookie: a.cookies.map((x) => `${x.name}=${x.value}`).join('; ') } });
    expect(plain.status).toBe(200);
  });

  it('the fetcher meets a 412, has it solved, retries plainly with the cookie, and stays plain afterwards', async () => {
    const assist = new BrowserAssist(pool);
    const f = new Fetcher({ allowedHosts: ['127.0.0.1'], allowPrivate: ['127.0.0.1'], hostDefaults: { delayMs: 0, concurrency: 4 }, browser: assist, userAgent: DEFAULT_USER_AGENT });
    try {
      const site = r.sites.waf412;
      const docs = site.reports().slice(0, 3);
      const first = await f.fetch(site.entryUrls[0]);
      expect(first.kind).toBe('ok');
      expect(first.exchanges.map((x) => x.status)).toEqual([412, 200]);
      const rest = await Promise.all(docs.map((d) => f.fetch(d.url)));
      for (const x of rest) expect(x.exchanges.map((e) => e.status)).toEqual([200]);
      expect(assist.solves).toHaveLength(1);
      expect(assist.solves[0]).toMatchObject({ ok: true, host: site.host });
      for (const [k, v] of Object.entries(cookiesOf(r, 'waf412'))) expect(f.cookies.get(site.entryUrls[0])).toContain(`${k}=${v}`);
      const log = r.log.entries({ site: 'waf412' });
      expect(log.filter(nav).filter((e) => !e.headers.cookie)).toHaveLength(1);
      for (const d of docs) expect(log.filter((e) => e.path === d.path).map((e) => [e.status, nav(e)])).toEqual([[200, false]]);
    } finally {
      await f.close();
    }
  });

  it('mode "never" leaves the challenge as the answer; mode "always" fetches through the browser', async () => {
    const hosts = { never: r.sites.waf412.host, always: r.sites['js-list'].host, xml: r.sites.hanweb.host };
    const assist = new BrowserAssist(pool, { [hosts.never]: 'never', [hosts.always]: 'always', [hosts.xml]: 'always' });
    const f = new Fetcher({ allowedHosts: ['127.0.0.1'], allowPrivate: ['127.0.0.1'], hostDefaults: { delayMs: 0 }, retry: { maxAttempts: 1 }, browser: assist });
    try {
      const refused = await f.fetch(r.sites.waf412.entryUrls[0]);
      expect(refused.status).toBe(412);
      expect(refused.kind).toBe('http_error');
      const rendered = await f.fetch(r.sites['js-list'].entryUrls[0]);
      expect(rendered.kind).toBe('ok');
      expect(rendered.headers['x-nianbao-rendered']).toBe('browser');
      expect(rendered.body!.toString('utf8')).toContain('href="/art/');
      // an XML list call through the browser is its bytes, not Chromium's XML viewer
      const xml = await f.fetch(r.sites.hanweb.url('/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=67&columnid=57812&unitid=243907'));
      expect(xml.kind).toBe('ok');
      expect(xml.headers['x-nianbao-rendered']).toBe('raw');
      expect(xml.body!.toString('utf8')).toMatch(/^<\?xml[\s\S]*<record><!\[CDATA\[/);
      expect(assist.solves).toHaveLength(0);
    } finally {
      await f.close();
    }
  });

  it('keeps one context per site, evicts the least recently used past maxContexts, recycles with cookies kept, closes every page', async () => {
    const p = new BrowserPool({ maxContexts: 2, maxPagesPerContext: 2, timeoutMs: 15_000 });
    try {
      const waf = r.sites.waf412.entryUrls[0];
      await p.solveChallenge(waf);
      await p.render(r.sites.hanweb.entryUrls[0]);
      expect(p.stats.contextsOpened).toBe(2);
      await p.render(r.sites['js-list'].entryUrls[0]); // a third site: the least recently used (waf412) goes
      expect(p.stats.contextsOpened).toBe(3);
      expect(p.stats.contextsClosed).toBe(1);
      await p.solveChallenge(waf);
      const again = await p.render(waf); // second page of this context: recycled after it, cookies carried over
      expect(again.status).toBe(200);
      const after = await p.render(waf);
      expect(after.status).toBe(200);
      expect(p.stats.launches).toBe(1);
      await p.closeSite(new URL(waf).host);
    } finally {
      await p.close();
    }
    expect(p.stats.contextsClosed).toBe(p.stats.contextsOpened);
    expect(p.stats.pagesClosed).toBe(p.stats.pagesOpened); // kept pages closed with their contexts
  });

  it('renders one site page after page in a kept page (replaced after maxRendersPerPage), without fetching its stylesheet', async () => {
    const p = new BrowserPool({ timeoutMs: 15_000, maxRendersPerPage: 3 });
    try {
      const site = r.sites.hanweb;
      const docs = site.reports().slice(0, 5);
      const since = r.log.entries({ site: 'hanweb' }).length;
      for (const d of docs) {
        const page = await p.render(d.url);
        expect(page.status).toBe(200);
        expect(page.html).toContain(d.title);
      }
      expect(p.stats.renders).toBe(docs.length);
      expect(p.stats.pagesOpened).toBe(2); // renders 1–3 in the first page, 4–5 in the second
      expect(p.stats.pagesClosed).toBe(1);
      const paths = r.log.entries({ site: 'hanweb' }).slice(since).map((e) => e.path);
      for (const d of docs) expect(paths).toContain(d.path);
      expect(paths.some((x) => x.startsWith('/module/visitcount/'))).toBe(true); // its scripts still ran
      expect(paths.filter((x) => /\.css(\?|$)/.test(x))).toEqual([]);
    } finally {
      await p.close();
    }
    expect(p.stats.pagesClosed).toBe(p.stats.pagesOpened);
  });
});
