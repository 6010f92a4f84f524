/**
 * Find a CMS content container in the page source without building a DOM: parsing a whole
 * 150 KB Word-export page costs more than everything else together, and only the body is needed.
 * Returns the container's span (open tag to matching close tag), or null to fall back to the DOM.
 */

/** Markers of content containers, most specific first (TRS, Hanweb, Kaipu/UCAP, generic). */
const MARKERS: Array<[string[], RegExp]> = [
  [['TRS_Editor'], /\bclass\s*=\s*["']?(?:[^"'>]*\s)?TRS_Editor\b/gi],
  [['trs_editor_view'], /\bclass\s*=\s*["']?(?:[^"'>]*\s)?trs_editor_view\b/gi],
  [['TRS_UEDITOR'], /\bclass\s*=\s*["']?(?:[^"'>]*\s)?TRS_UEDITOR\b/gi],
  [['UCAP-CONTENT'], /\bid\s*=\s*["']?UCAP-CONTENT\b/gi],
  [['zoom'], /\bid\s*=\s*["']?zoom["'\s>]/gi],
  [['article_content', 'article-content', 'pages_content', 'wz_con', 'xl_con', 'detail_con'],
    /\bclass\s*=\s*["']?(?:[^"'>]*\s)?(?:article_content|article-content|pages_content|wz_con|xl_con|detail_con)\b/gi],
];
const MIN_TEXT = 200;

export interface Span {
  start: number;
  end: number;
  /** false when the page ends before the container's close tag (a truncated download) */
  closed: boolean;
}

const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** Is `name` (lower-case letters and digits) at `at`, in any ASCII case (as a non-unicode /i pattern reads it)? */
function namedAt(html: string, at: number, name: string): boolean {
  for (let k = 0; k < name.length; k++) {
    const c = html.charCodeAt(at + k);
    const want = name.charCodeAt(k);
    if (c !== want && !(want >= 97 && want <= 122 && c === want - 32)) return false;
  }
  return true;
}

/**
 * Index just past the element's matching close tag, or -1 when the page ends first. Tags are those of
 * /<(\/?)name\b[^>]*>/gi (self-closing ones skipped), found by hand: this walks most of the page.
 */
function closeOf(html: string, tagStart: number, name: string): number {
  const n = name.length;
  let depth = 0;
  for (let i = html.indexOf('<', tagStart); i >= 0; i = html.indexOf('<', i + 1)) {
    const slash = html.charCodeAt(i + 1) === 47;
    const at = slash ? i + 2 : i + 1;
    if (!namedAt(html, at, name) || isWordChar(html.charCodeAt(at + n))) continue;
    const gt = html.indexOf('>', at + n);
    if (gt < 0) return -1;
    if (html.charCodeAt(gt - 1) === 47 && gt - 1 >= i + 1) {
      i = gt;
      continue;
    }
    depth += slash ? -1 : 1;
    if (depth === 0) return gt + 1;
    i = gt;
  }
  return -1;
}

/** Does the fragment hold at least `min` characters of text? Stops as soon as it does. */
function hasText(fragment: string, min: number): boolean {
  const re = />([^<]+)/g;
  let n = 0;
  for (let m = re.exec(fragment); m; m = re.exec(fragment)) {
    n += m[1].replace(/&[a-z#0-9]+;|\s+/gi, '').length;
    if (n >= min) return true;
  }
  return false;
}

export function locateRegion(html: string): Span | null {
  for (const [words, marker] of MARKERS) {
    // a literal look first: most pages have none of most markers, and indexOf is cheap
    if (!words.some((w) => html.includes(w))) continue;
    marker.lastIndex = 0;
    let best: Span | null = null;
    let bestLen = 0;
    for (let m = marker.exec(html); m; m = marker.exec(html)) {
      const tagStart = html.lastIndexOf('<', m.index);
      const name = html.slice(tagStart + 1, tagStart + 12).match(/^[a-zA-Z][a-zA-Z0-9]*/)?.[0];
      if (!name) continue;
      const close = closeOf(html, tagStart, name.toLowerCase());
      const end = close === -1 ? html.length : close;
      // the biggest container with real text (templates also carry empty ones for print views)
      if (end - tagStart > bestLen && hasText(html.slice(tagStart, end), MIN_TEXT)) [best, bestLen] = [{ start: tagStart, end, closed: close !== -1 }, end - tagStart];
      marker.lastIndex = Math.max(marker.lastIndex, end);
    }
    if (best) return best;
  }
  return null;
}
