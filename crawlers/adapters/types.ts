/**
 * CMS-family adapters: how to list a registry entry's report column. An adapter is pure (bytes in, URLs out);
 * the engine (../crawl.ts) fetches, bounds depth and page counts, filters by title/year/host and commits.
 * Adding a family is one file here plus one line in ./index.ts.
 */
import { detectCharset, decodeWith } from '../../parsers/decode.ts';
import type { RegistryEntry } from '../registry.ts';

export interface ListedReport {
  /** absolute detail URL (resolved against the list URL) */
  url: string;
  title: string;
  /** list date 'YYYY-MM-DD' when the list shows one */
  date?: string;
}

export interface ListPage {
  /** candidate detail links (the engine keeps those whose titles look like annual reports) */
  reports: ListedReport[];
  /** more list pages or list API calls to fetch (absolute URLs) */
  next: string[];
  /** the adapter knows the column ends here */
  done?: boolean;
}

export interface ListContext {
  /** link hops from the entry URL (0 for the entry itself) */
  depth: number;
}

export interface Adapter {
  family: string;
  /** the first list URLs of an entry (usually its entryUrls) */
  listRequests(entry: RegistryEntry): string[];
  parseList(entry: RegistryEntry, url: string, body: Buffer, headers: Record<string, string | string[]>, ctx: ListContext): ListPage;
}

export const headerValue = (h: Record<string, string | string[]>, name: string): string | undefined => {
  const v = h[name] ?? h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

/** Bytes → text: BOM, header charset, <meta>, strict UTF-8, else GB18030 (parsers/decode.ts). */
export function decodePage(body: Buffer, headers: Record<string, string | string[]>): string {
  return decodeWith(detectCharset(body, headerValue(headers, 'content-type') ?? null), body);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ensp: ' ', emsp: ' ' };
export function unescapeHtml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

export interface Anchor {
  href: string;
  /** the title attribute when present, else the link text */
  title: string;
  text: string;
  /** a YYYY-MM-DD date right after the link (the list's date column) */
  date?: string;
}

/** <a href> links of an HTML fragment, resolved against `base` (unresolvable and javascript: links dropped). */
export function anchors(html: string, base: string): Anchor[] {
  const out: Anchor[] = [];
  const re = /<a\b([^>]*)>([\s\S]*?)<\/a>/gi;
  for (let m: RegExpExecArray | null; (m = re.exec(html)); ) {
    const attrs = m[1];
    const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attrs);
    if (!href) continue;
    const raw = unescapeHtml((href[1] ?? href[2] ?? href[3] ?? '').trim());
    if (!raw || /^(?:javascript|mailto|tel):/i.test(raw) || raw.startsWith('#')) continue;
    let abs: URL;
    try {
      abs = new URL(raw, base);
    } catch {
      continue;
    }
    abs.hash = '';
    const titleAttr = /\btitle\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(attrs);
    const text = unescapeHtml(m[2].replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim();
    const title = unescapeHtml(titleAttr?.[1] ?? titleAttr?.[2] ?? '').trim() || text;
    const after = html.slice(re.lastIndex, re.lastIndex + 120);
    const date = /^[\s\S]{0,80}?(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})/.exec(after.split(/<a\b/i)[0]);
    out.push({ href: abs.href, title, text, date: date ? `${date[1]}-${date[2].padStart(2, '0')}-${date[3].padStart(2, '0')}` : undefined });
  }
  return out;
}

/**
 * TRS createPageHTML pager (research/cms-families.md §2.2), every signature seen:
 *   createPageHTML(count, current, "index", "html")                  0-based: the second page is index_1.html
 *   createPage(count, current, "index", "html")                      (Chongqing)
 *   createPageHTML(count, current, "index", "shtml", "black2", n)    (Hubei: style and record count appended)
 *   createPageHTML("page_div", count, current, "index", "html", n)   1-based: the second page is index_2.html
 * with numbers literal or named by `var countPage = N`. `current` is returned 0-based (the first page is 0)
 * and `base` is the file number of the second page minus one. The function's own definition (an inline
 * page.js) is skipped: its parameters are no numbers. Returns null when the page has no pager call.
 */
export interface TrsPager { count: number; current: number; name: string; ext: string; base: 0 | 1 }

export function trsPager(html: string): TrsPager | null {
  const value = (x: string): number | null => {
    if (/^\d+$/.test(x)) return Number(x);
    if (!/^[A-Za-z_$][\w$]*$/.test(x)) return null;
    const v = new RegExp(`\\b${x}\\s*=\\s*(\\d+)`).exec(html);
    return v ? Number(v[1]) : null;
  };
  const str = (x: string | undefined): string | null => (x && /^(["'])[^"']*\1$/.test(x) ? x.slice(1, -1) : null);
  for (const call of html.matchAll(/(function\s+)?\bcreatePage(?:HTML)?\s*\(([^()]*)\)/g)) {
    if (call[1]) continue;
    const args = call[2].split(',').map((a) => a.trim());
    // a leading string is the pager element's id: that form numbers its pages from 1
    const base = str(args[0]) !== null ? 1 : 0;
    const [c, cur, n, e] = args.slice(base, base + 4);
    const count = value(c ?? '');
    const name = str(n);
    const ext = str(e);
    if (count === null || name === null || ext === null) continue;
    const current = Math.max(0, (value(cur ?? '') ?? base) - base);
    return { count, current, name, ext, base };
  }
  return null;
}

/** Page `page` (0-based) of a TRS list in the directory of `url`: index.html, then index_1.html… (base 0) or index_2.html… (base 1). */
export function trsPageUrl(url: string, name: string, ext: string, page: number, base: 0 | 1 = 0): string {
  return new URL(page === 0 ? `${name}.${ext}` : `${name}_${page + base}.${ext}`, url).href;
}

export const num = (v: unknown, d: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : d);
