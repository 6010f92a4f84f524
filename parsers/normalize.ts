/** Text normalisation shared by label matching, value parsing and metadata. */

const ASCII = /^[\x00-\x7f]*$/;
const INVISIBLE = /[\u200b-\u200f\u2060\ufeff\u00ad]/g;
const SPACES = /[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+/g;

/** NFKC folds full-width ASCII (０-９, （）, ：) to half-width; also unify quotes and dashes. */
export function fold(text: string): string {
  if (ASCII.test(text)) return text;
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/[“”„‟"「」『』]/g, '"')
    .replace(/[‘’']/g, "'")
    .replace(/[〔［【]/g, '[')
    .replace(/[〕］】]/g, ']')
    .replace(/[、､]/g, '、');
}

/** Collapse runs of whitespace (incl. nbsp, ideographic space) to one space and trim. */
export function squash(text: string): string {
  return text.replace(INVISIBLE, '').replace(SPACES, ' ').trim();
}

/** A label reduced for matching: folded, every space removed. "本年新<br>制作数量" → "本年新制作数量". */
export function labelKey(text: string): string {
  let k = LABEL_CACHE.get(text);
  if (k === undefined) {
    k = fold(text).replace(SPACES, '').replace(/[:：]$/, '');
    // table labels repeat across every report: a small memo saves most NFKC work
    if (LABEL_CACHE.size > 20_000) LABEL_CACHE.clear();
    LABEL_CACHE.set(text, k);
  }
  return k;
}
const LABEL_CACHE = new Map<string, string>();

/** Strip all whitespace (for metadata labels such as "索&ensp;引&ensp;号"). */
export function noSpace(text: string): string {
  return text.replace(INVISIBLE, '').replace(SPACES, '');
}
