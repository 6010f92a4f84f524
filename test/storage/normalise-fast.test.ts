/**
 * The hand-written normalising and token paths against the plain regex forms they replace: stored hashes
 * depend on them, so they must give the same strings on real pages and on awkward whitespace.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePageDetailed } from '../../parsers/index.ts';
import { canonicalSpacing, normaliseContent, normaliseLine } from '../../storage/normalise.ts';
import { ngramText, searchTokens } from '../../storage/ngrams.ts';
import { PINGTAN_DIR, SEEDS_DIR, pingtanPages } from '../../scripts/bench/corpus.ts';

// the spacing rule as it was first written (normaliser version 1)
const CJK_SPACE = / (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) /g;
const regexSpacing = (s: string) => s.replace(/\s+/g, ' ').replace(CJK_SPACE, '').trim();
const regexContent = (title: string | null, text: string) => [title ?? '', ...text.split(/\r?\n/)].map(normaliseLine).filter((l) => l !== '');

/** The fixture pages' main-content texts and the seed report texts. */
function realTexts(): { title: string | null; text: string }[] {
  const out = pingtanPages().map((p) => {
    const parsed = parsePageDetailed({ body: readFileSync(join(PINGTAN_DIR, p.path)), url: p.url, headers: {} });
    return { title: parsed.report.title, text: parsed.contentText };
  });
  for (const f of readdirSync(SEEDS_DIR).filter((n) => n.endsWith('.txt'))) out.push({ title: null, text: readFileSync(join(SEEDS_DIR, f), 'utf8') });
  return out;
}

describe('canonicalSpacing is the regex spacing rule', () => {
  it('on every line of the fixture pages and seeds', () => {
    let spaced = 0;
    for (const { text } of realTexts()) {
      for (const line of text.normalize('NFKC').split('\n')) {
        if (/\s/.test(line)) spaced++;
        expect(canonicalSpacing(line), line).toBe(regexSpacing(line));
      }
    }
    expect(spaced).toBeGreaterThan(100);
  });

  it('on generated strings of every kind of whitespace next to ASCII and CJK', () => {
    const parts = [' ', '  ', '\t', '\r', '\u3000', '\u00a0', '\u2028', '\ufeff', '\u200a', 'a', 'Z', '1', '|', '商', '业', '😀', '\u0085', '\u180e'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) % parts.length;
    for (let n = 0; n < 3000; n++) {
      let s = '';
      for (let k = n % 9; k >= 0; k--) s += parts[next()];
      expect(canonicalSpacing(s), JSON.stringify(s)).toBe(regexSpacing(s));
    }
  });
});

describe('normaliseContent is normaliseLine over the lines', () => {
  it('on the fixture pages and seeds (title included, body folded whole)', () => {
    for (const { title, text } of realTexts()) {
      expect(normaliseContent(title, text)).toEqual(regexContent(title, text));
      expect(normaliseContent(title, `${text}\r\n浏览次数：12\r\n\r\n`)).toEqual(regexContent(title, `${text}\r\n浏览次数：12\r\n\r\n`));
    }
  });

  it('a title with a line break stays one line', () => {
    expect(normaliseContent('第一行\n第二 行', '正文')).toEqual(regexContent('第一行\n第二 行', '正文'));
    expect(normaliseContent('第一行\n第二 行', '正文')).toHaveLength(2);
  });
});

describe('search tokens are the pair tokens by their definition', () => {
  // the definition (ngrams.ts): per letter-or-digit run of the folded text, each adjacent pair and the last
  // character; distinct, in order of first appearance
  const reference = (...texts: (string | null)[]) => {
    const out = new Set<string>();
    for (const t of texts) {
      if (!t) continue;
      for (const m of t.normalize('NFKC').toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
        const cs = Array.from(m[0]);
        for (let i = 0; i < cs.length; i++) out.add(i + 1 < cs.length ? cs[i] + cs[i + 1] : cs[i]);
      }
    }
    return [...out].join(' ');
  };

  it('on the fixture pages and seeds, with and without the folded body handed in', () => {
    for (const { title, text } of realTexts()) {
      const want = { full: reference(title, '某某市民政局', text), header: reference(title, '某某市民政局') };
      expect(searchTokens(title, '某某市民政局', text)).toEqual(want);
      expect(searchTokens(title, '某某市民政局', text, text.normalize('NFKC'))).toEqual(want);
    }
  });

  it('astral characters, lone surrogates, case and full-width folding', () => {
    const texts = ['𠀀𠀁a𠀀 ＡＢｃ１２', '\ud800x\udc00y', 'İstanbul ﬁle', ''];
    expect(ngramText(...texts)).toBe(reference(...texts));
    expect(ngramText('', null)).toBe('');
  });

  it('a text of more than 8,192 distinct characters (the set instead of the bitmap)', () => {
    let s = '';
    for (let c = 0x4e00; c < 0x4e00 + 9000; c++) s += String.fromCharCode(c) + (c % 3 ? '' : ' ');
    expect(ngramText(s, s)).toBe(reference(s, s));
  });
});
