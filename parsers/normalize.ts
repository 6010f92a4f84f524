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
  // most cells ("0", "行政许可") need nothing: one test instead of two replaces
  if (!NEEDS_SQUASH.test(text)) return text;
  return text.replace(INVISIBLE, '').replace(SPACES, ' ').trim();
}
const NEEDS_SQUASH = /[\s\u00a0\u2000-\u200f\u202f\u205f\u3000\u2060\ufeff\u00ad]/;

/** A label reduced for matching: folded, every space removed. "本年新<br>制作数量" → "本年新制作数量". */
export const labelKey = memo((text: string): string => fold(text).replace(SPACES, '').replace(/[:：]$/, ''));

/**
 * Memoise a pure function of a cell or label text. The template's labels and the common values
 * ("0", "本年新收政府信息公开申请数量") repeat in every report, so most calls are hits.
 */
export function memo<T>(fn: (text: string) => T, max = 20_000): (text: string) => T {
  const cache = new Map<string, T>();
  return (text: string) => {
    let v = cache.get(text);
    if (v === undefined && !cache.has(text)) {
      v = fn(text);
      if (cache.size >= max) cache.clear();
      cache.set(text, v);
    }
    return v as T;
  };
}

/** Strip all whitespace (for metadata labels such as "索&ensp;引&ensp;号"). */
export function noSpace(text: string): string {
  return text.replace(INVISIBLE, '').replace(SPACES, '');
}
