/** Entry points: a fetched page (bytes or text, URL, headers) or the text form of a report → canonical report. */
import * as cheerio from 'cheerio';
import iconv from 'iconv-lite';
import type { CheerioAPI } from 'cheerio';
import type { AnyNode } from 'domhandler';
import { assemble, type Assembled } from './assemble.ts';
import { findAttachments } from './attachments.ts';
import type { Block } from './blocks.ts';
import { findContentRegion } from './content-region.ts';
import { locateRegion } from './locate-region.ts';
import { slimContent, slimPage } from './slim.ts';
import { firstTag, metaTagsFromSource, plainText } from './source-text.ts';
import { asciiSafe, assertReadable, decodeWith, detectCharset } from './decode.ts';
import { findDate } from './dates.ts';
import { encodedIndexLabel, INDEX_LABEL } from './index-label.ts';
import { textOf } from './dom.ts';
import { markupBlocks } from './markup-blocks.ts';
import {
  agencyFromTitle, headerLine, htmlIndexBlock, readIndexPairs, signingDate, siteInfo,
  LIST_MIN_TITLES, reportTitleLines, titleFromBlocks, titleLooksLikeReport, yearFromText, yearFromTitle, type IndexBlock,
} from './metadata.ts';
import { squash } from './normalize.ts';
import { textBlocks } from './text-blocks.ts';
import type { Attachment, CanonicalReport, PageInput, ParseWarning, SiteInfo } from './types.ts';

/**
 * Stored with every parse; bump on any change of output so `nianbao reparse` knows what is stale.
 * 1.1.0: PDF/DOCX report files read; TABLE_AS_IMAGE lists the pictures' URLs; BODY_IS_ATTACHMENT_LINK.
 * 1.1.1: 解读 / 图解 / 一图读懂 pages about a report are not the report (NOT_A_REPORT).
 */
export const PARSER_VERSION = '1.1.1';

export type InputForm = 'html' | 'text';

interface Extracted {
  url: string | null;
  blocks: Block[];
  index: IndexBlock;
  meta: Record<string, string>;
  site: SiteInfo;
  header: { date: string | null; source: string | null };
  headingTitle: string | null;
  attachments: Attachment[];
  warnings: ParseWarning[];
  source: 'html' | 'text';
}

const ZJEG = /<!--\s*ZJEG_RSS\.content\.begin\s*-->([\s\S]*?)<!--\s*ZJEG_RSS\.content\.end\s*-->/i;

function loadHtml(html: string): CheerioAPI {
  // htmlparser2: fast, and forgiving with the truncated and unclosed markup government CMSs emit
  return cheerio.load(html, { xml: { xmlMode: false, decodeEntities: true } });
}

/** Text of the page before the content region (the article header with 发布日期/来源). */
function textBefore($: CheerioAPI, region: AnyNode): string {
  const body = $('body').get(0) ?? $.root().get(0)!;
  const all = textOf(body);
  const start = squash(textOf(region)).slice(0, 20);
  const squashed = squash(all);
  const at = start ? squashed.indexOf(start) : -1;
  return at > 0 ? squashed.slice(Math.max(0, at - 3000), at) : squashed.slice(0, 3000);
}

/** Bytes of page kept after the content region for a 信息索引 block or header placed below the body. */
const AFTER_WINDOW = 8000;

/** Bytes of page before the content kept for the article header and a 信息索引 block above the body. */
const BEFORE_WINDOW = 16000;

/** The <head> (meta tags, title) and the stretch of page just before the content container. */
function pageHead(src: string, start: number): string {
  if (start <= BEFORE_WINDOW) return src.slice(0, start);
  const headEnd = src.search(/<\/head\s*>/i);
  const head = headEnd > 0 && headEnd < start - BEFORE_WINDOW ? src.slice(0, headEnd) : '';
  return head + src.slice(start - BEFORE_WINDOW, start);
}


/**
 * A page's source and how to turn a piece of it into text. For bytes in an ASCII-safe charset the
 * source is the one-byte (latin1) view: tags and class markers are ASCII, so the page is located and
 * slimmed without decoding it, and only the few KB that remain are decoded.
 */
interface Source {
  src: string;
  decode: (piece: string) => string;
  /** could this undecoded piece hold a 信息索引 label? (cheap: looks for the labels' encoded characters) */
  mayHoldIndex: (piece: string) => boolean;
  /** could this undecoded piece hold a 信息索引 label (INDEX_LABEL)? false means it has none */
  mayHoldIndexLabel: (piece: string) => boolean;
}

const identity = (s: string) => s;
/** Characters every 信息索引 block has one of (索引号, 发文机关/发布机构, 成文日期/生成日期, 文号, 标题). */
const INDEX_CHARS = ['索', '机', '期', '文号', '标'];
const hasIndexChar = (s: string) => INDEX_CHARS.some((c) => s.includes(c));
/** The same characters as they appear in a one-byte view of bytes in `charset`. */
const indexCharsByCharset = new Map<string, string[]>();
function encodedIndexChars(charset: string): string[] {
  const known = indexCharsByCharset.get(charset);
  if (known) return known;
  const enc = charset === 'utf-8' ? (c: string) => Buffer.from(c, 'utf8') : (c: string) => iconv.encode(c, charset);
  const chars = INDEX_CHARS.map((c) => enc(c).toString('latin1'));
  indexCharsByCharset.set(charset, chars);
  return chars;
}

/** A source that is text already. */
const textSource = (src: string): Source => ({ src, decode: identity, mayHoldIndex: hasIndexChar, mayHoldIndexLabel: () => true });

function extractHtml({ src, decode, mayHoldIndex, mayHoldIndexLabel }: Source, url: string | null): Extracted {
  const warnings: ParseWarning[] = [];
  const zjeg = src.includes('ZJEG_RSS') ? src.match(ZJEG) : null;
  const span = zjeg ? { start: zjeg.index!, end: zjeg.index! + zjeg[0].length, closed: true } : locateRegion(src);
  if (!span) return extractHtmlByDom(decode(src), url);
  if (!span.closed || (/<html/i.test(src.slice(0, 2048)) && !/<\/html\s*>/i.test(src.slice(-4096)))) {
    warnings.push({ code: 'INPUT_TRUNCATED', section: 'input', detail: span.closed ? 'the page ends without </html>: the download may be cut short' : 'the page ends inside the report body: the download was cut short, later rows may be missing' });
  }
  // fast path: the container's slimmed markup read as blocks; the page around it read from source, and
  // parsed as a (small) DOM only when it carries a 信息索引 block
  const pre = decode(slimPage(pageHead(src, span.start)));
  const afterSrc = src.slice(span.end, span.end + AFTER_WINDOW);
  const afterSlim = mayHoldIndex(afterSrc) ? slimPage(afterSrc) : '';
  const after = afterSlim && mayHoldIndexLabel(afterSlim) ? decode(afterSlim) : '';
  let index: IndexBlock = {};
  if (INDEX_LABEL.test(after)) index = htmlIndexBlock(loadHtml(after));
  if (INDEX_LABEL.test(pre)) index = { ...index, ...htmlIndexBlock(loadHtml(pre)) };
  const meta = metaTagsFromSource(pre);
  const header = headerLine(plainText(pre.slice(-8000)).slice(-3000));
  const blocks = markupBlocks(decode(slimContent(zjeg ? zjeg[1] : src.slice(span.start, span.end))));
  const pageUrl = url ?? meta.url ?? null;
  return {
    url: pageUrl, blocks, index, meta, site: siteInfo(meta), header,
    headingTitle: headingTitle(firstTag(pre, 'h1'), firstTag(pre, 'title'), blocks),
    attachments: findAttachments(src, pageUrl, decode), warnings, source: 'html',
  };
}

/** No known container: the whole page as a DOM, the content found by text density. */
function extractHtmlByDom(html: string, url: string | null): Extracted {
  const warnings: ParseWarning[] = [];
  const page = slimPage(html);
  const $ = cheerio.load(page, { xml: { xmlMode: false, decodeEntities: true, withStartIndices: true, withEndIndices: true } });
  const region = findContentRegion($);
  if (region.how === 'body') warnings.push({ code: 'NO_CONTENT_REGION', section: 'metadata', detail: 'no content container found; the whole page was read' });
  const meta = metaTagsFromSource(page);
  // the region's own source, by the parser's offsets (serialising a deep DOM back to HTML would recurse)
  const start = region.node.startIndex ?? 0;
  const end = region.node.endIndex === null || region.node.endIndex === undefined ? page.length : region.node.endIndex + 1;
  const blocks = markupBlocks(slimContent(page.slice(start, end)));
  const pageUrl = url ?? meta.url ?? null;
  return {
    url: pageUrl, blocks, index: htmlIndexBlock($), meta, site: siteInfo(meta), header: headerLine(textBefore($, region.node)),
    headingTitle: headingTitle(firstTag(page, 'h1'), firstTag(page, 'title'), blocks),
    attachments: findAttachments(html, pageUrl), warnings, source: 'html',
  };
}

/** The report's title as the page shows it: an <h1> that reads like one, the body's title line, <title>. */
function headingTitle(h1: string, title: string, blocks: Block[]): string | null {
  const docTitle = title.split(/\s*[-_|—–]\s*/)[0];
  if (titleLooksLikeReport(h1)) return h1;
  return titleFromBlocks(blocks) ?? (titleLooksLikeReport(docTitle) ? docTitle : h1 || docTitle || null);
}

function extractText(text: string, url: string | null): Extracted {
  const blocks = textBlocks(text);
  const lines = text.split(/\r?\n/).slice(0, 40);
  const index = readIndexPairs(lines.map((l) => ({ text: l })));
  return {
    url, blocks, index, meta: {}, site: { name: null, domain: null, id_code: null, column: null },
    header: headerLine(lines.slice(0, 20).join(' ')), headingTitle: titleFromBlocks(blocks), attachments: [], warnings: [], source: 'text',
  };
}

function build(x: Extracted): CanonicalReport {
  const title = x.index.title ?? x.meta.articletitle ?? x.headingTitle ?? null;
  const issuer = x.index.issuer ?? null;
  const contentSource = x.meta.contentsource ?? x.index.source ?? x.header.source ?? null;
  const allText = x.blocks.map((b) => (b.kind === 'para' ? b.text : '')).join('\n');
  let year = yearFromTitle(title);
  const warnings = [...x.warnings];
  if (year === null) {
    year = yearFromText(allText);
    if (year !== null) warnings.push({ code: 'YEAR_UNCERTAIN', section: 'metadata', detail: `no year in a title; ${year} read from the body` });
  }
  const a = assemble(x.blocks, { year, source: x.source, hasAttachments: x.attachments.length > 0, pageUrl: x.url });
  warnings.push(...a.warnings);
  const verdict = reportVerdict(x, title, a);
  if (verdict) {
    warnings.unshift({ code: 'NOT_A_REPORT', section: 'metadata', detail: verdict });
  } else if (!a.section_headings.length && !a.hasStandardTables && x.attachments.length) {
    // the report is the attached file: the crawler follows report.attachments
    warnings.push({ code: 'BODY_IS_ATTACHMENT_LINK', section: 'metadata', detail: `no sections or tables on the page; the report is its attachment: ${x.attachments.map((f) => `${f.type} ${f.url}`).join(', ')}` });
  } else if (!a.section_headings.length) {
    warnings.push({ code: 'SECTION_MISSING', section: 'overview', detail: 'no numbered section headings (一、…六、) found' });
  }
  const isReport = !verdict;
  return {
    url: x.url,
    title,
    agency: agencyFromTitle(title, [x.site.name, issuer, contentSource]),
    year,
    publish_date: findDate(x.index.publish_date) ?? findDate(x.meta.pubdate ?? x.meta.publishdate ?? x.meta.maketime) ?? x.header.date,
    written_date: findDate(x.index.written_date) ?? signingDate(x.blocks),
    index_no: x.index.index_no ?? null,
    issuer,
    doc_no: x.index.doc_no ?? null,
    content_source: contentSource,
    site: x.site,
    template: isReport ? a.template : a.hasStandardTables ? a.template : 'unknown',
    sections: a.sections,
    section_headings: a.section_headings,
    tables: a.tables,
    raw: a.raw,
    checks: a.checks,
    warnings,
    attachments: x.attachments,
    narrative: a.narrative,
  };
}

/**
 * Why this document is not an annual report, or null when it is one. A report has its standard tables, or a
 * report title and a body to match (sections, an attachment, a picture, or real paragraphs); a page listing
 * several report titles is a column page, and a title alone (a list entry, a column name) is not enough.
 */
function reportVerdict(x: Extracted, title: string | null, a: Assembled): string | null {
  if (a.hasStandardTables) return null;
  const listed = reportTitleLines(x.blocks);
  if (listed.length >= LIST_MIN_TITLES) return `a list of ${listed.length} report titles (a column page), not a report`;
  if (!title) return a.hasStandardSections ? null : 'no report title, sections or tables found';
  if (!titleLooksLikeReport(title)) return `"${title}" is not a 政府信息公开工作年度报告`;
  const body = a.hasStandardSections || x.attachments.length > 0 || x.blocks.some((b) => b.kind === 'image' || (b.kind === 'para' && b.text.length >= 100));
  return body ? null : `"${title}" has no report body (no sections, tables, attachment or paragraphs)`;
}

/**
 * Blocks read from a document (a PDF's text and ruled tables) → the report, as the text form is read: index
 * pairs and the header line from the first paragraphs, the title from the body. `source` says how its
 * tables were read: 'html' for real grids (ruled tables), 'text' for rows split at separators.
 */
export function parseBlocks(blocks: Block[], url: string | null, source: 'html' | 'text'): DetailedParse {
  const lines = blocks.flatMap((b) => (b.kind === 'para' ? [b.text] : [])).slice(0, 40);
  const x: Extracted = {
    url, blocks, index: readIndexPairs(lines.map((text) => ({ text }))), meta: {}, site: { name: null, domain: null, id_code: null, column: null },
    header: headerLine(lines.slice(0, 20).join(' ')), headingTitle: titleFromBlocks(blocks), attachments: [], warnings: [], source,
  };
  return { report: build(x), contentText: contentText(blocks), charset: null };
}

/** Does this text look like an HTML document (rather than the text form of a report)? */
export function looksLikeHtml(text: string): boolean {
  return /<(?:!doctype|html|head|body|table|div|p|meta)[\s>]/i.test(text.slice(0, 4096));
}

export function parseHtml(html: string, url: string | null = null): CanonicalReport {
  return build(extractHtml(textSource(html), url));
}

export function parseText(text: string, url: string | null = null): CanonicalReport {
  return build(extractText(text, url));
}

/** The report's main content as plain text: paragraphs, then table rows as " | "-joined cells. */
function contentText(blocks: Block[]): string {
  const lines: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'para') lines.push(b.text);
    else if (b.kind === 'table') for (const r of b.rows) lines.push(r.cells.filter((c) => !c.carried).map((c) => c.text).join(' | '));
  }
  return lines.join('\n');
}

export interface DetailedParse {
  report: CanonicalReport;
  /** the main content region only (no navigation, counters or footers), for change detection and search */
  contentText: string;
  charset: string | null;
}

/**
 * Parse a fetched page or a report file. Bytes are decoded by header → meta → UTF-8 → GB18030.
 * Throws UnreadableInput (with the reason) for empty or binary input.
 */
export function parsePage(input: PageInput, form?: InputForm): CanonicalReport {
  return build(extract(input, form).x);
}

/** parsePage, plus the content text and the charset the bytes were decoded with. */
export function parsePageDetailed(input: PageInput, form?: InputForm): DetailedParse {
  const { x, charset } = extract(input, form);
  return { report: build(x), contentText: contentText(x.blocks), charset };
}

function extract(input: PageInput, form?: InputForm): { x: Extracted; charset: string | null } {
  const url = input.url ?? null;
  let charset: string | null = null;
  let x: Extracted;
  if (typeof input.body === 'string') {
    const text = input.body;
    if (!text.trim()) assertReadable(new Uint8Array());
    const html = form ? form === 'html' : looksLikeHtml(text);
    x = html ? extractHtml(textSource(text), url) : extractText(text, url);
  } else {
    const bytes = input.body;
    assertReadable(bytes);
    const ct = input.headers?.['content-type'];
    const cs = detectCharset(bytes, Array.isArray(ct) ? ct[0] : ct);
    charset = cs;
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const html = form ? form === 'html' : looksLikeHtml(buf.toString('latin1', 0, 4096));
    if (html && asciiSafe(cs)) {
      const probes = encodedIndexChars(cs);
      const label = encodedIndexLabel(cs);
      x = extractHtml({
        src: buf.toString('latin1'),
        decode: (piece) => decodeWith(cs, Buffer.from(piece, 'latin1')),
        mayHoldIndex: (piece) => probes.some((p) => piece.includes(p)),
        mayHoldIndexLabel: (piece) => label === null || label.test(piece),
      }, url);
    } else {
      const text = decodeWith(cs, bytes);
      x = html ? extractHtml(textSource(text), url) : extractText(text, url);
    }
  }
  return { x, charset };
}

/** Is the parsed document an annual report at all? */
export function isAnnualReport(r: CanonicalReport): boolean {
  return !r.warnings.some((w) => w.code === 'NOT_A_REPORT');
}
