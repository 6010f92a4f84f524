/**
 * Report files (attachments): PDF and DOCX are read into the same canonical report as a page; DOC, WPS, OFD
 * and the rest are recognised and reported as not parsed, with the reason. The readers (pdf.js, mammoth) are
 * asynchronous, so this is the async boundary: parseDocument never rejects — a corrupt file is a
 * `not_parsed` result with the reader's message.
 */
import { parsePageDetailed, parseBlocks, type DetailedParse } from '../report.ts';
import type { SourceFormat } from '../types.ts';
import { documentKind, NOT_PARSED_REASON, type DocumentKind } from './detect.ts';
import { docxToHtml } from './docx.ts';
import { readPdf } from './pdf.ts';
import { layoutBlocks } from './pdf-layout.ts';

export { documentKind, PARSED_KINDS, NOT_PARSED_REASON, type DocumentKind } from './detect.ts';

export interface DocumentInput {
  contentType?: string | null;
  url?: string | null;
}

export type DocumentResult =
  | { status: 'parsed'; kind: SourceFormat; parse: DetailedParse }
  | { status: 'not_parsed'; kind: DocumentKind | null; reason: string };

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 300);

/** Read a report file. Never rejects. */
export async function parseDocument(bytes: Uint8Array, input: DocumentInput = {}): Promise<DocumentResult> {
  const kind = documentKind(bytes, input.contentType, input.url);
  const url = input.url ?? null;
  if (kind === null) return { status: 'not_parsed', kind, reason: 'not a document file (no PDF, DOCX, DOC, WPS or OFD signature): read it as a page' };
  if (kind !== 'pdf' && kind !== 'docx') return { status: 'not_parsed', kind, reason: NOT_PARSED_REASON[kind] };
  try {
    const parse = kind === 'pdf' ? await parsePdf(bytes, url) : await parseDocx(bytes, url);
    if (typeof parse === 'string') return { status: 'not_parsed', kind, reason: parse };
    parse.report.source_format = kind;
    return { status: 'parsed', kind, parse };
  } catch (e) {
    return { status: 'not_parsed', kind, reason: `a broken ${kind.toUpperCase()} file: ${messageOf(e)}` };
  }
}

async function parsePdf(bytes: Uint8Array, url: string | null): Promise<DetailedParse | string> {
  const pdf = await readPdf(bytes);
  const chars = pdf.pages.reduce((n, p) => n + p.items.reduce((m, t) => m + t.str.trim().length, 0), 0);
  if (chars === 0) return `a PDF of ${pdf.totalPages} page(s) with no text layer (a scan): stored raw; its tables are pictures`;
  const layout = layoutBlocks(pdf.pages);
  // ruled tables are real grids; rows split at column gaps are the text form
  return parseBlocks(layout.blocks, url, layout.ruledTables > 0 || layout.textRows === 0 ? 'html' : 'text');
}

async function parseDocx(bytes: Uint8Array, url: string | null): Promise<DetailedParse> {
  const { html } = await docxToHtml(bytes);
  return parsePageDetailed({ body: html, url }, 'html');
}
