/** Attachment links on a report page (the report itself is often a PDF/DOC/OFD attachment). */
import type { CheerioAPI } from 'cheerio';
import type { Attachment, AttachmentType } from './types.ts';
import { squash } from './normalize.ts';

const EXT = /\.(pdf|docx?|wps|xlsx?|ofd|rtf|zip)(?:$|[?#&])/i;

function typeOf(href: string): AttachmentType | null {
  let path = href;
  try {
    const u = new URL(href, 'http://x/');
    // Hanweb: /module/download/downfile.jsp?filename=…pdf
    path = u.searchParams.get('filename') ?? u.searchParams.get('fileName') ?? u.pathname;
  } catch {
    /* keep the raw href */
  }
  const m = path.match(EXT) ?? href.match(EXT);
  return m ? (m[1].toLowerCase() as AttachmentType) : null;
}

export function findAttachments($: CheerioAPI, pageUrl: string | null): Attachment[] {
  const out: Attachment[] = [];
  const seen = new Set<string>();
  for (const el of $('a[href]').toArray()) {
    const href = (el.attribs.href ?? '').trim();
    if (!href || href.startsWith('javascript:') || href.startsWith('#')) continue;
    const type = typeOf(href);
    if (!type) continue;
    let url = href;
    if (pageUrl) {
      try {
        url = new URL(href, pageUrl).toString();
      } catch {
        /* keep as printed */
      }
    }
    if (seen.has(url)) continue;
    seen.add(url);
    const title = squash($(el).text());
    out.push(title ? { url, type, title } : { url, type });
  }
  return out;
}
