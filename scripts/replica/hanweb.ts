/**
 * Hanweb 大汉 JCMS replica (research/cms-families.md §1), UTF-8.
 *
 *   /                                   home page linking to the column
 *   /col/col{C}/index.html              column page: the first group of records (groupSize × perPage) inline as
 *                                       <div id="{unitid}"><script type="text/xml"><datastore><nextgroup>…
 *                                       <recordset><record><![CDATA[<li>…]]></record>…, then the jpage init
 *                                       ($('#unitid').jpage({totalRecord:N, perPage, groupSize, proxyUrl, ajaxParam}))
 *   /module/web/jpage/dataproxy.jsp     more records, GET or POST, parameters from the query and/or a form body:
 *     style A  ?startrecord=S&endrecord=E&perpage=P (+ form body col=1&appid=1&webid=…&columnid=C&unitid=U…):
 *              records S..E, 1-based inclusive (startrecord=0 is read as 1)
 *     style B  ?page=N&appid=1&webid=…&columnid=C&unitid=U…  (the URL in <nextgroup>): group N of groupSize × perPage
 *              records. The inline island is group 0 and its <nextgroup> says page=1, as on real sites; each
 *              response carries <totalrecord>, <totalpage> (number of groups) and a <nextgroup> while more remain.
 *     A columnid other than the column's answers an empty <datastore> (totalrecord 0). The older proxy paths
 *     (/module/jslib/jquery/jpage/dataproxy.jsp, /module/jpage/dataproxy.jsp) are 404, as on jshrss.
 *   /art/YYYY/M/D/art_{C}_{N}.html      details (month and day not zero-padded): Hanweb metas (ArticleTitle,
 *                                       PubDate, ContentSource, i_columnid, i_articleid, Generator 大汉版通…),
 *                                       a table.xxgk_table 信息索引, body between the ZJEG_RSS content markers in #zoom
 */
import { DocSet, generatedEntry, nightChanges, type GenDoc, type GeneratedOptions, type Place } from './generated.ts';
import type { DocInfo, PageReply, RegistryEntry, ReplicaRequest, Site } from './types.ts';
import { escapeHtml, robotsOf, sha1 } from './util.ts';

export interface HanwebOptions extends GeneratedOptions {
  /** records per display page (default 10) */
  perPage?: number;
  /** display pages per group: the inline island and each page=N call hold groupSize × perPage records (default 2) */
  groupSize?: number;
  columnId?: number;
  unitId?: number;
  webId?: number;
}

export const HANWEB_PLACE: Place = {
  province: '江苏省', city: '东岚市', county: null, level: 'city', region: '东岚市',
  siteName: '东岚市人民政府', domain: 'www.donglan.gov.cn', idCode: '3213000001',
  departments: ['人民政府', '民政局', '教育局', '财政局', '卫生健康委员会', '西岭区人民政府', '生态环境局', '司法局', '交通运输局', '审计局'],
};

const PROXY = '/module/web/jpage/dataproxy.jsp';
/** contents shared by every benchmark host (one per source page) */
const SHARED_CONTENT = new Map<string, Buffer>();
const XML = 'text/xml;charset=UTF-8';
const HTML = 'text/html;charset=UTF-8';

export class HanwebSite implements Site {
  readonly family = 'hanweb-jcms' as const;
  readonly name: string;
  readonly robots: string | null;
  readonly set: DocSet;
  readonly col: number;
  readonly unit: number;
  readonly web: number;
  readonly perPage: number;
  readonly groupSize: number;
  readonly entryPaths: string[];
  private contentCache = new Map<string, Buffer>();
  private partsCache = new Map<string, { head: Buffer; tail: Buffer; etag: string }>();

  constructor(readonly id: string, seed: string, readonly place: Place, readonly options: HanwebOptions = {}, cheap = false) {
    this.name = place.siteName;
    this.robots = robotsOf(options.robots);
    this.col = options.columnId ?? 57812;
    this.unit = options.unitId ?? 243907;
    this.web = options.webId ?? 67;
    this.perPage = Math.max(1, options.perPage ?? 10);
    this.groupSize = Math.max(1, options.groupSize ?? 2);
    this.set = new DocSet(seed, place, options, 1480000, cheap);
    this.entryPaths = [`/col/col${this.col}/index.html`];
  }

  docPath(d: GenDoc): string {
    const [y, m, dd] = d.published.split('-').map(Number);
    return `/art/${y}/${m}/${dd}/art_${this.col}_${d.n}.html`;
  }

  docs(baseUrl: string): DocInfo[] {
    return this.set.docs.filter((d) => d.status !== 'pending').map((d) => this.set.info(d, baseUrl + this.docPath(d), this.docPath(d)));
  }

  handle(req: ReplicaRequest): PageReply | null {
    const p = req.path;
    if (p === '/' || p === '/index.html') return { body: this.home(), type: HTML };
    if (p === `/col/col${this.col}/index.html` || p === `/col/col${this.col}/`) {
      return { body: this.column(), type: HTML, lastModified: this.set.listModified };
    }
    if (p === PROXY) return this.proxy(req);
    const m = /^\/art\/(\d{4})\/(\d{1,2})\/(\d{1,2})\/art_(\d+)_(\d+)\.html$/.exec(p);
    if (m && Number(m[4]) === this.col) {
      const d = this.set.byId(Number(m[5]));
      if (!d || (d.status !== 'live' && d.status !== 'unlisted') || this.docPath(d) !== p) return null;
      const hit = this.render(d);
      return { body: hit.body, etag: hit.etag, type: HTML, lastModified: d.lastModified };
    }
    return null;
  }

  nextNight(night: number) {
    return nightChanges(this.set, night, (d) => this.docPath(d));
  }

  registryEntry(baseUrl: string): RegistryEntry {
    return generatedEntry(this, baseUrl, {
      columnid: this.col, unitid: this.unit, webid: this.web, webname: this.place.siteName,
      proxyUrl: baseUrl + PROXY, perPage: this.perPage, groupSize: this.groupSize,
      /** the inline <datastore> is group 0; dataproxy page=N returns group N */
      inlineGroupPage: 0,
    });
  }

  // ---- pages

  private record(d: GenDoc): string {
    const short = d.title.length > 28 ? `${d.title.slice(0, 28)}...` : d.title;
    return `<record><![CDATA[\n<li class="clearfix"><a target="_blank" href="${this.docPath(d)}" title="${escapeHtml(d.title)}">${escapeHtml(short)}</a><b>${d.published}</b></li>]]></record>`;
  }

  private nextGroup(page: number): string {
    const webname = encodeURIComponent(encodeURIComponent(this.place.siteName));
    return `<nextgroup><![CDATA[<a href="${PROXY}?page=${page}&appid=1&appid=1&webid=${this.web}&path=/&columnid=${this.col}&unitid=${this.unit}&webname=${webname}&permissiontype=0"></a>]]></nextgroup>`;
  }

  private groupLen(): number {
    return this.perPage * this.groupSize;
  }

  private home(): string {
    return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${this.name}</title><meta name="SiteName" content="${this.name}"><meta name='Generator' content='大汉版通'></head>
<body><div class="nav"><a href="/">首页</a> <a href="/col/col${this.col}/index.html">政府信息公开年报</a></div>
<p>${this.name}门户网站</p><a href='http://www.hanweb.com' style='display:none'>Produced By 大汉网络 大汉版通发布系统</a></body></html>`;
  }

  private column(): string {
    const live = this.set.live();
    const first = live.slice(0, this.groupLen());
    return `<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>政府信息公开年报 ${this.name}</title>
<meta name="SiteName" content="${this.name}">
<meta name="SiteDomain" content="${this.place.domain}">
<meta name="SiteIDCode" content="${this.place.idCode}">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="ColumnType" content="政府信息公开年报">
<meta name='Generator' content='大汉版通'>
<meta name='Author' content='大汉网络'>
<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script>
<script type="text/javascript" src="/module/jslib/jquery/jpage/jquery.page.min.js"></script>
</head>
<body>
<div class="bt-position">当前位置：<a href="/">首页</a> &gt; 政府信息公开 &gt; <a href="/col/col${this.col}/index.html">政府信息公开年报</a></div>
<div class="default_pgContainer">
<div id="${this.unit}"><script type="text/xml"><datastore>
${this.nextGroup(1)}
<recordset>
${first.map((d) => this.record(d)).join('\n')}
</recordset>
</datastore></script></div>
<script>$('#${this.unit}').jpage({themeName:'default',showMode:'full',totalRecord:${live.length},openCookies:false,dataBefore:'<ul class="list">',dataAfter:'</ul>',groupSize:${this.groupSize},proxyUrl:'${PROXY}',perPage:${this.perPage},barPosition:'bottom',ajaxParam:{col:1,appid:'1',webid:${this.web},path:'/',columnid:${this.col},unitid:'${this.unit}',webname:'${this.name}',permissiontype:0}});</script>
</div>
<a href='http://www.hanweb.com' style='display:none'>Produced By 大汉网络 大汉版通发布系统</a>
</body>
</html>`;
  }

  private proxy(req: ReplicaRequest): PageReply {
    const params = new URLSearchParams(req.query);
    if (req.body && req.method === 'POST') for (const [k, v] of new URLSearchParams(req.body)) if (!params.has(k)) params.set(k, v);
    const live = this.set.live();
    const reply = (xml: string): PageReply => ({ body: `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`, type: XML, lastModified: this.set.listModified });
    const columnid = params.get('columnid');
    if (columnid !== null && columnid !== '' && Number(columnid) !== this.col) {
      return reply('<datastore><totalrecord>0</totalrecord><recordset></recordset></datastore>');
    }
    const total = live.length;
    if (params.has('startrecord') || params.has('endrecord')) {
      const perpage = Number(params.get('perpage')) || this.perPage;
      const s = Math.max(1, Number(params.get('startrecord')) || 1);
      const e = Math.min(total, Number(params.get('endrecord')) || s + perpage * this.groupSize - 1);
      const recs = s <= e ? live.slice(s - 1, e) : [];
      return reply(`<datastore>\n<totalrecord>${total}</totalrecord>\n<recordset>\n${recs.map((d) => this.record(d)).join('\n')}\n</recordset>\n</datastore>`);
    }
    const page = Math.max(0, Number(params.get('page')) || 0);
    const len = this.groupLen();
    const pages = Math.ceil(total / len);
    const recs = live.slice(page * len, (page + 1) * len);
    const next = page + 1 < pages ? `\n${this.nextGroup(page + 1)}` : '';
    return reply(`<datastore>\n<totalrecord>${total}</totalrecord>\n<totalpage>${pages}</totalpage>${next}\n<recordset>\n${recs.map((d) => this.record(d)).join('\n')}\n</recordset>\n</datastore>`);
  }

  /** head + content + tail, the content encoded once per version (shared by benchmark hosts). */
  private render(d: GenDoc): { body: Buffer; etag: string } {
    const shared = this.set.cheap && d.edits === 0;
    const ckey = shared ? d.source : `${d.n}/${d.edits}`;
    const cache = shared ? SHARED_CONTENT : this.contentCache;
    let content = cache.get(ckey);
    if (!content) {
      content = Buffer.from(d.content, 'utf8');
      cache.set(ckey, content);
    }
    const pkey = `${d.n}/${d.edits}/${this.options.volatile ? this.set.night : 0}`;
    let parts = this.partsCache.get(pkey);
    if (!parts) {
      const [head, tail] = this.detail(d).map((x) => Buffer.from(x, 'utf8'));
      parts = { head, tail, etag: `"${sha1(head, ckey, String(content.length), tail).slice(0, 20)}"` };
      this.partsCache.set(pkey, parts);
    }
    return { body: Buffer.concat([parts.head, content, parts.tail]), etag: parts.etag };
  }

  /** The page around the content: [before, after]. */
  private detail(d: GenDoc): [string, string] {
    const url = `http://${this.place.domain}${this.docPath(d)}`;
    const written = d.published;
    const idx = `${this.place.idCode.slice(0, 4)}0${String(this.set.agencies.indexOf(d.agency) + 1).padStart(3, '0')}/${d.published.slice(0, 4)}-${String(d.n % 100000).padStart(5, '0')}`;
    const hits = this.options.volatile ? `<span>浏览次数：<span id="hits">${this.set.hits(d)}</span></span>` : '';
    const before = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<title>${escapeHtml(d.title)} ${this.name}</title>
<meta name='Generator' content='大汉版通'>
<meta name='Author' content='大汉网络'>
<meta name="SiteName" content="${this.name}">
<meta name="SiteDomain" content="${this.place.domain}">
<meta name="SiteIDCode" content="${this.place.idCode}">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="ColumnType" content="政府信息公开年报">
<meta name="ArticleTitle" content="${escapeHtml(d.title)}">
<meta name="PubDate" content="${d.published} ${d.time}">
<meta name="ContentSource" content="${escapeHtml(d.agency)}">
<meta name="Keywords" content="">
<meta name="Description" content="">
<meta name="i_columnid" content="${this.col}">
<meta content="${d.n}" name="i_articleid">
<meta name="Url" content="${url}">
<link href="/jcms_files/jcms1/web${this.web}/site/css/main.css" rel="stylesheet" type="text/css">
</head>
<body>
<div class="bt-position">当前位置：<a href="/">首页</a> &gt; <a href="/col/col${this.col}/index.html">政府信息公开年报</a></div>
<table class="xxgk_table" width="100%" cellspacing="0" cellpadding="0">
<tr><td class="xxgk_td1">索引号</td><td>${idx}</td><td class="xxgk_td1">主题分类</td><td>综合政务\\政务公开</td></tr>
<tr><td class="xxgk_td1">发布机构</td><td>${escapeHtml(d.agency)}</td><td class="xxgk_td1">生成日期</td><td>${written}</td></tr>
<tr><td class="xxgk_td1">文号</td><td></td><td class="xxgk_td1">发布日期</td><td>${d.published}</td></tr>
<tr><td class="xxgk_td1">标题</td><td colspan="3">${escapeHtml(d.title)}</td></tr>
</table>
<div class="article">
<div class="title">${escapeHtml(d.title)}</div>
<div class="info"><span>发布日期：${d.published}</span> <span>信息来源：<!--<$[信息来源]>begin-->${escapeHtml(d.agency)}<!--<$[信息来源]>end--></span> ${hits}</div>
<div id="zoom"><!--ZJEG_RSS.content.begin--><meta name="ContentStart">`;
    const after = `<meta name="ContentEnd"><!--ZJEG_RSS.content.end--></div>
</div>
<script type="text/javascript" src="/module/visitcount/articlehits.jsp?colid=${this.col}&artid=${d.n}"></script>
<a href='http://www.hanweb.com' style='display:none'>Produced By 大汉网络 大汉版通发布系统</a>
</body>
</html>`;
    return [before, after];
  }
}
