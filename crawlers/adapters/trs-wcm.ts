/**
 * TRS WCM classic (research/cms-families.md §2; replicas: scripts/replica/trs-wcm.ts, trs-wcm-variant.ts):
 * index.html, index_1.html, … as announced by `createPageHTML(…)` in any of its signatures (0- or 1-based,
 * see trsPager), GBK pages often with no charset in the header (decoded by <meta>, then strict UTF-8, then
 * GB18030). The first page queues all the others at once; pages past the last are not requested. Detail links
 * are taken however they are written (./YYYYMM/t….html, ../../other/column/YYYYMM/t….shtml, absolute).
 * An entry that is not the column itself (the home page, the 政府信息公开 page) leads to it: no pager and no
 * report-like link here → the links that name the column, else those into the 信息公开 section.
 */
import { titleLooksLikeReport } from '../../parsers/metadata.ts';
import { towardsColumn } from './column-links.ts';
import type { Adapter, ListPage } from './types.ts';
import { anchors, decodePage, num, trsPager, trsPageUrl } from './types.ts';

export const trsWcm: Adapter = {
  family: 'trs-wcm',
  listRequests: (entry) => entry.entryUrls,
  parseList(entry, url, body, headers): ListPage {
    const text = decodePage(body, headers);
    const links = anchors(text, url);
    const reports = links.filter((a) => a.title).map((a) => ({ url: a.href, title: a.title, date: a.date }));
    const pager = trsPager(text);
    if (!pager) {
      if (reports.some((r) => titleLooksLikeReport(r.title.replace(/\s+/g, '')))) return { reports, next: [], done: true };
      const host = new URL(url).host;
      return { reports, next: towardsColumn(links.filter((a) => new URL(a.href).host === host), url) };
    }
    const max = num(entry.overrides.maxListPages, 200);
    const next: string[] = [];
    if (pager.current === 0) {
      for (let p = 1; p < Math.min(pager.count, max); p++) next.push(trsPageUrl(url, pager.name, pager.ext, p, pager.base));
    }
    return { reports, next, done: pager.current + 1 >= pager.count };
  },
};
