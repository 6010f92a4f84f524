/** Attachment links on a report page (the report itself is often a PDF/DOC/OFD attachment). */
import type { Attachment, AttachmentType } from './types.ts';
import { squash } from './normalize.ts';

/**
 * A page shows links to report files only when it prints an extension in all lower or all upper case. Checked
 * only once a link was found: ".doc" is in nearly every page's scripts ("window.document"), so as a pre-check
 * it cost whole-page scans and saved nothing.
 */
const EXTENSIONS = ['pdf', 'doc', 'wps', 'xls', 'ofd', 'rtf', 'zip'].flatMap((e) => [`.${e}`, `.${e.toUpperCase()}`]);
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

/** An href whose value names a report file (also Hanweb's downfile.jsp?filename=….pdf). */
const FILE_HREF = /href\s*=\s*["']?([^"'\s>]*\.(?:pdf|docx?|wps|xlsx?|ofd|rtf|zip)(?:[?#&][^"'\s>]*)?)["']?[^>]*>/gi;

function decodeEntities(s: string): string {
  return s.replace(/&amp;/g, '&').replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)));
}

/** Links to report files anywhere in the page source (lists of 附件 often sit below the body). */
export function findAttachments(html: string, pageUrl: string | null, decode: (s: string) => string = (s) => s): Attachment[] {
  const out: Attachment[] = [];
  const seen = new Set<string>();
  let first = true;
  for (const m of html.matchAll(FILE_HREF)) {
    if (first && !EXTENSIONS.some((e) => html.includes(e))) return out;
    first = false;
    const href = decodeEntities(decode(m[1].trim()));
    if (href.startsWith('javascript:')) continue;
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
    // the link text: from the end of the <a …> tag to </a>
    const textStart = m.index! + m[0].length;
    const close = html.indexOf('</a', textStart);
    const title = close > 0 && close - textStart < 1000 ? squash(decodeEntities(decode(html.slice(textStart, close).replace(/<[^>]*>/g, '')))) : '';
    out.push(title ? { url, type, title } : { url, type });
  }
  return out;
}
