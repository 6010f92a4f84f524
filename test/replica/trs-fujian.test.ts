/** The Pingtan replica (TRS Fujian cluster): the real list page, the real pages, the JS list call. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplica, type Replica } from '../../scripts/replica/index.ts';
import { PINGTAN, pingtanEntries } from '../helpers/fixtures.ts';
import { get, hrefs } from './helpers.ts';

let r: Replica;
beforeAll(async () => {
  r = await startReplica({ only: ['pingtan'] });
});
afterAll(() => r?.close());

const SEARCH = '/fjdzapp/search';
const q = (page: number) => `${SEARCH}?channelid=200210&classsql=${encodeURIComponent('chnlid=1813')}&sortfield=-docorderpri,-docreltime&page=${page}&prepage=10`;

describe('Pingtan replica (trs-fujian)', () => {
  it('serves the real list page at its real path, the static block holding the first 10 entries', async () => {
    const site = r.sites.pingtan;
    expect(site.entryUrls).toEqual([`${site.baseUrl}/zwgk/zfxxgk/zfxxgknb/index.htm`]);
    const res = await get(site.entryUrls[0]);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    // night 1: byte for byte the archived list page
    expect(res.text).toBe(readFileSync(join(PINGTAN, '_lists', 'index.html'), 'utf8'));
    const links = hrefs(res.text).filter((h) => /^\.\/\d{6}\/t\d{8}_\d+\.htm$/.test(h));
    expect(links).toHaveLength(10);
    expect(links[0]).toBe('./202603/t20260313_105587.htm');
    expect(res.text).toContain('classsql: "" || "chnlid=1813"');
    // the directory URL answers the same page
    expect((await get(`${site.baseUrl}/zwgk/zfxxgk/zfxxgknb/`)).text).toBe(res.text);
  });

  it('serves the 20 real pages at their real paths, byte for byte', async () => {
    const entries = pingtanEntries();
    expect(entries).toHaveLength(20);
    for (const e of entries) {
      const res = await get(r.sites.pingtan.url(new URL(e.url).pathname));
      expect(res.status, e.url).toBe(200);
      expect(res.body.equals(readFileSync(join(PINGTAN, e.path))), e.docid).toBe(true);
    }
  });

  it('lists the rest through the JS list call (GET, POST form, POST JSON), 10 a page', async () => {
    const site = r.sites.pingtan;
    const p1 = JSON.parse((await get(site.url(q(1)))).text);
    const p2 = JSON.parse((await get(site.url(q(2)))).text);
    expect(p1.total).toBe(20);
    expect(p1.pageCount).toBe(2);
    expect(p1.docs).toHaveLength(10);
    expect(p2.docs).toHaveLength(10);
    // page 1 repeats the static block; page 2 is what only JS shows
    const list = (await get(site.entryUrls[0])).text;
    for (const d of p1.docs) expect(list).toContain(`href="./${d.url.split('/zfxxgknb/')[1]}"`);
    const all = [...p1.docs, ...p2.docs].map((d: { url: string }) => new URL(d.url).pathname).sort();
    expect(all).toEqual(pingtanEntries().map((e) => new URL(e.url).pathname).sort());
    const d0 = p2.docs[0];
    expect(Object.keys(d0).sort()).toEqual(['chnldocurl', 'chnlid', 'docid', 'docreltime', 'doctitle', 'pubDate', 'title', 'url']);
    expect(d0.url.startsWith(site.baseUrl)).toBe(true);
    expect(d0.docreltime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(p2.docs.map((d: { docid: string }) => d.docid)).toContain('80787'); // the 函: not a report, still listed

    const form = await get(site.url(SEARCH), {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'channelid=200210&classsql=chnlid%3D1813&page=2&prepage=10',
    });
    expect(JSON.parse(form.text).docs).toEqual(p2.docs);
    const json = await get(site.url(SEARCH), {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channelid: 200210, classsql: 'chnlid=1813', page: 2, prepage: 10 }),
    });
    expect(JSON.parse(json.text).docs).toEqual(p2.docs);
    // another channel, or no channel: nothing
    expect(JSON.parse((await get(site.url(`${SEARCH}?channelid=1&classsql=chnlid%3D1813`))).text)).toMatchObject({ total: 0, docs: [] });
    expect(JSON.parse((await get(site.url(`${SEARCH}?channelid=200210&classsql=chnlid%3D9`))).text).total).toBe(0);
  });

  it('has no robots.txt (404), and the DocInfo list matches the manifest', async () => {
    expect((await get(r.sites.pingtan.url('/robots.txt'))).status).toBe(404);
    const docs = r.sites.pingtan.docs();
    expect(docs).toHaveLength(20);
    expect(docs.filter((d) => !d.isReport).map((d) => d.title)).toEqual(['关于2014年政府信息公开工作要点落实情况的函']);
    expect(r.sites.pingtan.reports()).toHaveLength(19);
  });
});
