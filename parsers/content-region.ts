/** Find the element that holds the report body on a page full of navigation and widgets. */
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { isElement, isText } from './dom.ts';

/** CMS content containers, most specific first (TRS, Hanweb, Kaipu/UCAP, generic). */
const SELECTORS = [
  '.TRS_Editor', '.trs_editor_view', '.TRS_UEDITOR', '#UCAP-CONTENT', '#zoom', '.zoom', '#Zoom',
  '.article_content', '.article-content', '.article_con', '#article_content', '.wz_con', '.pages_content',
  '#content', '.content_text', '.main-txt', '.xl_con', '.detail_con', 'article',
];
const MIN_TEXT = 200;

function textLength(node: AnyNode): number {
  let n = 0;
  const stack: AnyNode[] = [node];
  while (stack.length) {
    const x = stack.pop()!;
    if (isText(x)) n += x.data.trim().length;
    else if (isElement(x) && x.name !== 'script' && x.name !== 'style') stack.push(...x.children);
  }
  return n;
}

export interface Region {
  node: AnyNode;
  how: string;
}

/**
 * The content region: a known CMS container with real text; else the element whose own
 * paragraphs and tables carry the most text (densest block), else the whole body.
 */
export function findContentRegion($: CheerioAPI): Region {
  // one query for all selectors: each query walks the whole tree, and 18 walks of deeply nested markup are slow
  const candidates = $(SELECTORS.join(', ')).toArray().filter(isElement);
  for (const sel of SELECTORS) {
    const found = candidates.filter((el) => $(el).is(sel));
    let best: Element | null = null;
    let bestLen = 0;
    for (const el of found) {
      const len = textLength(el);
      if (len > bestLen) {
        best = el;
        bestLen = len;
      }
    }
    if (best && bestLen >= MIN_TEXT) return { node: best, how: sel };
  }
  const dense = densestBlock($);
  if (dense) return { node: dense, how: 'densest' };
  const body = $('body').get(0) ?? $.root().get(0)!;
  return { node: body, how: 'body' };
}

const DIRECT = new Set(['p', 'table', 'span', 'font', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'b', 'br', 'center', 'section', 'o:p', 'u', 'em', 'i', 'a']);

/** Score each container by the text in its direct paragraph-like children; link lists score nothing. */
function densestBlock($: CheerioAPI): Element | null {
  let best: Element | null = null;
  let bestScore = MIN_TEXT;
  for (const el of $('div, td, article, section, main').toArray().filter(isElement)) {
    let score = 0;
    for (const c of el.children) {
      if (isText(c)) score += c.data.trim().length;
      else if (isElement(c) && DIRECT.has(c.name) && c.name !== 'a') score += textLength(c);
    }
    if (score > bestScore) {
      best = el;
      bestScore = score;
    }
  }
  return best;
}
