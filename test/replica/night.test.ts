/** The "next night" switch: new reports appear, one is edited (table 三 number + a paragraph), one is deleted. */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePage } from '../../parsers/index.ts';
import { startReplica, type NightSummary, type Replica } from '../../scripts/replica/index.ts';
import { get, hrefs, raw } from './helpers.ts';

let r: Replica;
let night: NightSummary;
const before = new Map<string, { etag: string; lastModified: string; body: Buffer }>();

beforeAll(async () => {
  r = await startReplica({ only: ['pingtan', 'hanweb', 'trs-wcm'], control: true });
  // night 1: remember every detail page's validators
  for (const s of Object.values(r.sites)) {
    for (const d of s.docs()) {
      const res = await get(d.url);
      before.set(d.url, { etag: res.headers.etag, lastModified: res.headers['last-modified'], body: res.body });
    }
  }
  night = r.nextNight();
});
afterAll(() => r?.close());

const ofKind = (site: string, kind: string) => night.changes.filter((c) => c.site === site && c.kind === kind);
const decode = (site: string, b: Buffer) => (site === 'trs-wcm' ? iconv.decode(b, 'gbk') : b.toString('utf8'));

async function listedUrls(site: string): Promise<string[]> {
  const s = r.sites[site];
  if (site === 'pingtan') {
    const out: string[] = [];
    for (let p = 1; ; p++) {
      const j = JSON.parse((await get(s.url(`/fjdzapp/search?channelid=200210&classsql=chnlid%3D1813&page=${p}`))).text);
      out.push(...j.docs.map((d: { url: string }) => d.url));
      if (p >= j.pageCount) return out;
    }
  }
  if (site === 'hanweb') {
    const out: string[] = [];
    for (let p = 0; ; p++) {
      const xml = (await get(s.url(`/module/web/jpage/dataproxy.jsp?page=${p}&columnid=57812`))).text;
      const recs = [...xml.matchAll(/href="(\/art\/[^"]+)"/g)].map((m) => s.url(m[1]));
      if (!recs.length) return out;
      out.push(...recs);
    }
  }
  const out: string[] = [];
  const first = iconv.decode((await get(s.entryUrls[0])).body, 'gbk');
  const count = Number(/var countPage = (\d+)/.exec(first)![1]);
  for (let p = 0; p < count; p++) {
    const page = p ? iconv.decode((await get(s.url(`/xxgk/zfxxgknb/index_${p}.html`))).body, 'gbk') : first;
    out.push(...hrefs(page).filter((h) => /^\.\/\d{6}\//.test(h)).map((h) => new URL(h, s.entryUrls[0]).href));
  }
  return out;
}

describe('nextNight()', () => {
  it('reports night 2 and, per family site, what was added, edited and deleted', () => {
    expect(night.night).toBe(2);
    expect(r.night).toBe(2);
    expect(night.at).toBe('2026-04-02T02:00:00+08:00');
    expect(ofKind('pingtan', 'added')).toHaveLength(1);
    for (const site of ['hanweb', 'trs-wcm']) expect(ofKind(site, 'added'), site).toHaveLength(2);
    for (const site of ['pingtan', 'hanweb', 'trs-wcm']) {
      expect(ofKind(site, 'edited'), site).toHaveLength(1);
      expect(ofKind(site, 'deleted'), site).toHaveLength(1);
    }
    // the generated family sites also unlink one report from their lists (its page still served)
    for (const site of ['hanweb', 'trs-wcm']) expect(ofKind(site, 'unlinked'), site).toHaveLength(1);
    expect(ofKind('pingtan', 'unlinked')).toEqual([]);
    // Pingtan: the demo's choices (the 2024 report edited, the 2012 county report deleted)
    expect(ofKind('pingtan', 'edited')[0].url).toMatch(/t20250310_97791\.htm$/);
    expect(ofKind('pingtan', 'deleted')[0].url).toMatch(/t20130117_80725\.htm$/);
  });

  it('new reports are served and listed; the deleted one is 404 and gone from its list', async () => {
    for (const site of ['pingtan', 'hanweb', 'trs-wcm']) {
      const listed = await listedUrls(site);
      for (const c of ofKind(site, 'added')) {
        expect(listed, site).toContain(c.url);
        expect(listed[0] === c.url || listed[1] === c.url, `${site}: newest first`).toBe(true);
        const res = await get(c.url);
        expect(res.status).toBe(200);
        expect(decode(site, res.body)).toContain(c.title);
        expect(res.headers['last-modified']).toBe('Wed, 01 Apr 2026 18:00:00 GMT');
      }
      const [del] = ofKind(site, 'deleted');
      expect(listed, site).not.toContain(del.url);
      expect((await get(del.url)).status, site).toBe(404);
      expect(r.sites[site].docs().find((d) => d.url === del.url)?.status).toBe('deleted');
      expect(listed.length, site).toBe(r.sites[site].docs().filter((d) => d.status === 'live').length);
      for (const c of ofKind(site, 'unlinked')) {
        expect(listed, site).not.toContain(c.url);
        const res = await get(c.url);
        expect(res.status, site).toBe(200);
        expect(decode(site, res.body)).toContain(c.title);
        expect(r.sites[site].docs().find((d) => d.url === c.url)?.status).toBe('unlisted');
      }
    }
    // the Pingtan static block now starts with the new report, and recordCount follows
    const list = (await get(r.sites.pingtan.entryUrls[0])).text;
    expect(r.sites.pingtan.url('/zwgk/zfxxgk/zfxxgknb/' + hrefs(list).find((h) => h.startsWith('./2'))!.slice(2))).toBe(ofKind('pingtan', 'added')[0].url);
    expect(list).toContain("recordCount: '20'");
  });

  it('the edited report has a new ETag and Last-Modified, one more in table 三, and a changed paragraph', async () => {
    for (const site of ['pingtan', 'hanweb', 'trs-wcm']) {
      const [c] = ofKind(site, 'edited');
      const old = before.get(c.url)!;
      const now = await get(c.url);
      expect(now.headers.etag, site).not.toBe(old.etag);
      expect(now.headers['last-modified'], site).toBe('Wed, 01 Apr 2026 18:00:00 GMT');
      expect((await raw(c.url, { headers: { 'if-none-match': old.etag } })).status, site).toBe(200);
      expect(decode(site, now.body)).toContain('本报告部分数据已于2026年4月2日更正。');
      const a = parsePage({ body: new Uint8Array(old.body), url: c.url, headers: { 'content-type': 'text/html' } });
      const b = parsePage({ body: new Uint8Array(now.body), url: c.url, headers: { 'content-type': 'text/html' } });
      const diff = Object.keys({ ...a.tables.applications, ...b.tables.applications })
        .filter((k) => a.tables.applications[k] !== b.tables.applications[k]);
      expect(diff, site).toHaveLength(1);
      expect(diff[0], site).toMatch(/^new_received\./);
      expect(Number(b.tables.applications[diff[0]]) - Number(a.tables.applications[diff[0]])).toBe(1);
      expect(b.tables.review_litigation).toEqual(a.tables.review_litigation);
    }
  });

  it('every unchanged report still answers 304 to its night-1 validators', async () => {
    // an unlinked report's page is unchanged too
    const changed = new Set(night.changes.filter((c) => c.kind !== 'unlinked').map((c) => c.url));
    let checked = 0;
    for (const [url, v] of before) {
      if (changed.has(url)) continue;
      expect((await get(url, { headers: { 'if-none-match': v.etag } })).status, url).toBe(304);
      expect((await get(url, { headers: { 'if-modified-since': v.lastModified } })).status, url).toBe(304);
      checked++;
    }
    expect(checked).toBe(20 + 43 + 43 - 2 * 3);
  });

  it('the control endpoint runs the next night too, and serves the log and registry', async () => {
    const res = await get(`${r.controlUrl}/next-night`, { method: 'POST' });
    const n3 = JSON.parse(res.text) as NightSummary;
    expect(n3.night).toBe(3);
    expect(n3.changes.filter((c) => c.kind === 'deleted')).toHaveLength(3);
    expect(JSON.parse((await get(`${r.controlUrl}/registry`)).text)).toEqual(r.registry);
    const log = JSON.parse((await get(`${r.controlUrl}/log?site=pingtan`)).text);
    expect(log.length).toBeGreaterThan(20);
    expect(log.every((e: { site: string }) => e.site === 'pingtan')).toBe(true);
  });

  it('is deterministic: the same seed makes the same sites and the same night; another seed does not', async () => {
    const [a, b, c] = await Promise.all([
      startReplica({ only: ['hanweb', 'trs-wcm'], seed: 7 }),
      startReplica({ only: ['hanweb', 'trs-wcm'], seed: 7 }),
      startReplica({ only: ['hanweb', 'trs-wcm'], seed: 8 }),
    ]);
    try {
      const view = (x: Replica) => ['hanweb', 'trs-wcm'].flatMap((s) => x.sites[s].docs().map((d) => `${d.path} ${d.title} ${d.published} ${d.source}`));
      expect(view(a)).toEqual(view(b));
      expect(view(a)).not.toEqual(view(c));
      const strip = (n: NightSummary) => n.changes.map((ch) => `${ch.site} ${ch.kind} ${new URL(ch.url).pathname}`);
      expect(strip(a.nextNight())).toEqual(strip(b.nextNight()));
      const la = await get(a.sites.hanweb.entryUrls[0]);
      const lb = await get(b.sites.hanweb.entryUrls[0]);
      expect(la.body.equals(lb.body)).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('volatile sites change a view counter every night: new bytes and ETag, same report', async () => {
    const v = await startReplica({ only: ['trs-wcm'], sites: { 'trs-wcm': { volatile: true } } });
    try {
      const d = v.sites['trs-wcm'].reports()[3];
      const a = await get(d.url);
      const n = v.nextNight();
      expect(n.changes.map((c) => c.url)).not.toContain(d.url);
      const b = await get(d.url);
      expect(b.status).toBe(200);
      expect(b.headers.etag).not.toBe(a.headers.etag);
      const strip = (x: Buffer) => iconv.decode(x, 'gbk').replace(/浏览次数：\d+/, '');
      expect(strip(b.body)).toBe(strip(a.body));
      expect(iconv.decode(a.body, 'gbk')).toMatch(/浏览次数：\d+/);
    } finally {
      await v.close();
    }
  });
});
