/**
 * Guangdong gkmlpt (research/cms-families.md §3; replica: scripts/replica/gkmlpt.ts). The pages carry no list
 * without JS; the list is JSON: the entry page's `window._CONFIG` names the site (SID) and the catalogue TREE,
 * whose 年报 node by name (or `ANNUAL_REPORT_CAT`, or the #catId of /gkmlpt/annualreport#catId, or `overrides.catId`)
 * is the category; then GET {prefix}/gkmlpt/api/all/{cat}?page=N&sid=SID → {articles: [{title, url|post_url,
 * created_at}], total, classify: {post_count}}, pages from 1 (page 0 repeats page 1). The answer does not say
 * its page size, but page 1's article count is it: with a total, page 1 queues pages 2…⌈total/size⌉ at once and
 * no page asks past the end; without one, page after page until an empty one. Document pages (/gkmlpt/content/…/post_N.html) are fetched plainly: no browser per page.
 * Department sub-sites may live under a path (/yjzjj/gkmlpt/…): the API is taken under the same prefix.
 */
import type { Adapter, ListPage } from './types.ts';
import { decodePage, num, unescapeHtml } from './types.ts';

const API = /^(.*)\/gkmlpt\/api\/all\/(\d+)$/;
/** API pages queued from page 1 at most (a wild total): far above the crawl's list budget per site */
const MAX_PAGES = 1000;

interface Article {
  title?: string; url?: string; post_url?: string; created_at?: string; date?: number | string;
}

/** Titles some sites send %uXXXX-escaped. */
const unescapeU = (s: string): string => s.replace(/%u([0-9a-f]{4})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/** SID and the report category from a page's window._CONFIG (JSON or a JS object literal). */
export function gkmlptConfig(html: string, pageUrl: string, catOverride?: unknown): { sid: string; cat: number } | null {
  const at = html.search(/window\._CONFIG\s*=/);
  if (at < 0) return null;
  const cfg = html.slice(at, at + 200_000);
  const sid = /["']?SID["']?\s*:\s*["']?(\d+)/.exec(cfg)?.[1];
  if (!sid) return null;
  const hash = Number(new URL(pageUrl).hash.slice(1));
  let cat = num(catOverride, NaN);
  if (!Number.isFinite(cat)) cat = num(/["']?ANNUAL_REPORT_CAT["']?\s*:\s*["']?(\d+)/.exec(cfg)?.[1], NaN);
  if (!Number.isFinite(cat) && hash > 0) cat = hash;
  if (!Number.isFinite(cat)) {
    cat = reportNodeId(cfg);
  }
  return Number.isFinite(cat) ? { sid, cat } : null;
}

/**
 * The id of the TREE node named like the 年报 column (not its 解读). Nodes print as JSON or as JS literals, with
 * `id` before or after `name`: the id is the one among the node's own scalar keys (before its children array).
 */
function reportNodeId(cfg: string): number {
  for (const m of cfg.matchAll(/["']?name["']?\s*:\s*["']([^"']+)["']/g)) {
    const name = unescapeU(m[1]);
    if (!/年报|年度报告/.test(name) || /解读|图解/.test(name)) continue;
    const open = cfg.lastIndexOf('{', m.index);
    const rest = cfg.slice(m.index);
    const end = rest.search(/[{}[\]]/);
    const own = cfg.slice(open + 1, m.index) + rest.slice(0, end < 0 ? rest.length : end);
    const id = /(?:^|[,{\s])["']?id["']?\s*:\s*["']?(\d+)/.exec(own)?.[1];
    if (id) return Number(id);
  }
  return NaN;
}

function apiUrl(base: string, prefix: string, cat: number, sid: string, page: number): string {
  const u = new URL(`${prefix}/gkmlpt/api/all/${cat}`, base);
  u.searchParams.set('page', String(page));
  u.searchParams.set('sid', sid);
  return u.href;
}

export const gkmlpt: Adapter = {
  family: 'gkmlpt',
  listRequests: (entry) => entry.entryUrls,
  parseList(entry, url, body, headers): ListPage {
    const u = new URL(url);
    const api = API.exec(u.pathname);
    const text = decodePage(body, headers);
    if (api) {
      let json: { articles?: Article[]; total?: number; classify?: { post_count?: number } };
      try {
        json = JSON.parse(text) as typeof json;
      } catch {
        return { reports: [], next: [], done: true };
      }
      const articles = Array.isArray(json.articles) ? json.articles : [];
      const reports = articles.flatMap((a) => {
        // some sites send url: '' and the link in post_url only
        const href = a.url || a.post_url;
        if (!href || !a.title) return [];
        return [{ url: new URL(href, url).href, title: unescapeU(unescapeHtml(a.title)).trim(), date: a.created_at?.slice(0, 10) }];
      });
      const page = Math.max(1, num(u.searchParams.get('page'), 1));
      const total = num(json.total, num(json.classify?.post_count, -1));
      const sid = u.searchParams.get('sid') ?? '';
      const pageUrl = (n: number) => apiUrl(url, api[1], Number(api[2]), sid, n);
      let next: string[] = [];
      if (articles.length > 0 && total < 0) next = [pageUrl(page + 1)];
      else if (articles.length > 0 && page === 1) {
        // page 1 holds a full page (or all): the rest are pages 2…last, known now; later pages queue nothing
        const last = Math.min(MAX_PAGES, Math.ceil(total / articles.length));
        next = Array.from({ length: Math.max(0, last - 1) }, (_, i) => pageUrl(i + 2));
      }
      // the end is known on an empty page, or on page 1 when it holds the total
      const done = articles.length === 0 || (page === 1 && total >= 0 && next.length === 0);
      return { reports, next, ...(done ? { done } : {}) };
    }
    // an entry page: discover the API from window._CONFIG
    const entryHash = entry.entryUrls.find((e) => e.split('#')[0] === url.split('#')[0]) ?? url;
    const cfg = gkmlptConfig(text, entryHash, entry.overrides.catId);
    if (!cfg) return { reports: [], next: [], done: true };
    const prefix = u.pathname.replace(/\/gkmlpt\/.*$/, '');
    return { reports: [], next: [apiUrl(url, prefix, cfg.cat, cfg.sid, 1)] };
  },
};
