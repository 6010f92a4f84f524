/**
 * Child process for pool-crash.test.ts: ingests real pages through an IngestPool (parsing on a worker
 * thread, many fetches a transaction) in an endless loop until killed.
 * Usage: node --import tsx test/storage/pool-writer.ts <db> <first-index>
 * Prints "ready", then "ok <fetchId>" for each fetch whose promise resolved (= committed).
 */
import { IngestPool, openArchive } from '../../storage/index.ts';
import type { FetchInput } from '../../storage/index.ts';
import { allPages, injectIntoContent } from './helpers.ts';

const [dbPath, first] = process.argv.slice(2);
const db = openArchive(dbPath);
const pool = new IngestPool(db, { workers: 1, batchSize: 16 });
const pages = allPages();
const start = Number(first);
process.stdout.write('ready\n');

function input(i: number): FetchInput {
  const page = pages[i % pages.length];
  const round = Math.floor(i / pages.length);
  // as burst-writer.ts: even rounds new documents, odd rounds the previous round's URLs edited
  const url = `${page.url}?pool=${round - (round % 2)}`;
  let body = page.body;
  if (round % 2 === 1) {
    body = page.body.includes('class=TRS_Editor>')
      ? injectIntoContent(page.body, `<p>第${round}轮补充说明。</p>`)
      : Buffer.concat([page.body, Buffer.from(`<!-- ${round} -->`)]);
  }
  const status = i % 11 === 10 ? 404 : i % 13 === 12 ? 304 : 200;
  return {
    url, requestedAt: Date.parse('2025-01-01T00:00:00Z') + i * 1000, status, headers: { 'content-type': page.contentType },
    body: status === 200 ? body : status === 404 ? Buffer.from('not found') : null, elapsedMs: i % 97, unit: page.unit,
  };
}

const inFlight = new Set<Promise<void>>();
for (let i = start; ; i++) {
  const p: Promise<void> = pool.ingest(input(i)).then((r) => void process.stdout.write(`ok ${r.fetchId}\n`));
  inFlight.add(p);
  void p.finally(() => inFlight.delete(p));
  if (inFlight.size >= 48) await Promise.race(inFlight);
}
