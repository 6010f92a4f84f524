/**
 * Guangdong 政府信息公开目录平台 "gkmlpt" replica (research/cms-families.md §3), UTF-8. The list exists only as
 * JSON: the HTML pages carry `window._CONFIG` and build the list in the browser.
 *
 *   /gkmlpt/index                     the catalogue: window._CONFIG = {SID: '756101', TREE: [{id, name, children,
 *                                     post_count}], SERVICE_AREA_ID}; the 年报 column is a TREE node
 *   /gkmlpt/annualreport              the annual-report page (real URL: /gkmlpt/annualreport#{catId}), the same
 *                                     _CONFIG plus ANNUAL_REPORT_CAT; no list without JS
 *   /gkmlpt/api/all/{cat}?page=N&sid=S   JSON {classify: {id, name, post_count}, articles: [{id, title, url, post_url,
 *                                     identifier, document_number, publisher, date, created_at, display_publish_time,
 *                                     attachment, abstract}], total}. `perPage` articles a page; page 0 and 1 are the
 *                                     same (as observed); a page past the end has no articles; a wrong sid has none
 *                                     either; an unknown category is 404
 *   /gkmlpt/content/{⌊id/1e6⌋}/{⌊id/1e3⌋}/post_{id}.html   the document: window._CONFIG.DETAIL (the whole document,
 *                                     its HTML content included), the 索引号/分类/发布机构/成文日期/名称/文号/发布日期
 *                                     table, and the content in div.article-content
 */
import { DocSet, generatedEntry, nightChanges, type GenDoc, type GeneratedOptions, type Place } from './generated.ts';
import type { DocInfo, PageReply, RegistryEntry, ReplicaRequest, Site } from './types.ts';
import { escapeHtml, robotsOf } from './util.ts';

export interface GkmlptOptions extends GeneratedOptions {
  /** articles per API page (default 20; real sites use about 100) */
  perPage?: number;
  sid?: string;
  catId?: number;
}

export const GKMLPT_PLACE: Place = {
  province: '广东省', city: '珠岭市', county: null, level: 'city', region: '珠岭市',
  siteName: '珠岭市人民政府', domain: 'www.zhuling.gov.cn', idCode: '4419000001',
  departments: ['人民政府', '发展和改革局', '教育局', '民政局', '财政局', '自然资源局', '生态环境局', '卫生健康局'],
};

const HTML = 'text/html; charset=utf-8';
const JSONT = 'application/json; charset=utf-8';
/** JSON inside <script>: no "</script>" can close it early */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');

export class GkmlptSite implements Site {
  readonly family = 'gkmlpt' as const;
  readonly name: string;
  readonly robots: string | null;
  readonly set: DocSet;
  readonly sid: string;
  readonly cat: number;
  readonly perPage: number;
  readonly entryPaths = ['/gkmlpt/annualreport'];

  constructor(readonly id: string, seed: string, readonly place: Place = GKMLPT_PLACE, readonly options: GkmlptOptions = {}) {
    this.name = place.siteName;
    this.robots = robotsOf(options.robots);
    this.sid = options.sid ?? '756101';
    this.cat = options.catId ?? 2629;
    this.perPage = Math.max(1, options.perPage ?? 20);
    this.set = new DocSet(seed, place, options, 9_100_000);
  }

  docPath(d: GenDoc): string {
    return `/gkmlpt/content/${Math.floor(d.n / 1e6)}/${Math.floor(d.n / 1e3)}/post_${d.n}.html`;
  }

  docs(baseUrl: string): DocInfo[] {
    return this.set.docs.filter((d) => d.status !== 'pending').map((d) => this.set.info(d, baseUrl + this.docPath(d), this.docPath(d)));
  }

  handle(req: ReplicaRequest): PageReply | null {
    const p = req.path;
    if (p === '/' || p === '/index.html') return { body: this.home(), type: HTML };
    if (p === '/gkmlpt/index' || p === '/gkmlpt/annualreport') return { body: this.catalogue(p.endsWith('annualreport')), type: HTML, lastModified: this.set.listModified };
    const api = /^\/gkmlpt\/api\/all\/(\d+)$/.exec(p);
    if (api) return this.api(Number(api[1]), req.query, req.baseUrl);
    const m = /^\/gkmlpt\/content\/\d+\/\d+\/post_(\d+)\.html$/.exec(p);
    if (m) {
      const d = this.set.byId(Number(m[1]));
      if (!d || d.status !== 'live' || this.docPath(d) !== p) return null;
      return { body: this.detail(d, req.baseUrl), type: HTML, lastModified: d.lastModified };
    }
    return null;
  }

  nextNight(night: number) {
    return nightChanges(this.set, night, (d) => this.docPath(d));
  }

  registryEntry(baseUrl: string): RegistryEntry {
    // SID and the category are discovered from the entry page's window._CONFIG
    return generatedEntry(this, baseUrl);
  }

  private tree() {
    const live = this.set.live().length;
    return [{
      id: 2600, name: '政府信息公开', post_count: live + 37, children: [
        { id: 2601, name: '政策文件', post_count: 37, children: [] },
        { id: this.cat, name: '政府信息公开年报', post_count: live, children: [] },
        { id: 2640, name: '政府信息公开指南', jump_url: '/gkmlpt/guide', children: [] },
      ],
    }];
  }

  private home(): string {
    return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${this.name}</title></head>
<body><a href="/gkmlpt/index">政府信息公开目录</a> <a href="/gkmlpt/annualreport#${this.cat}">政府信息公开年报</a></body></html>`;
  }

  private catalogue(annual: boolean): string {
    const config = { SID: this.sid, TREE: this.tree(), SERVICE_AREA_ID: 1, ...(annual ? { ANNUAL_REPORT_CAT: this.cat } : {}) };
    // the list is drawn by the platform's bundle from the API; without JS the page has no links to documents
    return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${annual ? '政府信息公开年报' : '政府信息公开目录'} - ${this.name}</title>
<meta name="SiteName" content="${this.name}">
<meta name="SiteDomain" content="${this.place.domain}">
<script>window._CONFIG = ${scriptJson(config)};</script>
</head>
<body>
<div class="header">${this.name} 政府信息公开</div>
<div id="app"><div class="loading">加载中...</div><ul class="list" id="list"></ul></div>
<script>
(function () {
  var c = window._CONFIG, cat = c.ANNUAL_REPORT_CAT || Number((location.hash || '').slice(1)) || 0;
  if (!cat) return;
  fetch('/gkmlpt/api/all/' + cat + '?page=1&sid=' + c.SID).then(function (r) { return r.json(); }).then(function (j) {
    var ul = document.getElementById('list');
    (j.articles || []).forEach(function (a) {
      var li = document.createElement('li'), link = document.createElement('a');
      link.href = a.url; link.title = a.title; link.textContent = a.title; li.appendChild(link); ul.appendChild(li);
    });
  });
})();
</script>
</body>
</html>`;
  }

  private article(d: GenDoc, baseUrl: string) {
    const url = baseUrl + this.docPath(d);
    return {
      id: d.n, title: d.title, url, post_url: url,
      identifier: `1144${this.place.idCode.slice(4)}${String(this.set.agencies.indexOf(d.agency) + 1).padStart(2, '0')}/${d.published.slice(0, 4)}-${String(d.n % 100000).padStart(5, '0')}`,
      document_number: '', publisher: d.agency, keywords: '',
      date: Math.floor(d.lastModified.getTime() / 1000), created_at: `${d.published} ${d.time}:00`,
      create_time: Math.floor(d.lastModified.getTime() / 1000), display_publish_time: Math.floor(d.lastModified.getTime() / 1000),
      classify_main: this.cat, classify_main_name: '政府信息公开年报', classify_genre_name: '年度报告', classify_theme_name: '综合政务',
      attachment: [], abstract: '', relation: [], is_expired: 0, is_abolished: 0,
    };
  }

  private api(cat: number, q: URLSearchParams, baseUrl: string): PageReply | null {
    if (cat !== this.cat) return null;
    const live = this.set.live();
    const page = Math.max(1, Number(q.get('page')) || 1);
    const articles = q.get('sid') === this.sid ? live.slice((page - 1) * this.perPage, page * this.perPage) : [];
    return {
      body: JSON.stringify({
        classify: { id: this.cat, name: '政府信息公开年报', post_count: live.length },
        articles: articles.map((d) => this.article(d, baseUrl)),
        total: live.length,
      }),
      type: JSONT,
      lastModified: this.set.listModified,
    };
  }

  private detail(d: GenDoc, baseUrl: string): string {
    const a = this.article(d, baseUrl);
    const detail = { ...a, content: d.content, source: d.agency };
    return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${escapeHtml(d.title)} - ${this.name}</title>
<meta name="SiteName" content="${this.name}">
<meta name="SiteDomain" content="${this.place.domain}">
<meta name="ArticleTitle" content="${escapeHtml(d.title)}">
<meta name="PubDate" content="${d.published} ${d.time}">
<meta name="ContentSource" content="${escapeHtml(d.agency)}">
<script>window._CONFIG = ${scriptJson({ SID: this.sid, DETAIL: detail })};</script>
</head>
<body>
<div class="classify">
<table class="introduce">
<tr><td class="first">索引号：</td><td class="second">${a.identifier}</td><td class="first">分类：</td><td class="second">综合政务</td></tr>
<tr><td class="first">发布机构：</td><td class="second">${escapeHtml(d.agency)}</td><td class="first">成文日期：</td><td class="second">${d.published}</td></tr>
<tr><td class="first">名称：</td><td class="second" colspan="3">${escapeHtml(d.title)}</td></tr>
<tr><td class="first">文号：</td><td class="second"></td><td class="first">发布日期：</td><td class="second">${d.published}</td></tr>
<tr><td class="first">主题词：</td><td class="second" colspan="3"></td></tr>
</table>
</div>
<div class="article">
<h1 class="title">${escapeHtml(d.title)}</h1>
<div class="article-content">
${d.content}
</div>
</div>
</body>
</html>`;
  }
}
