/**
 * Hanweb JPaaS, the Zhejiang cluster (research/cms-families.md §1.5; replica: scripts/replica/jpaas.ts). A
 * column page renders its list in the browser from the unit API its pager element names:
 *   <div count="N" rows="R" pageNo="1" unitUrl="/api-gateway/jpaas-publish-server/front/page/build/unit"
 *        queryData="{'webId':'3185','pageId':'1229…','tagId':'信息列表','tplSetId':'…'}">
 * so the list is read from GET unitUrl?webId&pageId&parseType=bulidstatic&pageType=column&tagId&tplSetId
 * &rows=R&pageNo=N → {"success":true,"data":{"html":"<li><a href title>…"}}. With a count, the column page
 * queues pages 1…⌈count/rows⌉ at once (a long column has more pages than the crawl follows hops, and a pageNo
 * past the end may answer page 1 again); without one, page after page until a short or empty one. The column
 * page's own static items (the first page, or all of a small column without a pager) are read too.
 */
import type { Adapter, ListPage } from './types.ts';
import { anchors, decodePage, num, unescapeHtml } from './types.ts';

/** API pages queued from the column page at most (a wild count): far above the crawl's list budget per site */
const MAX_PAGES = 1000;

const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'i').exec(tag);
  return m ? unescapeHtml(m[1] ?? m[2] ?? '') : undefined;
};

/** The pager element's API call for page 1, or null when the page has none. */
export function jpaasUnitCall(html: string, pageUrl: string): { url: string; count: number } | null {
  const tag = /<[a-z]+\b[^>]*\bunitUrl\s*=[^>]*>/i.exec(html)?.[0];
  if (!tag) return null;
  const unitUrl = attr(tag, 'unitUrl');
  const queryData = attr(tag, 'queryData');
  if (!unitUrl || !queryData) return null;
  let q: Record<string, string>;
  try {
    q = JSON.parse(queryData.replace(/'/g, '"')) as Record<string, string>;
  } catch {
    return null;
  }
  const u = new URL(unitUrl, pageUrl);
  const params: Record<string, string> = {
    webId: String(q.webId ?? ''), pageId: String(q.pageId ?? ''), parseType: 'bulidstatic', pageType: 'column',
    tagId: String(q.tagId ?? ''), tplSetId: String(q.tplSetId ?? ''), rows: String(num(attr(tag, 'rows'), 15)), pageNo: '1',
  };
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return { url: u.href, count: num(attr(tag, 'count'), -1) };
}

export const hanwebJpaas: Adapter = {
  family: 'hanweb-jpaas',
  listRequests: (entry) => entry.entryUrls,
  parseList(_entry, url, body, headers, ctx): ListPage {
    const text = decodePage(body, headers);
    const u = new URL(url);
    if (/\/front\/page\/build\/unit$/.test(u.pathname)) {
      let json: { success?: boolean; data?: { html?: string } | null };
      try {
        json = JSON.parse(text) as typeof json;
      } catch {
        return { reports: [], next: [], done: true };
      }
      const html = json.success && typeof json.data?.html === 'string' ? json.data.html : '';
      const reports = anchors(html, url).filter((a) => a.title).map((a) => ({ url: a.href, title: a.title, date: a.date }));
      const rows = num(u.searchParams.get('rows'), 15);
      // page N reached by N hops from the column page is a chain (no count); pages queued by count chain nothing
      const pageNo = num(u.searchParams.get('pageNo'), 1);
      const more = reports.length >= rows && pageNo === ctx.depth;
      if (!more) return { reports, next: [], done: true };
      const next = new URL(url);
      next.searchParams.set('pageNo', String(pageNo + 1));
      return { reports, next: [next.href] };
    }
    const reports = anchors(text, url).filter((a) => a.title).map((a) => ({ url: a.href, title: a.title, date: a.date }));
    const call = jpaasUnitCall(text, url);
    if (!call || call.count === 0) return { reports, next: [], done: true };
    if (call.count < 0) return { reports, next: [call.url] };
    const rows = num(new URL(call.url).searchParams.get('rows'), 15);
    const pages = Math.min(MAX_PAGES, Math.ceil(call.count / Math.max(1, rows)));
    const next = Array.from({ length: pages }, (_, i) => {
      const n = new URL(call.url);
      n.searchParams.set('pageNo', String(i + 1));
      return n.href;
    });
    return { reports, next };
  },
};
