/** Helpers for the crawl engine tests: the replica, its registry in a temp dir, a fresh archive, a fast crawl. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCrawl, type CrawlOptions, type CrawlSummary } from '../../crawlers/crawl.ts';
import { loadRegistry, selectEntries } from '../../crawlers/registry.ts';
import { startReplica, writeRegistry, type Replica, type ReplicaOptions } from '../../scripts/replica/index.ts';
import { expect } from 'vitest';
import { canonicalUrl, openArchive, type Archive } from '../../storage/index.ts';

export interface World {
  replica: Replica;
  dir: string;
  registryDir: string;
  dbPath: string;
  db: Archive;
  crawl(opts?: Partial<CrawlOptions> & { site?: string; province?: string }): Promise<CrawlSummary>;
  close(): Promise<void>;
}

/** Fast settings: no per-host delay beyond a few ms, small retry backoffs. */
export const FAST: Partial<CrawlOptions> = {
  fetcher: { hostDefaults: { concurrency: 2, delayMs: 2 }, timeoutMs: 3000, retry: { baseMs: 5, maxMs: 20, maxAttempts: 2 } },
  backoff: { baseMs: 10, maxMs: 50, maxAttempts: 2 },
  concurrency: 8,
  maxWaitMs: 2000,
};

export async function world(opts: ReplicaOptions = {}): Promise<World> {
  const replica = await startReplica({ seed: 1, ...opts });
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-crawl-'));
  const registryDir = join(dir, 'registry');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(registryDir);
  // one file per province, as in crawlers/registry/
  const byProvince = new Map<string, typeof replica.registry>();
  for (const e of replica.registry) byProvince.set(e.province, [...(byProvince.get(e.province) ?? []), e]);
  let i = 0;
  for (const [, es] of byProvince) writeRegistry(join(registryDir, `p${++i}.json`), es);
  const dbPath = join(dir, 'nianbao.db');
  const w: World = {
    replica, dir, registryDir, dbPath, db: openArchive(dbPath),
    crawl: (o = {}) => runCrawl({
      ...FAST, db: w.db, entries: selectEntries(loadRegistry(registryDir), { site: o.site, province: o.province }), ...o,
    }),
    async close() {
      if (w.db.open) w.db.close();
      await replica.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return w;
}

export interface LatestReport { url: string; title: string; year: number | null; status: string; site: string }

export function latestReports(db: Archive): LatestReport[] {
  return db.prepare('SELECT url, title, year, status, site FROM latest_reports ORDER BY url').all() as LatestReport[];
}

export function cell(db: Archive, url: string, key: string, tbl = 'applications'): number | null {
  const r = db.prepare('SELECT value FROM latest_cells WHERE url = ? AND tbl = ? AND key = ?').get(url, tbl, key) as { value: number | null } | undefined;
  return r?.value ?? null;
}

/**
 * Every live report of a replica site is in the archive (`got`: latest reports by URL) under the site's registry
 * id with its title and year, and none of the site's non-reports was ever requested. Returns the site's reports.
 */
export function expectSiteReports(w: World, id: string, got: Map<string, LatestReport>) {
  const site = w.replica.sites[id];
  const reports = site.reports();
  for (const d of reports) {
    const r = got.get(canonicalUrl(d.url));
    expect(r, `${id}: ${d.title}`).toBeDefined();
    expect(r!.site).toBe(`replica-${id}`);
    expect(r!.year, d.title).toBe(d.year);
    expect(r!.title.replace(/\s+/g, '')).toBe(d.title.replace(/\s+/g, ''));
  }
  const asked = new Set(w.replica.log.entries({ site: id }).map((e) => e.path));
  for (const d of site.docs().filter((x) => !x.isReport)) expect(asked.has(d.path), `${id} fetched ${d.title}`).toBe(false);
  return reports;
}

/**
 * A crawl that finished without a failure archived every report of these replica sites (expectSiteReports each)
 * and no other report. Returns the number of reports, in all and per site, for the caller's own minimums.
 */
export function expectAllSiteReports(w: World, s: CrawlSummary, sites: readonly string[]): { total: number; bySite: Map<string, number> } {
  expect(s.status).toBe('finished');
  expect(s.counts.failed).toBe(0);
  const got = new Map(latestReports(w.db).map((r) => [r.url, r]));
  const bySite = new Map(sites.map((id) => [id, expectSiteReports(w, id, got).length]));
  const total = [...bySite.values()].reduce((a, b) => a + b, 0);
  expect(got.size).toBe(total);
  return { total, bySite };
}
