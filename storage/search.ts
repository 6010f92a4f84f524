/**
 * Search over report title, agency and body that works for Chinese at any query length.
 *
 * Every word (whitespace-separated; "quoted phrases" kept whole) must occur as a substring. Words of 3+
 * characters go to the trigram index (ranked by bm25, title and agency weighted up); trigram cannot see
 * 1–2 characters, so shorter words go to reports_chars, where every CJK character is a token and the word
 * is matched as a phrase of adjacent characters — an exact substring match, still through an index.
 */
import { spacedCjk } from './db.ts';
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

const chars = (w: string) => [...w].length;
const ftsString = (w: string) => `"${w.replace(/"/g, '""')}"`;

/** "民政" → '"民 政"' for reports_chars (null if the word has no indexable character, e.g. only punctuation). */
function charPhrase(word: string): string | null {
  const tokens = (spacedCjk(word) ?? '').split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return tokens.length ? ftsString(tokens.join(' ')) : null;
}

export function search(db: Archive, query: string, opts: SearchOptions = {}): SearchHit[] {
  const words = queryWords(query);
  if (!words.length) return [];
  const long = words.filter((w) => chars(w) >= 3);
  const shortWords = words.filter((w) => chars(w) < 3);
  const short = shortWords.map(charPhrase);
  if (short.some((p) => p === null)) return []; // a word that can never match
  const where: string[] = [];
  const args: unknown[] = [];
  let from = 'reports r';
  let order = 'r.year DESC, r.version_id DESC';
  if (long.length) {
    from = 'reports_fts JOIN reports r ON r.version_id = reports_fts.rowid';
    where.push('reports_fts MATCH ?');
    args.push(long.map(ftsString).join(' AND '));
    order = 'bm25(reports_fts, 10.0, 5.0, 1.0), r.version_id DESC';
  }
  if (short.length) {
    where.push('r.version_id IN (SELECT rowid FROM reports_chars WHERE reports_chars MATCH ?)');
    args.push(short.join(' AND '));
    // the character index also matches across punctuation ("民，政"); keep only true substrings
    for (const w of shortWords) {
      where.push('(instr(lower(r.title), ?) > 0 OR instr(lower(r.agency), ?) > 0 OR instr(lower(r.body), ?) > 0)');
      const lw = w.toLowerCase();
      args.push(lw, lw, lw);
    }
  }
  if (!opts.allVersions) where.push('r.version_id IN (SELECT version_id FROM latest_report_versions)');
  for (const f of ['province', 'city', 'county', 'level'] as const) {
    if (opts[f] !== undefined) (where.push(`r.${f} = ?`), args.push(opts[f]));
  }
  if (typeof opts.year === 'number') (where.push('r.year = ?'), args.push(opts.year));
  else if (opts.year) {
    if (opts.year.from !== undefined) (where.push('r.year >= ?'), args.push(opts.year.from));
    if (opts.year.to !== undefined) (where.push('r.year <= ?'), args.push(opts.year.to));
  }
  if (opts.status) (where.push('d.status = ?'), args.push(opts.status));
  const sql = `SELECT d.id AS documentId, r.version_id AS versionId, d.url, d.status, r.title, r.agency, r.year,
      r.publish_date AS publishDate, r.province, r.city, r.county, r.level, r.body
    FROM ${from} JOIN versions v ON v.id = r.version_id JOIN documents d ON d.id = v.document_id
    WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ? OFFSET ?`;
  const rows = db.prepare(sql).all(...args, opts.limit ?? 50, opts.offset ?? 0) as (Omit<SearchHit, 'snippet'> & { body: string })[];
  return rows.map(({ body, ...hit }) => ({ ...hit, snippet: snippet(body, words) }));
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
