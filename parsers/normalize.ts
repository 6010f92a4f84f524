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

/**
 * Collapse runs of whitespace (incl. nbsp, ideographic space) to one space and trim; invisible characters
 * (zero-width, soft hyphen, BOM) are dropped first. The rule is text.replace(INVISIBLE, '').replace(SPACES, ' ')
 * .trim(), done in one pass: this runs on every paragraph and cell. Long texts (a page's header text, mostly
 * indentation) are given to the rule itself: past ~1 KB the regex engine's scan beats the hand loop.
 */
export function squash(text: string): string {
  // most cells ("0", "行政许可") need nothing: one test instead of a pass
  if (!NEEDS_SQUASH.test(text)) return text;
  if (text.length > LONG_TEXT) return text.replace(INVISIBLE, '').replace(SPACES, ' ').trim();
  let out = '';
  let run = -1; // start of the current run of kept characters
  let space = false; // a space is due before the next kept character
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const invisible = (c >= 0x200b && c <= 0x200f) || c === 0x2060 || c === 0xfeff || c === 0xad;
    if (invisible || isSpace(c)) {
      if (run >= 0) out += text.slice(run, i);
      run = -1;
      if (!invisible) space = true;
    } else if (run < 0) {
      if (space && out) out += ' ';
      space = false;
      run = i;
    }
  }
  return run >= 0 ? (run === 0 ? text : out + text.slice(run)) : out;
}
/** Length above which squash uses the regex rule (measured: equal at 256–1024 characters, 2.4× faster above). */
const LONG_TEXT = 1024;
const NEEDS_SQUASH = /[\s\u00a0\u2000-\u200f\u202f\u205f\u3000\u2060\ufeff\u00ad]/;

/** JS \s (what SPACES matches), less U+FEFF, which is invisible and dropped. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

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
