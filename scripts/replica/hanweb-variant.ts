/**
 * A second Hanweb JCMS site, differing from hanweb.ts the way real JCMS sites do (research/cms-families.md §1):
 *   - the XML island has no <nextgroup>: the rest of the column is asked in record ranges
 *     (?startrecord=S&endrecord=E&perpage=P + the widget's ajaxParam) of the OLDER proxy path
 *     /module/jslib/jquery/jpage/dataproxy.jsp (the current /module/web/jpage/ one is 404 here), whose answer
 *     names no <nextgroup> either; a columnid/unitid other than the column's gives an empty datastore;
 *   - perPage 4 × groupSize 3 (not the defaults), ids and proxy path only in the page's jpage init: the registry
 *     entry has no Hanweb knobs;
 *   - records are table rows, single-quoted attributes in another order, the date split over lines in
 *     <span class="time">; titles truncated in the text (the title attribute has them whole);
 *   - detail pages with upper-case <META name=ContentStart> markers and Maketime instead of PubDate.
 */
import type { Place } from './generated.ts';
import type { PageReply, ReplicaRequest, SiteOptions } from './types.ts';
import { escapeHtml, robotsOf } from './util.ts';
import { noiseItems, type VariantDoc } from './variant-docs.ts';
import { formParams, linkHome, VariantSite } from './variant-site.ts';

export const HANWEB_VARIANT_PLACE: Place = {
  province: '甘肃省', city: '陇川市', county: null, level: 'city', region: '陇川市',
  siteName: '陇川市人民政府', domain: 'www.longchuan.gov.cn', idCode: '6211000005',
};

const PROXY = '/module/jslib/jquery/jpage/dataproxy.jsp';
const COL = 12377;
const UNIT = 38486;
const WEB = 110;
const HTML = 'text/html; charset=UTF-8';

/** JCMS's article URL: /art/Y/M/D/art_{column}_{id}.html, month and day without a leading zero. */
export function hanwebArtPath(col: number, d: VariantDoc): string {
  const [y, m, dd] = d.published.split('-').map(Number);
  return `/art/${y}/${m}/${dd}/art_${col}_${d.n}.html`;
}

/** A JCMS column page: the widget's <div> with its XML island and jpage call, and the vendor's hidden link. */
export function hanwebColumnPage(island: string): string {
  return `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>政府信息公开年报</title>
<meta name='Generator' content='大汉版通'></head><body>
${island}
<a href='http://www.hanweb.com' style='display:none'>Produced By 大汉网络 大汉版通发布系统</a></body></html>`;
}

export class HanwebVariantSite extends VariantSite {
  readonly family = 'hanweb-jcms' as const;
  readonly entryPaths = [`/col/col${COL}/index.html`];
  readonly perPage = 4;
  readonly groupSize = 3;

  constructor(id: string, options: SiteOptions = {}) {
    super(id, options, HANWEB_VARIANT_PLACE, robotsOf(options.robots), {
      departments: ['人民政府', '民政局', '教育局', '卫生健康委员会', '交通运输局'], idBase: 1461000,
      title: (agency, year) => `${agency}${year}年度政府信息公开工作年度报告`,
      noise: noiseItems(`${HANWEB_VARIANT_PLACE.region}人民政府`, 2024).slice(2, 4),
    });
  }

  docPath(d: VariantDoc): string {
    return hanwebArtPath(COL, d);
  }

  handle(req: ReplicaRequest): PageReply | null {
    const p = req.path;
    if (p === '/' || p === '/index.html') {
      return { body: linkHome(this.name, this.entryPaths[0]), type: HTML };
    }
    if (p === this.entryPaths[0] || p === `/col/col${COL}/`) return { body: this.column(), type: HTML };
    if (p === PROXY) return this.proxy(req);
    return this.docReply(p, HTML, (d) => this.detail(d));
  }

  private record(d: VariantDoc): string {
    const short = d.title.length > 16 ? `${d.title.slice(0, 16)}...` : d.title;
    const [y, m, dd] = d.published.split('-');
    return `<record><![CDATA[
<tr><td class="bt"><a target=_blank title='${escapeHtml(d.title)}' href='${this.docPath(d)}'>${escapeHtml(short)}</a></td>
<td><span class="time">
${y}-${m}-${dd}
</span></td></tr>]]></record>`;
  }

  private column(): string {
    const first = this.docList.slice(0, this.perPage * this.groupSize);
    return hanwebColumnPage(`<div id='${UNIT}'><script type="text/xml"><datastore>
<recordset>
${first.map((d) => this.record(d)).join('\n')}
</recordset>
</datastore></script></div>
<script type="text/javascript">$('#${UNIT}').jpage({themeName:'default',showMode:'full',totalRecord:${this.docList.length},openCookies:false,dataBefore:'<table width="100%">',dataAfter:'</table>',groupSize:${this.groupSize},proxyUrl:'${PROXY}',perPage:${this.perPage},barPosition:'bottom',ajaxParam:{col:1,appid:'1',webid:${WEB},path:'/',columnid:${COL},sourceContentType:1,unitid:'${UNIT}',webname:'${this.name}',permissiontype:0}});</script>`);
  }

  private proxy(req: ReplicaRequest): PageReply {
    const q = formParams(req);
    const reply = (recs: VariantDoc[]): PageReply => ({
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<totalrecord>${recs.length ? this.docList.length : 0}</totalrecord>\n<recordset>\n${recs.map((d) => this.record(d)).join('\n')}\n</recordset>\n</datastore>`,
      type: 'text/xml;charset=UTF-8',
    });
    // this site answers the widget's own call only: its column and unit, records by range
    if (Number(q.get('columnid')) !== COL || Number(q.get('unitid')) !== UNIT || !q.has('startrecord')) return reply([]);
    const s = Math.max(1, Number(q.get('startrecord')) || 1);
    const e = Math.min(this.docList.length, Number(q.get('endrecord')) || s);
    return reply(s <= e ? this.docList.slice(s - 1, e) : []);
  }

  private detail(d: VariantDoc): string {
    return `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>${escapeHtml(d.title)}</title>
<meta name="ArticleTitle" content="${escapeHtml(d.title)}">
<meta name='Maketime' content='${d.published} ${d.time}:00'>
<meta name="ContentSource" content="${escapeHtml(d.agency)}">
<meta name="SiteName" content="${this.name}"><meta name="i_columnid" content="${COL}"><meta content="${d.n}" name="i_articleid">
</head><body>
<table class="xlt_table"><tr><td>发布机构：</td><td>${escapeHtml(d.agency)}</td><td>发布日期：</td><td>${d.published}</td></tr></table>
<div class="title">${escapeHtml(d.title)}</div>
<div class="zoom" id="zoom"><!--ZJEG_RSS.content.begin--><META name=ContentStart>${d.content}<META name=ContentEnd><!--ZJEG_RSS.content.end--></div>
</body></html>`;
  }
}
