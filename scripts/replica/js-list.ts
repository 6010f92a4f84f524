/**
 * A generic portal whose 年报 list page renders nothing without JS: the entries travel as base64 JSON in an
 * inline script that builds the links with DOM calls (no "<a" in the source). The documents are Hanweb
 * detail pages (UTF-8, /art/…).
 *
 *   /xxgk/ndbg/index.html     the list page (empty <ul id="list"> until the script runs)
 *   /art/YYYY/M/D/art_{C}_{N}.html   the documents
 */
import type { GeneratedOptions, Place } from './generated.ts';
import { HanwebSite } from './hanweb.ts';
import type { DocInfo, PageReply, RegistryEntry, ReplicaRequest, Site } from './types.ts';

export const JS_LIST_PLACE: Place = {
  province: '四川省', city: '青川市', county: '北溪县', level: 'county', region: '北溪县',
  siteName: '北溪县人民政府', domain: 'www.beixi.gov.cn', idCode: '5108000003',
  departments: ['人民政府', '教育局', '民政局', '财政局', '卫生健康局'],
};

const HTML = 'text/html; charset=utf-8';

export class JsListSite implements Site {
  readonly family = 'generic' as const;
  readonly name: string;
  readonly robots: string | null;
  readonly entryPaths = ['/xxgk/ndbg/index.html'];
  private readonly inner: HanwebSite;

  constructor(readonly id: string, seed: string, readonly place: Place = JS_LIST_PLACE, readonly options: GeneratedOptions = {}) {
    this.name = place.siteName;
    this.inner = new HanwebSite(id, seed, place, { agencies: 4, ...options, columnId: 8812 });
    this.robots = this.inner.robots;
  }

  docs(baseUrl: string): DocInfo[] {
    return this.inner.docs(baseUrl);
  }

  handle(req: ReplicaRequest): PageReply | null {
    if (req.path === this.entryPaths[0]) return { body: this.list(), type: HTML, lastModified: this.inner.set.listModified };
    if (req.path.startsWith('/art/')) return this.inner.handle(req);
    return null;
  }

  nextNight(night: number) {
    return this.inner.nextNight(night);
  }

  registryEntry(baseUrl: string): RegistryEntry {
    const e = this.inner.registryEntry(baseUrl);
    return { ...e, family: 'generic', entryUrls: this.entryPaths.map((p) => baseUrl + p), overrides: { hosts: [new URL(baseUrl).host] } };
  }

  private list(): string {
    const items = this.inner.set.live().map((d) => ({ u: this.inner.docPath(d), t: d.title, d: d.published }));
    const data = Buffer.from(JSON.stringify(items), 'utf8').toString('base64');
    return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>政府信息公开年报 - ${this.name}</title><meta name="SiteName" content="${this.name}"></head>
<body>
<div class="crumb">当前位置：首页 &gt; 信息公开 &gt; 政府信息公开年报</div>
<ul class="list" id="list"></ul>
<script>
(function () {
  var bytes = Uint8Array.from(atob('${data}'), function (c) { return c.charCodeAt(0); });
  var items = JSON.parse(new TextDecoder('utf-8').decode(bytes)), ul = document.getElementById('list');
  items.forEach(function (it) {
    var li = document.createElement('li'), link = document.createElement('a'), span = document.createElement('span');
    link.href = it.u; link.title = it.t; link.textContent = it.t; span.textContent = it.d;
    li.appendChild(link); li.appendChild(span); ul.appendChild(li);
  });
})();
</script>
</body></html>`;
  }
}
