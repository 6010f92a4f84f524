/**
 * Whatever a fetch brought → the report, synchronously: pages and text through parsePage, report files
 * (PDF, DOCX) through the document readers (on a worker thread, see documents/sync.ts). A file kept raw
 * (DOC, WPS, OFD, a broken or scanned PDF) is UnreadableInput with the reason, as unreadable pages are.
 */
import { UnreadableInput } from './decode.ts';
import { documentKind } from './documents/detect.ts';
import { parseDocumentSync } from './documents/sync.ts';
import { parsePageDetailed, type DetailedParse } from './report.ts';
import type { PageInput } from './types.ts';

function header(h: PageInput['headers'], name: string): string | null {
  const v = h?.[name] ?? h?.[name.toLowerCase()];
  return (Array.isArray(v) ? v[0] : v) ?? null;
}

export function parseFetchedDetailed(input: PageInput): DetailedParse {
  if (typeof input.body !== 'string') {
    const contentType = header(input.headers, 'content-type');
    if (documentKind(input.body, contentType, input.url) !== null) {
      const r = parseDocumentSync(input.body, { contentType, url: input.url ?? null });
      if (r.status === 'parsed') return r.parse;
      throw new UnreadableInput(r.reason);
    }
  }
  return parsePageDetailed(input);
}
