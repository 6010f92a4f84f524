/**
 * Delisting (listing.ts): a report no list of its site named in a complete run is delisted (still live), one
 * named again is relisted; a run whose lists lost most of the site's reports at once decides no delisting.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordListed, settleListing } from '../../crawlers/listing.ts';
import { getRun, startRun } from '../../crawlers/runs.ts';
import { ingestFetch, listChanges } from '../../storage/index.ts';
import { PINGTAN, pingtanEntries } from '../helpers/fixtures.ts';
import { tempArchive, type TempArchive } from './archive.ts';

let t: TempArchive;
afterEach(() => t?.cleanup());

function archiveOfFour() {
  t = tempArchive();
  const urls = pingtanEntries().slice(0, 4).map((e, i) => {
    const url = `http://127.0.0.1:9/r/${i}.html`;
    ingestFetch(t.db, {
      url, site: 'S', requestedAt: '2026-04-01T00:00:00Z', status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8' }, body: readFileSync(join(PINGTAN, e.path)),
    });
    return url;
  });
  return { db: t.db, urls };
}

const state = (db: TempArchive['db'], url: string) =>
  db.prepare('SELECT status, delisted_since FROM documents WHERE url = ?').get(url) as { status: string; delisted_since: string | null };

describe('listing', () => {
  it('delists the report no list named, keeps it live, and relists it when named again', () => {
    const { db, urls } = archiveOfFour();
    const run1 = startRun(db, 'crawl', {});
    recordListed(db, 'S', run1, urls.slice(0, 3), '2026-04-02T00:00:00Z');
    const s1 = settleListing(db, run1, 'S', '2026-04-02T01:00:00Z');
    expect(s1.delisted.map((e) => e.documentId)).toHaveLength(1);
    expect(s1.relisted).toEqual([]);
    expect(state(db, urls[3])).toEqual({ status: 'live', delisted_since: '2026-04-02T01:00:00.000Z' });
    expect(state(db, urls[0]).delisted_since).toBeNull();
    expect(getRun(db, run1)!.counts).toMatchObject({ delisted: 1, relisted: 0 });
    // deciding again in the same state changes nothing
    expect(settleListing(db, run1, 'S')).toEqual({ delisted: [], relisted: [] });

    const run2 = startRun(db, 'crawl', {});
    recordListed(db, 'S', run2, urls, '2026-04-03T00:00:00Z');
    const s2 = settleListing(db, run2, 'S', '2026-04-03T01:00:00Z');
    expect(s2.delisted).toEqual([]);
    expect(listChanges(db, { since: '2026-04-02T00:00:00Z' }).map((c) => [c.kind, c.url])).toEqual([
      ['relisted', urls[3]], ['delisted', urls[3]],
    ]);
    expect(state(db, urls[3]).delisted_since).toBeNull();
  });

  it('decides no delisting when the lists lost more than half of the site at once', () => {
    const { db, urls } = archiveOfFour();
    const run = startRun(db, 'crawl', {});
    recordListed(db, 'S', run, urls.slice(0, 1), '2026-04-02T00:00:00Z');
    expect(settleListing(db, run, 'S')).toEqual({ delisted: [], relisted: [] });
    for (const u of urls) expect(state(db, u).delisted_since).toBeNull();
  });
});
