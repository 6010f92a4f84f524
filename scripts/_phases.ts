import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { slimContent, slimPage } from '../parsers/slim.ts';
import { locateRegion } from '../parsers/locate-region.ts';
import { markupBlocks } from '../parsers/markup-blocks.ts';
import { assemble } from '../parsers/assemble.ts';
import { metaTagsFromSource, plainText, firstTag } from '../parsers/source-text.ts';
import { headerLine } from '../parsers/metadata.ts';
import { findAttachments } from '../parsers/attachments.ts';
import { detectCharset, decodeWith, assertReadable } from '../parsers/decode.ts';
import { parsePage } from '../parsers/index.ts';
import { PINGTAN_DIR, pingtanPages } from './bench/corpus.ts';
const bufs = pingtanPages().map((p) => readFileSync(join(PINGTAN_DIR, p.path)));
const t: Record<string, number> = {};
const time = <T>(k: string, f: () => T): T => { const s = performance.now(); const r = f(); t[k] = (t[k] ?? 0) + performance.now() - s; return r; };
const N = 30;
for (let round = 0; round <= N; round++) {
  if (round === 1) for (const k in t) t[k] = 0;
  for (const b of bufs) {
    time('assert', () => assertReadable(b));
    const cs = time('charset', () => detectCharset(b, 'text/html'));
    const src = time('latin1', () => b.toString('latin1'));
    const dec = (p: string) => decodeWith(cs, Buffer.from(p, 'latin1'));
    const span = time('locate', () => locateRegion(src))!;
    const pre = time('pre', () => dec(slimPage(src.slice(Math.max(0, span.start - 16000), span.start))));
    time('after', () => dec(slimPage(src.slice(span.end, span.end + 8000))));
    const slim = time('slimContent', () => slimContent(src.slice(span.start, span.end)));
    const text = time('decodeRegion', () => dec(slim));
    const blocks = time('markupBlocks', () => markupBlocks(text));
    time('meta+header+titles', () => [metaTagsFromSource(pre), headerLine(plainText(pre.slice(-8000)).slice(-3000)), firstTag(pre, 'h1'), firstTag(pre, 'title')]);
    time('attach', () => findAttachments(src, null, dec));
    time('assemble', () => assemble(blocks, { year: 2020, source: 'html', hasAttachments: false }));
    time('TOTAL parsePage', () => parsePage({ body: b }, 'html'));
  }
}
let sum = 0;
for (const k in t) { const v = t[k] / (N * bufs.length); if (!k.startsWith('TOTAL')) sum += v; console.log(k.padEnd(20), v.toFixed(3)); }
console.log('sum of phases'.padEnd(20), sum.toFixed(3));
