/** Small helpers shared by the replica sites: a seeded PRNG, dates, HTML escaping, hashing, GBK. */
import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';

/** FNV-1a of a string: turns any seed (number or string) into a 32-bit PRNG state. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: deterministic, fast, good enough for picking titles and dates. */
export class Rng {
  private state: number;
  constructor(seed: number | string) {
    this.state = hash32(String(seed)) || 1;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** integer in [lo, hi] */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  /** a Fisher-Yates shuffled copy */
  shuffle<T>(xs: readonly T[]): T[] {
    const a = xs.slice();
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }
}

export const pad2 = (n: number): string => String(n).padStart(2, '0');

/** 'YYYY-MM-DD' + 'HH:mm' (China time, UTC+8) → Date */
export function chinaTime(date: string, time = '00:00'): Date {
  return new Date(`${date}T${time}:00+08:00`);
}

export function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function sha1(...parts: Array<string | Uint8Array>): string {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

const gbkOk = new Map<number, boolean>();

/**
 * Encode as GBK (what a gb2312-declared page really carries). Characters GBK cannot hold (U+00A0, U+2002,
 * U+200B, …) become numeric character references, so the page still decodes to the same text.
 */
export function encodeGbk(s: string): Buffer {
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    let cp = c;
    let len = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      cp = s.codePointAt(i)!;
      len = 2;
    }
    let ok = gbkOk.get(cp);
    if (ok === undefined) {
      const ch = String.fromCodePoint(cp);
      ok = len === 1 && iconv.decode(iconv.encode(ch, 'gbk'), 'gbk') === ch;
      gbkOk.set(cp, ok);
    }
    if (!ok) {
      out += s.slice(last, i) + `&#${cp};`;
      last = i + len;
    }
    i += len - 1;
  }
  return iconv.encode(last === 0 ? s : out + s.slice(last), 'gbk');
}

/**
 * The inner HTML of the first element whose start tag matches `open` (a regex over the start tag), with
 * nested elements of the same tag name balanced. Null when absent.
 */
export function innerOf(html: string, open: RegExp, tag = 'div'): string | null {
  const m = open.exec(html);
  if (!m) return null;
  const start = m.index + m[0].length;
  const re = new RegExp(`<${tag}\\b|</${tag}\\s*>`, 'gi');
  re.lastIndex = start;
  let depth = 1;
  for (let t = re.exec(html); t; t = re.exec(html)) {
    depth += t[0][1] === '/' ? -1 : 1;
    if (depth === 0) return html.slice(start, t.index);
  }
  return html.slice(start);
}

/** RFC 7231 date for Last-Modified / Retry-After. */
export function httpDate(d: Date): string {
  return d.toUTCString();
}

/** robots.txt for a site option: 'allow' (everything), 'none' (404), or the literal file. */
export function robotsOf(r: string | undefined, dflt: 'allow' | 'none' = 'allow'): string | null {
  const v = r ?? dflt;
  if (v === 'none') return null;
  if (v === 'allow') return 'User-agent: *\nDisallow:\n';
  return v;
}
