/** Every fault behaves as specified, in bounded time (small delays). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplica, type Replica } from '../../scripts/replica/index.ts';
import { get, hrefs, raw, until } from './helpers.ts';

let r: Replica;
let k: Replica;
beforeAll(async () => {
  [r, k] = await Promise.all([
    startReplica({ only: ['faults'], sites: { faults: { slowMs: 150, tooManyTimes: 2, retryAfterS: 1, burst500Times: 3, redirectHops: 5 } } }),
    startReplica({
      only: ['hanweb', 'trs-wcm'],
      sites: {
        hanweb: {
          robots: 'User-agent: *\nDisallow: /art/2020/\n',
          faults: [
            { match: '/col/', status: 503, retryAfter: 2, times: 2 },
            { match: /dataproxy\.jsp\?page=2/, hang: 100 },
            { match: '/art/', delayMs: 120, times: 1, per: 'rule' },
          ],
        },
        'trs-wcm': { delayMs: 80 },
      },
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([r?.close(), k?.close()]);
});

const f = (path: string) => r.sites.faults.url(path);
const timed = async <T>(p: Promise<T>) => {
  const t = performance.now();
  const v = await p;
  return { v, ms: performance.now() - t };
};

describe('faults site', () => {
  it('links every fault from its index page', async () => {
    const links = hrefs((await get(f('/'))).text);
    for (const p of ['/slow/', '/timeout/', '/429/', '/500/', '/redirect/start', '/redirect/loop', '/private/', '/calendar/', '/endless/', '/endless-repeat/', '/big/page.html', '/big/chunked.html']) {
      expect(links.some((l) => l.startsWith(p)), p).toBe(true);
    }
  });

  it('slow: answers after the configured delay (default and ?ms=)', async () => {
    const a = await timed(get(f('/slow/a.html')));
    expect(a.v.status).toBe(200);
    expect(a.ms).toBeGreaterThanOrEqual(140);
    const b = await timed(get(f('/slow/b.html?ms=40')));
    expect(b.ms).toBeGreaterThanOrEqual(35);
    expect(b.ms).toBeLessThan(1000);
    const e = r.log.entries({ site: 'faults', pathPrefix: '/slow/a.html' })[0];
    expect(e.fault).toBe('slow');
    expect(e.end! - e.start).toBeGreaterThanOrEqual(140);
  });

  it('timeout: never answers; ?ms= drops the connection after that long', async () => {
    const dropped = await timed(raw(f('/timeout/a.html?ms=120')).then(() => 'answered', (err: Error) => err.message));
    expect(dropped.v).toMatch(/socket hang up|ECONNRESET/);
    expect(dropped.ms).toBeGreaterThanOrEqual(110);
    // held open: the client gives up first
    const held = await timed(raw(f('/timeout/b.html'), { timeoutMs: 150 }).then(() => 'answered', (err: Error) => err.message));
    expect(held.v).toBe('client timeout');
    expect(held.ms).toBeGreaterThanOrEqual(140);
    await until(() => r.log.entries({ pathPrefix: '/timeout/b.html' })[0]?.end !== null);
    const e = r.log.entries({ pathPrefix: '/timeout/b.html' })[0];
    expect(e).toMatchObject({ status: null, bytes: 0, aborted: true, fault: 'timeout' });
  });

  it('429: the first N requests per URL get 429 with Retry-After, then 200', async () => {
    const url = f('/429/list.html');
    const a = await get(url);
    const b = await get(url);
    const c = await get(url);
    expect([a.status, b.status, c.status]).toEqual([429, 429, 200]);
    expect(a.headers['retry-after']).toBe('1');
    expect((await get(f('/429/other.html'))).status).toBe(429); // counted per URL
    const d = await get(f('/429/date.html?date=1&retry=5'));
    expect(Date.parse(d.headers['retry-after']) - Date.now()).toBeGreaterThan(3000);
    expect((await get(f('/429/n1.html?n=1'))).status).toBe(429);
    expect((await get(f('/429/n1.html?n=1'))).status).toBe(200);
  });

  it('500 burst: N errors per URL, then 200 (status configurable)', async () => {
    const url = f('/500/page.html');
    const got = [];
    for (let i = 0; i < 4; i++) got.push((await get(url)).status);
    expect(got).toEqual([500, 500, 500, 200]);
    expect((await get(f('/500/x.html?status=503&n=1'))).status).toBe(503);
    expect((await get(f('/500/x.html?status=503&n=1'))).status).toBe(200);
  });

  it('redirect chain: exactly `hops` redirects (mixed codes, relative and absolute Locations) to a 200', async () => {
    let url = f('/redirect/start');
    const codes: number[] = [];
    const locations: string[] = [];
    for (;;) {
      const res = await get(url);
      if (res.status === 200) break;
      codes.push(res.status);
      locations.push(res.headers.location);
      url = new URL(res.headers.location, url).href;
      expect(codes.length).toBeLessThan(20);
    }
    expect(codes).toHaveLength(5);
    expect(new URL(url).pathname).toBe('/redirect/final');
    expect(new Set(codes)).toEqual(new Set([301, 302, 307]));
    expect(locations.some((l) => l.startsWith('http://'))).toBe(true);
    expect(locations.some((l) => !l.startsWith('/') && !l.startsWith('http'))).toBe(true);
    const three = await get(f('/redirect/start?hops=1'));
    expect(three.headers.location).toBe('/redirect/final');
  });

  it('redirect loop: never reaches a page', async () => {
    let url = f('/redirect/loop');
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await get(url);
      expect(res.status).toBe(302);
      seen.push(new URL(url).pathname);
      url = new URL(res.headers.location, url).href;
    }
    expect(seen).toEqual(['/redirect/loop', '/redirect/loop-b', '/redirect/loop', '/redirect/loop-b', '/redirect/loop', '/redirect/loop-b']);
    // and fetch's own limit gives up on it
    await expect(fetch(f('/redirect/loop'))).rejects.toThrow();
  });

  it('robots.txt disallows /private/ (which still answers, so a log can catch an impolite crawler)', async () => {
    const robots = await get(f('/robots.txt'));
    expect(robots.text).toBe('User-agent: *\nDisallow: /private/\n');
    expect((await get(f('/private/page.html'))).status).toBe(200);
    // a family site can be given its own robots.txt
    expect((await get(k.sites.hanweb.url('/robots.txt'))).text).toBe('User-agent: *\nDisallow: /art/2020/\n');
  });

  it('calendar trap: every day links the next one, forever', async () => {
    let url = f('/calendar/?date=2024-01-30');
    const dates = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const html = (await get(url)).text;
      const next = /<a href="(\?date=[^"]+)">后一天<\/a>/.exec(html)![1];
      url = new URL(next, url).href;
      dates.add(new URL(url).searchParams.get('date')!);
      expect(hrefs(html).length).toBeGreaterThan(28);
    }
    expect(dates.size).toBe(40);
    expect([...dates].at(-1)).toBe('2024-03-10');
  });

  it('endless list: every index_N.html exists, claims one more page, and holds new items', async () => {
    const page = async (n: number, dir = 'endless') => (await get(f(`/${dir}/index_${n}.html`))).text;
    const a = await page(1000);
    expect(a).toContain('var countPage = 1002');
    const items = hrefs(a);
    expect(items).toHaveLength(10);
    expect(hrefs(await page(1001)).some((h) => items.includes(h))).toBe(false);
    expect((await get(new URL(items[0], f('/endless/index_1000.html')).href)).status).toBe(200);
    // the repeating variant: the same 10 items on every page
    expect(hrefs(await page(5, 'endless-repeat'))).toEqual(hrefs(await page(500, 'endless-repeat')));
  });

  it('oversized page: 20 MB with Content-Length (a client can stop early), or chunked without one', async () => {
    const res = await fetch(f('/big/page.html'));
    expect(res.headers.get('content-length')).toBe(String(20 * 1024 * 1024));
    const reader = res.body!.getReader();
    let got = 0;
    while (got < 1024 * 1024) got += (await reader.read()).value!.length;
    await reader.cancel();
    await until(() => r.log.entries({ pathPrefix: '/big/page.html' })[0]?.end !== null);
    const e = r.log.entries({ pathPrefix: '/big/page.html' })[0];
    expect(e.aborted).toBe(true);
    expect(e.bytes).toBeLessThan(20 * 1024 * 1024);

    const chunked = await raw(f('/big/chunked.html?mb=1'));
    expect(chunked.headers['content-length']).toBeUndefined();
    expect(chunked.headers['transfer-encoding']).toBe('chunked');
    expect(chunked.body.length).toBe(1024 * 1024);
    expect(chunked.body.toString('utf8').endsWith('</html>\n')).toBe(true);
  });
});

describe('fault rules and delays on any site', () => {
  it('status rules with Retry-After and a count, hang rules, one-off delays', async () => {
    const col = k.sites.hanweb.entryUrls[0];
    const a = await get(col);
    const b = await get(col);
    const c = await get(col);
    expect([a.status, b.status, c.status]).toEqual([503, 503, 200]);
    expect(a.headers['retry-after']).toBe('2');

    const hung = await timed(raw(k.sites.hanweb.url('/module/web/jpage/dataproxy.jsp?page=2&columnid=57812')).then(() => 'answered', (err: Error) => err.message));
    expect(hung.v).toMatch(/socket hang up|ECONNRESET/);
    expect(hung.ms).toBeGreaterThanOrEqual(90);
    expect((await get(k.sites.hanweb.url('/module/web/jpage/dataproxy.jsp?page=1&columnid=57812'))).status).toBe(200);

    const [d1, d2] = k.sites.hanweb.reports();
    const first = await timed(get(d1.url));
    const second = await timed(get(d2.url));
    expect(first.ms).toBeGreaterThanOrEqual(110);
    expect(second.ms).toBeLessThan(first.ms + 1000);
    // the delay rule applied once (times: 1, per rule), not per URL
    expect(k.log.entries({ site: 'hanweb', pathPrefix: d1.path })[0].fault).toBe('delay');
    expect(k.log.entries({ site: 'hanweb', pathPrefix: d2.path })[0].fault).toBeUndefined();
    expect(k.log.entries({ site: 'hanweb', status: 503 })).toHaveLength(2);
    expect(k.log.entries({ site: 'hanweb', status: 503 })[0].fault).toBe('status 503');
  });

  it('a site-wide delay applies to every response', async () => {
    for (const url of [k.sites['trs-wcm'].entryUrls[0], k.sites['trs-wcm'].reports()[0].url]) {
      const { v, ms } = await timed(get(url));
      expect(v.status).toBe(200);
      expect(ms).toBeGreaterThanOrEqual(75);
    }
  });
});
