/**
 * BrowserPool: one headless Chromium (Debian's /usr/bin/chromium through playwright-core), launched on first
 * need and reused; one browser context per site (its cookies stay its own); a page per concurrent use, kept
 * for the site's next renders (a fresh page costs a new renderer process: ~20% more Chromium CPU per page) and
 * closed after `maxRendersPerPage` of them (playwright's objects and Chromium's DevTools buffers of every
 * request the page made live as long as the page), with its context, or at once after a challenge or a failure. Stylesheets, fonts and media are not
 * fetched (blocked inside Chromium, no round trip through Node); images are off; the viewport is short
 * (less to raster). Memory stays flat over a long backfill: a context (and its pages) is closed when its
 * site is done (closeSite), when more than `maxContexts` are open (least recently used first), and recycled
 * after `maxPagesPerContext` pages (its cookies carried over).
 *
 *   render(url)          → the HTML after the page's scripts ran (and its network went quiet)
 *   solveChallenge(url)  → the cookies the site's challenge script set, once the page itself came through
 */
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { detectChallenge } from './detect.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const LAUNCH_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update',
  '--no-first-run', '--disable-sync', '--disable-dev-shm-usage',
  // no images: cheaper than intercepting every request through Node
  '--blink-settings=imagesEnabled=false',
];

export interface BrowserPoolOptions {
  executablePath?: string;
  /** the User-Agent of the pages (default: Chromium's own) */
  userAgent?: string;
  /** open contexts at most (default 4) */
  maxContexts?: number;
  /** pages a context serves before it is replaced by a fresh one with the same cookies (default 200) */
  maxPagesPerContext?: number;
  /** a navigation, or a challenge's rounds, must finish within this (default 20 s) */
  timeoutMs?: number;
  /** after load, wait until no request has been in flight for this long (default 60 ms; scripts that fetch lists) */
  quietMs?: number;
  /** stylesheets, fonts and media are not fetched (default true; by URL, inside Chromium; images are off by a
   *  launch flag). The DOM text and tables are what is read; scripts (challenges, JS-built lists) still run. */
  blockAssets?: boolean;
  /** renders a kept page serves before it is closed (default 20) */
  maxRendersPerPage?: number;
  /** the page size (default 1280×320: a desktop width, so no mobile redirect; a short height to raster) */
  viewport?: { width: number; height: number };
}

export interface BrowserCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
}

export interface RenderResult {
  /** final URL (after redirects and script navigations) */
  url: string;
  status: number | null;
  headers: Record<string, string>;
  /** the DOM after scripts, serialised (an HTML page) */
  html: string;
  /** the bytes as received, for an answer that is not an HTML page (XML, JSON…): nothing to render */
  raw?: Buffer;
  elapsedMs: number;
}

export interface SolveResult {
  cookies: BrowserCookie[];
  /** the status of the page that finally came through */
  status: number | null;
  /** navigations it took (the challenge rounds plus the page) */
  navigations: number;
  elapsedMs: number;
}

export interface PoolStats {
  launches: number;
  contextsOpened: number;
  contextsClosed: number;
  pagesOpened: number;
  pagesClosed: number;
  renders: number;
  solves: number;
}

interface SiteContext {
  context: BrowserContext;
  pages: number;
  open: number;
  lastUsed: number;
  /** pages that rendered cleanly, waiting for the site's next render */
  idle: Page[];
}

/** Network.setBlockedURLs patterns (`*` = any characters): stylesheets, fonts, media, icons. */
export const BLOCKED_URLS = [
  ...['css', 'woff', 'woff2', 'ttf', 'otf', 'eot', 'mp4', 'mp3', 'webm', 'flv', 'swf', 'ico'].flatMap((x) => [`*.${x}`, `*.${x}?*`]),
];
/** idle pages kept per context (more concurrent uses than this close their page after use) */
const MAX_IDLE_PAGES = 2;
const DEFAULT_VIEWPORT = { width: 1280, height: 320 };

export class BrowserUnavailableError extends Error {}

export class BrowserPool {
  readonly stats: PoolStats = { launches: 0, contextsOpened: 0, contextsClosed: 0, pagesOpened: 0, pagesClosed: 0, renders: 0, solves: 0 };
  private browser: Promise<Browser> | null = null;
  private readonly contexts = new Map<string, Promise<SiteContext>>();
  private readonly solving = new Map<string, Promise<SolveResult>>();
  private readonly o: Required<Omit<BrowserPoolOptions, 'userAgent'>> & { userAgent?: string };
  private closed = false;
  /** uses so far of each open page */
  private readonly uses = new WeakMap<Page, number>();

  constructor(opts: BrowserPoolOptions = {}) {
    this.o = {
      executablePath: opts.executablePath ?? process.env.NIANBAO_CHROMIUM ?? CHROMIUM_PATH,
      userAgent: opts.userAgent,
      maxContexts: Math.max(1, opts.maxContexts ?? 4),
      maxPagesPerContext: Math.max(1, opts.maxPagesPerContext ?? 200),
      timeoutMs: opts.timeoutMs ?? 20_000,
      quietMs: opts.quietMs ?? 60,
      blockAssets: opts.blockAssets ?? true,
      viewport: opts.viewport ?? DEFAULT_VIEWPORT,
      maxRendersPerPage: Math.max(1, opts.maxRendersPerPage ?? 20),
    };
  }

  /** Is there a Chromium to launch? */
  static available(path = process.env.NIANBAO_CHROMIUM ?? CHROMIUM_PATH): boolean {
    return existsSync(path);
  }

  /** True once Chromium has been launched (and not closed). */
  get launched(): boolean {
    return this.browser !== null;
  }

  async render(url: string, site = siteOf(url)): Promise<RenderResult> {
    return this.withPage(site, true, async (page) => {
      const t0 = performance.now();
      const quiet = trackQuiet(page);
      try {
        const res = await page.goto(url, { waitUntil: 'load', timeout: this.o.timeoutMs });
        const headers = res ? await res.allHeaders() : {};
        if (res && !/html/i.test(headers['content-type'] ?? 'text/html')) {
          // an XML list call or a JSON API: the page is its bytes (Chromium's XML viewer is not the document)
          return { url: page.url(), status: res.status(), headers, html: '', raw: await res.body(), elapsedMs: performance.now() - t0 };
        }
        await quiet.wait(this.o.quietMs, this.o.timeoutMs);
        this.stats.renders++;
        return { url: page.url(), status: res?.status() ?? null, headers, html: await page.content(), elapsedMs: performance.now() - t0 };
      } finally {
        quiet.stop(); // the page may serve the next render: no listeners left behind
      }
    });
  }

  /**
   * Load `url` and let its challenge script run (its cookie, its reloads, a second round) until a page that is
   * not a challenge arrives; the context's cookies for the URL are the result. Concurrent calls for one site
   * share one solve.
   */
  solveChallenge(url: string, site = siteOf(url)): Promise<SolveResult> {
    const running = this.solving.get(site);
    if (running) return running;
    const p = this.solve(url, site).finally(() => this.solving.delete(site));
    this.solving.set(site, p);
    return p;
  }

  /** The site is done: close its context. */
  async closeSite(site: string): Promise<void> {
    const c = this.contexts.get(site);
    if (!c) return;
    this.contexts.delete(site);
    await this.closeContext(await c.catch(() => null));
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.contexts.values()];
    this.contexts.clear();
    await Promise.all(all.map(async (c) => this.closeContext(await c.catch(() => null))));
    const b = this.browser;
    this.browser = null;
    if (b) await (await b.catch(() => null))?.close().catch(() => undefined);
  }

  // ---- internals

  private async solve(url: string, site: string): Promise<SolveResult> {
    // not kept afterwards: the challenge's scripts may still be navigating
    return this.withPage(site, false, async (page, ctx) => {
      const t0 = performance.now();
      let navigations = 0;
      const through = new Promise<Response>((resolve) => {
        page.on('response', (r) => {
          if (!r.request().isNavigationRequest() || r.frame() !== page.mainFrame()) return;
          navigations++;
          void r.body().catch(() => null).then((body) => {
            if (!detectChallenge(r.status(), body)) resolve(r);
          });
        });
      });
      // the challenge page's own script navigates again: goto's promise may be cut short by it
      await page.goto(url, { waitUntil: 'commit', timeout: this.o.timeoutMs }).catch((err: Error) => {
        if (!/interrupted|aborted|ERR_ABORTED/i.test(err.message)) throw err;
      });
      const res = await within(through, this.o.timeoutMs, `challenge at ${url} not solved within ${this.o.timeoutMs} ms`);
      this.stats.solves++;
      const cookies = (await ctx.context.cookies(url)).map((c) => ({ name: c.name, value: c.value, domain: c.domain, path: c.path }));
      return { cookies, status: res.status(), navigations, elapsedMs: performance.now() - t0 };
    });
  }

  /** A page of the site's context for `use`: an idle one or a new one; kept afterwards when `keep` and it went well. */
  private async withPage<T>(site: string, keep: boolean, use: (page: Page, ctx: SiteContext) => Promise<T>): Promise<T> {
    if (this.closed) throw new BrowserUnavailableError('browser pool closed');
    const ctx = await this.contextFor(site);
    ctx.open++;
    ctx.pages++;
    ctx.lastUsed = Date.now();
    let page: Page | null = null;
    let ok = false;
    try {
      page = ctx.idle.pop() ?? (await this.newPage(ctx));
      this.uses.set(page, (this.uses.get(page) ?? 0) + 1);
      const out = await use(page, ctx);
      ok = true;
      return out;
    } finally {
      ctx.open--;
      if (page) {
        const spent = (this.uses.get(page) ?? 0) >= this.o.maxRendersPerPage;
        if (keep && ok && !spent && !page.isClosed() && ctx.idle.length < MAX_IDLE_PAGES && !this.closed) ctx.idle.push(page);
        else await this.closePage(page);
      }
      if (ctx.pages >= this.o.maxPagesPerContext && ctx.open === 0 && (await this.contexts.get(site)?.catch(() => null)) === ctx) {
        // recycle: a fresh context with the same cookies
        const cookies = await ctx.context.cookies().catch(() => []);
        this.contexts.delete(site);
        await this.closeContext(ctx);
        if (cookies.length && !this.closed) {
          const fresh = await this.contextFor(site);
          await fresh.context.addCookies(cookies).catch(() => undefined);
        }
      }
    }
  }

  private contextFor(site: string): Promise<SiteContext> {
    let c = this.contexts.get(site);
    if (!c) {
      c = (async () => {
        await this.evict(site);
        const browser = await this.launch();
        const context = await browser.newContext({
          ...(this.o.userAgent ? { userAgent: this.o.userAgent } : {}), locale: 'zh-CN', serviceWorkers: 'block', viewport: this.o.viewport,
        });
        context.setDefaultTimeout(this.o.timeoutMs);
        this.stats.contextsOpened++;
        return { context, pages: 0, open: 0, lastUsed: Date.now(), idle: [] };
      })();
      this.contexts.set(site, c);
      c.catch(() => this.contexts.delete(site));
    }
    return c;
  }

  /** Close least recently used idle contexts while too many are open. */
  private async evict(opening: string): Promise<void> {
    // a snapshot without the context being opened (whose promise waits for this)
    const others = [...this.contexts].filter(([site]) => site !== opening);
    let open = others.length;
    if (open < this.o.maxContexts) return;
    const idle: Array<[string, SiteContext]> = [];
    for (const [site, p] of others) {
      const c = await p.catch(() => null);
      if (c && c.open === 0) idle.push([site, c]);
    }
    idle.sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    for (const [site, c] of idle) {
      if (open < this.o.maxContexts) break;
      if (this.contexts.get(site) === undefined) continue;
      this.contexts.delete(site);
      open--;
      await this.closeContext(c);
    }
  }

  private async newPage(ctx: SiteContext): Promise<Page> {
    const page = await ctx.context.newPage();
    this.stats.pagesOpened++;
    if (this.o.blockAssets) {
      // inside Chromium: a route() handler would cost every request a round trip through Node
      // (no DevTools buffer of response bodies for this session: nothing reads them through it)
      const cdp = await ctx.context.newCDPSession(page);
      await cdp.send('Network.enable', { maxTotalBufferSize: 0, maxResourceBufferSize: 0 });
      await cdp.send('Network.setBlockedURLs', { urls: BLOCKED_URLS });
    }
    return page;
  }

  private async closePage(page: Page): Promise<void> {
    await page.close().catch(() => undefined);
    this.stats.pagesClosed++;
  }

  private async closeContext(c: SiteContext | null): Promise<void> {
    if (!c) return;
    const idle = c.idle.splice(0);
    await Promise.all(idle.map((p) => this.closePage(p)));
    await c.context.close().catch(() => undefined);
    this.stats.contextsClosed++;
  }

  private launch(): Promise<Browser> {
    if (!this.browser) {
      const path = this.o.executablePath;
      this.browser = (async () => {
        if (!existsSync(path)) throw new BrowserUnavailableError(`no Chromium at ${path} (apt-get install chromium; see README "Browser path")`);
        const { chromium } = await import('playwright-core');
        const b = await chromium.launch({ executablePath: path, headless: true, args: LAUNCH_ARGS, timeout: this.o.timeoutMs });
        this.stats.launches++;
        b.on('disconnected', () => {
          // a crashed browser is launched again on next use; its contexts are gone with it
          if (this.browser === launched) {
            this.browser = null;
            this.contexts.clear();
          }
        });
        return b;
      })();
      const launched = this.browser;
      launched.catch(() => {
        if (this.browser === launched) this.browser = null;
      });
    }
    return this.browser;
  }
}

/** The pool's site key of a URL: its host:port. */
export function siteOf(url: string): string {
  return new URL(url).host.toLowerCase();
}

/**
 * wait() resolves once no request of the page has been in flight for `ms` (bounded by `max`); stop() removes
 * the listeners (a kept page must not collect them render after render).
 */
function trackQuiet(page: Page): { wait(ms: number, max: number): Promise<void>; stop(): void } {
  let inFlight = 0;
  let last = performance.now();
  const started = () => {
    inFlight++;
  };
  const done = () => {
    inFlight = Math.max(0, inFlight - 1);
    last = performance.now();
  };
  page.on('request', started);
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return {
    async wait(ms, max) {
      const end = performance.now() + max;
      while (performance.now() < end) {
        if (inFlight === 0 && performance.now() - last >= ms) return;
        await new Promise((r) => setTimeout(r, Math.min(ms, 25)));
      }
    },
    stop() {
      page.off('request', started);
      page.off('requestfinished', done);
      page.off('requestfailed', done);
    },
  };
}

function within<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (t = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(t));
}
