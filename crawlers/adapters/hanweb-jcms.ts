/**
 * Hanweb 大汉 JCMS (research/cms-families.md §1; replica: scripts/replica/hanweb.ts). The column page carries
 * the first group of records in an XML island <script type="text/xml"><datastore><nextgroup>…<recordset>
 * <record><![CDATA[<li><a href title>…</a><b>date</b></li>]]></record>…; <nextgroup> names the dataproxy.jsp
 * call for the next group (GET ?page=N&columnid=…&unitid=…). Each dataproxy answer is a <datastore> with
 * <totalrecord>, records and a <nextgroup> while more remain. Stop on an empty or short batch, a missing
 * <nextgroup>, or when totalrecord is reached. Registry knobs: columnid, unitid, webid, proxyUrl, perPage, groupSize.
 */
import type { Adapter, ListPage, ListedReport } from './types.ts';
import { anchors, decodePage, num, unescapeHtml } from './types.ts';

const cdata = (s: string): string => s.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1');

function records(xml: string, base: string): ListedReport[] {
  const out: ListedReport[] = [];
  for (const m of xml.matchAll(/<record>([\s\S]*?)<\/record>/gi)) {
    for (const a of anchors(cdata(m[1]), base)) out.push({ url: a.href, title: a.title, date: a.date });
  }
  return out;
}

function nextGroup(xml: string, base: string): string | null {
  const m = /<nextgroup>([\s\S]*?)<\/nextgroup>/i.exec(xml);
  if (!m) return null;
  const inner = cdata(m[1]);
  const href = /href\s*=\s*["']([^"']+)["']/i.exec(inner)?.[1] ?? inner.trim();
  if (!href) return null;
  try {
    return new URL(unescapeHtml(href), base).href;
  } catch {
    return null;
  }
}

export const hanwebJcms: Adapter = {
  family: 'hanweb-jcms',
  listRequests: (entry) => entry.entryUrls,
  parseList(entry, url, body, headers): ListPage {
    const text = decodePage(body, headers);
    const o = entry.overrides;
    const groupLen = num(o.perPage, 10) * num(o.groupSize, 2);
    const island = /<script[^>]*type\s*=\s*["']text\/xml["'][^>]*>([\s\S]*?)<\/script>/i.exec(text);
    const xml = island ? island[1] : /<datastore>/i.test(text) ? text : null;
    if (xml === null) {
      // not a Hanweb list: its plain links
      return { reports: anchors(text, url).map((a) => ({ url: a.href, title: a.title, date: a.date })), next: [] };
    }
    const reports = records(xml, url);
    const total = num(/<totalrecord>\s*(\d+)\s*<\/totalrecord>/i.exec(xml)?.[1] ?? /totalRecord\s*:\s*(\d+)/.exec(text)?.[1], -1);
    const page = island ? num(o.inlineGroupPage, 0) : num(new URL(url).searchParams.get('page'), 0);
    const seen = (page - num(o.inlineGroupPage, 0) + 1) * groupLen;
    let next = nextGroup(xml, url);
    if (!next && island && total > reports.length && typeof o.proxyUrl === 'string') {
      const u = new URL(o.proxyUrl, url);
      for (const [k, v] of Object.entries({ page: page + 1, appid: 1, webid: o.webid, path: '/', columnid: o.columnid, unitid: o.unitid, permissiontype: 0 })) {
        if (v !== undefined) u.searchParams.set(k, String(v));
      }
      next = u.href;
    }
    const stop = reports.length === 0 || (!island && reports.length < groupLen) || (total >= 0 && seen >= total);
    return { reports, next: stop || !next ? [] : [next], done: stop || !next };
  },
};
