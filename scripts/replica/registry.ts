/**
 * The replica portals as registry data for the crawler (shape: RegistryEntry in ./types.ts).
 *
 *   {
 *     "id": "replica-hanweb",                 stable across runs
 *     "name": "东岚市人民政府",                 the unit (SiteName)
 *     "province": "江苏省", "city": "东岚市", "county": null,
 *     "level": "city",                        national | province | city | county | department
 *     "family": "hanweb-jcms",                trs-fujian | hanweb-jcms | trs-wcm | gkmlpt | hanweb-jpaas | generic
 *     "entryUrls": ["http://127.0.0.1:40123/col/col57812/index.html"],   report column(s), runtime port filled in
 *     "overrides": { "hosts": ["127.0.0.1:40123"], …family knobs… }
 *   }
 *
 * Family knobs in `overrides`:
 *   trs-fujian   search: {url, methods, params: {channelid, classsql, sortfield, prepage}, pageBase: 1, staticPages: 1}
 *   hanweb-jcms  columnid, unitid, webid, webname, proxyUrl, perPage, groupSize, inlineGroupPage: 0
 *   trs-wcm      encoding: 'gbk', pager: 'createPageHTML', pageBase: 0, ext: 'html', perPage
 *   generic      faults: true (the faults site)
 *   gkmlpt, hanweb-jpaas   none: SID/category and the unit API are discovered from the entry page
 */
import { writeFileSync } from 'node:fs';
import type { RegistryEntry } from './types.ts';

export type { RegistryEntry };

export function registryJson(entries: RegistryEntry[]): string {
  return `${JSON.stringify(entries, null, 2)}\n`;
}

export function writeRegistry(path: string, entries: RegistryEntry[]): void {
  writeFileSync(path, registryJson(entries));
}
