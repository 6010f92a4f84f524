/** What kind of document a file is, from its bytes first (magic numbers), then its content type and name. */

export type DocumentKind = 'pdf' | 'docx' | 'doc' | 'wps' | 'ofd' | 'xlsx' | 'xls' | 'rtf' | 'zip';

/** Kinds nianbao reads into a report; the others are kept raw and reported as not parsed. */
export const PARSED_KINDS: ReadonlySet<DocumentKind> = new Set(['pdf', 'docx']);

/** Why a kind is not parsed: what a person would need to do with it. */
export const NOT_PARSED_REASON: Record<Exclude<DocumentKind, 'pdf' | 'docx'>, string> = {
  doc: 'a Word 97–2003 .doc (OLE2 compound file): no maintained reader for Node; stored raw, not parsed — convert it to DOCX or PDF to read its tables',
  wps: 'a WPS Office .wps (OLE2 compound file): no maintained reader; stored raw, not parsed — convert it to DOCX or PDF to read its tables',
  ofd: 'an OFD document (GB/T 33190, the Chinese fixed-layout format): no maintained reader for Node; stored raw, not parsed',
  xlsx: 'an Excel workbook (.xlsx): spreadsheets are not read as reports; stored raw, not parsed',
  xls: 'an Excel 97–2003 workbook (.xls, OLE2): not read as a report; stored raw, not parsed',
  rtf: 'an RTF document: not parsed; stored raw',
  zip: 'a ZIP archive that is not a DOCX/XLSX/OFD: its files are not unpacked; stored raw, not parsed',
};

const latin1 = (b: Uint8Array, from: number, to: number) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1', from, Math.min(to, b.byteLength));

/** The extension a URL, file name or Content-Disposition names, lower case ('' when none). */
function extensionOf(name: string | null | undefined): string {
  if (!name) return '';
  let path = name;
  try {
    const u = new URL(name, 'http://x/');
    path = u.searchParams.get('filename') ?? u.searchParams.get('fileName') ?? u.pathname;
  } catch {
    /* a plain file name */
  }
  return path.match(/\.([a-z0-9]{2,5})$/i)?.[1].toLowerCase() ?? '';
}

const TYPE_KINDS: Array<[RegExp, DocumentKind]> = [
  [/application\/pdf/i, 'pdf'],
  [/wordprocessingml/i, 'docx'],
  [/application\/msword/i, 'doc'],
  [/application\/(?:vnd\.)?(?:kingsoft|wps)/i, 'wps'],
  [/ofd/i, 'ofd'],
  [/spreadsheetml/i, 'xlsx'],
  [/ms-excel/i, 'xls'],
  [/rtf/i, 'rtf'],
];

/**
 * The document kind of these bytes, or null for a page or text (what parsePage reads). Magic numbers decide
 * (a server's content type is often wrong: PDFs served as text/html or application/octet-stream); the
 * content type and name only tell apart kinds that share a container (OLE2: doc/wps/xls; ZIP).
 */
export function documentKind(bytes: Uint8Array, contentType?: string | null, name?: string | null): DocumentKind | null {
  if (bytes.byteLength < 4) return null;
  const head = latin1(bytes, 0, 1024);
  const ext = extensionOf(name);
  const typed = TYPE_KINDS.find(([re]) => contentType && re.test(contentType))?.[1] ?? null;
  if (head.startsWith('%PDF') || /^[\s\u00ef\u00bb\u00bf]{0,16}%PDF-/.test(head)) return 'pdf';
  if (head.startsWith('{\\rtf')) return 'rtf';
  if (head.startsWith('\u00d0\u00cf\u0011\u00e0\u00a1\u00b1\u001a\u00e1')) {
    for (const k of ['wps', 'xls', 'doc'] as const) if (ext === k || typed === k) return k;
    return 'doc';
  }
  if (head.startsWith('PK\u0003\u0004')) {
    // entry names are stored in the clear in the local headers and the central directory
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (buf.includes('word/document.xml')) return 'docx';
    if (buf.includes('OFD.xml')) return 'ofd';
    if (buf.includes('xl/workbook.xml')) return 'xlsx';
    return 'zip';
  }
  return null;
}
