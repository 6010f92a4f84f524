/**
 * A second gkmlpt site, differing from gkmlpt.ts the way real Guangdong sites do (research/cms-families.md §3):
 *   - a department sub-site under a path (like www.yangjiang.gov.cn/yjzjj/gkmlpt/index#721): every page and the
 *     API live under /yjzjj/gkmlpt/; the root /gkmlpt/ is 404;
 *   - the entry is the catalogue /yjzjj/gkmlpt/index: no ANNUAL_REPORT_CAT, no #catId; the 年报 category is found
 *     by its TREE node name, nested two levels deep, in a JS object literal (unquoted keys, single quotes, name
 *     before id), after a 政策解读 node;
 *   - articles carry `url: ''` and the link in `post_url` only; no `total` in the answer, only
 *     classify.post_count; 7 a page, and 30 articles (the last page short); page 0 repeats page 1;
 *   - detail pages at mpost_{id}.html and post_{id}.html.
 */
import type { Place } from './generated.ts';
import type { PageReply, ReplicaRequest, SiteOptions } from './types.ts';
import { escapeHtml, robotsOf } from './util.ts';
import { noiseItems, type VariantDoc } from './variant-docs.ts';
import { docMetas, linkHome, VariantSite } from './variant-site.ts';

export const GKMLPT_VARIANT_PLACE: Place = {
  province: '广东省', city: '阳澜市', county: null, level: 'department', region: '阳澜市',
  siteName: '阳澜市应急管理局', domain: 'www.yanglan.gov.cn', idCode: '4417000021',
};

const PREFIX = '/yjzjj/gkmlpt';
const SID = '662021';
const CAT = 721;
const PER_PAGE = 7;
const HTML = 'text/html; charset=utf-8';

export class GkmlptVariantSite extends VariantSite {
  readonly family = 'gkmlpt' as const;
  readonly entryPaths = [`${PREFIX}/index`];
  readonly perPage = PER_PAGE;

  constructor(id: string, options: SiteOptions = {}) {
    super(id, options, GKMLPT_VARIANT_PLACE, robotsOf(options.robots), {
      departments: ['应急管理局', '消防救援支队', '地震局', '气象局', '防汛抗旱指挥部办公室'], idBase: 1461000,
      title: (agency, year, i) => (i % 2 ? `${agency}${year}年政府信息公开工作年度报告` : `${year}年${agency}政府信息公开工作年度报告`),
      noise: noiseItems(`${GKMLPT_VARIANT_PLACE.region}应急管理局`, 2024),
    });
  }

  docPath(d: VariantDoc): string {
    return `${PREFIX}/content/${Math.floor(d.n / 1e6)}/${Math.floor(d.n / 1e3)}/${d.n % 2 ? 'mpost' : 'post'}_${d.n}.html`;
  }

  handle(req: ReplicaRequest): PageReply | null {
    const p = req.path;
    if (p === '/' || p === '/index.html') return { body: linkHome(this.name, `${PREFIX}/index`, '政府信息公开'), type: HTML };
    if (p === `${PREFIX}/index`) return { body: this.catalogue(), type: HTML };
    const api = new RegExp(`^${PREFIX}/api/all/(\\d+)$`).exec(p);
    if (api) return Number(api[1]) === CAT ? this.api(req.query) : null;
    return this.docReply(p, HTML, (d) => this.detail(d));
  }

  private catalogue(): string {
    // a JS literal as the platform prints it, not JSON: the category is the node named 年度报告
    const tree = `[{id: 700, name: '政府信息公开', children: [
  {name: '政策文件', id: 701, post_count: 12, children: []},
  {name: '政策解读', id: 702, post_count: 4, children: []},
  {name: '其他', id: 710, children: [
    {name: '政府信息公开年度报告', id: ${CAT}, post_count: ${this.docList.length}, children: []},
    {name: '政府信息公开指南', id: 722, jump_url: '${PREFIX}/guide', children: []}]}]}]`;
    return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>政府信息公开目录 - ${this.name}</title>
<script>window._CONFIG = {SID: '${SID}', SERVICE_AREA_ID: 1, TREE: ${tree}};</script></head>
<body><div id="app"><div class="loading">加载中...</div></div><script src="${PREFIX}/static/app.js"></script></body></html>`;
  }

  private api(q: URLSearchParams): PageReply {
    const page = Math.max(1, Number(q.get('page')) || 1);
    const items = q.get('sid') === SID ? this.docList.slice((page - 1) * PER_PAGE, page * PER_PAGE) : [];
    return {
      body: JSON.stringify({
        classify: { id: CAT, name: '政府信息公开年度报告', post_count: this.docList.length },
        articles: items.map((d) => ({ id: d.n, title: d.title, url: '', post_url: this.docPath(d), publisher: d.agency, created_at: `${d.published} ${d.time}:00` })),
      }),
      type: 'application/json; charset=utf-8',
    };
  }

  private detail(d: VariantDoc): string {
    return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(d.title)} - ${this.name}</title>
${docMetas(d)}</head><body>
<table class="introduce"><tr><td class="first">发布机构：</td><td class="second">${escapeHtml(d.agency)}</td><td class="first">发布日期：</td><td class="second">${d.published}</td></tr>
<tr><td class="first">名称：</td><td class="second" colspan="3">${escapeHtml(d.title)}</td></tr></table>
<div class="article"><h1 class="title">${escapeHtml(d.title)}</h1><div class="article-content">
${d.content}
</div></div></body></html>`;
  }
}
