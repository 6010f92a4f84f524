/**
 * The real portal registry (crawlers/registry/*.json) against its source, research/cms-families.md: every entry
 * validates, every gov.cn URL and host the research names is recorded, the gov.cn platform table and the Putian
 * department list are complete, files and provinces agree. Reads data only — no URL is ever fetched.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasAdapter, isFamilyKnown, whyNotCrawlable } from '../../crawlers/families.ts';
import { PROVINCE_FILES } from '../../crawlers/provinces.ts';
import { urlProblem } from '../../crawlers/registry-schema.ts';
import { DEFAULT_REGISTRY_DIR, entryHosts, loadRegistry, loadRegistryFile, registryFiles, selectEntries, type RegistryEntry } from '../../crawlers/registry.ts';
import { isPrivateAddress } from '../../crawlers/url-policy.ts';
import { ROOT, SHARED } from '../helpers/fixtures.ts';

const DIR = join(ROOT, DEFAULT_REGISTRY_DIR);
const RESEARCH = readFileSync(join(SHARED, 'research', 'cms-families.md'), 'utf8');
const entries = loadRegistry(DIR);
const noScheme = (u: string) => u.replace(/^https?:\/\//, '');
/** every host an entry names: overrides.hosts, entry URLs, sample URLs */
const hostsOf = (e: RegistryEntry) => [...entryHosts(e), ...(e.sampleUrls ?? []).map((u) => new URL(u).host)];
const mentions = (e: RegistryEntry, text: string) => JSON.stringify(e).includes(text);

/** research URLs that are not a unit's: the vendor's link in a fingerprint, a copied document, a shared script */
const NOT_A_UNIT = ['www.hanweb.com', 'www.ybppc.net/', 'zfwzgl.www.gov.cn'];

describe('the real registry: every entry', () => {
  it('loads (the files hold what the loader returns, ids unique across files)', () => {
    const raw = registryFiles(DIR).flatMap((f) => JSON.parse(readFileSync(f, 'utf8')) as { id: string }[]);
    expect(entries.map((e) => e.id)).toEqual(raw.map((e) => e.id));
    expect(new Set(raw.map((e) => e.id)).size).toBe(raw.length);
  });

  it('is unverified, points into the research, and has a known or planned family', () => {
    for (const e of entries) {
      expect(e.verified, e.id).toBe(false);
      expect(e.source, e.id).toMatch(/^research\/cms-families\.md §\d/);
      expect(isFamilyKnown(e.family), `${e.id}: ${e.family}`).toBe(true);
      expect(whyNotCrawlable(e), e.id).toBe(!hasAdapter(e.family) ? `no adapter for family ${e.family}` : e.entryUrls.length ? null : 'no entry URL');
    }
  });

  it('has absolute http(s) URLs on public gov.cn hosts', () => {
    for (const e of entries) {
      for (const u of [...e.entryUrls, ...(e.sampleUrls ?? [])]) expect(urlProblem(u), `${e.id}: ${u}`).toBeNull();
      for (const h of hostsOf(e)) {
        const name = h.replace(/:\d+$/, '');
        expect(isPrivateAddress(name), `${e.id}: ${h}`).toBe(false);
        expect(name, e.id).toMatch(/(^|\.)gov\.cn$/);
      }
    }
  });

  it('sits in the file of its province, with an id prefixed by the file name', () => {
    for (const f of registryFiles(DIR)) {
      const key = basename(f, '.json');
      expect(PROVINCE_FILES[key], `${f}: not a province file name`).toBeDefined();
      const inFile = loadRegistryFile(f);
      expect(inFile.length, f).toBeGreaterThan(0);
      for (const e of inFile) {
        expect(e.province, e.id).toBe(PROVINCE_FILES[key]);
        expect(e.id.startsWith(`${key}-`), e.id).toBe(true);
      }
      // selecting by the file's pinyin name gives exactly the file's entries
      expect(selectEntries(entries, { province: key }).map((e) => e.id)).toEqual(inFile.map((e) => e.id));
    }
  });
});

describe('the real registry against research/cms-families.md', () => {
  it('records every gov.cn URL the research gives (templates up to their first placeholder)', () => {
    const full = [...RESEARCH.matchAll(/https?:\/\/[^\s`)"'，,]+/g)].map((m) => m[0]);
    const bare = [...RESEARCH.matchAll(/`([a-z0-9-]+(?:\.[a-z0-9-]+)*\.gov\.cn\/[^`\s]*)`/g)].map((m) => m[1]);
    const urls = [...new Set([...full, ...bare].map((u) => noScheme(u).split(/[{<…]/)[0].replace(/[.;:]$/, '')))]
      .filter((u) => /^[a-z0-9-]+(\.[a-z0-9-]+)+\//.test(u) && !u.endsWith('/robots.txt'))
      .filter((u) => !NOT_A_UNIT.some((x) => u.startsWith(x)));
    expect(urls.length).toBeGreaterThan(30);
    const missing = urls.filter((u) => !entries.some((e) => mentions(e, u)));
    expect(missing).toEqual([]);
  });

  it('records every gov.cn host the research names', () => {
    const hosts = [...new Set([...RESEARCH.matchAll(/\b([a-z0-9-]+(?:\.[a-z0-9-]+)*\.gov\.cn)\b/g)].map((m) => m[1]))]
      .filter((h) => h !== 'gov.cn' && !NOT_A_UNIT.includes(h));
    expect(hosts.length).toBeGreaterThan(40);
    const missing = hosts.filter((h) => !entries.some((e) => hostsOf(e).some((x) => x === h || x.endsWith(`.${h}`)) || mentions(e, h)));
    expect(missing).toEqual([]);
  });

  it('holds every row of the gov.cn provincial platform table as a platform entry of that province', () => {
    const section = RESEARCH.slice(RESEARCH.indexOf('### 7.3'), RESEARCH.indexOf('### 7.4'));
    const rows = [...section.matchAll(/^\s*\* (\p{Script=Han}+) `(https?:\/\/[^`]+)`/gmu)].map((m) => ({ province: m[1], url: m[2] }));
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const r of rows) {
      const hit = entries.filter((e) => e.province.startsWith(r.province) && e.column === 'platform' && e.entryUrls.some((u) => noScheme(u) === noScheme(r.url)));
      expect(hit.length, `${r.province} ${r.url}`).toBe(1);
    }
    const fromTable = entries.filter((e) => e.source?.includes('gov.cn platform table'));
    expect(fromTable.length).toBe(rows.length);
  });

  it('holds each Putian department the research lists, at the research\'s path template', () => {
    const m = /\/zfxxgk\/bmzfxxgk\/\{dept\}\/zfxxgk\/zfxxgknb\/` for ((?:[a-z]+, )+[a-z]+) and others/.exec(RESEARCH);
    expect(m).not.toBeNull();
    const depts = m![1].split(', ');
    const putian = selectEntries(entries, { province: 'fujian' }).filter((e) => e.entryUrls.some((u) => u.includes('/bmzfxxgk/')));
    expect(putian.map((e) => e.id.replace('fujian-', '')).sort()).toEqual([...depts].sort());
    for (const d of depts) {
      expect(entries.find((e) => e.id === `fujian-${d}`)!.entryUrls).toEqual([`https://www.putian.gov.cn/zfxxgk/bmzfxxgk/${d}/zfxxgk/zfxxgknb/`]);
    }
  });

  it('holds every Beijing district the research names as a county entry', () => {
    const districts = ['东城', '西城', '朝阳', '海淀', '丰台', '石景山', '门头沟', '房山', '通州', '顺义', '昌平', '大兴', '怀柔', '平谷', '密云', '延庆'];
    const named = districts.filter((d) => RESEARCH.includes(d));
    expect(named.length).toBeGreaterThan(10);
    const beijing = selectEntries(entries, { province: 'beijing' }).filter((e) => e.level === 'county');
    expect(beijing.map((e) => e.county).sort()).toEqual(named.map((d) => `${d}区`).sort());
  });

  it('marks the sites the research reports behind a JS cookie challenge with their challenge (the browser path solves it)', () => {
    const table = RESEARCH.slice(RESEARCH.indexOf('## 6. Anti-bot'), RESEARCH.indexOf('## 7.'));
    const rows: Array<[RegExp, string]> = [[/瑞数[^\n]*/, 'riversafe-412'], [/加速乐[^\n]*/, 'jiasule-521'], [/Tencent EdgeOne[^\n]*/, 'edgeone']];
    for (const [re, kind] of rows) {
      const row = re.exec(table)![0];
      const sites = [...row.matchAll(/\b([a-z0-9-]+\.gov\.cn)\b/g)].map((m) => m[1]);
      expect(sites.length, kind).toBeGreaterThan(0);
      for (const h of sites) {
        const e = entries.find((x) => hostsOf(x).some((y) => y === h || y.endsWith(`.${h}`)));
        expect(e, h).toBeDefined();
        expect(e!.challenge, h).toBe(kind);
      }
    }
  });

  it('lists in the registry README exactly the entries without an entry URL', () => {
    const readme = readFileSync(join(DIR, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Named, no URL'));
    const listed = [...section.matchAll(/^- `([a-z0-9-]+)`/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(entries.filter((e) => !e.entryUrls.length).map((e) => e.id).sort());
  });
});

describe('registry files in the directory', () => {
  it('are all *.json province files plus the README', () => {
    const other = readdirSync(DIR).filter((f) => !f.endsWith('.json'));
    expect(other).toEqual(['README.md']);
  });
});
