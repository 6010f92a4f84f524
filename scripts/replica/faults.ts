/**
 * The faults site: a small 'generic' site whose paths misbehave on purpose. Every knob has a default in
 * FaultsOptions and can be overridden per request with query parameters (so a test can use small delays
 * without restarting anything). Its robots.txt disallows /private/.
 *
 *   /                         index linking to every fault below
 *   /slow/*                   answers after ?ms= (default slowMs) milliseconds
 *   /timeout/*                never answers; ?ms= destroys the socket after that long (default timeoutMs; 0 = held until close())
 *   /429/*                    the first ?n= (default tooManyTimes) requests per URL → 429 with Retry-After: ?retry= seconds
 *                             (default retryAfterS; ?date=1 sends it as an HTTP-date), then 200
 *   /500/*                    the first ?n= (default burst500Times) requests per URL → ?status= (default 500), then 200
 *   /redirect/start           a chain of ?hops= (default redirectHops) redirects (301/302/307, relative and absolute
 *                             Locations) ending at /redirect/final (200)
 *   /redirect/loop            302 → /redirect/loop-b → 302 → /redirect/loop → …
 *   /private/*                200 pages a polite crawler never asks for (robots.txt: Disallow: /private/)
 *   /calendar/?date=YYYY-MM-DD  a spider trap: every day links the previous and next day, forever
 *   /endless/index.html, index_N.html        an endless TRS list: every N exists, 10 new items each, and the
 *                             pager always claims one more page; items /endless/YYYYMM/tYYYYMMDD_N.html are small notices
 *   /endless-repeat/index_N.html             every N answers the same 10 items (a list that never ends but adds nothing)
 *   /big/page.html            an oversized page: ?mb= (default bigBytes) bytes, with Content-Length
 *   /big/chunked.html         the same, chunked (no Content-Length: the size is known only by reading)
 */
import type { DocInfo, PageReply, RegistryEntry, Reply, ReplicaRequest, Site, SiteOptions } from './types.ts';
import { addDays, httpDate, pad2, robotsOf } from './util.ts';

export interface FaultsOptions extends SiteOptions {
  /** /slow/ delay (default 1500 ms) */
  slowMs?: number;
  /** /timeout/: destroy the socket after this many ms (default 0: hold it until close()) */
  timeoutMs?: number;
  /** /429/: how many 429s per URL before a 200 (default 2) */
  tooManyTimes?: number;
  /** /429/: Retry-After seconds (default 1) */
  retryAfterS?: number;
  /** /500/: how many 500s per URL before a 200 (default 3) */
  burst500Times?: number;
  /** /redirect/start hops (default 5) */
  redirectHops?: number;
  /** /big/ size in bytes (default 20 MB) */
  bigBytes?: number;
  /** paths robots.txt disallows (default ['/private/']) */
  disallow?: string[];
}

const HTML = 'text/html; charset=utf-8';
const page = (title: string, body: string): string =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;

export class FaultsSite implements Site {
  readonly family = 'generic' as const;
  readonly name = '故障站点（replica faults）';
  readonly robots: string | null;
  readonly entryPaths = ['/'];
  private counts = new Map<string, number>();

  constructor(readonly id: string, readonly options: FaultsOptions = {}) {
    const disallow = options.disallow ?? ['/private/'];
    this.robots = options.robots !== undefined ? robotsOf(options.robots) : `User-agent: *\n${disallow.map((d) => `Disallow: ${d}`).join('\n')}\n`;
  }

  docs(): DocInfo[] {
    return [];
  }

  nextNight() {
    return [];
  }

  registryEntry(baseUrl: string): RegistryEntry {
    return {
      id: `replica-${this.id}`, name: this.name, province: '测试省', city: null, county: null, level: 'department', family: 'generic',
      entryUrls: [baseUrl + '/'], overrides: { hosts: [new URL(baseUrl).host], faults: true },
    };
  }

  /** n-th request (1-based) for this exact URL */
  private count(req: ReplicaRequest): number {
    const key = `${req.path}?${req.query}`;
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return n;
  }

  handle(req: ReplicaRequest): Reply | null {
    const p = req.path;
    const q = req.query;
    const num = (k: string, d: number) => (q.has(k) && Number.isFinite(Number(q.get(k))) ? Number(q.get(k)) : d);
    const o = this.options;
    if (p === '/' || p === '/index.html') return { body: this.index(), type: HTML };
    if (p.startsWith('/slow/')) return { body: page('慢速响应', `<p>${p}</p>`), type: HTML, delayMs: num('ms', o.slowMs ?? 1500), fault: 'slow' };
    if (p.startsWith('/timeout/')) {
      const ms = num('ms', o.timeoutMs ?? 0);
      return { kind: 'hang', ms: ms > 0 ? ms : undefined, fault: 'timeout' };
    }
    if (p.startsWith('/429/')) {
      if (this.count(req) <= num('n', o.tooManyTimes ?? 2)) {
        const s = num('retry', o.retryAfterS ?? 1);
        const retry = q.get('date') === '1' ? httpDate(new Date(Date.now() + s * 1000)) : String(s);
        return { status: 429, body: page('429 Too Many Requests', '<p>访问过于频繁，请稍后再试。</p>'), type: HTML, etag: false, headers: { 'Retry-After': retry }, fault: 'status 429' };
      }
      return { body: page('OK after 429', `<p>${p}</p>`), type: HTML };
    }
    if (p.startsWith('/500/')) {
      if (this.count(req) <= num('n', o.burst500Times ?? 3)) {
        const status = num('status', 500);
        return { status, body: page(`${status}`, '<p>服务器错误</p>'), type: HTML, etag: false, fault: `status ${status}` };
      }
      return { body: page('OK after 500s', `<p>${p}</p>`), type: HTML };
    }
    if (p === '/redirect/start') {
      // exactly `hops` redirects from here to /redirect/final
      const hops = num('hops', o.redirectHops ?? 5);
      return redirect(hops <= 1 ? '/redirect/final' : `/redirect/chain/${hops - 2}`, 302);
    }
    const hop = /^\/redirect\/chain\/(-?\d+)$/.exec(p);
    if (hop) {
      const n = Number(hop[1]);
      if (n <= 0) return redirect('/redirect/final', 307);
      // alternate status codes, and relative / absolute Locations
      return redirect(n % 2 ? `${req.baseUrl}/redirect/chain/${n - 1}` : `${n - 1}`, n % 3 === 0 ? 301 : 302);
    }
    if (p === '/redirect/final') return { body: page('重定向终点', '<p>final</p>'), type: HTML };
    if (p === '/redirect/loop') return redirect('/redirect/loop-b', 302);
    if (p === '/redirect/loop-b') return redirect('/redirect/loop', 302);
    if (p.startsWith('/private/')) return { body: page('robots.txt 不允许', `<p>${p}</p>`), type: HTML };
    if (p === '/calendar/' || p === '/calendar/index.html') return this.calendar(q.get('date'));
    const endless = /^\/(endless|endless-repeat)\/(?:index(?:_(\d+))?\.html)?$/.exec(p);
    if (endless) return this.endless(endless[1] === 'endless-repeat' ? 0 : Number(endless[2] ?? 0), Number(endless[2] ?? 0));
    const item = /^\/(endless|endless-repeat)\/(\d{6})\/t(\d{8})_(\d+)\.html$/.exec(p);
    if (item) return { body: page(`关于第${item[4]}号事项的通知`, '<p>特此通知。</p>'), type: HTML };
    if (p === '/big/page.html' || p === '/big/chunked.html') return big(num('mb', (o.bigBytes ?? 20 * 1024 * 1024) / (1024 * 1024)), p === '/big/page.html');
    return null;
  }

  private index(): string {
    const links = [
      ['/slow/page.html', '慢速响应'], ['/timeout/page.html', '超时'], ['/429/page.html', '429 限流'], ['/500/page.html', '500 突发'],
      ['/redirect/start', '重定向链'], ['/redirect/loop', '重定向循环'], ['/private/page.html', 'robots 禁止'],
      ['/calendar/?date=2024-01-01', '日历陷阱'], ['/endless/index.html', '无尽列表'], ['/endless-repeat/index.html', '重复列表'],
      ['/big/page.html', '超大页面'], ['/big/chunked.html', '超大页面（分块）'],
    ];
    return page(this.name, `<ul>${links.map(([h, t]) => `<li><a href="${h}">${t}</a></li>`).join('')}</ul>`);
  }

  private calendar(date: string | null): PageReply {
    const d = date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : '2024-01-01';
    const month = d.slice(0, 7);
    const days = Array.from({ length: 28 }, (_, i) => `${month}-${pad2(i + 1)}`);
    const body = `<p><a href="?date=${addDays(d, -1)}">前一天</a> <a href="?date=${addDays(d, 1)}">后一天</a> <a href="?date=${addDays(d, 31)}">下个月</a></p>` +
      `<table><tr>${days.map((x) => `<td><a href="?date=${x}">${Number(x.slice(8))}</a></td>`).join('')}</tr></table>`;
    return { body: page(`日程 ${d}`, body), type: HTML, fault: 'trap' };
  }

  /** list page `n` with items from `from` (endless: from = n; repeat: always 0) */
  private endless(from: number, n: number): PageReply {
    const items = Array.from({ length: 10 }, (_, i) => {
      const k = from * 10 + i + 1;
      const date = addDays('2024-01-01', k % 365).replace(/-/g, '');
      return `<li><a href="./${date.slice(0, 6)}/t${date}_${k}.html" title="关于第${k}号事项的通知">关于第${k}号事项的通知</a><span>${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}</span></li>`;
    });
    const body = `<ul>${items.join('\n')}</ul><script type="text/javascript">
var currentPage = ${n};//所在页从0开始
var countPage = ${n + 2}//共多少页
createPageHTML(countPage, currentPage, "index", "html");
</script>`;
    return { body: page('通知公告', body), type: HTML, fault: 'endless' };
  }
}

function redirect(location: string, status: number): PageReply {
  return { status, body: '', etag: false, headers: { Location: location }, fault: 'redirect' };
}

function big(mb: number, withLength: boolean): Reply {
  const total = Math.max(1, Math.round(mb * 1024 * 1024));
  const head = Buffer.from('<!DOCTYPE html><html><head><meta charset="utf-8"><title>超大页面2024年政府信息公开工作年度报告</title></head><body>\n');
  const tail = Buffer.from('\n</body></html>\n');
  const filler = Buffer.from('<p>本页面用于测试超大响应的处理。</p>\n'.repeat(1500));
  return {
    kind: 'stream',
    type: HTML,
    length: withLength ? total : undefined,
    fault: 'big',
    *chunks() {
      let left = total;
      const take = (b: Buffer) => {
        const c = b.subarray(0, Math.min(b.length, left));
        left -= c.length;
        return c;
      };
      yield take(head);
      while (left > tail.length) yield take(filler.subarray(0, Math.min(filler.length, left - tail.length)));
      if (left > 0) yield take(tail);
    },
  };
}
