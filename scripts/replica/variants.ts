/**
 * Second replica sites per CMS family, differing the way real portals of the family do (issue 4 re-checked on
 * unseen portals): they start only when named in startReplica({ only: [...] }), so the plain crawls, the demo
 * and their counts are unchanged.
 *
 *   trs-wcm-2   TRS WCM: column two clicks from home, 1-based pager, .shtml, ../../ links, GBK undeclared  ./trs-wcm-variant.ts
 *   hanweb-2    Hanweb JCMS: no <nextgroup>, older proxy path, ranges, perPage 4 × groupSize 3, no knobs  ./hanweb-variant.ts
 *   generic-2   generic: 政务公开 → 年度报告 (ndbg), title forms, noise (解读, 图解, 计划, 总结, 通知)          ./generic-variant.ts
 *   trs-fujian-2 TRS Fujian: another channel, list call named only by the page, 5 static entries, other URL shapes ./trs-fujian-variant.ts
 *   jpaas-2     Hanweb JPaaS: static first page + lower-case pager, 7 API pages, pageNo past the end = page 1, a static column ./jpaas-variant.ts
 *   hanweb-3    Hanweb JCMS on three hosts: column on www.X, department reports on zwgk.X (in `hosts`), the city's on its host ./hanweb-alias.ts
 *   gkmlpt-2    gkmlpt: department sub-site under /yjzjj/, 年报 node by name, post_url only, short last page ./gkmlpt-variant.ts
 */
import { GenericVariantSite } from './generic-variant.ts';
import { GkmlptVariantSite } from './gkmlpt-variant.ts';
import { HanwebAliasSite } from './hanweb-alias.ts';
import { HanwebVariantSite } from './hanweb-variant.ts';
import { JpaasVariantSite } from './jpaas-variant.ts';
import { TrsFujianVariantSite } from './trs-fujian-variant.ts';
import { TrsWcmVariantSite } from './trs-wcm-variant.ts';
import type { Site, SiteOptions } from './types.ts';

export const VARIANT_SITE_IDS = ['trs-wcm-2', 'hanweb-2', 'generic-2', 'gkmlpt-2', 'trs-fujian-2', 'jpaas-2', 'hanweb-3'] as const;
export type VariantSiteId = (typeof VARIANT_SITE_IDS)[number];
export type VariantSitesOptions = { [K in VariantSiteId]?: SiteOptions | false };

export function variantSites(ids: readonly VariantSiteId[], opts: VariantSitesOptions): Site[] {
  return ids.map((id): Site => {
    const o = opts[id] || {};
    switch (id) {
      case 'trs-wcm-2': return new TrsWcmVariantSite(id, o);
      case 'hanweb-2': return new HanwebVariantSite(id, o);
      case 'generic-2': return new GenericVariantSite(id, o);
      case 'gkmlpt-2': return new GkmlptVariantSite(id, o);
      case 'trs-fujian-2': return new TrsFujianVariantSite(id, o);
      case 'jpaas-2': return new JpaasVariantSite(id, o);
      case 'hanweb-3': return new HanwebAliasSite(id, o);
    }
  });
}
