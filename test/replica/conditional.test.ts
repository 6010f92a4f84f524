/** Conditional GET on every family: ETag + Last-Modified on lists and details; a match answers 304, no body. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplica, type Replica } from '../../scripts/replica/index.ts';
import { get, raw } from './helpers.ts';

let r: Replica;
beforeAll(async () => {
  r = await startReplica({ only: ['pingtan', 'hanweb', 'trs-wcm'] });
});
afterAll(() => r?.close());

function urls(): Array<[string, string]> {
  const pt = r.sites.pingtan;
  const hw = r.sites.hanweb;
  const trs = r.sites['trs-wcm'];
  return [
    ['pingtan list', pt.entryUrls[0]],
    ['pingtan detail', pt.reports()[0].url],
    ['pingtan JSON list', pt.url('/fjdzapp/search?channelid=200210&classsql=chnlid%3D1813&page=2')],
    ['hanweb column', hw.entryUrls[0]],
    ['hanweb detail', hw.reports()[0].url],
    ['hanweb dataproxy', hw.url('/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=67&path=/&columnid=57812&unitid=243907')],
    ['trs-wcm list', trs.entryUrls[0]],
    ['trs-wcm list page 2', trs.url('/xxgk/zfxxgknb/index_1.html')],
    ['trs-wcm detail', trs.reports()[0].url],
  ];
}

describe('conditional GET', () => {
  it('sends ETag and Last-Modified, and answers If-None-Match / If-Modified-Since with 304 and no body', async () => {
    for (const [what, url] of urls()) {
      const first = await raw(url);
      expect(first.status, what).toBe(200);
      const etag = first.headers.etag as string;
      const lm = first.headers['last-modified'] as string;
      expect(etag, what).toMatch(/^"[0-9a-f]{20}"$/);
      expect(Number.isFinite(Date.parse(lm)), what).toBe(true);

      const inm = await raw(url, { headers: { 'if-none-match': etag } });
      expect(inm.status, what).toBe(304);
      expect(inm.body.length, what).toBe(0);
      expect(inm.headers.etag, what).toBe(etag);
      expect(inm.headers['content-length'], what).toBeUndefined();

      expect((await raw(url, { headers: { 'if-none-match': `W/${etag}, "other"` } })).status, what).toBe(304);
      expect((await raw(url, { headers: { 'if-modified-since': lm } })).status, what).toBe(304);
      const later = new Date(Date.parse(lm) + 86_400_000).toUTCString();
      expect((await raw(url, { headers: { 'if-modified-since': later } })).status, what).toBe(304);

      const older = new Date(Date.parse(lm) - 1000).toUTCString();
      const stale = await raw(url, { headers: { 'if-modified-since': older } });
      expect(stale.status, what).toBe(200);
      expect(stale.body.equals(first.body), what).toBe(true);
      // If-None-Match wins over If-Modified-Since
      expect((await raw(url, { headers: { 'if-none-match': '"nope"', 'if-modified-since': lm } })).status, what).toBe(200);
    }
  });

  it('HEAD sends the same validators without a body; 304s are logged with 0 bytes', async () => {
    const url = r.sites.hanweb.reports()[1].url;
    const full = await raw(url);
    const head = await raw(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers.etag).toBe(full.headers.etag);
    expect(Number(head.headers['content-length'])).toBe(full.body.length);

    r.log.clear();
    await raw(url, { headers: { 'if-none-match': full.headers.etag as string } });
    const [e] = r.log.entries({ site: 'hanweb' });
    expect(e).toMatchObject({ status: 304, bytes: 0, headers: { 'if-none-match': full.headers.etag } });
  });

  it('the same page keeps its ETag across requests and restarts with the same seed', async () => {
    const a = await get(r.sites['trs-wcm'].reports()[2].url);
    const b = await get(r.sites['trs-wcm'].reports()[2].url);
    expect(a.headers.etag).toBe(b.headers.etag);
    const again = await startReplica({ only: ['trs-wcm'] });
    try {
      const d = again.sites['trs-wcm'].reports()[2];
      expect(d.path).toBe(r.sites['trs-wcm'].reports()[2].path);
      const c = await get(d.url);
      expect(c.headers.etag).toBe(a.headers.etag);
      expect(c.headers['last-modified']).toBe(a.headers['last-modified']);
      expect(c.body.equals(a.body)).toBe(true);
    } finally {
      await again.close();
    }
  });
});
