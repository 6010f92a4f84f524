/**
 * Hanweb JPaaS replica (Zhejiang cluster, research/cms-families.md §1.5), UTF-8. The column page holds no list:
 * a pager element names the unit API, and the page's script fills the list from it.
 *
 *   /col/col{pageId}/index.html       column page: <div class="jpaas-list" id="jpaas-list"></div> and the pager
 *                                     <div class="zfxxgk_pager" count="N" rows="R" pageNo="1" unitUrl="…"
 *                                     queryData="{'webId':'3185','pageId':'…','tagId':'信息列表','tplSetId':'…'}">
 *   /api-gateway/jpaas-publish-server/front/page/build/unit?webId=&pageId=&parseType=bulidstatic&pageType=column
 *       &tagId=&tplSetId=&rows=R&pageNo=N
 *                                     → {"success":true,"data":{"html":"<ul><li><a href title>…</a><span>date</span></li>…"}}
 *                                     (pageNo 1-based; past the end: a list with no <li>; a wrong webId/pageId:
 *                                     {"success":false,"message":…})
 *   /art/YYYY/M/D/art_{pageId}_{N}.html   the documents, Hanweb detail pages (ZJEG_RSS content markers)
 */
import { generatedEntry, type GeneratedOptions, type Place } from './generated.ts';
import { HanwebSite } from './hanweb.ts';
import type { DocInfo, PageReply, RegistryEntry, ReplicaRequest, Site } from './types.ts';
import { escapeHtml } from './util.ts';

export interface JpaasOptions extends GeneratedOptions {
  /** items per API page (default 15, as on the Zhejiang sites) */
  rows?: number;
  webId?: string;
  pageId?: string;
}

export const JPAAS_PLACE: Place = {
  province: '浙江省', city: '临澜市', county: null, level: 'city', region: '临澜市',
  siteName: '临澜市人民政府', domain: 'www.linlan.gov.cn', idCode: '3311000001',
  departments: ['人民政府', '发展和改革委员会', '教育局', '民政局', '财政局', '人力资源和社会保障局', '自然资源和规划局', '卫生健康委员会'],
};

export const UNIT_API = '/api-gateway/jpaas-publish-server/front/page/build/unit';
const TPL_SET = 'o0YcVHHq5vWtr3uiCp4SY';
const HTML = 'text/html;charset=UTF-8';

export class JpaasSite implements Site {
  readonly family = 'hanweb-jpaas' as const;
  readonly name: string;
  readonly robots: string | null;
  readonly rows: number;
  readonly webId: string;
  readonly pageId: string;
  readonly entryPaths: string[];
  /** the documents and their Hanweb detail pages */
  private readonly inner: HanwebSite;

  constructor(readonly id: string, seed: string, readonly place: Place = JPAAS_PLACE, readonly options: JpaasOptions = {}) {
    this.name = place.siteName;
    this.rows = Math.max(1, options.rows ?? 15);
    this.webId = options.webId ?? '3185';
    this.pageId = options.pageId ?? '1229214366';
    this.inner = new HanwebSite(id, seed, place, { ...options, columnId: Number(this.pageId), webId: Number(this.webId) });
    this.robots = this.inner.robots;
    this.entryPaths = [`/col/col${this.pageId}/index.html`];
  }

  docs(baseUrl: string): DocInfo[] {
    return this.inner.docs(baseUrl);
  }

  handle(req: ReplicaRequest): PageReply | null {
    const p = req.path;
    if (p === '/' || p === '/index.html') {
      return { body: `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${this.name}</title></head><body><a href="${this.entryPaths[0]}">政府信息公开年报</a></body></html>`, type: HTML };
    }
    if (p === this.entryPaths[0]) return { body: this.column(), type: HTML, lastModified: this.inner.set.listModified };
    if (p === UNIT_API) return this.unit(req.query);
    if (p.startsWith('/art/')) return this.inner.handle(req);
    return null;
  }

  nextNight(night: number) {
    return this.inner.nextNight(night);
  }

  registryEntry(baseUrl: string): RegistryEntry {
    // webId / pageId / the unit API are discovered from the column page's pager element
    return generatedEntry(this, baseUrl);
  }

  private column(): string {
    const count = this.inner.set.live().length;
    const query = `{'webId':'${this.webId}','pageId':'${this.pageId}','tagId':'信息列表','tplSetId':'${TPL_SET}'}`;
    return `<!DOCTYPE html>
<html>
<head>
<meta charset="UTF-8">
<title>政府信息公开年报 ${this.name}</title>
<meta name="SiteName" content="${this.name}">
<meta name="SiteDomain" content="${this.place.domain}">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="Generator" content="jpaas">
</head>
<body>
<div class="crumb">当前位置：首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>
<div class="jpaas-list" id="jpaas-list"></div>
<div class="zfxxgk_pager" id="pager" count="${count}" rows="${this.rows}" pageNo="1" unitUrl="${UNIT_API}" queryData="${escapeHtml(query)}"></div>
<script>
(function () {
  var pager = document.getElementById('pager');
  var q = JSON.parse(pager.getAttribute('queryData').replace(/'/g, '"'));
  var url = pager.getAttribute('unitUrl') + '?webId=' + q.webId + '&pageId=' + q.pageId + '&parseType=bulidstatic&pageType=column'
    + '&tagId=' + encodeURIComponent(q.tagId) + '&tplSetId=' + q.tplSetId + '&rows=' + pager.getAttribute('rows') + '&pageNo=1';
  fetch(url).then(function (r) { return r.json(); }).then(function (j) {
    if (j.success) document.getElementById('jpaas-list').innerHTML = j.data.html;
  });
})();
</script>
</body>
</html>`;
  }

  private unit(q: URLSearchParams): PageReply {
    const json = (v: unknown): PageReply => ({ body: JSON.stringify(v), type: 'application/json;charset=UTF-8', lastModified: this.inner.set.listModified });
    if (q.get('webId') !== this.webId || q.get('pageId') !== this.pageId) return json({ success: false, message: '参数错误', data: null });
    const rows = Math.min(100, Math.max(1, Number(q.get('rows')) || this.rows));
    const pageNo = Math.max(1, Number(q.get('pageNo')) || 1);
    const items = this.inner.set.live().slice((pageNo - 1) * rows, pageNo * rows);
    const lis = items.map((d) => {
      const path = this.inner.docPath(d);
      return `<li><a href="${path}" title="${escapeHtml(d.title)}" target="_blank">${escapeHtml(d.title)}</a><span>${d.published}</span></li>`;
    });
    return json({ success: true, data: { html: `<ul class="list">${lis.join('')}</ul>` } });
  }
}
