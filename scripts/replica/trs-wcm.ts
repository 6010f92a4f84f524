/**
 * TRS WCM classic replica (research/cms-families.md §2), served in GBK with a bare `Content-Type: text/html`
 * (no charset in the header; the page says <meta … charset=gb2312>).
 *
 *   /                                       home page linking to the column
 *   {col}/index.html, index_1.html, …       the column, `perPage` items a page, newest first; the pager is
 *                                           `var countPage = N … createPageHTML(countPage, currentPage, "index", "html");`
 *                                           (0-based: the second page is index_1.html); pages past the last → 404
 *   {col}/YYYYMM/tYYYYMMDD_N.html           details: TRS metas (ArticleTitle, PubDate, ContentSource, catalogs,
 *                                           contentid, publishdate …), a table.bd1 信息索引, body in div.TRS_Editor
 * with {col} = /xxgk/zfxxgknb by default.
 */
import { DocSet, generatedEntry, nightChanges, type GenDoc, type GeneratedOptions, type Place } from './generated.ts';
import type { DocInfo, PageReply, RegistryEntry, ReplicaRequest, Site } from './types.ts';
import { encodeGbk, escapeHtml, robotsOf, sha1 } from './util.ts';

export interface TrsWcmOptions extends GeneratedOptions {
  /** items per list page (default 10) */
  perPage?: number;
  /** column directory (default /xxgk/zfxxgknb) */
  column?: string;
  /** 'vars' (var countPage = N; createPageHTML(countPage, currentPage, …)) or 'literal' (createPageHTML(5, 0, …)) */
  pager?: 'vars' | 'literal';
  /** channel id written in the catalogs meta */
  channelId?: number;
}

export const TRS_WCM_PLACE: Place = {
  province: '湖北省', city: '北溪市', county: '南屿县', level: 'county', region: '南屿县',
  siteName: '南屿县人民政府', domain: 'www.nanyu.gov.cn', idCode: '4209000012',
  departments: ['人民政府', '民政局', '发展和改革局', '自然资源和规划局', '城关镇人民政府', '司法局', '教育局', '财政局', '农业农村局', '卫生健康局'],
};

/** GBK contents shared by every benchmark host (one per source page). */
const SHARED_CONTENT = new Map<string, Buffer>();

/** TRS WCM serves gb2312 pages with no charset in the header (as the Beijing district portals do). */
const TYPE = 'text/html';

export class TrsWcmSite implements Site {
  readonly family = 'trs-wcm' as const;
  readonly name: string;
  readonly robots: string | null;
  readonly set: DocSet;
  readonly perPage: number;
  readonly column: string;
  readonly entryPaths: string[];
  private cache = new Map<string, { body: Buffer; etag: string }>();
  private contentCache = new Map<string, Buffer>();
  private partsCache = new Map<string, { head: Buffer; tail: Buffer; etag: string }>();

  constructor(readonly id: string, seed: string, readonly place: Place, readonly options: TrsWcmOptions = {}, cheap = false) {
    this.name = place.siteName;
    this.robots = robotsOf(options.robots);
    this.perPage = Math.max(1, options.perPage ?? 10);
    this.column = (options.column ?? '/xxgk/zfxxgknb').replace(/\/$/, '');
    this.set = new DocSet(seed, place, options, 100000 + 3000, cheap);
    this.entryPaths = [`${this.column}/index.html`];
  }

  docPath(d: GenDoc): string {
    const c = d.published.replace(/-/g, '');
    return `${this.column}/${c.slice(0, 6)}/t${c}_${d.n}.html`;
  }

  docs(baseUrl: string): DocInfo[] {
    return this.set.docs.filter((d) => d.status !== 'pending').map((d) => this.set.info(d, baseUrl + this.docPath(d), this.docPath(d)));
  }

  pageCount(): number {
    return Math.max(1, Math.ceil(this.set.live().length / this.perPage));
  }

  handle(req: ReplicaRequest): PageReply | null {
    const p = req.path;
    if (p === '/' || p === '/index.html') return { body: encodeGbk(this.home()), type: TYPE };
    if (p.startsWith(`${this.column}/`)) {
      const rest = p.slice(this.column.length + 1);
      const list = /^(?:index(?:_(\d+))?\.html)?$/.exec(rest);
      if (list) {
        const page = list[1] === undefined ? 0 : Number(list[1]);
        if (list[1] === '0' || page >= this.pageCount()) return null;
        return { body: encodeGbk(this.list(page)), type: TYPE, lastModified: this.set.listModified };
      }
      const m = /^(\d{6})\/t(\d{8})_(\d+)\.html$/.exec(rest);
      if (m) {
        const d = this.set.byId(Number(m[3]));
        if (!d || (d.status !== 'live' && d.status !== 'unlisted') || this.docPath(d) !== p) return null;
        const key = `${d.n}/${d.edits}/${this.options.volatile ? this.set.night : 0}`;
        let hit = this.cache.get(key);
        if (!hit) {
          hit = this.render(d);
          if (!this.set.cheap) this.cache.set(key, hit);
        }
        return { body: hit.body, etag: hit.etag, type: TYPE, lastModified: d.lastModified };
      }
    }
    return null;
  }

  nextNight(night: number) {
    return nightChanges(this.set, night, (d) => this.docPath(d));
  }

  registryEntry(baseUrl: string): RegistryEntry {
    return generatedEntry(this, baseUrl, { encoding: 'gbk', pager: 'createPageHTML', pageBase: 0, ext: 'html', perPage: this.perPage });
  }

  // ---- pages

  /**
   * head + content + tail. The (large) content is encoded once per content version; on benchmark hosts
   * (cheap) the small head/tail parts are kept per document instead of whole pages.
   */
  private render(d: GenDoc): { body: Buffer; etag: string } {
    const shared = this.set.cheap && d.edits === 0;
    const ckey = shared ? d.source : `${d.n}/${d.edits}`;
    const cache = shared ? SHARED_CONTENT : this.contentCache;
    let content = cache.get(ckey);
    if (!content) {
      content = encodeGbk(d.content);
      cache.set(ckey, content);
    }
    const pkey = `${d.n}/${d.edits}/${this.options.volatile ? this.set.night : 0}`;
    let parts = this.partsCache.get(pkey);
    if (!parts) {
      const [head, tail] = this.detail(d).map(encodeGbk);
      parts = { head, tail, etag: `"${sha1(head, ckey, String(content.length), tail).slice(0, 20)}"` };
      if (this.set.cheap) this.partsCache.set(pkey, parts);
    }
    return { body: Buffer.concat([parts.head, content, parts.tail]), etag: parts.etag };
  }

  private home(): string {
    return `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>${this.name}</title>
<meta name="SiteName" content="${this.name}"></head><body><div class="nav"><a href="./">首页</a> <a href="${this.column}/">政府信息公开年报</a></div>
<p>${this.name}门户网站</p></body></html>`;
  }

  private list(page: number): string {
    const items = this.set.live().slice(page * this.perPage, (page + 1) * this.perPage);
    const count = this.pageCount();
    const pager = this.options.pager === 'literal'
      ? `createPageHTML(${count}, ${page}, "index", "html");`
      : `var currentPage = ${page};//所在页从0开始
var prevPage = currentPage-1//上一页
var nextPage = currentPage+1//下一页
var countPage = ${count}//共多少页
createPageHTML(countPage, currentPage, "index", "html");`;
    return `<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>政府信息公开年报_${this.name}</title>
<meta name="SiteName" content="${this.name}">
<meta name="SiteDomain" content="${this.place.domain}">
<meta name="SiteIDCode" content="${this.place.idCode}">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="ColumnType" content="政府信息公开年报">
</head>
<body>
<div class="position">当前位置：<a href="../../">首页</a> &gt; <a href="../">政府信息公开</a> &gt; <a href="./">政府信息公开年报</a></div>
<div class="list">
<ul>
${items.map((d) => `<li><a href="./${this.docPath(d).slice(this.column.length + 1)}" target="_blank" title="${escapeHtml(d.title)}">${escapeHtml(d.title)}</a><span>${d.published}</span></li>`).join('\n')}
</ul>
</div>
<div class="page">
<script type="text/javascript">
${pager}
</script>
</div>
</body>
</html>`;
  }

  /** The page around the content: [before, after]. */
  private detail(d: GenDoc): [string, string] {
    const chnl = this.options.channelId ?? 4521;
    const idx = `${this.place.idCode}/${d.published.slice(0, 4)}-${String(d.n % 100000).padStart(5, '0')}`;
    const hits = this.options.volatile ? `<span class="hits">浏览次数：${this.set.hits(d)}</span>` : '';
    const before = `<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>${escapeHtml(d.title)}_${this.name}</title>
<meta name="SiteName" content="${this.name}">
<meta name="SiteDomain" content="${this.place.domain}">
<meta name="SiteIDCode" content="${this.place.idCode}">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="ColumnType" content="政府信息公开年报">
<meta name="ArticleTitle" content="${escapeHtml(d.title)}">
<meta name="PubDate" content="${d.published} ${d.time}">
<meta name="ContentSource" content="${escapeHtml(d.agency)}">
<meta name="filetype" content="0">
<meta name="publishedtype" content="1">
<meta name="pagetype" content="1">
<meta name="catalogs" content="${chnl}">
<meta name="contentid" content="${d.n}">
<meta name="publishdate" content="${d.published}">
<meta name="author" content="">
<meta name="source" content="${escapeHtml(d.agency)}">
</head>
<body>
<div class="position">当前位置：<a href="../../../">首页</a> &gt; <a href="../">政府信息公开年报</a></div>
<table class="bd1" width="100%">
<tr><td><b>索 引 号：</b></td><td>${idx}</td><td><b>主题分类：</b></td><td>综合政务\\政务公开</td></tr>
<tr><td><b>发文机关：</b></td><td>${escapeHtml(d.agency)}</td><td><b>成文日期：</b></td><td>${d.published}</td></tr>
<tr><td><b>标　　题：</b></td><td colspan="3">${escapeHtml(d.title)}</td></tr>
<tr><td><b>发文字号：</b></td><td></td><td><b>发布日期：</b></td><td>${d.published}</td></tr>
</table>
<div class="article">
<h1>${escapeHtml(d.title)}</h1>
<div class="pages-date">${d.published} ${d.time} <span class="font">来源：${escapeHtml(d.agency)}</span> ${hits}</div>
<div class="pages_content" id="UCAP-CONTENT"><div class="TRS_Editor">`;
    const after = `</div></div>
</div>
</body>
</html>`;
    return [before, after];
  }
}
