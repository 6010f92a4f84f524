import { isUtf8 } from 'node:buffer';

/**
 * Bytes → text. Charset from the HTTP header, then the page's <meta>, then strict UTF-8, then GB18030
 * (a superset of GBK/GB2312, which is what "gbk"/"gb2312" pages really contain).
 */

export class UnreadableInput extends Error {}

const ALIASES: Record<string, string> = { gbk: 'gb18030', gb2312: 'gb18030', 'x-gbk': 'gb18030', gb_2312: 'gb18030', 'gb_2312-80': 'gb18030', cp936: 'gb18030', 'iso-8859-1': 'windows-1252', 'utf8': 'utf-8' };

/** Labels seen → the decoder's name, or null when no decoder has it (checked once per label). */
const labels = new Map<string, string | null>();

function label(charset: string | null | undefined): string | null {
  if (!charset) return null;
  const c = charset.trim().toLowerCase().replace(/^["']|["']$/g, '');
  let name = labels.get(c);
  if (name === undefined) {
    name = ALIASES[c] ?? c;
    try {
      new TextDecoder(name);
    } catch {
      name = null;
    }
    if (labels.size > 1000) labels.clear();
    labels.set(c, name);
  }
  return name;
}

export function headerCharset(contentType: string | null | undefined): string | null {
  const m = contentType?.match(/charset\s*=\s*["']?([\w.:-]+)/i);
  return m ? m[1] : null;
}

/** <meta charset=…> or <meta http-equiv=Content-Type content="…charset=…"> in the first 4 KB. */
export function metaCharset(head: Uint8Array): string | null {
  const text = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, 4096)).toString('latin1');
  const m = text.match(/<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i);
  return m ? m[1] : null;
}

export interface Decoded {
  text: string;
  charset: string;
}

/** The charset of a page's bytes: BOM, header, <meta>, then valid UTF-8, else GB18030. */
export function detectCharset(bytes: Uint8Array, contentType?: string | null): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const declared = label(headerCharset(contentType)) ?? label(metaCharset(bytes));
  // a page that says utf-8 but is not (a common CMS lie) falls through to detection
  if (declared && declared !== 'utf-8' && declared !== 'windows-1252') return declared;
  // buffer.isUtf8 (simdutf) validates far faster than a fatal TextDecoder
  if (isUtf8(bytes)) return 'utf-8';
  return declared === 'windows-1252' ? declared : 'gb18030';
}

export function decodeWith(charset: string, bytes: Uint8Array): string {
  if (charset === 'utf-8') {
    const skip = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    return Buffer.from(bytes.buffer, bytes.byteOffset + skip, bytes.byteLength - skip).toString('utf8');
  }
  return new TextDecoder(charset).decode(bytes);
}

export function decodeBytes(bytes: Uint8Array, contentType?: string | null): Decoded {
  const charset = detectCharset(bytes, contentType);
  return { text: decodeWith(charset, bytes), charset };
}

/**
 * Charsets in which no multi-byte character contains an ASCII byte below 0x40 ('<', '>', '=', quotes):
 * their pages can be searched and slimmed as one-byte (latin1) text and decoded afterwards.
 */
export function asciiSafe(charset: string): boolean {
  return charset === 'utf-8' || charset === 'gb18030' || charset === 'big5' || charset === 'euc-kr' || charset === 'euc-jp' || charset === 'windows-1252';
}

const WINDOWS_1252 = new TextDecoder('latin1');

/** Refuse what is not a text document, with the reason. */
export function assertReadable(bytes: Uint8Array): void {
  if (bytes.length === 0) throw new UnreadableInput('empty input');
  const head = WINDOWS_1252.decode(bytes.subarray(0, 8));
  if (head.startsWith('%PDF')) throw new UnreadableInput('a PDF document: PDF attachments are not parsed yet');
  if (head.startsWith('PK\u0003\u0004')) throw new UnreadableInput('a ZIP container (DOCX/XLSX/OFD): attachments are not parsed yet');
  if (head.startsWith('\u00d0\u00cf\u0011\u00e0')) throw new UnreadableInput('an OLE2 document (DOC/WPS/XLS): not parsed');
  const sample = bytes.subarray(0, 2048);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i];
    if (b < 9 || (b > 13 && b < 32 && b !== 27)) control++;
  }
  if (control > sample.length * 0.02) throw new UnreadableInput(`binary data (${control} control bytes in the first ${sample.length}): not a page or a text report`);
}
