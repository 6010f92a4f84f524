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

/** Index just past the element's matching close tag, or -1 when the page ends first. */
function closeOf(html: string, tagStart: number, name: string): number {
  const re = new RegExp(`<(/?)${name}\\b[^>]*>`, 'gi');
  re.lastIndex = tagStart;
  let depth = 0;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    if (m[0].endsWith('/>')) continue;
    depth += m[1] ? -1 : 1;
    if (depth === 0) return m.index + m[0].length;
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
