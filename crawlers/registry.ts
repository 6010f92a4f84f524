/**
 * The portal registry: data, not code. A directory of JSON files (crawlers/registry/*.json, one per province
 * by convention), each holding an array of entries (or one entry):
 *
 *   {
 *     "id": "fj-pingtan",                      stable id; the archive's site key and the frontier's `site`
 *     "name": "平潭综合实验区党工委管委会",       the unit (SiteName)
 *     "province": "福建省", "city": "平潭综合实验区", "county": null,
 *     "level": "city",                          national | province | city | county | department
 *     "family": "trs-fujian",                   trs-fujian | hanweb-jcms | trs-wcm | gkmlpt | hanweb-jpaas | generic (crawlers/adapters/)
 *     "entryUrls": ["https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/index.htm"],
 *     "overrides": {
 *       "hosts": ["www.pingtan.gov.cn"],        hosts (host or host:port) the crawler may fetch from; default: the entry URLs' hosts
 *       "delayMs": 1000, "concurrency": 1,      politeness for these hosts (defaults: the fetcher's)
 *       "maxDepth": 6, "maxListPages": 100,     bounds on list link hops and list pages per run
 *       "browser": "always",                    always | challenge | never; absent = automatic (crawlers/browser/)
 *       …family knobs (see scripts/replica/registry.ts: search, columnid/unitid/proxyUrl, pager, …)
 *     }
 *   }
 *
 * Literal private addresses in `hosts` (127.0.0.1 for the replica portals) are allowed to be private.
 * The replica's registry is written into a temporary directory by the tests (its ports change every run).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RegistryEntry } from '../scripts/replica/types.ts';

export type { RegistryEntry };

export const DEFAULT_REGISTRY_DIR = 'crawlers/registry';

/** Every entry of every *.json file in `dir` (or of the one file `dir` names), in file-name order. */
export function loadRegistry(dir: string = DEFAULT_REGISTRY_DIR): RegistryEntry[] {
  const files = statSync(dir).isDirectory()
    ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f))
    : [dir];
  const out: RegistryEntry[] = [];
  const ids = new Set<string>();
  for (const f of files) {
    const data = JSON.parse(readFileSync(f, 'utf8')) as unknown;
    for (const e of (Array.isArray(data) ? data : [data]) as RegistryEntry[]) {
      if (!e || typeof e.id !== 'string' || !Array.isArray(e.entryUrls) || typeof e.family !== 'string') {
        throw new Error(`${f}: not a registry entry: ${JSON.stringify(e).slice(0, 120)}`);
      }
      if (ids.has(e.id)) throw new Error(`${f}: duplicate registry id ${e.id}`);
      ids.add(e.id);
      out.push({ ...e, overrides: e.overrides ?? {} });
    }
  }
  return out;
}

/** Entries of a province (by name, e.g. 福建省, or a prefix like 福建) and/or one site (id, or a host it lists). */
export function selectEntries(entries: RegistryEntry[], sel: { province?: string; site?: string }): RegistryEntry[] {
  return entries.filter((e) =>
    (!sel.province || e.province === sel.province || e.province.startsWith(sel.province)) &&
    (!sel.site || e.id === sel.site || entryHosts(e).includes(sel.site.toLowerCase())));
}

/** host:port values an entry may be fetched from: overrides.hosts, else its entry URLs' hosts. */
export function entryHosts(e: RegistryEntry): string[] {
  const listed = Array.isArray(e.overrides.hosts) ? (e.overrides.hosts as string[]) : [];
  const hosts = listed.length ? listed : e.entryUrls.map((u) => new URL(u).host);
  return [...new Set(hosts.map((h) => h.toLowerCase()))];
}

/** Unit facts for the archive (storage's UnitInfo). */
export function unitOf(e: RegistryEntry) {
  return { name: e.name, province: e.province, city: e.city, county: e.county, level: e.level };
}
