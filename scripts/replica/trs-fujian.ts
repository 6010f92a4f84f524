/**
 * The real Pingtan portal's 政府信息公开年报 column (TRS, Fujian cluster; research/cms-families.md §2.4),
 * at its real paths, UTF-8, no robots.txt (404, like its sibling putian.gov.cn):
 *
 *   /zwgk/zfxxgk/zfxxgknb/index.htm (and …/zfxxgknb/)   the real list page, its static block (`showStatic`)
 *       re-rendered from the current documents: the first `prepage` (10) entries as
 *       <dl><dd><a href="./YYYYMM/tYYYYMMDD_ID.htm" title=…>…</a></dd><dd>YYYY-MM-DD</dd></dl>;
 *       the rest only through the JS list call (list2.trsapi "动静结合", maxStaticIndex 1)
 *   /zwgk/zfxxgk/zfxxgknb/YYYYMM/tYYYYMMDD_ID.htm       the 20 real page.html files
 *   /fjdzapp/search                                      the JS list call. Its real request is unconfirmed; this
 *       replica's is small: GET (query) or POST (form or JSON body) with
 *         channelid=200210 (SiteInfo.searchId; any other → no docs), classsql=chnlid=1813 (must name the channel),
 *         page=N (1-based, default 1), prepage=M (default 10, max 100); sortfield is accepted and ignored
 *         (always -docreltime)
 *       → application/json {"total", "page", "prepage", "pageCount",
 *           "docs": [{"docid", "chnlid", "title", "url", "pubDate", "doctitle", "chnldocurl", "docreltime"}]}
 *       (url = chnldocurl, absolute on this host; pubDate 'YYYY-MM-DD'; docreltime 'YYYY-MM-DD HH:mm:ss' —
 *       the names the list template reads are doctitle/chnldocurl/docreltime). Page 1 repeats the static entries.
 */
import { loadCorpus, editReport, type PingtanPage } from './corpus.ts';
import { nightDate, nightTime } from './generated.ts';
import type { DocInfo, PageReply, RegistryEntry, ReplicaRequest, Site, SiteOptions } from './types.ts';
import { Rng, chinaTime, innerOf, robotsOf, sha1 } from './util.ts';

export interface TrsFujianOptions extends SiteOptions {
  /** entries in the static block and per JS page (default 10) */
  prepage?: number;
  /** new department reports per nextNight() (default 1) */
  perNight?: number;
}

export const COLUMN = '/zwgk/zfxxgk/zfxxgknb/';
export const SEARCH = '/fjdzapp/search';
export const CHANNEL_ID = '200210';
export const CHNL = '1813';
const HTML = 'text/html; charset=utf-8';

interface PtDoc {
  docid: string;
  title: string;
  published: string;
  /** 'YYYY-MM-DD HH:mm' */
  pubdate: string;
  urlPath: string;
  html: string;
  isReport: boolean;
  source: string;
  status: 'live' | 'deleted' | 'pending';
  edits: number;
  lastModified: Date;
  etag?: string;
}

/** Department reports that appear on later nights (re-titled copies of the 2025 report). */
const LATE = ['平潭综合实验区教育与人才局', '平潭综合实验区社会事业局', '平潭综合实验区财政金融局', '平潭综合实验区自然资源与规划局', '平潭综合实验区交通与建设局'];

export class TrsFujianSite implements Site {
  readonly id: string;
  readonly family = 'trs-fujian' as const;
  readonly name = '平潭综合实验区党工委管委会';
  readonly robots: string | null;
  readonly entryPaths = [`${COLUMN}index.htm`];
  readonly prepage: number;
  private docsList: PtDoc[];
  private listModified: Date;
  private template: string;

  constructor(id: string, readonly seed: string, readonly options: TrsFujianOptions = {}) {
    this.id = id;
    this.robots = robotsOf(options.robots, 'none');
    this.prepage = Math.max(1, options.prepage ?? 10);
    const { pingtan, pingtanList } = loadCorpus();
    this.template = pingtanList;
    this.docsList = pingtan.map((p) => ({
      docid: p.docid, title: p.title, published: p.published, pubdate: p.pubdate, urlPath: p.urlPath, html: p.html,
      isReport: p.isReport, source: `pingtan-page:${p.docid}`, status: 'live', edits: 0, lastModified: chinaTime(p.pubdate.slice(0, 10), p.pubdate.slice(11) || '00:00'),
    }));
    const base = pingtan.find((p) => p.docid === '105587') ?? pingtan[pingtan.length - 1];
    const rng = new Rng(`${seed}/pingtan/late`);
    let docid = Math.max(...pingtan.map((p) => Number(p.docid)));
    for (const agency of LATE) {
      docid += rng.int(3, 30);
      this.docsList.push(lateDoc(base, agency, String(docid)));
    }
    this.listModified = new Date(Math.max(...this.docsList.filter((d) => d.status === 'live').map((d) => d.lastModified.getTime())));
  }

  /** Live documents in list order (newest list date first). */
  live(): PtDoc[] {
    return this.docsList.filter((d) => d.status === 'live').sort((a, b) => b.published.localeCompare(a.published) || Number(b.docid) - Number(a.docid));
  }

  docs(baseUrl: string): DocInfo[] {
    return this.docsList.filter((d) => d.status !== 'pending').map((d) => ({
      url: baseUrl + d.urlPath, path: d.urlPath, title: d.title, agency: agencyOf(d.title, this.name), year: d.isReport ? Number(/(\d{4})年/.exec(d.title)?.[1]) : null,
      isReport: d.isReport, source: d.source, published: d.published, status: d.status, edits: d.edits,
    }));
  }

  handle(req: ReplicaRequest): PageReply | null {
    const p = req.path;
    if (p === '/' || p === '/index.htm') {
      return { body: `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${this.name}</title></head><body><a href="${COLUMN}index.htm">政府信息公开年报</a></body></html>`, type: HTML };
    }
    if (p === COLUMN || p === `${COLUMN}index.htm`) return { body: this.list(), type: HTML, lastModified: this.listModified };
    if (p === SEARCH) return this.search(req);
    if (p.startsWith(COLUMN)) {
      const d = this.docsList.find((x) => x.urlPath === p);
      if (!d || d.status !== 'live') return null;
      d.etag ??= `"${sha1(d.html).slice(0, 20)}"`;
      return { body: d.html, etag: d.etag, type: HTML, lastModified: d.lastModified };
    }
    return null;
  }

  nextNight(night: number) {
    const at = nightTime(night);
    const rng = new Rng(`${this.seed}/pingtan/night${night}`);
    const before = this.live();
    const out: Array<{ kind: 'added' | 'edited' | 'deleted'; title: string; path: string }> = [];
    for (const d of this.docsList.filter((x) => x.status === 'pending').slice(0, this.options.perNight ?? 1)) {
      const date = nightDate(night);
      const c = date.replace(/-/g, '');
      d.published = date;
      d.pubdate = `${date} 01:30`;
      d.urlPath = `${COLUMN}${c.slice(0, 6)}/t${c}_${d.docid}.htm`;
      d.html = d.html
        .replace(/(<meta name="PubDate" content=")[^"]*"/, `$1${d.pubdate}"`)
        .replace(/(时间：)\d{4}-\d{2}-\d{2} \d{2}:\d{2}/, `$1${d.pubdate}`)
        .replace(/(<meta name="Url" content=")[^"]*"/, `$1https://www.pingtan.gov.cn${d.urlPath}"`);
      d.status = 'live';
      d.lastModified = at;
      d.etag = undefined;
      out.push({ kind: 'added', title: d.title, path: d.urlPath });
    }
    const eligible = before.filter((d) => d.isReport && d.edits === 0);
    const edit = (night === 2 ? eligible.find((d) => d.docid === '97791') : undefined) ??
      rng.pick(eligible.filter((d) => d.html.includes('本年新收')));
    if (edit) {
      const region = innerOf(edit.html, /<div class=(?:"TRS_Editor"|TRS_Editor)>/) ?? innerOf(edit.html, /<div class="article_content[^"]*">/);
      const stamp = `${nightDate(night).replace(/-0?/, '年').replace(/-0?/, '月')}日`;
      const next = region ? editReport(region, stamp) : null;
      if (region && next) {
        const at0 = edit.html.indexOf(region);
        edit.html = edit.html.slice(0, at0) + next + edit.html.slice(at0 + region.length);
        edit.edits++;
        edit.lastModified = at;
        edit.etag = undefined;
        out.push({ kind: 'edited', title: edit.title, path: edit.urlPath });
      }
    }
    const deletable = before.filter((d) => d.isReport && d !== edit && d.edits === 0);
    const del = (night === 2 ? deletable.find((d) => d.docid === '80725') : undefined) ?? (deletable.length ? rng.pick(deletable) : undefined);
    if (del) {
      del.status = 'deleted';
      out.push({ kind: 'deleted', title: del.title, path: del.urlPath });
    }
    if (out.some((c) => c.kind !== 'edited')) this.listModified = at;
    return out;
  }

  registryEntry(baseUrl: string): RegistryEntry {
    return {
      id: `replica-${this.id}`, name: this.name, province: '福建省', city: '平潭综合实验区', county: null, level: 'city',
      family: 'trs-fujian', entryUrls: this.entryPaths.map((p) => baseUrl + p),
      overrides: {
        hosts: [new URL(baseUrl).host],
        search: {
          url: baseUrl + SEARCH, methods: ['GET', 'POST'],
          params: { channelid: CHANNEL_ID, classsql: `chnlid=${CHNL}`, sortfield: '-docorderpri,-docreltime', prepage: this.prepage },
          pageBase: 1, staticPages: 1,
        },
      },
    };
  }

  // ---- pages

  /** The real list page with its static block rebuilt from the current documents. */
  private list(): string {
    const t = this.template;
    const open = /<div class="rules_tabs_01 rules_tabs_no_bg" ms-visible="showStatic">/.exec(t)!;
    const inner = innerOf(t, /<div class="rules_tabs_01 rules_tabs_no_bg" ms-visible="showStatic">/)!;
    const start = open.index + open[0].length;
    const entries = [...inner.matchAll(/\s*<dl>[\s\S]*?<\/dl>/g)];
    const first = entries[0][0];
    const last = entries[entries.length - 1];
    const trailing = inner.slice(last.index! + last[0].length);
    // the first real entry, with its values as placeholders
    const m = /href="([^"]*)"[^>]*title="([^"]*)">([^<]*)<\/a>[\s\S]*?(\d{4}-\d{2}-\d{2})/.exec(first)!;
    const fill = (d: PtDoc) =>
      first.replace(m[1], `./${d.urlPath.slice(COLUMN.length)}`).split(m[2]).join(d.title).replace(m[4], d.published);
    const live = this.live();
    const block = live.slice(0, this.prepage).map(fill).join('') + trailing;
    return (t.slice(0, start) + block + t.slice(start + inner.length)).replace(/recordCount: '\d+'/, `recordCount: '${live.length}'`);
  }

  private search(req: ReplicaRequest): PageReply {
    const params = new URLSearchParams(req.query);
    if (req.method === 'POST' && req.body) {
      const ct = String(req.headers['content-type'] ?? '');
      let body: Record<string, unknown> = {};
      if (ct.includes('json') || req.body.trim().startsWith('{')) {
        try {
          body = JSON.parse(req.body) as Record<string, unknown>;
        } catch {
          body = {};
        }
      } else body = Object.fromEntries(new URLSearchParams(req.body));
      for (const [k, v] of Object.entries(body)) if (!params.has(k) && v !== undefined && v !== null) params.set(k, String(v));
    }
    const prepage = Math.min(100, Math.max(1, Number(params.get('prepage')) || this.prepage));
    const page = Math.max(1, Number(params.get('page')) || 1);
    const ok = params.get('channelid') === CHANNEL_ID && new RegExp(`chnlid\\s*=\\s*${CHNL}\\b`).test(params.get('classsql') ?? '');
    const live = ok ? this.live() : [];
    const docs = live.slice((page - 1) * prepage, page * prepage).map((d) => {
      const url = req.baseUrl + d.urlPath;
      const reltime = `${d.pubdate.length > 10 ? d.pubdate : `${d.pubdate} 00:00`}:00`;
      return { docid: d.docid, chnlid: Number(CHNL), title: d.title, url, pubDate: d.published, doctitle: d.title, chnldocurl: url, docreltime: reltime };
    });
    const json = { total: live.length, page, prepage, pageCount: Math.ceil(live.length / prepage), docs };
    return { body: JSON.stringify(json), type: 'application/json; charset=utf-8', lastModified: this.listModified };
  }
}

function lateDoc(base: PingtanPage, agency: string, docid: string): PtDoc {
  const title = base.title.replace('平潭综合实验区', agency);
  const html = base.html
    .split(base.title).join(title)
    .replace(/(<meta name="DocId" content=")\d+"/, `$1${docid}"`)
    .replace(/(var docid = ')\d+'/, `$1${docid}'`);
  return {
    docid, title, published: '', pubdate: '', urlPath: '', html, isReport: true, source: `pingtan:${base.docid}`,
    status: 'pending', edits: 0, lastModified: new Date(0),
  };
}

/** The organ a title names; a bare place is the site's organ (as the parser reads it). */
function agencyOf(title: string, site: string): string {
  const a = /^(.*?)\d{4}年/.exec(title)?.[1];
  return !a || a === '平潭综合实验区' || a.startsWith('关于') ? site : a;
}
