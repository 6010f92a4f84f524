/**
 * The TRS Fujian cluster's JS list call as the list page itself names it (research/cms-families.md §2.4), for
 * sites whose registry entry carries no `search` knobs:
 *
 *   var SiteInfo = { … searchId: 200210, … };
 *   require(["list2.trsapi", …], function (listModel) { listModel({ quickMode: "动静结合", maxStaticIndex: 1,
 *     listArgs: { channelid: SiteInfo.searchId | 201988, classsql: "" || "chnlid=1813", sortfield: "…" },
 *     pagebar: { prepage: 10, recordCount: '20', … } }) });
 *
 * The request path is not in the page (list2.trsapi holds it): the cluster's /fjdzapp/search, on the list's host.
 * This is the one place that knows the page's shape; replace it when a site shows another.
 */

export const TRS_FUJIAN_SEARCH_PATH = '/fjdzapp/search';

export interface ListArgs {
  url: string;
  params: Record<string, string>;
}

/** The list call named by a list page's listModel({…}), or null when the page has none. */
export function trsFujianListArgs(html: string, pageUrl: string): ListArgs | null {
  const at = html.search(/\blistModel\s*\(\s*\{/);
  if (at < 0) return null;
  const call = html.slice(at, at + 4000);
  const field = (name: string): string | undefined => {
    // a literal, the last non-empty literal of `"" || "…"`, or SiteInfo.x resolved from the page's SiteInfo
    const m = new RegExp(`\\b${name}\\s*:\\s*((?:"[^"]*"|'[^']*'|[^,}\\n"'])+)`).exec(call)?.[1].trim();
    if (!m) return undefined;
    const literals = [...m.matchAll(/(["'])(.*?)\1|(\d+)/g)].map((x) => x[2] ?? x[3]).filter((x) => x);
    if (literals.length) return literals[literals.length - 1];
    const ref = /^SiteInfo\.(\w+)$/.exec(m)?.[1];
    return ref ? /["']?(\d+)["']?/.exec(new RegExp(`\\b${ref}\\s*:\\s*(["']?\\d+["']?)`).exec(html)?.[1] ?? '')?.[1] : undefined;
  };
  const channelid = field('channelid');
  const classsql = field('classsql');
  if (!channelid || !classsql) return null;
  const params: Record<string, string> = { channelid, classsql };
  const sortfield = field('sortfield');
  if (sortfield) params.sortfield = sortfield;
  const prepage = field('prepage');
  if (prepage) params.prepage = prepage;
  return { url: new URL(TRS_FUJIAN_SEARCH_PATH, pageUrl).href, params };
}
