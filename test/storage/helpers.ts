/** Real pages as fetch bodies, temp archives, and page edits for the storage tests. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openArchive } from '../../storage/index.ts';
import type { Archive, FetchInput, UnitInfo } from '../../storage/index.ts';
import { PINGTAN, SEEDS, pingtanEntries, seedFiles, type PingtanEntry } from '../helpers/fixtures.ts';

export const FUJIAN_PINGTAN: UnitInfo = { name: '平潭综合实验区', province: '福建省', city: '福州市', county: '平潭县', level: 'county' };

/** Units for the seed texts, as the crawler's registry would give them (from each report's own title/text). */
export const SEED_UNITS: Record<string, UnitInfo> = {
  '000_a69ef41056118676.txt': { name: '定海区民政局', province: '浙江省', city: '舟山市', county: '定海区', level: 'department' },
  '001_9f09e102a19e83ee.txt': { name: '天水市民政局', province: '甘肃省', city: '天水市', level: 'department' },
  '002_4a426eea84ae44d6.txt': { name: '江苏省民政厅', province: '江苏省', level: 'department' },
  '003_62180ec0fdd99e58.txt': { name: '定海区政务服务办', province: '浙江省', city: '舟山市', county: '定海区', level: 'department' },
  '004_84e2449ff8fa4ecd.txt': { name: '晋江市民政局', province: '福建省', city: '泉州市', county: '晋江市', level: 'department' },
};

export interface Page {
  id: string;
  url: string;
  body: Buffer;
  contentType: string;
  unit: UnitInfo;
}

export function pingtanPage(docid: string): Page {
  const e = pingtanEntries().find((x) => x.docid === docid);
  if (!e) throw new Error(`no Pingtan page ${docid}`);
  return fromEntry(e);
}

function fromEntry(e: PingtanEntry): Page {
  return { id: e.docid, url: e.url, body: readFileSync(join(PINGTAN, e.path)), contentType: 'text/html; charset=utf-8', unit: FUJIAN_PINGTAN };
}

/** The 20 Pingtan pages and the 5 seed texts (served as text/plain at made-up URLs). */
export function allPages(): Page[] {
  const seeds = seedFiles().map((f) => ({
    id: f, url: `https://seeds.example.gov.cn/${f.replace(/\.txt$/, '')}.htm`, body: readFileSync(join(SEEDS, f)),
    contentType: 'text/plain; charset=utf-8', unit: SEED_UNITS[f],
  }));
  return [...pingtanEntries().map(fromEntry), ...seeds];
}

let clock = Date.parse('2025-06-01T00:00:00Z');
/** A fetch of a page at a strictly later time than the previous one made here. */
export function fetchOf(page: Page, over: Partial<FetchInput> = {}): FetchInput {
  clock += 60_000;
  return {
    url: page.url, requestedAt: clock, status: 200, headers: { 'content-type': page.contentType },
    body: page.body, elapsedMs: 42, unit: page.unit, ...over,
  };
}

export function tempArchive(): { db: Archive; path: string; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-storage-'));
  const path = join(dir, 'nianbao.db');
  const db = openArchive(path);
  return { db, path, dir, cleanup: () => (db.open && db.close(), rmSync(dir, { recursive: true, force: true })) };
}

/** Replace the first occurrence of `find` after `anchor` (both must exist), as a byte-exact page edit. */
export function editAfter(body: Buffer, anchor: string, find: string, replace: string): Buffer {
  const s = body.toString('utf8');
  const a = s.indexOf(anchor);
  if (a < 0) throw new Error(`anchor not found: ${anchor}`);
  const i = s.indexOf(find, a);
  if (i < 0) throw new Error(`"${find}" not found after ${anchor}`);
  return Buffer.from(s.slice(0, i) + replace + s.slice(i + find.length), 'utf8');
}

/** Insert HTML at the start of the page's content container (the TRS_Editor div of the Pingtan CMS). */
export function injectIntoContent(body: Buffer, html: string): Buffer {
  const s = body.toString('utf8');
  const marker = 'class=TRS_Editor>';
  const i = s.indexOf(marker);
  if (i < 0) throw new Error('no TRS_Editor container');
  return Buffer.from(s.slice(0, i + marker.length) + html + s.slice(i + marker.length), 'utf8');
}
