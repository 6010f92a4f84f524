/**
 * TRS WCM classic (research/cms-families.md §2; replica: scripts/replica/trs-wcm.ts): index.html, index_1.html, …
 * as announced by `createPageHTML(countPage, currentPage, "index", "html")` (0-based), GBK pages often with no
 * charset in the header (decoded by <meta>, then strict UTF-8, then GB18030). The first page queues all the
 * others at once; pages past the last are not requested.
 */
import type { Adapter, ListPage } from './types.ts';
import { anchors, decodePage, num, trsPager, trsPageUrl } from './types.ts';

export const trsWcm: Adapter = {
  family: 'trs-wcm',
  listRequests: (entry) => entry.entryUrls,
  parseList(entry, url, body, headers): ListPage {
    const text = decodePage(body, headers);
    const reports = anchors(text, url).filter((a) => a.title).map((a) => ({ url: a.href, title: a.title, date: a.date }));
    const pager = trsPager(text);
    if (!pager) return { reports, next: [], done: true };
    const max = num(entry.overrides.maxListPages, 200);
    const next: string[] = [];
    if (pager.current === 0) {
      for (let p = 1; p < Math.min(pager.count, max); p++) next.push(trsPageUrl(url, pager.name, pager.ext, p));
    }
    return { reports, next, done: pager.current + 1 >= pager.count };
  },
};
