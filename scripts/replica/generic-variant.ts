/**
 * A generic portal (no known CMS) whose 年报 column the generic adapter has to find on its own
 * (research/cms-families.md §7.1): the home page names no 年报 column, only the 政务公开 section (and the old
 * 政府信息公开 platform /zfxxgk/, which robots.txt disallows); the section's page links the column by the text
 * 年度报告 alone, slug ndbg, beside 指南 / 法定主动公开内容 / 依申请公开 / 政策解读. The column lists reports
 * in three title forms ({单位}{Y}年政府信息公开工作年度报告, {Y}年度{单位}政府信息公开年报,
 * {单位}{Y}年度政府信息公开工作报告), links without a title attribute, among noise (解读, 图解, 年度计划,
 * 工作总结, 关于公布…的通知), and pages on by 下一页. Detail pages carry no metas: the title is the <h1>.
 */
import type { Place } from './generated.ts';
import type { PageReply, ReplicaRequest, SiteOptions } from './types.ts';
import { escapeHtml } from './util.ts';
import { noiseItems, type VariantDoc } from './variant-docs.ts';
import { VariantSite } from './variant-site.ts';

export const GENERIC_VARIANT_PLACE: Place = {
  province: '云南省', city: '澜川市', county: '澜沧湾县', level: 'county', region: '澜沧湾县',
  siteName: '澜沧湾县人民政府', domain: 'www.lcw.gov.cn', idCode: '5308000021',
};

const COLUMN = '/xxgk/ndbg';
const HTML = 'text/html; charset=utf-8';
const FORMS = [
  (a: string, y: number) => `${a}${y}年政府信息公开工作年度报告`,
  (a: string, y: number) => `${y}年度${a}政府信息公开年报`,
  (a: string, y: number) => `${a}${y}年度政府信息公开工作报告`,
];

export class GenericVariantSite extends VariantSite {
  readonly family = 'generic' as const;
  readonly entryPaths = ['/'];
  readonly perPage = 8;

  constructor(id: string, options: SiteOptions = {}) {
    const robots = options.robots === undefined ? 'User-agent: *\nDisallow: /zfxxgk/\n' : options.robots === 'none' ? null : options.robots;
    super(id, options, GENERIC_VARIANT_PLACE, robots, {
      departments: ['人民政府', '发展和改革局', '自然资源局'], idBase: 520,
      title: (agency, year, i) => FORMS[i % FORMS.length](agency, year),
      noise: noiseItems(`${GENERIC_VARIANT_PLACE.region}人民政府`, 2024),
    });
  }

  docPath(d: VariantDoc): string {
    return `${COLUMN}/content_${d.n}.html`;
  }

  private pages(): number {
    return Math.ceil(this.docList.length / this.perPage);
  }

  handle(req: ReplicaRequest): PageReply | null {
    const p = req.path;
    const page = (title: string, body: string): PageReply => ({
      body: `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`, type: HTML,
    });
    if (p === '/' || p === '/index.html') {
      return page(this.name, `<div class="nav"><a href="/">首页</a><a href="/news/">新闻动态</a><a href="/xxgk/index.html">政务公开</a>
<a href="/zfxxgk/">政府信息公开</a><a href="/bsfw/">办事服务</a></div>`);
    }
    if (p === '/xxgk/' || p === '/xxgk/index.html') {
      return page(`政务公开_${this.name}`, `<ul class="menu"><li><a href="/xxgk/zn/index.html">政府信息公开指南</a></li>
<li><a href="/xxgk/fdzdgknr/index.html">法定主动公开内容</a></li><li><a href="/xxgk/ysqgk/index.html">依申请公开</a></li>
<li><a href="/xxgk/zcjd/index.html">政策解读</a></li><li><a href="${COLUMN}/index.html">年度报告</a></li></ul>`);
    }
    const list = /^\/xxgk\/ndbg\/(?:index(?:_(\d+))?\.html)?$/.exec(p);
    if (list) {
      const n = list[1] === undefined ? 1 : Number(list[1]);
      if (n > this.pages() || (list[1] !== undefined && n < 2)) return null;
      const items = this.docList.slice((n - 1) * this.perPage, n * this.perPage);
      const next = n < this.pages() ? `<a href="index_${n + 1}.html">下一页</a>` : '<span>下一页</span>';
      return page(`年度报告_${this.name}`, `<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/index.html">政务公开</a> &gt; 年度报告</div>
<ul class="news-list">
${items.map((d) => `<li><a href="content_${d.n}.html">${escapeHtml(d.title)}</a><em>${d.published}</em></li>`).join('\n')}
</ul><div class="pager">第${n}页/共${this.pages()}页 ${next}</div>`);
    }
    return this.docReply(p, HTML, (d) => page(`${d.title}-${this.name}`, `<div class="detail"><h1>${escapeHtml(d.title)}</h1><div class="source">发布时间：${d.published}  来源：${escapeHtml(d.agency)}</div>
<div class="content">${d.content}</div></div>`).body);
  }
}
