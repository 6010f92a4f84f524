/**
 * `npm run demo`: the main job, offline. It starts the replica portals (three CMS families with real report
 * pages, on 127.0.0.1), crawls them into ./data/nianbao.db as the first nightly crawl, switches the portals to
 * "the next night" (reports added, one edited, one deleted), crawls again, and prints the run summaries, what
 * changed, and a few of the questions a journalist asks of the archive.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatSummary, runCrawl, type CrawlOptions } from '../crawlers/crawl.ts';
import { loadRegistry } from '../crawlers/registry.ts';
import { startReplica, writeRegistry } from './replica/index.ts';
import { archiveStats, DEFAULT_DB_PATH, listChanges, openArchive, search } from '../storage/index.ts';
import { textTable } from './commands/archive-io.ts';

const DB = process.env.NIANBAO_DB ?? DEFAULT_DB_PATH;
/** Polite but quick: the replica runs on this machine. A real crawl uses the registry's delays (1 s by default). */
const SPEED: Partial<CrawlOptions> = { fetcher: { hostDefaults: { concurrency: 2, delayMs: 5 } }, concurrency: 6 };

function section(title: string, body: string): void {
  console.log(`\n== ${title}\n${body.trimEnd()}`);
}

const replica = await startReplica({ seed: 1, only: ['pingtan', 'hanweb', 'trs-wcm', 'attachments'] });
try {
  for (const f of [DB, `${DB}-wal`, `${DB}-shm`]) rmSync(f, { force: true });
  mkdirSync(dirname(DB), { recursive: true });
  const registryFile = join(dirname(DB), 'replica-registry.json');
  writeRegistry(registryFile, replica.registry);
  const entries = loadRegistry(registryFile);
  const db = openArchive(DB);
  section('replica portals', Object.values(replica.sites).map((s) => `${s.id.padEnd(11)} ${s.family.padEnd(12)} ${s.name}  ${s.entryUrls[0]}`).join('\n'));

  const night1 = await runCrawl({ ...SPEED, db, entries, mode: 'crawl', args: { demo: 'night 1' } });
  section('night 1: first crawl', formatSummary(night1));

  const next = replica.nextNight();
  const night2Start = new Date();
  const night2 = await runCrawl({ ...SPEED, db, entries, mode: 'crawl', args: { demo: 'night 2' } });
  section(`night 2: the portals changed ${next.changes.length} report(s) overnight; nightly crawl`, formatSummary(night2));
  const unchanged304 = replica.log.entries({ status: 304 }).length;
  console.log(`  ${unchanged304} unchanged report(s) answered 304 Not Modified (not downloaded again)`);

  const stats = archiveStats(db);
  section('archive', `file ${DB}\n${stats.documents} documents, ${stats.reports} reports, ${stats.versions} versions, ${stats.fetches} fetches, ${stats.unparsed} pages kept raw as not-a-report\nbytes received ${stats.bytesReceived}, stored compressed ${stats.bytesStored}`);

  section('what changed on night 2  (nianbao changes --since <night 2>)',
    listChanges(db, { since: night2Start })
      .map((c) => `${c.kind.padEnd(16)} ${c.year ?? ''} ${c.title ?? c.url}${c.kind === 'numbers_changed' ? `  ${JSON.stringify(c.detail.cells)}` : ''}`).join('\n'));

  section('who refused the most requests  (nianbao query "… FROM applications_wide ORDER BY denied_total DESC")',
    textTable(db.prepare(`SELECT year, agency, province, new_received_total AS received, denied_total AS denied, unavailable_total AS unavailable,
      review_total AS reviews, suit_total AS suits FROM applications_wide WHERE denied_total IS NOT NULL ORDER BY denied_total DESC, year DESC LIMIT 8`).all() as Array<Record<string, unknown>>));

  section('tables that do not add up  (nianbao export --view failed_checks)',
    textTable(db.prepare('SELECT year, agency, rule, detail FROM failed_checks ORDER BY agency, year LIMIT 10').all() as Array<Record<string, unknown>>, 56));

  section('reports that are in their files  (nianbao query "… FROM report_sources")',
    textTable(db.prepare(`SELECT page_title, attachment_type AS file, parse_status, year,
      (SELECT value FROM report_cells c WHERE c.version_id = report_version_id AND c.tbl = 'applications' AND c.key = 'new_received.total') AS received
      FROM report_sources ORDER BY page_url`).all() as Array<Record<string, unknown>>, 50));

  section('search 民政 in 2023  (nianbao search 民政 --year 2023)',
    search(db, '民政', { year: 2023, limit: 5 }).map((h) => `${h.year} ${h.agency}  ${h.title}`).join('\n'));

  section('try', [
    `npx nianbao search 依申请 --year 2019-2021`,
    `npx nianbao changes --kind numbers_changed`,
    `npx nianbao export --format csv --view applications_wide --out applications.csv`,
    `npx nianbao query "SELECT year, agency, denied_total FROM applications_wide ORDER BY denied_total DESC"`,
    `npm run replica   # the replica portals by hand; then: npx nianbao crawl --registry data/replica-registry.json`,
  ].join('\n'));
  db.close();
} finally {
  await replica.close();
}
