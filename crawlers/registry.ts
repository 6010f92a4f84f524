/**
 * The portal registry: data, not code. A directory of JSON files (crawlers/registry/*.json, one per province,
 * named in pinyin: crawlers/provinces.ts), each holding an array of entries (or one entry). The fields are
 * documented in crawlers/registry/README.md and typed in ./registry-schema.ts; every entry is validated on load
 * (errors name the file and the entry). Minimal entry:
 *
 *   { "id": "fujian-pingtan", "name": "平潭综合实验区党工委管委会", "province": "福建省", "city": "平潭综合实验区",
 *     "county": null, "level": "city", "family": "trs-fujian",
 *     "entryUrls": ["https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"], "overrides": {} }
 *
 * Literal private addresses in `overrides.hosts` (127.0.0.1 for the replica portals) are allowed to be private.
 * The replica's registry is written into a temporary directory by the tests (its ports change every run).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { provinceName } from './provinces.ts';
import { RegistryError, validateEntry, type RegistryEntry } from './registry-schema.ts';

export type { RegistryEntry };
export { RegistryError };

export const DEFAULT_REGISTRY_DIR = 'crawlers/registry';

/** The *.json files of a registry directory in name order (or the one file `dir` names). */
export function registryFiles(dir: string = DEFAULT_REGISTRY_DIR): string[] {
  return statSync(dir).isDirectory()
    ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f))
    : [dir];
}

/** The validated entries of one registry file. */
export function loadRegistryFile(file: string): RegistryEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    throw new RegistryError(file, '-', `not readable JSON: ${(err as Error).message}`);
  }
  return (Array.isArray(data) ? data : [data]).map((raw, i) => validateEntry(raw, file, i));
}

/** Every entry of every *.json file in `dir` (or of the one file `dir` names), in file-name order; ids unique. */
export function loadRegistry(dir: string = DEFAULT_REGISTRY_DIR): RegistryEntry[] {
  const out: RegistryEntry[] = [];
  const fileOf = new Map<string, string>();
  for (const f of registryFiles(dir)) {
    loadRegistryFile(f).forEach((e, i) => {
      const other = fileOf.get(e.id);
      if (other) throw new RegistryError(f, `#${i} (${e.id})`, `duplicate id, already used in ${other}`);
      fileOf.set(e.id, f);
      out.push(e);
    });
  }
  return out;
}

export interface EntrySelection {
  /** a province name (福建省), a prefix (福建) or a registry file name (fujian) */
  province?: string;
  /** an entry id, or a host it lists */
  site?: string;
  family?: string;
  /** drop entries marked "verified": false */
  verifiedOnly?: boolean;
}

/** Entries of a province, one site, one family; optionally only verified ones. */
export function selectEntries(entries: RegistryEntry[], sel: EntrySelection): RegistryEntry[] {
  const province = sel.province ? provinceName(sel.province) : undefined;
  return entries.filter((e) =>
    (!province || e.province === province || e.province.startsWith(province)) &&
    (!sel.site || e.id === sel.site || entryHosts(e).includes(sel.site.toLowerCase())) &&
    (!sel.family || e.family === sel.family) &&
    (!sel.verifiedOnly || e.verified !== false));
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
