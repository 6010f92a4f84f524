/** The registry the crawler consumes, and the benchmark generator (N reports on H hosts). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePage, isAnnualReport } from '../../parsers/index.ts';
import { startReplica, writeRegistry, type Replica } from '../../scripts/replica/index.ts';
import { get, hrefs } from './helpers.ts';

let r: Replica;
beforeAll(async () => {
  r = await startReplica();
});
afterAll(() => r?.close());

describe('registry', () => {
  it('has one entry per site with the runtime ports filled in', () => {
    expect(r.registry.map((e) => [e.id, e.family])).toEqual([
      ['replica-pingtan', 'trs-fujian'], ['replica-hanweb', 'hanweb-jcms'], ['replica-trs-wcm', 'trs-wcm'], ['replica-faults', 'generic'],
    ]);
    for (const e of r.registry) {
      expect(Object.keys(e)).toEqual(['id', 'name', 'province', 'city', 'county', 'level', 'family', 'entryUrls', 'overrides']);
      const site = r.sites[e.id.replace(/^replica-/, '')];
      expect(e.entryUrls).toEqual(site.entryUrls);
      expect(e.overrides.hosts).toEqual([site.host]);
      expect(['national', 'province', 'city', 'county', 'department']).toContain(e.level);
    }
    const [pt, hw, trs] = r.registry;
    expect(pt).toMatchObject({ name: '平潭综合实验区党工委管委会', province: '福建省', city: '平潭综合实验区', level: 'city' });
    expect(pt.overrides.search).toMatchObject({ url: r.sites.pingtan.url('/fjdzapp/search'), params: { channelid: '200210', classsql: 'chnlid=1813' } });
    expect(hw.overrides).toMatchObject({ columnid: 57812, unitid: 243907, webid: 67, proxyUrl: r.sites.hanweb.url('/module/web/jpage/dataproxy.jsp') });
    expect(trs).toMatchObject({ province: '湖北省', county: '南屿县', level: 'county', overrides: { encoding: 'gbk', pageBase: 0 } });
  });

  it('writes as JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replica-'));
    try {
      writeRegistry(join(dir, 'registry.json'), r.registry);
      expect(JSON.parse(readFileSync(join(dir, 'registry.json'), 'utf8'))).toEqual(r.registry);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every report a family site lists parses as the report it claims to be', async () => {
    // each source once, alternating the two generated sites (the parser is the expensive part)
    const all = ['hanweb', 'trs-wcm'].flatMap((id) => r.sites[id].reports());
    const sources = [...new Set(all.map((d) => d.source))].sort();
    expect(sources.length).toBeGreaterThanOrEqual(10);
    for (const [i, source] of sources.entries()) {
      const site = r.sites[i % 2 ? 'trs-wcm' : 'hanweb'].url('/');
      const d = all.find((x) => x.source === source && x.url.startsWith(site)) ?? all.find((x) => x.source === source)!;
      const res = await get(d.url);
      const rep = parsePage({ body: new Uint8Array(res.body), url: d.url, headers: res.headers });
      expect(isAnnualReport(rep), d.url).toBe(true);
      expect([rep.title, rep.agency, rep.year], d.source).toEqual([d.title, d.agency, d.year]);
    }
    for (const id of ['hanweb', 'trs-wcm']) {
      for (const d of r.sites[id].docs().filter((x) => !x.isReport)) {
        const res = await get(d.url);
        expect(isAnnualReport(parsePage({ body: new Uint8Array(res.body), url: d.url, headers: res.headers })), d.title).toBe(false);
      }
    }
  });
});

describe('benchmark hosts', () => {
  it('serves N reports on H hosts, each its own port, TRS WCM by default', async () => {
    const b = await startReplica({ only: [], bench: { reports: 1000, hosts: 8 } });
    try {
      const sites = Object.values(b.sites);
      expect(sites).toHaveLength(8);
      expect(new Set(sites.map((s) => s.host)).size).toBe(8);
      expect(sites.reduce((n, s) => n + s.reports().length, 0)).toBe(1000);
      expect(sites.map((s) => s.reports().length)).toEqual([125, 125, 125, 125, 125, 125, 125, 125]);
      expect(b.registry).toHaveLength(8);
      expect(b.registry[3]).toMatchObject({ id: 'replica-bench-003', family: 'trs-wcm', entryUrls: sites[3].entryUrls });
      // one host, listed to the end: every report, 20 a page
      const s = sites[5];
      const first = iconv.decode((await get(s.entryUrls[0])).body, 'gbk');
      const count = Number(/var countPage = (\d+)/.exec(first)![1]);
      expect(count).toBe(Math.ceil(126 / 20)); // 125 reports + 1 notice
      const links: string[] = [];
      for (let p = 0; p < count; p++) {
        const html = p ? iconv.decode((await get(s.url(`/xxgk/zfxxgknb/index_${p}.html`))).body, 'gbk') : first;
        links.push(...hrefs(html).filter((h) => h.startsWith('./2')));
      }
      expect(new Set(links).size).toBe(126);
      const d = s.reports()[7];
      const res = await get(d.url);
      expect(res.status).toBe(200);
      expect(iconv.decode(res.body, 'gbk')).toContain(d.title);
    } finally {
      await b.close();
    }
  });

  it('can be Hanweb-style, and builds 10,000 reports on 50 hosts quickly', async () => {
    const t = performance.now();
    const b = await startReplica({ only: [], bench: { reports: 10_000, hosts: 50, family: 'hanweb-jcms' } });
    try {
      expect(performance.now() - t).toBeLessThan(5000);
      const sites = Object.values(b.sites);
      expect(sites).toHaveLength(50);
      expect(sites.every((s) => s.family === 'hanweb-jcms')).toBe(true);
      expect(sites.reduce((n, s) => n + s.reports().length, 0)).toBe(10_000);
      const col = (await get(sites[0].entryUrls[0])).text;
      expect(Number(/totalRecord:(\d+)/.exec(col)![1])).toBe(201);
      const res = await get(sites[49].reports()[0].url);
      expect(res.status).toBe(200);
      expect(res.text).toContain('<!--ZJEG_RSS.content.begin-->');
    } finally {
      await b.close();
    }
  });
});
