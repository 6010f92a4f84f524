/**
 * Search tokens for Chinese (and any script) at every query length: character pairs.
 *
 * Text is NFKC-folded and lower-cased; every run of letters and digits (any script — Han, Latin, digits)
 * gives each pair of adjacent characters as a token, plus its last character alone:
 *
 *   "民政局2023年" → 民政 政局 局2 20 02 23 3年 年
 *
 * So a query run of 2+ characters is found through its own pairs (all of them must be in the text), and a
 * 1-character run through the prefix query `"年"*` (a pair starting with it, or a run ending in it). Pairs
 * only join characters of one run: punctuation and spaces are never bridged. Tokens are distinct per text
 * (the index stores no positions; see migration 5), so the index says "all pairs occur somewhere" and
 * search.ts confirms the exact substring on the candidate's own text.
 */

const RUN = /[\p{L}\p{N}]+/gu;
const WORD = /^[\p{L}\p{N}]$/u;

/** The text the index reads: how search.ts confirms a candidate too (same folding on both sides). */
export function searchFold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

// Letter-or-digit, memoised per BMP code unit (0 unknown, 1 yes, 2 no).
const CLASS = new Uint8Array(65536);
function isWord(c: number): boolean {
  if (c >= 65536) return WORD.test(String.fromCodePoint(c));
  let k = CLASS[c];
  if (k === 0) CLASS[c] = k = WORD.test(String.fromCharCode(c)) ? 1 : 2;
  return k === 1;
}

// Per-call dense numbering of the distinct characters (stamped, so nothing is cleared between calls).
const STAMP = new Uint32Array(65536);
const LOCAL = new Uint32Array(65536);
let generation = 0;

/**
 * Distinct tokens of the texts (see the top of this file), space-separated: the FTS5 'ascii' tokenizer
 * splits on the spaces. Made without a hash set — characters are numbered densely and pairs marked in a
 * bitmap — which takes 0.3 instead of 0.75 ms for a report's ~4,000 characters.
 */
export function ngramText(...texts: Array<string | null | undefined>): string {
  const folded = texts.filter((t): t is string => !!t).map(searchFold);
  let total = 0;
  for (const s of folded) total += s.length + 1;
  // code points, -1 between runs
  const cps = new Int32Array(total);
  let len = 0;
  for (const s of folded) {
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
          i++;
        }
      }
      cps[len++] = isWord(c) ? c : -1;
    }
    cps[len++] = -1;
  }
  generation = (generation + 1) >>> 0 || 1;
  const chars: string[] = [];
  const astral = new Map<number, number>();
  const ids = new Int32Array(len);
  for (let i = 0; i < len; i++) {
    const c = cps[i];
    if (c < 0) {
      ids[i] = -1;
    } else if (c < 65536) {
      if (STAMP[c] !== generation) {
        STAMP[c] = generation;
        LOCAL[c] = chars.length;
        chars.push(String.fromCharCode(c));
      }
      ids[i] = LOCAL[c];
    } else {
      let k = astral.get(c);
      if (k === undefined) astral.set(c, (k = chars.push(String.fromCodePoint(c)) - 1));
      ids[i] = k;
    }
  }
  // a pair (a, b) is key a·n + b; a run's last character a is a·n + (n − 1)
  const n = chars.length + 1;
  const out: string[] = [];
  if (n > 8192) {
    // a text of very many distinct characters: a set instead of an n² bitmap
    const seen = new Set<number>();
    for (let i = 0; i + 1 < len; i++) {
      const a = ids[i];
      if (a < 0) continue;
      const b = ids[i + 1];
      const key = a * n + (b < 0 ? n - 1 : b);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(b < 0 ? chars[a] : chars[a] + chars[b]);
    }
    return out.join(' ');
  }
  const seen = new Uint8Array(((n * n) >>> 3) + 1);
  for (let i = 0; i + 1 < len; i++) {
    const a = ids[i];
    if (a < 0) continue;
    const b = ids[i + 1];
    const key = a * n + (b < 0 ? n - 1 : b);
    const bit = 1 << (key & 7);
    if (seen[key >>> 3] & bit) continue;
    seen[key >>> 3] |= bit;
    out.push(b < 0 ? chars[a] : chars[a] + chars[b]);
  }
  return out.join(' ');
}

/**
 * The FTS5 query that finds every text containing `word` (and a few more: search.ts confirms), or null
 * when the word has no letter or digit (nothing can match it).
 */
export function ngramQuery(word: string): string | null {
  const parts = new Set<string>();
  const s = searchFold(word);
  for (const m of s.matchAll(RUN)) {
    const cs = Array.from(m[0]);
    if (cs.length === 1) parts.add(`"${cs[0]}"*`);
    for (let i = 0; i + 1 < cs.length; i++) parts.add(`"${cs[i]}${cs[i + 1]}"`);
  }
  return parts.size ? [...parts].join(' AND ') : null;
}

/** What a report puts in the two search indexes (migration 5), before its unit tokens. */
export interface SearchTokens {
  /** title, agency and body: reports_fts */
  full: string;
  /** title and agency: reports_chars */
  header: string;
}

export function searchTokens(title: string | null, agency: string | null, body: string | null): SearchTokens {
  return { full: ngramText(title, agency, body), header: ngramText(title, agency) };
}

/** The unit fields a search filters on, each indexed as one token (see unitToken). */
export const UNIT_FIELDS = { province: 'p', city: 'c', county: 'q', level: 'l' } as const;
export type UnitField = keyof typeof UNIT_FIELDS;

/**
 * A filter value as one index token: '§', the field's letter, the value's UTF-8 in hex. '§' is no letter or
 * digit, so no query word's token (nor its prefix query) can ever reach a unit token.
 */
export function unitToken(field: UnitField, value: string): string {
  return `§${UNIT_FIELDS[field]}${Buffer.from(value, 'utf8').toString('hex')}`;
}

/** The unit tokens of a report (absent fields give none). */
export function unitTokens(unit: Partial<Record<UnitField, string | null | undefined>>): string {
  const out: string[] = [];
  for (const f of Object.keys(UNIT_FIELDS) as UnitField[]) {
    const v = unit[f];
    if (v !== null && v !== undefined && v !== '') out.push(unitToken(f, v));
  }
  return out.join(' ');
}

/** Index text: pair tokens, then unit tokens. */
export const withUnit = (tokens: string, unit: string) => (unit ? (tokens ? `${tokens} ${unit}` : unit) : tokens);

/**
 * The search indexes' rowid for a report: year × 2^32 + version_id, so rowid order is (year, version)
 * order. A year outside 1…999999 (or none) is keyed 0 — the same rule as migration 5's SQL.
 */
export const KEY_SHIFT = 2 ** 32;
export const keyYear = (year: number | null | undefined) => (Number.isInteger(year) && year! >= 1 && year! <= 999999 ? year! : 0);
export const searchKey = (year: number | null | undefined, versionId: number) => keyYear(year) * KEY_SHIFT + versionId;
