/**
 * Search over report title, agency and body that works for Chinese at any query length, and stays fast at
 * hundreds of thousands of reports.
 *
 * Every word (whitespace-separated; "quoted phrases" kept whole) must occur as a substring of the title,
 * the agency or the body (compared NFKC-folded and lower-cased). The character-pair indexes of migration 5
 * (ngrams.ts) give the candidates; each is confirmed on its own text. Hits come in two groups: first the
 * reports whose title or agency holds every word (reports_chars), then the others (reports_fts); within each,
 * the newest report year first, then the newest version. Both indexes yield their rows in that order (their
 * rowid is year × 2^32 + version_id), so a page of hits reads only as many candidates as it needs.
 */
import { KEY_SHIFT, keyYear, ngramQuery, searchFold, UNIT_FIELDS, unitToken, type UnitField } from './ngrams.ts';
import { stmt } from './sql.ts';
import type { Archive } from './types.ts';

export interface SearchOptions {
  province?: string;
  city?: string;
  county?: string;
  level?: string;
  /** a report year, or an inclusive range */
  year?: number | { from?: number; to?: number };
  status?: 'live' | 'removed';
  /** search every stored version, not only each document's latest report */
  allVersions?: boolean;
  limit?: number;
  offset?: number;
}

export interface SearchHit {
  documentId: number;
  versionId: number;
  url: string;
  status: 'live' | 'removed';
  title: string | null;
  agency: string | null;
  year: number | null;
  publishDate: string | null;
  province: string | null;
  city: string | null;
  county: string | null;
  level: string | null;
  /** the body around the first match, '…' where cut */
  snippet: string;
}

/** Words of a query: whitespace-separated, "quoted phrases" kept whole, NFKC-folded. */
export function queryWords(query: string): string[] {
  const words: string[] = [];
  for (const m of query.normalize('NFKC').matchAll(/"([^"]*)"|(\S+)/g)) {
    const w = (m[1] ?? m[2]).trim();
    if (w) words.push(w);
  }
  return words;
}

type Row = Omit<SearchHit, 'snippet'>;

/** Years the index keys by (ngrams.ts searchKey; migration 5 keys other years as 0). */
const keyedYear = (y: number) => keyYear(y) !== 0;

export function search(db: Archive, query: string, opts: SearchOptions = {}): SearchHit[] {
  const words = queryWords(query);
  if (!words.length) return [];
  const parts = words.map(ngramQuery);
  if (parts.some((p) => p === null)) return []; // a word with no letter or digit can never match
  const folded = words.map(searchFold);

  const where: string[] = [];
  const args: unknown[] = [];
  if (!opts.allVersions) where.push('r.version_id IN (SELECT version_id FROM report_latest)');
  // unit filters: a token in the index (the match reads only that unit's reports), and checked on the
  // document (ingest and reparse give its reports the same unit)
  for (const f of Object.keys(UNIT_FIELDS) as UnitField[]) {
    const v = opts[f];
    if (v === undefined) continue;
    if (v === null || v === '') return []; // never indexed, never matched by "=" either
    parts.push(`"${unitToken(f, v)}"`);
    where.push(`d.${f} = ?`);
    args.push(v);
  }
  if (opts.status) (where.push('d.status = ?'), args.push(opts.status));
  let from: number | undefined;
  let to: number | undefined;
  if (typeof opts.year === 'number') from = to = opts.year;
  else if (opts.year) ({ from, to } = opts.year);
  if (from !== undefined) {
    where.push('r.year >= ?');
    args.push(from);
    if (keyedYear(Math.ceil(from))) (where.push('f.rowid >= ?'), args.push(Math.ceil(from) * KEY_SHIFT));
  }
  if (to !== undefined) {
    where.push('r.year <= ?');
    args.push(to);
    if (keyedYear(Math.floor(to))) (where.push('f.rowid < ?'), args.push((Math.floor(to) + 1) * KEY_SHIFT));
  }
  const match = parts.join(' AND ');

  const offset = Math.max(0, opts.offset ?? 0);
  const want = offset + Math.max(0, opts.limit ?? 50);
  const hits: Row[] = [];
  const inHeader = (r: Row, w: string) => (r.title !== null && searchFold(r.title).includes(w)) || (r.agency !== null && searchFold(r.agency).includes(w));
  // 1. title or agency holds every word
  scan(db, 'reports_chars', match, where, args, [], (r) => {
    if (!folded.every((w) => inHeader(r, w))) return true;
    hits.push(r);
    return hits.length < want;
  });
  // 2. the others: every word somewhere, not all in the header. SQLite looks for each word in the body
  // (its bytes, ASCII lower-cased: found there means found); a word it does not find there is looked for in
  // the NFKC-folded body, which then has to be read out.
  if (hits.length < want) {
    scan(db, 'reports_fts', match, where, args, folded, (r, found) => {
      let allHeader = true;
      let body: string | null = null;
      for (let i = 0; i < folded.length; i++) {
        if (inHeader(r, folded[i])) continue;
        allHeader = false;
        if (found[i]) continue;
        body ??= searchFold(bodyOf(db, r.versionId));
        if (!body.includes(folded[i])) return true;
      }
      if (allHeader) return true; // listed in 1.
      hits.push(r);
      return hits.length < want;
    });
  }
  return hits.slice(offset, want).map((r) => ({ ...r, snippet: bodySnippet(db, r.versionId, words) }));
}

function bodyOf(db: Archive, versionId: number): string {
  return (stmt(db, 'SELECT body FROM reports WHERE version_id = ?').get(versionId) as { body: string }).body;
}

/**
 * Candidates of one index in its order (newest year, newest version first) until `take` returns false.
 * `found[i]`: whether SQLite found `bodyWords[i]` in the body's text as stored, lower-cased (ASCII).
 */
function scan(
  db: Archive, index: 'reports_fts' | 'reports_chars', match: string, where: string[], args: unknown[],
  bodyWords: string[], take: (r: Row, found: boolean[]) => boolean,
): void {
  const instr = bodyWords.map((_, i) => `, instr(lower(r.body), ?) AS w${i}`).join('');
  const sql = `SELECT d.id AS documentId, r.version_id AS versionId, d.url, d.status, r.title, r.agency, r.year,
      r.publish_date AS publishDate, d.province, d.city, d.county, d.level${instr}
    FROM ${index} f
    CROSS JOIN reports r ON r.version_id = (f.rowid & 4294967295)
    CROSS JOIN versions v ON v.id = r.version_id
    CROSS JOIN documents d ON d.id = v.document_id
    WHERE ${[`${index} MATCH ?`, ...where].join(' AND ')}
    ORDER BY f.rowid DESC`;
  for (const row of stmt(db, sql).iterate(...bodyWords, match, ...args) as IterableIterator<Row & Record<string, number>>) {
    const found = bodyWords.map((_, i) => row[`w${i}`] > 0);
    for (let i = 0; i < bodyWords.length; i++) delete row[`w${i}`];
    if (!take(row, found)) break;
  }
}

/**
 * The snippet of a hit without reading out its whole body (reading 12 KB of Chinese into a JS string costs
 * ~60 µs): SQLite finds the first word and hands over ~160 characters around it.
 */
function bodySnippet(db: Archive, versionId: number, words: string[], width = 80): string {
  const lowered = words.map((w) => w.toLowerCase());
  const at = stmt(db, `SELECT length(body) AS n${lowered.map((_, i) => `, instr(lower(body), ?) AS w${i}`).join('')}
    FROM reports WHERE version_id = ?`).get(...lowered, versionId) as Record<string, number>;
  const positions = lowered.map((_, i) => at[`w${i}`]).filter((p) => p > 0);
  if (!positions.length && at.n > 2 * width) {
    // the word is only in the title or agency, or only in the NFKC-folded body: read it all
    return snippet(bodyOf(db, versionId), words, width);
  }
  const first = positions.length ? Math.min(...positions) : 1;
  const start = Math.max(1, first - width);
  const { w } = stmt(db, 'SELECT substr(body, ?, ?) AS w FROM reports WHERE version_id = ?').get(start, 3 * width, versionId) as { w: string };
  const text = snippet(w, words, width);
  const cutBefore = start > 1 && !text.startsWith('…');
  const cutAfter = start - 1 + 3 * width < at.n && !text.endsWith('…');
  return (cutBefore ? '…' : '') + text + (cutAfter ? '…' : '');
}

/** About `width` characters of the body around the first word found in it. */
export function snippet(body: string, words: string[], width = 80): string {
  const text = body.normalize('NFKC').replace(/\s+/g, ' ');
  const lower = text.toLowerCase();
  let at = -1;
  for (const w of words) {
    const i = lower.indexOf(w.toLowerCase());
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  const start = Math.max(0, at < 0 ? 0 : at - Math.floor(width / 3));
  const end = Math.min(text.length, start + width);
  return (start > 0 ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : '');
}
