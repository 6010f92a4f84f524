/** squash is one hand-written pass; it must equal the regex rule it replaced on any text. */
import { describe, expect, it } from 'vitest';
import { squash } from '../parsers/normalize.ts';

const INVISIBLE = /[\u200b-\u200f\u2060\ufeff\u00ad]/g;
const SPACES = /[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+/g;
const rule = (t: string) => t.replace(INVISIBLE, '').replace(SPACES, ' ').trim();

// every character class the rule treats differently, plus plain text
const ALPHABET = ['a', '0', '行', '政', ' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u2005', '\u200a', '\u200b', '\u200c', '\u200f', '\u2028', '\u2029', '\u202f', '\u205f', '\u2060', '\u3000', '\ufeff', '\u00ad', '\u0085', '\u180e', '\u2010'];

describe('squash', () => {
  it('equals replace(INVISIBLE).replace(SPACES, " ").trim() on random texts', () => {
    let seed = 12345;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let k = 0; k < 20000; k++) {
      const len = rand(12);
      let t = '';
      for (let i = 0; i < len; i++) t += ALPHABET[rand(ALPHABET.length)];
      expect(squash(t), JSON.stringify(t)).toBe(rule(t));
    }
  });
  it('equals the rule on long texts too (past the length where it switches to the rule)', () => {
    let seed = 777;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let k = 0; k < 200; k++) {
      const len = 900 + rand(400);
      let t = '';
      for (let i = 0; i < len; i++) t += ALPHABET[rand(ALPHABET.length)];
      expect(squash(t)).toBe(rule(t));
    }
  });
  it('examples', () => {
    expect(squash('  本年新\n\u3000制作数量 ')).toBe('本年新 制作数量');
    expect(squash('a\u200bb')).toBe('ab');
    expect(squash('\ufeff 0 ')).toBe('0');
  });
});
