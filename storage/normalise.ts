/**
 * What counts as "the same report": the main content with page noise removed, and the parsed values.
 * Raw bytes never decide anything — a view counter, a clock or a session token in a link must not make
 * a change event, so they are stripped here before hashing.
 *
 * Bump NORMALISER_VERSION whenever a rule changes: stored hashes made under another version are
 * re-derived before they are compared (see ingest.ts), so a new rule never reads as a source change.
 */
import { createHash } from 'node:crypto';
import type { CanonicalReport, CellValue, TableKey } from '../parsers/index.ts';

export const NORMALISER_VERSION = 1;

export const TABLE_ORDER: readonly TableKey[] = ['active', 'applications', 'review_litigation'];

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

// Labels of the counter widgets CMSs print beside an article. Longest first so "浏览次数" wins over "浏览".
const COUNTER_LABEL =
  '(?:浏览次数|浏览量|访问次数|访问量|阅读次数|阅读量|阅读数|点击次数|点击量|点击数|查看次数|浏览|阅读|点击|人气)';
// "浏览次数：123", "访问量: [1,234] 次", "【阅读(88)】". A figure followed by 万/亿/千 is prose ("点击量达12万次"),
// not a widget, and is kept. Applied after NFKC, so full-width colons/brackets/digits are already ASCII.
const COUNTER = new RegExp(
  `(?:[\\[【(]\\s*)?${COUNTER_LABEL}\\s*(?::\\s*[\\[【(]?|[\\[【(])\\s*\\d[\\d,]*(?![\\d,万亿千百])(?:\\s*次)?\\s*[\\]】)]?(?:\\s*次)?`,
  'g',
);
// "1234次浏览" — the counter printed after its number.
const COUNTER_AFTER = /\d[\d,]*\s*次(?:浏览|阅读|点击|访问)/g;
// Clock times 9:05, 15:35:20 (a page re-rendered later prints another "更新时间"). Ratios like 3:1 have a
// one-digit right side and are kept.
const CLOCK = /(?<![\d:])(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?![\d:])/g;
// Session and anti-CSRF tokens that leak into link text or visible query strings.
const SESSION_PARAM = /(?:jsessionid|phpsessid|aspsessionid\w*|sessionid|session_id|sid|token|csrf_token|_csrf|nonce|_t|timestamp)=[^\s&"'<>|]*/gi;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
// A long run of letters AND digits (base64/hex session ids). Index numbers (digits and hyphens only) and
// document numbers stay.
const TOKEN = /(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{24,}(?![A-Za-z0-9_-])/g;
// "今天是2025年3月10日 星期一" date widgets, in case one sits inside the content region.
const TODAY = /今天是\s*\d{4}年\d{1,2}月\d{1,2}日(?:\s*星期[一二三四五六日天])?/g;
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;

// What each rule needs in a line before it can match (most lines have none of it: the rule is skipped).
const ZERO_WIDTH_ANY = /[\u200b-\u200d\u2060\ufeff\u00ad]/;
const COUNTER_ANY = /浏览|访问|阅读|点击|查看|人气/;
const TOKEN_ANY = /[A-Za-z0-9_-]{24}/;
const SPACE_ANY = /\s/;

// JavaScript's \s, as char codes: the whitespace rule below must drop exactly what /\s+/ matched
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * Canonical spacing: every whitespace run becomes one space, dropped at either end and next to a non-ASCII
 * character (layout inside CJK text, e.g. a wrapped cell "商业 企业", is not content). One pass over the
 * characters; the regex form (`/\s+/g` → ' ', then `/ (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) /g` → '', trim) cost
 * 0.12 of the 0.2 ms normalising a report's lines took.
 */
export function canonicalSpacing(s: string): string {
  let out = '';
  let from = 0; // start of the text not yet copied
  const n = s.length;
  for (let i = 0; i < n; i++) {
    if (!isSpace(s.charCodeAt(i))) continue;
    let j = i + 1;
    while (j < n && isSpace(s.charCodeAt(j))) j++;
    out += s.slice(from, i);
    // kept as one space only between two ASCII characters
    if (i > 0 && j < n && s.charCodeAt(i - 1) < 0x80 && s.charCodeAt(j) < 0x80) out += ' ';
    from = j;
    i = j - 1;
  }
  return from === 0 ? s : out + s.slice(from);
}

/**
 * One line of text without noise: NFKC, counters/clocks/tokens removed, spacing made canonical. Each rule
 * runs only on a line holding what it needs (a counter label, '次', ':', '=', '-', a 24-character run,
 * whitespace): the same result as running them all, in a third of the time.
 */
export function normaliseLine(line: string): string {
  return denoiseLine(line.normalize('NFKC'));
}

/** normaliseLine of a line already in NFKC. */
function denoiseLine(s: string): string {
  if (ZERO_WIDTH_ANY.test(s)) s = s.replace(ZERO_WIDTH, '');
  if (s.includes('今天是')) s = s.replace(TODAY, '');
  if (COUNTER_ANY.test(s)) s = s.replace(COUNTER, '');
  if (s.includes('次')) s = s.replace(COUNTER_AFTER, '');
  if (s.includes(':')) s = s.replace(CLOCK, '');
  if (s.includes('=')) s = s.replace(SESSION_PARAM, '');
  if (s.includes('-')) s = s.replace(UUID, '');
  if (TOKEN_ANY.test(s)) s = s.replace(TOKEN, '');
  if (SPACE_ANY.test(s)) s = canonicalSpacing(s);
  return s;
}

/**
 * The report's main content as normalised, non-empty lines; the title first (a retitled report changed).
 * The body is NFKC-folded whole (the same as line by line: no character folds to or composes with a line
 * break); derive() passes the folded body it also indexes (`nfkcBody`), so it is folded once.
 */
export function normaliseContent(title: string | null, contentText: string, nfkcBody = contentText.normalize('NFKC')): string[] {
  const out: string[] = [];
  const head = normaliseLine(title ?? '');
  if (head !== '') out.push(head);
  for (const line of nfkcBody.split(/\r?\n/)) {
    const l = denoiseLine(line);
    if (l !== '') out.push(l);
  }
  return out;
}

/**
 * Table rows in the parser's contentText are cells joined by " | " (parsers/report.ts). Lines without that
 * separator are prose: titles, paragraphs, headings, one-cell rows. A number edited in a table changes a
 * table line only, so it is a numbers change and not also a text change.
 */
export function isTableLine(normalisedLine: string): boolean {
  return normalisedLine.includes('|');
}

export interface ContentHashes {
  /** every normalised line: decides whether a fetch is a new version */
  contentHash: string;
  /** prose lines only: decides text_changed */
  proseHash: string;
}

export function contentHashes(lines: string[]): ContentHashes {
  return {
    contentHash: sha256Hex(lines.join('\n')),
    proseHash: sha256Hex(lines.filter((l) => !isTableLine(l)).join('\n')),
  };
}

/** One stored cell. `value` for numbers, `text` for printed non-numbers ("/", "—"), both null when blank. */
export interface Cell {
  table: TableKey;
  key: string;
  value: CellValue;
  raw: string | null;
}

/** The report's cells in a fixed order (table order, then key), with the printed text where the parser kept it. */
export function reportCells(report: CanonicalReport): Cell[] {
  const cells: Cell[] = [];
  for (const table of TABLE_ORDER) {
    const t = report.tables[table] ?? {};
    for (const key of Object.keys(t).sort()) cells.push({ table, key, value: t[key], raw: report.raw[`${table}.${key}`] ?? null });
  }
  return cells;
}

/** Hash of the parsed values only (not raw text, not warnings): a numbers change is a change of this. */
export function valuesHash(cells: Cell[]): string {
  return sha256Hex(JSON.stringify(cells.map((c) => [c.table, c.key, c.value])));
}

/** Lowercase scheme/host, no fragment, no default port, no session parameters: one document per page. */
export function canonicalUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url.trim();
  }
  u.hash = '';
  u.pathname = u.pathname.replace(/;jsessionid=[^/?]*/i, '');
  for (const k of [...u.searchParams.keys()]) {
    if (/^(?:jsessionid|phpsessid|sessionid|sid|utm_\w+|spm|from)$/i.test(k)) u.searchParams.delete(k);
  }
  return u.toString();
}
