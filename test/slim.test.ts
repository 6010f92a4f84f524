/**
 * The hand scanners of parsers/slim.ts remove exactly what the patterns they replaced remove: checked on every
 * fixture page (as bytes seen one-to-one and as decoded text) and on generated markup full of edge cases
 * (unclosed quotes, tags and comments, odd case, non-breaking and ideographic spaces, namespaced tags).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { slimContent, slimPage } from '../parsers/slim.ts';
import { SHARED } from './helpers/fixtures.ts';

// the patterns as they were: the specification of the scanners
const NON_TEXT_BLOCKS = /<script\b[^>]*>[\s\S]*?<\/script\s*>|<style\b[^>]*>[\s\S]*?<\/style\s*>|<!--[\s\S]*?-->/gi;
const INLINE_ATTRS = /\s(?:style|lang|onclick|onmouseover|onmouseout)\s*=\s*(?:"[^"]*"|'[^']*')/gi;
const CONTENT_NOISE = new RegExp(
  String.raw`\s(?:style|lang|class|width|height|valign|align|border|cellspacing|cellpadding|bgcolor|face|size|color)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+)` +
    String.raw`|<\/?(?:span|font|b|strong|em|i|u|s|a|sup|sub|small|big|label|ins|del|strike|abbr|acronym|cite|code|kbd|mark|q|tt|var|nobr|wbr|[a-z0-9]+:[\w-]+)\b[^>]*>`,
  'gi',
);
const refPage = (html: string) => html.replace(NON_TEXT_BLOCKS, '').replace(INLINE_ATTRS, '');
const refContent = (html: string) => html.replace(NON_TEXT_BLOCKS, '').replace(CONTENT_NOISE, '');

function pages(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? pages(p) : /\.html?$/i.test(f) ? [p] : [];
  });
}

/** Deterministic markup from pieces that sit on the scanners' edges. */
function generated(count: number): string[] {
  const pieces = [
    '<', '</', '>', '/>', ' ', '\u00a0', '\u3000', '\t', '\n', '=', ' = ', '"', "'", 'style', 'STYLE', 'Style', 'class', 'align',
    'valign', 'size', 'color', 'lang', 'onclick', 'onMouseOut', 'span', 'SPAN', 'b', 'br', 'sup', 'o:p', 'st1:', ':', '-', '_', 'x',
    '1', 'script', 'Script', 'style', '</script', '</style >', '<!--', '-->', '--', '!', 'a', 'td', 'p', '文', 'v:shape', 'w:-', '&nbsp;',
    // whole constructs, so that every pattern matches often
    ' style=', ' STYLE = ', '\u00a0onclick=', ' class=x', '"a:b"', "'c'", '<script>', '<style x>', '</script >', '</STYLE>', '<!---->',
    '<span>', '</span>', '<o:p>', '<st1:place w="1">',
  ];
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    let s = '';
    for (let n = 1 + rand(40); n > 0; n--) s += pieces[rand(pieces.length)];
    out.push(s);
  }
  return out;
}

describe('slim scanners', () => {
  const files = pages(join(SHARED, 'fixtures'));

  it('remove what the patterns removed, on every fixture page', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const bytes = readFileSync(f);
      for (const html of [bytes.toString('latin1'), bytes.toString('utf8')]) {
        expect(slimContent(html)).toBe(refContent(html));
        expect(slimPage(html)).toBe(refPage(html));
      }
    }
  });

  it('remove what the patterns removed, on generated edge cases', () => {
    for (const html of generated(20000)) {
      expect(slimContent(html), html).toBe(refContent(html));
      expect(slimPage(html), html).toBe(refPage(html));
    }
  });
});
