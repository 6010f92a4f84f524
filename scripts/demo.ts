/**
 * `npm run demo`: the main job, offline. It archives the bundled real portal (the Pingtan 政府信息公开年报
 * column, ../shared) into ./data/nianbao.db as a first crawl would, then replays a second night in which
 * one report's number is edited and one report is deleted, and prints what a journalist would ask.
 * (Until the crawler lands, the pages are handed to the archive directly instead of fetched from the
 * replica portal server.)
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  archiveStats, DEFAULT_DB_PATH, ingestFetch, listChanges, openArchive, search, type Archive,
} from '../storage/index.ts';
import { textTable } from './commands/archive-io.ts';
import { PINGTAN_DIR, pingtanPages } from './bench/corpus.ts';

const DB = process.env.NIANBAO_DB ?? DEFAULT_DB_PATH;
const UNIT = { name: '平潭综合实验区', province: '福建省', city: '平潭综合实验区', level: 'city' };
const HEADERS = { 'content-type': 'text/html; charset=utf-8' };

function night(db: Archive, at: string, edit: (docid: string, html: Buffer) => Buffer | null): void {
  for (const e of pingtanPages()) {
    const body = edit(e.docid, readFileSync(join(PINGTAN_DIR, e.path)));
    ingestFetch(db, {
      url: e.url, site: 'www.pingtan.gov.cn', requestedAt: at, status: body ? 200 : 404,
      headers: HEADERS, body: body ?? Buffer.from('<html><body>页面不存在</body></html>'), elapsedMs: 0, unit: UNIT,
    });
  }
}

function section(title: string, body: string): void {
  console.log(`\n== ${title}\n${body.trimEnd()}`);
}

rmSync(DB, { force: true });
rmSync(`${DB}-wal`, { force: true });
rmSync(`${DB}-shm`, { force: true });
const db = openArchive(DB);

night(db, '2026-03-20T02:00:00Z', (_id, html) => html);
const first = archiveStats(db);
// night two: the 2024 report's 本年新收 总计 is edited (218 → 219) and the 2012 county report is deleted
night(db, '2026-03-21T02:00:00Z', (docid, html) => {
  if (docid === '80725') return null;
  if (docid === '97791') return Buffer.from(html.toString('utf8').replace('<p style="text-indent: 0em;">218</p>', '<p style="text-indent: 0em;">219</p>'));
  return html;
});
const stats = archiveStats(db);

section('archive', [
  `file ${DB}`,
  `night 1: ${first.fetches} fetches, ${first.documents} documents, ${first.reports} reports, ${first.unparsed} kept raw as not-a-report`,
  `night 2: ${stats.fetches - first.fetches} fetches, ${stats.versions - first.versions} new version(s), ${stats.changes - first.changes} change event(s)`,
  `bytes received ${stats.bytesReceived}, stored compressed ${stats.bytesStored}`,
].join('\n'));

section('what changed on night 2  (nianbao changes --since 2026-03-21)',
  listChanges(db, { since: '2026-03-21' }).map((c) => `${c.kind.padEnd(16)} ${c.year ?? ''} ${c.title ?? c.url}  ${JSON.stringify(c.detail)}`).join('\n'));

section('applications per year  (nianbao query "SELECT year, new_received_total, granted_total, … FROM applications_wide")',
  textTable(db.prepare(`SELECT year, agency, new_received_total AS received, granted_total AS granted, partial_total AS partial,
    denied_total AS denied, unavailable_total AS unavailable, carried_forward_total AS carried_fwd, review_total AS reviews, suit_total AS suits
    FROM applications_wide WHERE total_total IS NOT NULL ORDER BY year`).all() as Array<Record<string, unknown>>));

section('tables that do not add up  (nianbao export --view failed_checks)',
  textTable(db.prepare('SELECT year, agency, rule, detail FROM failed_checks ORDER BY year').all() as Array<Record<string, unknown>>, 60));

section('search "依申请" 2019-2021  (nianbao search 依申请 --year 2019-2021)',
  search(db, '依申请', { year: { from: 2019, to: 2021 }, limit: 5 }).map((h) => `${h.year} ${h.title}\n    ${h.snippet}`).join('\n'));

section('try', [
  'npx nianbao show https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202503/t20250310_97791.htm',
  'npx nianbao changes --kind numbers_changed',
  'npx nianbao export --format csv --view applications_wide --out applications.csv',
  'npx nianbao query "SELECT year, agency, denied_total FROM applications_wide ORDER BY denied_total DESC"',
].join('\n'));
db.close();
