/**
 * Hanweb 大汉 JCMS (research/cms-families.md §1; replicas: scripts/replica/hanweb.ts, hanweb-variant.ts). The
 * column page carries the first group of records in an XML island <script type="text/xml"><datastore>
 * <nextgroup>…<recordset><record><![CDATA[<li><a href title>…</a><b>date</b></li>]]></record>…, then inits
 * the jpage widget: $('#unitid').jpage({totalRecord, perPage, groupSize, proxyUrl, ajaxParam: {webid,
 * columnid, unitid, …}}). The next group is asked of dataproxy.jsp:
 *   - page style: the URL in <nextgroup> (GET ?page=N&columnid=…&unitid=…), each answer a <datastore> with
 *     <totalrecord> and a <nextgroup> while more remain;
 *   - range style, when the island names no <nextgroup> (older sites): GET proxyUrl?startrecord=S&endrecord=E
 *     &perpage=P plus the widget's ajaxParam, S/E 1-based inclusive, one group (perPage × groupSize) a call.
 * Proxy path, ids, perPage and groupSize come from the registry (knobs columnid, unitid, webid, proxyUrl, perPage,
 * groupSize) or else from the page's own jpage init, so an entry needs no knobs. Stop on an empty or short
 * batch, a missing <nextgroup> (page style), or when totalRecord is reached.
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

export interface JpageInit {
  proxyUrl?: string;
  perPage?: number;
  groupSize?: number;
  totalRecord?: number;
  /** the widget's ajaxParam: sent with every proxy call */
  params: Record<string, string>;
}

/** `key: 'v'` / `key: "v"` / `key: 12` pairs of a JS object literal (no nesting). */
function literalPairs(src: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of src.matchAll(/([A-Za-z_$][\w$]*)\s*:\s*(?:'([^']*)'|"([^"]*)"|(-?\d+))/g)) out[m[1]] = m[2] ?? m[3] ?? m[4];
  return out;
}

/** The jpage widget's settings from a column page's init script, or null when it has none. */
export function jpageInit(html: string): JpageInit | null {
  const at = html.search(/\.jpage\s*\(\s*\{/);
  if (at < 0) return null;
  const src = html.slice(at, at + 4000);
  const ajax = /ajaxParam\s*:\s*\{([^{}]*)\}/.exec(src);
  const top = literalPairs(ajax ? src.replace(ajax[0], '') : src);
  const n = (k: string) => (top[k] !== undefined ? num(top[k], NaN) : NaN);
  const pick = (v: number) => (Number.isFinite(v) ? v : undefined);
  return {
    proxyUrl: top.proxyUrl, perPage: pick(n('perPage')), groupSize: pick(n('groupSize')), totalRecord: pick(n('totalRecord')),
    params: ajax ? literalPairs(ajax[1]) : {},
  };
}

/** A range-style proxy call for records start..end (1-based, inclusive). */
function rangeUrl(proxy: string, base: string, start: number, end: number, perPage: number, params: Record<string, string>): string {
  const u = new URL(proxy, base);
  u.searchParams.set('startrecord', String(start));
  u.searchParams.set('endrecord', String(end));
  u.searchParams.set('perpage', String(perPage));
  for (const [k, v] of Object.entries(params)) if (!u.searchParams.has(k)) u.searchParams.set(k, v);
  return u.href;
}

export const hanwebJcms: Adapter = {
  family: 'hanweb-jcms',
  listRequests: (entry) => entry.entryUrls,
  parseList(entry, url, body, headers): ListPage {
    const text = decodePage(body, headers);
    const o = entry.overrides;
    const island = /<script[^>]*type\s*=\s*["']text\/xml["'][^>]*>([\s\S]*?)<\/script>/i.exec(text);
    const xml = island ? island[1] : /<datastore>/i.test(text) ? text : null;
    if (xml === null) {
      // not a Hanweb list: its plain links
      return { reports: anchors(text, url).map((a) => ({ url: a.href, title: a.title, date: a.date })), next: [] };
    }
    const reports = records(xml, url);
    const total = num(/<totalrecord>\s*(\d+)\s*<\/totalrecord>/i.exec(xml)?.[1] ?? /totalRecord\s*:\s*(\d+)/.exec(text)?.[1], -1);
    const u = new URL(url);

    // a range-style answer: the next range while this one was full and the total is not reached
    const start = num(u.searchParams.get('startrecord'), NaN);
    const end = num(u.searchParams.get('endrecord'), NaN);
    if (!island && Number.isFinite(start) && Number.isFinite(end)) {
      const len = end - Math.max(1, start) + 1;
      const stop = reports.length === 0 || reports.length < len || (total >= 0 && end >= total);
      if (stop) return { reports, next: [], done: true };
      const next = new URL(url);
      next.searchParams.set('startrecord', String(end + 1));
      next.searchParams.set('endrecord', String(end + len));
      return { reports, next: [next.href] };
    }

    const init = island ? jpageInit(text) : null;
    const perPage = num(o.perPage, init?.perPage ?? NaN);
    const groupLen = perPage * num(o.groupSize, init?.groupSize ?? 2);
    // the short-batch and total rules need the group length: from the registry or the page, else not applied
    const known = Number.isFinite(groupLen) && groupLen > 0;
    const page = island ? num(o.inlineGroupPage, 0) : num(u.searchParams.get('page'), 0);
    const seen = known ? (page - num(o.inlineGroupPage, 0) + 1) * groupLen : -1;
    let next = nextGroup(xml, url);
    const proxy = typeof o.proxyUrl === 'string' ? o.proxyUrl : init?.proxyUrl;
    if (!next && island && total > reports.length && proxy) {
      // no <nextgroup>: ask for the records after the island's, one group a call
      const params: Record<string, string> = { ...init?.params };
      for (const k of ['webid', 'columnid', 'unitid'] as const) if (o[k] !== undefined) params[k] = String(o[k]);
      const len = known ? groupLen : reports.length;
      next = rangeUrl(proxy, url, reports.length + 1, reports.length + len, Number.isFinite(perPage) ? perPage : len, params);
    }
    const stop = reports.length === 0 || (known && !island && reports.length < groupLen) || (known && total >= 0 && seen >= total);
    return { reports, next: stop || !next ? [] : [next], done: stop || !next };
  },
};
