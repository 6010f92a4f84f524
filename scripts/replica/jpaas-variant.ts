/**
 * A second Hanweb JPaaS site (Zhejiang cluster), differing from jpaas.ts the way the research says the cluster's
 * sites do (research/cms-families.md §1.5, §0):
 *   - the column page lists its first page statically, beside the pager; the pager's attributes are lower-case
 *     (uniturl, querydata, pageno, as a saved DOM has them) and queryData is JSON with &quot; quotes, numbers
 *     unquoted;
 *   - a long column: 28 items, 4 a page, so 7 API pages (more pages than link hops a crawl follows one by one),
 *     the last one full; a pageNo past the end answers page 1 again (pageNo ignored, as observed from outside);
 *   - document URLs of the other shape, /col/col{C}/art/YYYY/art_{uuid}.html;
 *   - a small department column (a second entry) with every item static and no pager.
 */
import type { Place } from './generated.ts';
import { UNIT_API } from './jpaas.ts';
import type { DocInfo, PageReply, ReplicaRequest, SiteOptions } from './types.ts';
import { escapeHtml, robotsOf, sha1 } from './util.ts';
import { noiseItems, variantInfo, type VariantDoc } from './variant-docs.ts';
import { docMetas, hanwebZoom, linkHome, VariantSite } from './variant-site.ts';

export const JPAAS_VARIANT_PLACE: Place = {
  province: '浙江省', city: '临澜市', county: '青岙县', level: 'county', region: '青岙县',
  siteName: '青岙县人民政府', domain: 'www.qingao.gov.cn', idCode: '3311270001',
};

const WEB = 4021;
const COL = 1229561234;
/** the small department column: its own documents, listed statically */
const SMALL = 1229561299;
const ROWS = 4;
const HTML = 'text/html;charset=UTF-8';

export class JpaasVariantSite extends VariantSite {
  readonly family = 'hanweb-jpaas' as const;
  readonly entryPaths = [`/col/col${COL}/index.html`, `/col/col${SMALL}/index.html`];
  readonly rows = ROWS;
  private readonly main: VariantDoc[];
  private readonly small: VariantDoc[];

  constructor(id: string, options: SiteOptions = {}) {
    super(id, options, JPAAS_VARIANT_PLACE, robotsOf(options.robots), {
      departments: ['人民政府', '发展和改革局', '教育局', '民政局', '财政局', '审计局'], idBase: 59563000,
      title: (agency, year) => `${agency}${year}年政府信息公开工作年度报告`,
      noise: noiseItems(`${JPAAS_VARIANT_PLACE.region}人民政府`, 2024).slice(0, 3),
    });
    // the 审计局 column is the small one
    this.small = this.docList.filter((d) => d.agency.endsWith('审计局'));
    this.main = this.docList.filter((d) => !this.small.includes(d));
  }

  docPath(d: VariantDoc): string {
    const col = this.small.includes(d) ? SMALL : COL;
    return `/col/col${col}/art/${d.published.slice(0, 4)}/art_${sha1(`${this.id}/${d.n}`).slice(0, 32)}.html`;
  }

  /** the main column's documents, then the small column's */
  override docs(baseUrl: string): DocInfo[] {
    return [...this.main, ...this.small].map((d) => variantInfo(d, baseUrl, this.docPath(d)));
  }

  handle(req: ReplicaRequest): PageReply | null {
    const p = req.path;
    if (p === '/' || p === '/index.html') return { body: linkHome(this.name, this.entryPaths[0]), type: HTML };
    if (p === this.entryPaths[0]) return { body: this.column(), type: HTML };
    if (p === this.entryPaths[1]) return { body: this.smallColumn(), type: HTML };
    if (p === UNIT_API) return this.unit(req.query);
    return this.docReply(p, HTML, (d) => this.detail(d));
  }

  private lis(docs: VariantDoc[]): string {
    return docs.map((d) => `<li><a href="${this.docPath(d)}" title="${escapeHtml(d.title)}" target="_blank">${escapeHtml(d.title)}</a><span>${d.published}</span></li>`).join('\n');
  }

  private column(): string {
    const query = escapeHtml(JSON.stringify({ webId: WEB, pageId: COL, tagId: '信息列表', tplSetId: 'Xk3nTq0aLwR2' }));
    return `<!DOCTYPE html><html><head><meta charset="UTF-8"><title>政府信息公开年报 ${this.name}</title><meta name="Generator" content="jpaas"></head><body>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/col/col1229561200/index.html">政府信息公开</a> &gt; 政府信息公开年报</div>
<ul class="list" id="jpaas-list">
${this.lis(this.main.slice(0, ROWS))}
</ul>
<div class="zfxxgk_pager" id="pager" count="${this.main.length}" rows="${ROWS}" pageno="1" uniturl="${UNIT_API}" querydata="${query}"></div>
<script src="/static/jpaas-pager.js"></script></body></html>`;
  }

  private smallColumn(): string {
    return `<!DOCTYPE html><html><head><meta charset="UTF-8"><title>审计局政府信息公开年报 ${this.name}</title></head><body>
<ul class="list">
${this.lis(this.small)}
</ul></body></html>`;
  }

  private unit(q: URLSearchParams): PageReply {
    const json = (v: unknown): PageReply => ({ body: JSON.stringify(v), type: 'application/json;charset=UTF-8' });
    if (q.get('webId') !== String(WEB) || q.get('pageId') !== String(COL)) return json({ success: false, message: '参数错误', data: null });
    const rows = Math.min(100, Math.max(1, Number(q.get('rows')) || ROWS));
    let pageNo = Math.max(1, Number(q.get('pageNo')) || 1);
    // a page past the end is page 1 again
    if ((pageNo - 1) * rows >= this.main.length) pageNo = 1;
    return json({ success: true, data: { html: `<ul class="list">${this.lis(this.main.slice((pageNo - 1) * rows, pageNo * rows))}</ul>` } });
  }

  private detail(d: VariantDoc): string {
    return `<!DOCTYPE html><html><head><meta charset="UTF-8"><title>${escapeHtml(d.title)}</title>
${docMetas(d)}</head><body>
<div class="title">${escapeHtml(d.title)}</div>
${hanwebZoom(d.content)}
</body></html>`;
  }
}
