/**
 * TRS, Fujian cluster (research/cms-families.md, TRS Fujian; replica: scripts/replica/trs-fujian.ts). The list
 * page's static block holds the first entries (<a href="./YYYYMM/t…htm" title=…>); the rest come from the
 * JS list call, registry `overrides.search` = {url, methods, params: {channelid, classsql, sortfield, prepage},
 * pageBase, staticPages}: GET url?params&page=N → JSON {total, page, prepage, pageCount, docs: [{doctitle|title,
 * chnldocurl|url, docreltime|pubDate}]}. Page pageBase repeats the static entries (deduplicated by the frontier).
 * Without those knobs, the call the list page's own listModel({listArgs}) names (./trs-fujian-list-args.ts).
 */
import type { Adapter, ListPage } from './types.ts';
import { TRS_FUJIAN_SEARCH_PATH, trsFujianListArgs } from './trs-fujian-list-args.ts';
import { anchors, decodePage, num } from './types.ts';

interface SearchKnobs {
  url: string;
  params?: Record<string, string | number>;
  pageBase?: number;
}

interface SearchDoc {
  doctitle?: string; title?: string; chnldocurl?: string; url?: string; docreltime?: string; pubDate?: string;
}

function searchUrl(s: SearchKnobs, page: number): string {
  const u = new URL(s.url);
  for (const [k, v] of Object.entries(s.params ?? {})) u.searchParams.set(k, String(v));
  u.searchParams.set('page', String(page));
  return u.href;
}

const isSearch = (s: SearchKnobs | undefined, url: string): boolean => {
  const b = new URL(url);
  if (!s?.url) return b.pathname === TRS_FUJIAN_SEARCH_PATH;
  const a = new URL(s.url);
  return a.host === b.host && a.pathname === b.pathname;
};

/** The same call, another page. */
function withPage(url: string, page: number): string {
  const u = new URL(url);
  u.searchParams.set('page', String(page));
  return u.href;
}

export const trsFujian: Adapter = {
  family: 'trs-fujian',
  listRequests: (entry) => entry.entryUrls,
  parseList(entry, url, body, headers): ListPage {
    const search = entry.overrides.search as SearchKnobs | undefined;
    const text = decodePage(body, headers);
    if (isSearch(search, url)) {
      let json: { page?: number; pageCount?: number; total?: number; prepage?: number; docs?: SearchDoc[] };
      try {
        json = JSON.parse(text) as typeof json;
      } catch {
        return { reports: [], next: [], done: true };
      }
      const docs = Array.isArray(json.docs) ? json.docs : [];
      const reports = docs.flatMap((d) => {
        const href = d.chnldocurl ?? d.url;
        const title = d.doctitle ?? d.title;
        if (!href || !title) return [];
        return [{ url: new URL(href, url).href, title: title.trim(), date: (d.docreltime ?? d.pubDate)?.slice(0, 10) }];
      });
      const asked = new URL(url).searchParams;
      const page = num(json.page, num(asked.get('page'), 1));
      // an answer without prepage was cut at the size asked for
      const prepage = Math.max(1, num(json.prepage, num(asked.get('prepage'), 10)));
      const pageCount = num(json.pageCount, Math.ceil(num(json.total, 0) / prepage));
      const more = docs.length > 0 && page + 1 - num(search?.pageBase, 1) < pageCount;
      return { reports, next: more ? [withPage(url, page + 1)] : [], done: !more };
    }
    // the list page: its static block, then the JS list call from its first page
    const reports = anchors(text, url).filter((a) => a.title).map((a) => ({ url: a.href, title: a.title, date: a.date }));
    const call = search?.url ? search : trsFujianListArgs(text, url);
    const next = call ? [searchUrl(call, num(search?.pageBase, 1))] : [];
    return { reports, next };
  },
};
