/** Attachment links on a report page (the report itself is often a PDF/DOC/OFD attachment). */
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

const ANCHOR = /<a\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>([\s\S]*?)<\/a\s*>/gi;

function decodeEntities(s: string): string {
  return s.replace(/&amp;/g, '&').replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)));
}

/** Links to report files anywhere in the page source (lists of 附件 often sit below the body). */
export function findAttachments(html: string, pageUrl: string | null): Attachment[] {
  const out: Attachment[] = [];
  const seen = new Set<string>();
  for (const m of html.matchAll(ANCHOR)) {
    const href = decodeEntities((m[1] ?? m[2] ?? m[3] ?? '').trim());
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
    const title = squash(decodeEntities(m[4].replace(/<[^>]*>/g, '')));
    out.push(title ? { url, type, title } : { url, type });
  }
  return out;
}
