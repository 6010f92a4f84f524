/**
 * The hard portals (issue 5): families whose lists exist only as JSON or only after JS, and sites behind JS
 * cookie challenges. They start only when named in startReplica({ only: [...] }), so the plain crawls and tests
 * of the first four sites are unchanged.
 *
 *   gkmlpt    Guangdong gkmlpt (window._CONFIG, /gkmlpt/api/all/{cat}?page=N&sid=S)          ./gkmlpt.ts
 *   jpaas     Hanweb JPaaS (the /api-gateway/jpaas-publish-server/front/page/build/unit JSON)   ./jpaas.ts
 *   waf412    a TRS WCM column behind a 瑞数-style 412 challenge                                 ./challenge.ts
 *   waf521    a Hanweb JCMS column behind a 加速乐-style 521 challenge (two rounds)              ./challenge.ts
 *   js-list   a generic portal whose list page renders nothing without JS                       ./js-list.ts
 *   attachments  a generic column of reports in PDF/DOCX/DOC/WPS files and picture tables     ./attachments.ts
 */
import { AttachmentsSite } from './attachments.ts';
import { ChallengeSite } from './challenge.ts';
import type { GeneratedOptions, Place } from './generated.ts';
import { GkmlptSite, type GkmlptOptions } from './gkmlpt.ts';
import { HanwebSite, type HanwebOptions } from './hanweb.ts';
import { JpaasSite, type JpaasOptions } from './jpaas.ts';
import { JsListSite } from './js-list.ts';
import { TrsWcmSite, type TrsWcmOptions } from './trs-wcm.ts';
import type { Site, SiteOptions } from './types.ts';

export const HARD_SITE_IDS = ['gkmlpt', 'jpaas', 'waf412', 'waf521', 'js-list', 'attachments'] as const;
export type HardSiteId = (typeof HARD_SITE_IDS)[number];

export interface HardSitesOptions {
  gkmlpt?: GkmlptOptions | false;
  jpaas?: JpaasOptions | false;
  waf412?: TrsWcmOptions | false;
  waf521?: HanwebOptions | false;
  'js-list'?: GeneratedOptions | false;
  attachments?: SiteOptions | false;
}

export const WAF412_PLACE: Place = {
  province: '河南省', city: '洛川市', county: null, level: 'city', region: '洛川市',
  siteName: '洛川市人民政府', domain: 'www.luochuan.gov.cn', idCode: '4103000007',
  departments: ['人民政府', '民政局', '教育局', '财政局', '卫生健康委员会', '司法局'],
};

export const WAF521_PLACE: Place = {
  province: '山东省', city: '海阳湾市', county: null, level: 'city', region: '海阳湾市',
  siteName: '海阳湾市人民政府', domain: 'www.haiyangwan.gov.cn', idCode: '3706000009',
  departments: ['人民政府', '公安局', '民政局', '财政局', '交通运输局', '审计局'],
};

export function hardSites(seed: string, ids: readonly HardSiteId[], opts: HardSitesOptions): Site[] {
  const cfg = <T>(v: T | false | undefined): T => (v || {}) as T;
  return ids.map((id): Site => {
    switch (id) {
      case 'gkmlpt': return new GkmlptSite(id, seed, undefined, cfg(opts.gkmlpt));
      case 'jpaas': return new JpaasSite(id, seed, undefined, cfg(opts.jpaas));
      case 'waf412': return new ChallengeSite(new TrsWcmSite(id, seed, WAF412_PLACE, cfg(opts.waf412)), '412', seed);
      case 'waf521': return new ChallengeSite(new HanwebSite(id, seed, WAF521_PLACE, cfg(opts.waf521)), '521', seed);
      case 'js-list': return new JsListSite(id, seed, undefined, cfg(opts['js-list']));
      case 'attachments': return new AttachmentsSite(id, cfg(opts.attachments));
    }
  });
}
