/**
 * Generic sites (no known CMS): find the 年报 column by link text or URL slug (政府信息公开年报, 信息公开年报,
 * 年度报告, zfxxgknb, xxgknb, ndbg, …) and follow it; where a page names no such link, explore its same-site links
 * (the engine bounds the depth and the list pages per site, which is what ends calendar traps and endless
 * lists). Pagination: 下一页 links, and TRS createPageHTML one page at a time.
 */
import { COLUMN_SLUG, namedColumnLinks, sameList, towardsColumn } from './column-links.ts';
import type { Adapter, ListPage } from './types.ts';
import { anchors, decodePage, trsPager, trsPageUrl } from './types.ts';

const NEXT_TEXT = /^(?:下一页|下页|后一页|>|›|»|next)$/i;
/** static resources never worth a list request */
const PROXY = /\/dataproxy\.jsp$/i;
const ASSET = /\.(?:css|js|jpe?g|png|gif|ico|svg|pdf|docx?|xlsx?|zip|rar|mp4)$/i;

export const generic: Adapter = {
  family: 'generic',
  listRequests: (entry) => entry.entryUrls,
  parseList(entry, url, body, headers): ListPage {
    const text = decodePage(body, headers);
    const here = new URL(url);
    const links = anchors(text, url).filter((a) => new URL(a.href).host === here.host && !ASSET.test(new URL(a.href).pathname));
    const reports = links.filter((a) => a.title).map((a) => ({ url: a.href, title: a.title, date: a.date }));
    const next = new Set<string>();
    const pager = trsPager(text);
    if (pager && pager.current + 1 < pager.count) next.add(trsPageUrl(url, pager.name, pager.ext, pager.current + 1, pager.base));
    // pagination: 下一页 links, and Hanweb's <nextgroup> dataproxy.jsp calls (also inside the XML island)
    for (const a of links) if (NEXT_TEXT.test(a.text) || PROXY.test(new URL(a.href).pathname)) next.add(a.href);
    // in the column already: its own URL says so, or it links to itself by the column's name (breadcrumb)
    const inColumn = COLUMN_SLUG.test(here.pathname) || namedColumnLinks(links).some((a) => sameList(a.href, url)) || /<datastore>/i.test(text);
    const toward = towardsColumn(links, url);
    if (inColumn || pager) {
      // only pagination from here
    } else if (toward.length) for (const u of toward) next.add(u);
    else for (const a of links) next.add(a.href); // no column or 信息公开 section named here: look around (bounded by the engine)
    return { reports, next: [...next].filter((u) => u !== url) };
  },
};
