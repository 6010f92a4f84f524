/**
 * Child process for crash.test.ts: ingests real pages into an archive in an endless loop until killed.
 * Usage: node --import tsx test/storage/burst-writer.ts <db> <first-index>
 * Prints "ready", then "ok <fetchId>" after each committed ingest (stdout to a pipe is synchronous on
 * Linux, so a printed id was committed before the line left).
 */
import { ingestFetch, openArchive } from '../../storage/index.ts';
import { allPages, injectIntoContent } from './helpers.ts';

const [dbPath, first] = process.argv.slice(2);
const db = openArchive(dbPath);
const pages = allPages();
const start = Number(first);
process.stdout.write('ready\n');

for (let i = start; ; i++) {
  const page = pages[i % pages.length];
  const round = Math.floor(i / pages.length);
  // even rounds: new documents (document + version + report + cells + FTS rows + a 'new' event);
  // odd rounds: the previous round's URLs again, with an edit in the content where the page has a
  // TRS_Editor container (new version + change events) and page chrome noise otherwise
  const url = `${page.url}?burst=${round - (round % 2)}`;
  let body = page.body;
  if (round % 2 === 1) {
    body = page.body.includes('class=TRS_Editor>')
      ? injectIntoContent(page.body, `<p>第${round}轮补充说明。</p>`)
      : Buffer.concat([page.body, Buffer.from(`<!-- ${round} -->`)]);
  }
  const status = i % 11 === 10 ? 404 : 200;
  const r = ingestFetch(db, {
    url, requestedAt: Date.parse('2025-01-01T00:00:00Z') + i * 1000, status, headers: { 'content-type': page.contentType },
    body: status === 200 ? body : Buffer.from('not found'), elapsedMs: i % 97, unit: page.unit,
  });
  process.stdout.write(`ok ${r.fetchId}\n`);
}
