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
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** UTF-16 code units → string in one step (Buffer's decoder copies them; fromCharCode goes in chunks). */
function unitsToString(units: Uint16Array, length: number): string {
  if (LITTLE_ENDIAN) return Buffer.from(units.buffer, units.byteOffset, length * 2).toString('utf16le');
  let out = '';
  for (let i = 0; i < length; i += 8192) out += String.fromCharCode(...units.subarray(i, Math.min(length, i + 8192)));
  return out;
}

/**
 * Distinct tokens of the texts (see the top of this file), space-separated: the FTS5 'ascii' tokenizer
 * splits on the spaces. Made without a hash set — characters are numbered densely and pairs marked in a
 * bitmap — which takes 0.3 instead of 0.75 ms for a report's ~4,000 characters.
 */
export function ngramText(...texts: Array<string | null | undefined>): string {
  return foldedPairTokens(texts.filter((t): t is string => !!t).map(searchFold));
}

/**
 * ngramText of texts already folded (searchFold). The tokens are written as UTF-16 units into one buffer
 * and decoded once: no string per token, no join (0.2 of the 0.33 ms it took with them).
 */
function foldedPairTokens(folded: string[]): string {
  let total = 0;
  for (const s of folded) total += s.length + 1;
  generation = (generation + 1) >>> 0 || 1;
  // the text as character ids, -1 between runs; codeOf: id → code point
  const ids = new Int32Array(total);
  const codeOf = new Int32Array(total + 1);
  let distinct = 0;
  let astral: Map<number, number> | null = null;
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
      if (!isWord(c)) {
        ids[len++] = -1;
      } else if (c < 65536) {
        if (STAMP[c] !== generation) {
          STAMP[c] = generation;
          LOCAL[c] = distinct;
          codeOf[distinct++] = c;
        }
        ids[len++] = LOCAL[c];
      } else {
        astral ??= new Map();
        let k = astral.get(c);
        if (k === undefined) {
          astral.set(c, (k = distinct));
          codeOf[distinct++] = c;
        }
        ids[len++] = k;
      }
    }
    ids[len++] = -1;
  }
  // a pair (a, b) is key a·n + b; a run's last character a is a·n + (n − 1)
  const n = distinct + 1;
  // a text of very many distinct characters: a set instead of an n² bitmap
  const big = n > 8192;
  const seenSet = big ? new Set<number>() : null;
  const seen = big ? null : new Uint8Array(((n * n) >>> 3) + 1);
  // at most 2 code points (4 units) and a space per position
  const out = new Uint16Array(len * 5 + 1);
  let w = 0;
  const put = (cp: number) => {
    if (cp < 65536) out[w++] = cp;
    else {
      out[w++] = 0xd800 + ((cp - 0x10000) >> 10);
      out[w++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
    }
  };
  for (let i = 0; i + 1 < len; i++) {
    const a = ids[i];
    if (a < 0) continue;
    const b = ids[i + 1];
    const key = a * n + (b < 0 ? n - 1 : b);
    if (seen) {
      const bit = 1 << (key & 7);
      if (seen[key >>> 3] & bit) continue;
      seen[key >>> 3] |= bit;
    } else {
      if (seenSet!.has(key)) continue;
      seenSet!.add(key);
    }
    if (w > 0) out[w++] = 32;
    put(codeOf[a]);
    if (b >= 0) put(codeOf[b]);
  }
  return unitsToString(out, w);
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

/** `nfkcBody`: the body already NFKC-folded, when the caller has it (derive() folds it once for both uses). */
export function searchTokens(title: string | null, agency: string | null, body: string | null, nfkcBody?: string): SearchTokens {
  const header = [title, agency].filter((t): t is string => !!t).map(searchFold);
  const folded = body ? (nfkcBody ?? body.normalize('NFKC')).toLowerCase() : null;
  return { full: foldedPairTokens(folded ? [...header, folded] : header), header: foldedPairTokens(header) };
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
