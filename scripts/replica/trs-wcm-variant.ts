/**
 * A second TRS WCM site, differing from trs-wcm.ts the way real TRS portals do (research/cms-families.md §2):
 *   - the registry names the home page: the 年报 column is two clicks deep (/ → 政府信息公开 /zwgk/index.shtml →
 *     政府信息公开年报 /zwgk/zfxxgknb/);
 *   - `.shtml` pages and the 1-based pager of Hunan/Xinjiang: createPageHTML('page_div', count, current, 'index',
 *     'shtml', records), the second page index_2.shtml;
 *   - list rows in a <table>, department reports published in their own channel and listed with
 *     `../../zwgk/bmgk/{dept}/YYYYMM/t….shtml` beside the government's `./YYYYMM/t….shtml`;
 *   - GBK with no charset anywhere: no header charset, no <meta> charset (the crawler falls back to GB18030).
 * One night only: the variant tests crawl it once.
 */
import type { Place } from './generated.ts';
import type { PageReply, ReplicaRequest, SiteOptions } from './types.ts';
import { encodeGbk, escapeHtml, robotsOf } from './util.ts';
import { noiseItems, type VariantDoc } from './variant-docs.ts';
import { VariantSite } from './variant-site.ts';

export const TRS_WCM_VARIANT_PLACE: Place = {
  province: '湖南省', city: '桂川市', county: null, level: 'city', region: '桂川市',
  siteName: '桂川市人民政府', domain: 'www.guichuan.gov.cn', idCode: '4312000003',
};

const COLUMN = '/zwgk/zfxxgknb';
/** department channels (slug, agency suffix); the first agency is the government, listed from its own channel */
const DEPTS: Array<[string, string]> = [['', '人民政府'], ['mzj', '民政局'], ['czj', '财政局']];
const TYPE = 'text/html';

export class TrsWcmVariantSite extends VariantSite {
  readonly family = 'trs-wcm' as const;
  readonly entryPaths = ['/'];
  readonly perPage = 6;

  constructor(id: string, options: SiteOptions = {}) {
    super(id, options, TRS_WCM_VARIANT_PLACE, robotsOf(options.robots), {
      departments: DEPTS.map(([, d]) => d), idBase: 3100,
      title: (agency, year) => `${agency}${year}年政府信息公开工作年度报告`,
      noise: noiseItems(`${TRS_WCM_VARIANT_PLACE.region}人民政府`, 2024).slice(0, 2),
    });
  }

  docPath(d: VariantDoc): string {
    const c = d.published.replace(/-/g, '');
    const slug = DEPTS.find(([, s]) => d.agency.endsWith(s))?.[0] ?? '';
    const dir = slug ? `/zwgk/bmgk/${slug}` : COLUMN;
    return `${dir}/${c.slice(0, 6)}/t${c}_${d.n}.shtml`;
  }

  /** how the list writes the link: ./ inside the column, ../../ from another channel */
  private listHref(d: VariantDoc): string {
    const p = this.docPath(d);
    return p.startsWith(`${COLUMN}/`) ? `./${p.slice(COLUMN.length + 1)}` : `../..${p}`;
  }

  private pages(): number {
    return Math.ceil(this.docList.length / this.perPage);
  }

  handle(req: ReplicaRequest): PageReply | null {
    const p = req.path;
    const page = (html: string): PageReply => ({ body: encodeGbk(html), type: TYPE });
    if (p === '/' || p === '/index.shtml') return page(this.home());
    if (p === '/zwgk/' || p === '/zwgk/index.shtml') return page(this.hub());
    const list = /^\/zwgk\/zfxxgknb\/(?:index(?:_(\d+))?\.shtml)?$/.exec(p);
    if (list) {
      const n = list[1] === undefined ? 1 : Number(list[1]);
      if (n < 2 && list[1] !== undefined) return null; // index_1 does not exist in a 1-based column
      return n <= this.pages() ? page(this.list(n)) : null;
    }
    return this.docReply(p, TYPE, (d) => encodeGbk(this.detail(d)));
  }

  private home(): string {
    return `<html><head><title>${this.name}</title></head><body><div class="nav"><a href="/">首页</a> <a href="/xwzx/">新闻中心</a>
<a href="/zwgk/index.shtml">政府信息公开</a> <a href="/bsfw/">政务服务</a> <a href="/hdjl/">互动交流</a></div><p>${this.name}门户网站</p></body></html>`;
  }

  private hub(): string {
    return `<html><head><title>政府信息公开_${this.name}</title></head><body><div class="left-nav"><ul>
<li><a href="./zfxxgkzn/">政府信息公开指南</a></li><li><a href="./zfxxgkzd/">政府信息公开制度</a></li>
<li><a href="./fdzdgknr/">法定主动公开内容</a></li><li><a href="./zcjd/">政策解读</a></li>
<li><a href="./zfxxgknb/">政府信息公开年报</a></li></ul></div></body></html>`;
  }

  private list(n: number): string {
    const items = this.docList.slice((n - 1) * this.perPage, n * this.perPage);
    return `<html><head><title>政府信息公开年报_${this.name}</title></head><body>
<div class="position">当前位置：<a href="../../">首页</a> &gt; <a href="../">政府信息公开</a> &gt; 政府信息公开年报</div>
<table class="xxgk_list" width="100%">
${items.map((d) => `<tr><td class="bt"><a href="${this.listHref(d)}" target="_blank">${escapeHtml(d.title)}</a></td><td class="rq">${d.published}</td></tr>`).join('\n')}
</table>
<div id="page_div"></div>
<script language="JavaScript">createPageHTML('page_div', ${this.pages()}, ${n}, 'index', 'shtml', ${this.docList.length});</script>
</body></html>`;
  }

  private detail(d: VariantDoc): string {
    return `<html><head><title>${escapeHtml(d.title)}</title>
<meta name="ArticleTitle" content="${escapeHtml(d.title)}">
<meta name="PubDate" content="${d.published} ${d.time}">
<meta name="ContentSource" content="${escapeHtml(d.agency)}">
<meta name="SiteName" content="${this.name}"><meta name="SiteDomain" content="${this.place.domain}"><meta name="SiteIDCode" content="${this.place.idCode}">
</head><body>
<div class="article"><h2>${escapeHtml(d.title)}</h2>
<div class="info">发布时间：${d.published} ${d.time}　来源：${escapeHtml(d.agency)}</div>
<div class="TRS_Editor"><div class="Custom_UnionStyle">${d.content}</div></div>
</div></body></html>`;
  }
}
