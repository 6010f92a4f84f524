/** markupBlocks reads tag names in any ASCII case, as HTML does (names are matched in place, not lower-cased). */
import { describe, expect, it } from 'vitest';
import { markupBlocks } from '../parsers/markup-blocks.ts';

const MARKUP =
  '<div>标题</div><table><tr><td rowspan=2>行政许可</td><td>12</td></tr><tr><td>3</td></tr></table>' +
  '<p>一、总体情况<br>正文<script>var x = "<p>not text</p>";</script>续</p><h2>二、</h2><img src="a.png"><textarea>no</textarea>end';

/** Every tag name in `html` through `f`. */
const mapNames = (html: string, f: (name: string) => string) => html.replace(/<(\/?)([a-z][a-z0-9]*)/gi, (_, s, n) => `<${s}${f(n)}`);

describe('markupBlocks tag names', () => {
  it('reads upper- and mixed-case tags as the lower-case ones', () => {
    const lower = markupBlocks(MARKUP);
    expect(lower.some((b) => b.kind === 'table')).toBe(true);
    expect(markupBlocks(mapNames(MARKUP, (n) => n.toUpperCase()))).toEqual(lower);
    expect(markupBlocks(mapNames(MARKUP, (n) => n[0].toUpperCase() + n.slice(1)))).toEqual(lower);
  });

  it('ignores tags whose names only start like a known one', () => {
    const plain = markupBlocks('<p>甲</p><p>乙</p>');
    expect(markupBlocks('<p>甲</p><tdx></tdx><p>乙</p>')).toEqual(plain);
    expect(markupBlocks('<p>甲<pre-x>乙</p>')).toEqual(markupBlocks('<p>甲乙</p>'));
  });
});
