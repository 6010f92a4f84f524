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

/** The text the index reads: how search.ts confirms a candidate too (same folding on both sides). */
export function searchFold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Distinct pair tokens of the texts, space-separated (the FTS5 'ascii' tokenizer splits on the spaces). */
export function ngramText(...texts: Array<string | null | undefined>): string {
  const tokens = new Set<string>();
  for (const t of texts) {
    if (!t) continue;
    const s = searchFold(t);
    RUN.lastIndex = 0;
    for (let m = RUN.exec(s); m !== null; m = RUN.exec(s)) {
      const run = m[0];
      let prev = '';
      for (const ch of run) {
        if (prev) tokens.add(prev + ch);
        prev = ch;
      }
      tokens.add(prev);
    }
  }
  return [...tokens].join(' ');
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

/** What a report puts in the two search indexes (migration 5). */
export interface SearchTokens {
  /** title, agency and body: reports_fts */
  full: string;
  /** title and agency: reports_chars */
  header: string;
}

export function searchTokens(title: string | null, agency: string | null, body: string | null): SearchTokens {
  return { full: ngramText(title, agency, body), header: ngramText(title, agency) };
}

/**
 * The search indexes' rowid for a report: year × 2^32 + version_id, so rowid order is (year, version)
 * order. A year outside 1…999999 (or none) is keyed 0 — the same rule as migration 5's SQL.
 */
export const KEY_SHIFT = 2 ** 32;
export const keyYear = (year: number | null | undefined) => (Number.isInteger(year) && year! >= 1 && year! <= 999999 ? year! : 0);
export const searchKey = (year: number | null | undefined, versionId: number) => keyYear(year) * KEY_SHIFT + versionId;
