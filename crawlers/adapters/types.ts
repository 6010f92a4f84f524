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
 * TRS createPageHTML pager: `var countPage = N … createPageHTML(countPage, currentPage, "index", "html")` or the
 * literal form `createPageHTML(5, 0, "index", "html")`. Returns null when the page has none.
 */
export function trsPager(html: string): { count: number; current: number; name: string; ext: string } | null {
  const call = /createPageHTML\(\s*([\w.]+)\s*,\s*([\w.]+)\s*,\s*["']([^"']+)["']\s*,\s*["']([^"']+)["']\s*\)/.exec(html);
  if (!call) return null;
  const value = (x: string): number | null => {
    if (/^\d+$/.test(x)) return Number(x);
    const v = new RegExp(`var\\s+${x}\\s*=\\s*(\\d+)`).exec(html);
    return v ? Number(v[1]) : null;
  };
  const count = value(call[1]);
  const current = value(call[2]) ?? 0;
  if (count === null) return null;
  return { count, current, name: call[3], ext: call[4] };
}

/** index.html (page 0), index_1.html, … in the directory of `url`. */
export function trsPageUrl(url: string, name: string, ext: string, page: number): string {
  return new URL(page === 0 ? `${name}.${ext}` : `${name}_${page}.${ext}`, url).href;
}

export const num = (v: unknown, d: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : d);
