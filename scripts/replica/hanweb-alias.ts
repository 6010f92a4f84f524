/**
 * A Hanweb JCMS site whose records point to other hosts (research/cms-families.md §1.1: a 定西 record links to
 * zwgk.dingxi.gov.cn): the column lives on www.X (the site's port); the departments' reports live on X's
 * 政务公开 host zwgk.X (host alias 1, a second port, named in the registry entry's `hosts`); one record names the
 * report of the city above on the city's host (host alias 2, not in `hosts`: another unit's, never to be
 * fetched). Each host serves only its own pages. The column is small: every record is in the XML island.
 */
import { generatedEntry, type Place } from './generated.ts';
import { hanwebArtPath, hanwebColumnPage } from './hanweb-variant.ts';
import type { DocInfo, PageReply, RegistryEntry, ReplicaRequest, SiteOptions } from './types.ts';
import { escapeHtml, robotsOf } from './util.ts';
import { noiseItems, paras, variantInfo, type VariantDoc } from './variant-docs.ts';
import { hanwebZoom, linkHome, VariantSite } from './variant-site.ts';

export const HANWEB_ALIAS_PLACE: Place = {
  province: '甘肃省', city: '定川市', county: '渭岭县', level: 'county', region: '渭岭县',
  siteName: '渭岭县人民政府', domain: 'www.weiling.gov.cn', idCode: '6211220001',
};

const COL = 12480;
const UNIT = 40211;
const HTML = 'text/html; charset=UTF-8';
/** the city's report, listed in the column but on the city's host */
const CITY_DOC = { path: `/art/2025/2/10/art_3301_900117.html`, title: '定川市2024年政府信息公开工作年度报告' };

export class HanwebAliasSite extends VariantSite {
  readonly family = 'hanweb-jcms' as const;
  readonly entryPaths = [`/col/col${COL}/index.html`];
  /** zwgk.X (allowed) and the city's host (not this site's) */
  readonly hostAliases = 2;
  private zwgk = '';
  private city = '';

  constructor(id: string, options: SiteOptions = {}) {
    super(id, options, HANWEB_ALIAS_PLACE, robotsOf(options.robots), {
      departments: ['人民政府', '发展和改革局', '教育局', '民政局', '自然资源局'], idBase: 1461800,
      title: (agency, year) => `${agency}${year}年度政府信息公开工作年度报告`,
      noise: noiseItems(`${HANWEB_ALIAS_PLACE.region}人民政府`, 2024).slice(0, 3),
    });
  }

  setAliases(baseUrls: string[]): void {
    [this.zwgk, this.city] = baseUrls;
  }

  /** the government's own pages on www.X, the departments' on zwgk.X */
  private baseOf(d: VariantDoc, www: string): string {
    return d.agency === `${this.place.region}人民政府` ? www : this.zwgk;
  }

  docPath(d: VariantDoc): string {
    return hanwebArtPath(COL, d);
  }

  override docs(baseUrl: string): DocInfo[] {
    return this.docList.map((d) => variantInfo(d, this.baseOf(d, baseUrl), this.docPath(d)));
  }

  /** the host's base URL names which pages it serves */
  handle(req: ReplicaRequest): PageReply | null {
    const p = req.path;
    if (req.baseUrl === this.city) {
      return p === CITY_DOC.path ? { body: this.page(CITY_DOC.title, '定川市人民政府', '2025-02-10', paras('定川市2024年政府信息公开工作年度报告正文。')), type: HTML } : null;
    }
    const www = req.baseUrl !== this.zwgk;
    if (www && (p === '/' || p === '/index.html')) return { body: linkHome(this.name, this.entryPaths[0]), type: HTML };
    if (www && p === this.entryPaths[0]) return { body: this.column(req.baseUrl), type: HTML };
    const d = this.docList.find((x) => this.docPath(x) === p && this.baseOf(x, req.baseUrl) === req.baseUrl);
    return d ? { body: this.page(d.title, d.agency, d.published, d.content), type: HTML, lastModified: d.lastModified } : null;
  }

  override registryEntry(baseUrl: string): RegistryEntry {
    return generatedEntry(this, baseUrl, { hosts: [new URL(baseUrl).host, new URL(this.zwgk).host] });
  }

  private column(www: string): string {
    const rec = (href: string, title: string, date: string) =>
      `<record><![CDATA[\n<li><a href="${href}" title="${escapeHtml(title)}" target="_blank">${escapeHtml(title)}</a><span>${date}</span></li>]]></record>`;
    // the government's records are site-relative; the departments' name zwgk.X; the city's names the city host
    const recs = this.docList.map((d) => rec(this.baseOf(d, www) === www ? this.docPath(d) : this.zwgk + this.docPath(d), d.title, d.published));
    recs.splice(2, 0, rec(this.city + CITY_DOC.path, CITY_DOC.title, '2025-02-10'));
    return hanwebColumnPage(`<div id="${UNIT}"><script type="text/xml"><datastore>
<nextgroup><![CDATA[]]></nextgroup>
<recordset>
${recs.join('\n')}
</recordset>
</datastore></script></div>
<script>$('#${UNIT}').jpage({themeName:'default',showMode:'full',totalRecord:${recs.length},perPage:15,groupSize:3,proxyUrl:'/module/web/jpage/dataproxy.jsp',ajaxParam:{col:1,webid:77,path:'/',columnid:${COL},unitid:'${UNIT}'}});</script>`);
  }

  private page(title: string, agency: string, published: string, content: string): string {
    return `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>${escapeHtml(title)}</title>
<meta name="ArticleTitle" content="${escapeHtml(title)}"><meta name="PubDate" content="${published} 09:00"><meta name="ContentSource" content="${escapeHtml(agency)}">
</head><body><div class="title">${escapeHtml(title)}</div>
${hanwebZoom(content)}
</body></html>`;
  }
}
