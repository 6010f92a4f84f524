/**
 * Hanweb JPaaS, the Zhejiang cluster (research/cms-families.md §1.5; replica: scripts/replica/jpaas.ts). A
 * column page renders its list in the browser from the unit API its pager element names:
 *   <div count="N" rows="R" pageNo="1" unitUrl="/api-gateway/jpaas-publish-server/front/page/build/unit"
 *        queryData="{'webId':'3185','pageId':'1229…','tagId':'信息列表','tplSetId':'…'}">
 * so the list is read from GET unitUrl?webId&pageId&parseType=bulidstatic&pageType=column&tagId&tplSetId
 * &rows=R&pageNo=N → {"success":true,"data":{"html":"<li><a href title>…"}}, page after page until a short or
 * empty one (or N items). Small columns without a pager list their items statically: those links are read too.
 */
import type { Adapter, ListPage } from './types.ts';
import { anchors, decodePage, num, unescapeHtml } from './types.ts';

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
  parseList(_entry, url, body, headers): ListPage {
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
      const more = reports.length >= rows;
      if (!more) return { reports, next: [], done: true };
      const next = new URL(url);
      next.searchParams.set('pageNo', String(num(u.searchParams.get('pageNo'), 1) + 1));
      return { reports, next: [next.href] };
    }
    const reports = anchors(text, url).filter((a) => a.title).map((a) => ({ url: a.href, title: a.title, date: a.date }));
    const call = jpaasUnitCall(text, url);
    return { reports, next: call && call.count !== 0 ? [call.url] : [], done: !call };
  },
};
