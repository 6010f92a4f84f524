/** The request log: what tests of the crawler read (hosts, validators sent, timing, status, bytes). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplica, type Replica } from '../../scripts/replica/index.ts';
import { get, raw, sleep, until } from './helpers.ts';

let r: Replica;
beforeAll(async () => {
  r = await startReplica({ only: ['hanweb', 'trs-wcm', 'faults'], sites: { hanweb: { delayMs: 60 } } });
});
afterAll(() => r?.close());

describe('request log', () => {
  it('gives every site its own 127.0.0.1 port (a distinct host)', () => {
    const hosts = Object.values(r.sites).map((s) => s.host);
    expect(new Set(hosts).size).toBe(3);
    for (const s of Object.values(r.sites)) {
      expect(s.baseUrl).toBe(`http://${s.host}`);
      expect(s.host).toMatch(/^127\.0\.0\.1:\d+$/);
    }
  });

  it('records site, host, method, path, the headers that matter, POST body, times, status and bytes', async () => {
    r.log.clear();
    const site = r.sites['trs-wcm'];
    const d = site.reports()[0];
    const first = await raw(d.url, { headers: { 'user-agent': 'nianbao-test/1' } });
    await raw(d.url, { headers: { 'if-none-match': first.headers.etag as string, 'if-modified-since': first.headers['last-modified'] as string } });
    await raw(site.url('/xxgk/zfxxgknb/index_99.html'));
    await raw(r.sites.hanweb.url('/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=5&perpage=5'), {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', referer: r.sites.hanweb.entryUrls[0] }, body: 'columnid=57812&unitid=243907',
    });
    const [a, b, c] = r.log.entries({ site: 'trs-wcm' });
    expect(a).toMatchObject({
      site: 'trs-wcm', host: site.host, method: 'GET', path: d.path, status: 200, bytes: first.body.length, aborted: false,
      headers: { 'user-agent': 'nianbao-test/1' },
    });
    expect(a.headers['if-none-match']).toBeUndefined();
    expect(b).toMatchObject({ status: 304, bytes: 0, headers: { 'if-none-match': first.headers.etag, 'if-modified-since': first.headers['last-modified'] } });
    expect(c).toMatchObject({ path: '/xxgk/zfxxgknb/index_99.html', status: 404 });
    expect(a.seq).toBeLessThan(b.seq);
    for (const e of [a, b, c]) {
      expect(e.end).not.toBeNull();
      expect(e.end!).toBeGreaterThanOrEqual(e.start);
      expect(Math.abs(e.start - Date.now())).toBeLessThan(10_000);
    }
    const [post] = r.log.entries({ site: 'hanweb', method: 'POST' });
    expect(post).toMatchObject({
      path: '/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=5&perpage=5', body: 'columnid=57812&unitid=243907', status: 200,
      headers: { 'content-type': 'application/x-www-form-urlencoded', referer: r.sites.hanweb.entryUrls[0] },
    });
    expect(post.end! - post.start).toBeGreaterThanOrEqual(55); // the site's delay
    expect(r.log.entries({ pathPrefix: '/xxgk/' })).toHaveLength(3);
    expect(r.log.entries({ site: 'hanweb' })).toHaveLength(1);
  });

  it('measures concurrency per host and the gaps a polite client keeps', async () => {
    r.log.clear();
    const reports = r.sites.hanweb.reports().slice(0, 6);
    // five at once on one host
    await Promise.all(reports.slice(0, 5).map((d) => get(d.url)));
    expect(r.log.maxInFlight('hanweb')).toBeGreaterThanOrEqual(4);
    r.log.clear();
    // one at a time, 40 ms apart (plus the site's 60 ms answer time)
    for (const d of reports.slice(0, 4)) {
      await get(d.url);
      await sleep(40);
    }
    const st = r.log.stats('hanweb');
    expect(st.requests).toBe(4);
    expect(st.maxInFlight).toBe(1);
    expect(st.minGapMs!).toBeGreaterThanOrEqual(35);
    expect(st.minStartIntervalMs!).toBeGreaterThanOrEqual(95);
    expect(st.status).toEqual({ 200: 4 });
    expect(st.bytes).toBeGreaterThan(4 * 10_000);
    // other hosts are counted apart
    expect(r.log.stats('trs-wcm').requests).toBe(0);
  });

  it('marks faults and aborted requests', async () => {
    r.log.clear();
    await get(r.sites.faults.url('/429/x.html'));
    await raw(r.sites.faults.url('/timeout/x.html?ms=50')).catch(() => undefined);
    await until(() => r.log.entries({ site: 'faults' })[1]?.end !== null);
    const [tooMany, timeout] = r.log.entries({ site: 'faults' });
    expect(tooMany).toMatchObject({ status: 429, fault: 'status 429' });
    expect(timeout).toMatchObject({ status: null, fault: 'timeout', aborted: true });
  });
});
