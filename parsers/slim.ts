/**
 * Shrinking HTML before it is parsed. Parsing is most of the cost of a page, and Word-exported
 * report pages are mostly markup the parser never reads: inline CSS (up to 75% of the bytes), span
 * soup and mso attributes. What remains keeps every text character and every block boundary.
 */

/** JS \s */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** JS \w */
const isWord = (c: number) => isLetter(c) || (c >= 48 && c <= 57) || c === 95;

/** Is `name` (lower case) at `at` in any ASCII case? */
function namedAt(s: string, at: number, name: string): boolean {
  for (let k = 0; k < name.length; k++) {
    const c = s.charCodeAt(at + k);
    const want = name.charCodeAt(k);
    if (c !== want && c !== want - 32) return false;
  }
  return true;
}

/** Index just past the first `</name\s*>` at or after `from`, or -1. */
function closeTagEnd(s: string, from: number, name: string): number {
  for (let i = s.indexOf('</', from); i >= 0; i = s.indexOf('</', i + 2)) {
    if (!namedAt(s, i + 2, name)) continue;
    let j = i + 2 + name.length;
    while (isSpace(s.charCodeAt(j))) j++;
    if (s.charCodeAt(j) === 62 /* > */) return j + 1;
  }
  return -1;
}

/**
 * End of the script, style or comment block starting at `lt`, or -1. The pattern:
 *   /<script\b[^>]*>[\s\S]*?<\/script\s*>|<style\b[^>]*>[\s\S]*?<\/style\s*>|<!--[\s\S]*?-->/i
 */
function nonTextBlockEnd(s: string, lt: number): number {
  const c1 = s.charCodeAt(lt + 1);
  if (c1 === 33 /* ! */) {
    if (s.charCodeAt(lt + 2) !== 45 || s.charCodeAt(lt + 3) !== 45) return -1;
    const close = s.indexOf('-->', lt + 4);
    return close < 0 ? -1 : close + 3;
  }
  if (c1 !== 115 && c1 !== 83 /* s S */) return -1;
  const name = namedAt(s, lt + 1, 'script') ? 'script' : namedAt(s, lt + 1, 'style') ? 'style' : null;
  if (!name || isWord(s.charCodeAt(lt + 1 + name.length))) return -1;
  const gt = s.indexOf('>', lt + 1 + name.length);
  return gt < 0 ? -1 : closeTagEnd(s, gt + 1, name);
}

/**
 * Scripts, stylesheets and comments removed, in one pass, by hand: from '<' to '<' by indexOf rather than a
 * pattern tried at every character (test/slim.test.ts checks it against that pattern).
 */
function dropBlocks(html: string): string {
  let out = '';
  let pos = 0;
  for (let lt = html.indexOf('<'); lt >= 0; ) {
    const end = nonTextBlockEnd(html, lt);
    if (end < 0) {
      lt = html.indexOf('<', lt + 1);
      continue;
    }
    out += html.slice(pos, lt);
    pos = end;
    lt = html.indexOf('<', end);
  }
  return pos === 0 ? html : out + html.slice(pos);
}

const INLINE_ATTRS = /\s(?:style|lang|onclick|onmouseover|onmouseout)\s*=\s*(?:"[^"]*"|'[^']*')/gi;

/** For a whole page (the DOM fallback and the page head): drop scripts, styles, comments and inline CSS. */
export function slimPage(html: string): string {
  return dropBlocks(html).replace(INLINE_ATTRS, '');
}

/**
 * One pass: presentational attributes (the bulk of Word exports) and whole inline tags (span soup,
 * Word's o:p / st1: / w: tags — their text joins the surrounding text). What remains is block and
 * table markup with rowspan/colspan and image sources: a 100 KB Word-export body comes out around 7 KB.
 * (A hand scanner for these was slower: attributes and tags are dense in Word markup, and a call to
 * indexOf per '=' and '<' costs more than the pattern's own scan.) The names are grouped by their first
 * letters, which the regex engine tries faster than a flat list; the pattern matches exactly what
 *   \s(?:style|lang|class|width|height|valign|align|border|cellspacing|cellpadding|bgcolor|face|size|color)\s*=…
 *   |<\/?(?:span|font|b|strong|em|i|u|s|a|sup|sub|small|big|label|ins|del|strike|abbr|acronym|cite|code|kbd
 *   |mark|q|tt|var|nobr|wbr|[a-z0-9]+:[\w-]+)\b[^>]*>
 * matches (a name must be followed by \s*= or \b, so at most one listed name fits; test/slim.test.ts checks).
 */
const CONTENT_NOISE = new RegExp(
  String.raw`\s(?:s(?:tyle|ize)|lang|c(?:lass|ell(?:spacing|padding)|olor)|width|height|valign|align|b(?:order|gcolor)|face)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+)` +
    String.raw`|<\/?(?:s(?:pan|trong|up|ub|mall|trike)?|font|b(?:ig)?|em|i(?:ns)?|u|a(?:bbr|cronym)?|label|del|c(?:ite|ode)|kbd|mark|q|tt|var|nobr|wbr|[a-z0-9]+:[\w-]+)\b[^>]*>`,
  'gi',
);

/** For the content container: also drop inline tags and presentational attributes. */
export function slimContent(html: string): string {
  return dropBlocks(html).replace(CONTENT_NOISE, '');
}
