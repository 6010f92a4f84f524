/**
 * A second TRS Fujian-cluster site, a county of the cluster differing from trs-fujian.ts (Pingtan) the way the
 * research says its sites do (research/cms-families.md §2.4, Putian: channelid=201988, chnlid 33294):
 *   - another column (chnlid 33294) and search channel (SiteInfo.searchId 201988), named only in the page's
 *     listModel({listArgs}) — classsql written plainly, prepage 8 — the registry entry has no `search` knobs;
 *   - the static block holds only 5 entries (fewer than a JS page), without title attributes;
 *   - the JS list call (/fjdzapp/search, GET or POST) answers {total, docs} only: no prepage, page or
 *     pageCount; docs carry the template's names only (doctitle, chnldocurl, docreltime); a wrong channel or
 *     column gets no docs; page 1 repeats the static entries;
 *   - detail URLs of other shapes: ./YYYYMM/tYYYYMMDD_N.htm for the government, the departments' own channels
 *     /bmxxgk/{dept}/zfxxgknb/YYYYMM/tYYYYMMDD_N.html (listed as ../../…), chnldocurl absolute or host-relative.
 */
import type { Place } from './generated.ts';
import type { PageReply, ReplicaRequest, SiteOptions } from './types.ts';
import { escapeHtml, robotsOf } from './util.ts';
import { noiseItems, type VariantDoc } from './variant-docs.ts';
import { docMetas, formParams, linkHome, VariantSite } from './variant-site.ts';

export const TRS_FUJIAN_VARIANT_PLACE: Place = {
  province: '福建省', city: '莆澜市', county: '霞屿县', level: 'county', region: '霞屿县',
  siteName: '霞屿县人民政府', domain: 'www.xiayu.gov.cn', idCode: '3503220001',
};

const COLUMN = '/xxgk/zfxxgknb/';
const SEARCH = '/fjdzapp/search';
const SEARCH_ID = '201988';
const CHNL = '33294';
const PREPAGE = 8;
const STATIC = 5;
const DEPTS: Record<string, string> = { 教育局: 'jyj', 民政局: 'mzj', 卫生健康局: 'wsjkj', 农业农村局: 'nyncj' };
const HTML = 'text/html; charset=utf-8';

export class TrsFujianVariantSite extends VariantSite {
  readonly family = 'trs-fujian' as const;
  readonly entryPaths = [`${COLUMN}index.htm`];

  constructor(id: string, options: SiteOptions = {}) {
    super(id, options, TRS_FUJIAN_VARIANT_PLACE, robotsOf(options.robots, 'none'), {
      departments: ['人民政府', ...Object.keys(DEPTS)], idBase: 2043000,
      title: (agency, year) => `${agency}${year}年政府信息公开工作年度报告`,
      noise: noiseItems(`${TRS_FUJIAN_VARIANT_PLACE.region}人民政府`, 2024),
    });
  }

  docPath(d: VariantDoc): string {
    const c = d.published.replace(/-/g, '');
    const dept = DEPTS[d.agency.slice(this.place.region.length)];
    return dept ? `/bmxxgk/${dept}/zfxxgknb/${c.slice(0, 6)}/t${c}_${d.n}.html` : `${COLUMN}${c.slice(0, 6)}/t${c}_${d.n}.htm`;
  }

  handle(req: ReplicaRequest): PageReply | null {
    const p = req.path;
    if (p === '/' || p === '/index.htm') return { body: linkHome(this.name, `${COLUMN}index.htm`), type: HTML };
    if (p === COLUMN || p === this.entryPaths[0]) return { body: this.list(), type: HTML };
    if (p === SEARCH) return this.search(req);
    return this.docReply(p, HTML, (d) => this.detail(d));
  }

  /** A list link as the static block writes it: relative to the column directory. */
  private staticHref(d: VariantDoc): string {
    const p = this.docPath(d);
    return p.startsWith(COLUMN) ? `./${p.slice(COLUMN.length)}` : `../..${p}`;
  }

  private list(): string {
    const entries = this.docList.slice(0, STATIC).map((d) => `<dl><dd><a href="${this.staticHref(d)}" target="_blank">${escapeHtml(d.title)}</a></dd><dd>${d.published}</dd></dl>`);
    return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报-${this.name}</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/xxgk/">政府信息公开</a> <a href="/xxgk/zcjd/">政策解读</a></div>
<div class="rules_tabs_01 rules_tabs_no_bg" ms-visible="showStatic">
${entries.join('\n')}
</div>
<div class="rules_tabs_01 rules_tabs_no_bg" ms-visible="!showStatic" style="display: none"><dl ms-for="el in list"><dd><a ms-attr="{href: el.chnldocurl, title: el.doctitle}">{{el.doctitle}}</a></dd><dd>{{el.docreltime | date('yyyy-MM-dd')}}</dd></dl></div>
<script>var SiteInfo = { itpSiteId: 9, searchId: ${SEARCH_ID}, defaultPgTemp: "pgBar.html" };</script>
<script>
  require(["list2.trsapi", "tools"], function(listModel, tools) {
    listModel({
      quickMode: "动静结合",
      maxStaticIndex: 1,
      listArgs: { channelid: SiteInfo.searchId, classsql: "chnlid=${CHNL}", sortfield: "-docreltime" },
      pagebar: { prepage: ${PREPAGE}, recordCount: '${this.docList.length}', pgTemp: "pgBar_xxgk.html", pgCountMode: "recordCount" }
    });
  });
</script></body></html>`;
  }

  private search(req: ReplicaRequest): PageReply {
    const q = formParams(req);
    const ok = q.get('channelid') === SEARCH_ID && new RegExp(`chnlid\\s*=\\s*${CHNL}\\b`).test(q.get('classsql') ?? '');
    const prepage = Math.min(100, Math.max(1, Number(q.get('prepage')) || 10));
    const page = Math.max(1, Number(q.get('page')) || 1);
    const live = ok ? this.docList : [];
    const docs = live.slice((page - 1) * prepage, page * prepage).map((d, i) => ({
      doctitle: d.title, docreltime: `${d.published} ${d.time}:00`,
      chnldocurl: i % 2 ? this.docPath(d) : req.baseUrl + this.docPath(d),
    }));
    return { body: JSON.stringify({ total: live.length, docs }), type: 'application/json; charset=utf-8' };
  }

  private detail(d: VariantDoc): string {
    return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(d.title)}</title>
${docMetas(d)}</head><body>
<div class="article_title"><h2>${escapeHtml(d.title)}</h2><p>发布时间：${d.published} ${d.time} | 来源：${escapeHtml(d.agency)}</p></div>
<div class="article_content"><div class="TRS_Editor">
${d.content}
</div></div>
<script>var PageInfo = {docid:'${d.n}', chnlid:'${CHNL}', siteid:'70'};</script>
</body></html>`;
  }
}
