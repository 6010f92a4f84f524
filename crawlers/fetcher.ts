/**
 * The fetcher: one call per URL, returning raw bytes + headers shaped for storage's FetchInput, plus the
 * final URL, the redirect chain and every request it made on the way (failed attempts and redirect hops
 * included, so the archive's fetch log sees all of them).
 *
 * Per request: policy (http(s), registry host, no private address unless allowed) → robots.txt →
 * per-host limiter (concurrency, delay, Retry-After pauses) → global queue → one exchange (deadline,
 * body limit) → retry with backoff on network errors, timeouts, 429 and 5xx → redirects followed hop by
 * hop (each hop checked like a first request; max N; a URL seen twice is a loop).
 */
import PQueue from 'p-queue';
import { Agent } from 'undici';
import { canonicalUrl } from '../storage/normalise.ts';
import type { BrowserHook } from './browser/assist.ts';
import { CookieJar } from './cookie-jar.ts';
import { DEFAULT_HOST_SETTINGS, HostLimiter, type HostSettings } from './host-limiter.ts';
import { exchange, type Exchange } from './http-exchange.ts';
import { backoffMs, isRetryableStatus, parseRetryAfter, sleep, type BackoffOptions } from './retry.ts';
import { RobotsCache, type RobotsLoad, type RobotsOptions } from './robots.ts';
import { RefusedError, UrlPolicy, bareHost, type HostRules, type RefusalReason } from './url-policy.ts';

export const DEFAULT_USER_AGENT = 'Mozilla/5.0 (compatible; nianbao/0.1; archive of government information disclosure annual reports)';

export interface RetrySettings extends Partial<BackoffOptions> {
  /** attempts per URL in this call, the first included (default 3) */
  maxAttempts?: number;
  /** a Retry-After longer than this is not waited for here: the result carries retryAfterMs for the frontier (default 60 s) */
  maxRetryAfterMs?: number;
}

export interface FetcherOptions extends HostRules {
  userAgent?: string;
  /** requests in flight over all hosts (default 16) */
  globalConcurrency?: number;
  /** per-host defaults (concurrency 1, delay 1000 ms) */
  hostDefaults?: HostSettings;
  /** per-host overrides, keyed by "host:port" or host name */
  hosts?: Record<string, HostSettings>;
  /** deadline for one request: connect, headers and body (default 30 s) */
  timeoutMs?: number;
  /** bodies larger than this are abandoned and reported 'too large' (default 10 MiB) */
  maxBodyBytes?: number;
  /** redirects followed per fetch (default 5) */
  maxRedirects?: number;
  retry?: RetrySettings;
  robots?: RobotsOptions;
  /** idle keep-alive sockets are closed after this (default 30 s) */
  keepAliveTimeoutMs?: number;
  /** cookies sent and kept (default: a jar of this fetcher's own; the browser path shares it) */
  cookies?: CookieJar;
  /** the browser path (crawlers/browser/): hosts in mode "always" are fetched through it; a JS challenge is
   *  solved by it once per host, and the request retried plainly with the cookies it won */
  browser?: BrowserHook;
}

/** Validators the archive holds for a URL (see validators.ts). */
export interface Validators {
  etag?: string | null;
  lastModified?: string | null;
}

export interface FetchOptions {
  /** validators for each URL requested (the first and every redirect target); adds If-None-Match / If-Modified-Since */
  validators?: (url: string) => Validators | null | undefined;
  headers?: Record<string, string>;
  /** aborting rejects the fetch (shutdown); it is not a result */
  signal?: AbortSignal;
}

export type FetchKind =
  | 'ok' // 2xx
  | 'not_modified' // 304
  | 'gone' // 404 / 410
  | 'http_error' // any other status, after retries where they apply
  | 'network_error'
  | 'timeout'
  | 'too_large'
  | 'too_many_redirects'
  | 'redirect_loop'
  | 'refused'; // policy or robots.txt: no request was made for the refused URL

export interface RedirectHop {
  url: string;
  status: number;
  location: string;
}

/**
 * The final answer — its fields ARE a storage FetchInput (url is the URL that gave this answer, i.e. the
 * final URL) — plus how it was reached.
 */
export interface FetchResult extends Exchange {
  requestedUrl: string;
  finalUrl: string;
  redirects: RedirectHop[];
  /** every request made, in order: failed attempts, redirect hops, and the final one (empty when refused at once) */
  exchanges: Exchange[];
  kind: FetchKind;
  /** worth trying again later (network error, timeout, 429, most 5xx) */
  retryable: boolean;
  /** the server asked to wait this long before asking again (Retry-After beyond maxRetryAfterMs) */
  retryAfterMs?: number;
  refusal?: RefusalReason;
  /** requests made for the final URL (1 + retries) */
  attempts: number;
}

const REDIRECT = new Set([301, 302, 303, 307, 308]);

function kindOf(ex: Exchange): FetchKind {
  if (ex.failure === 'timeout') return 'timeout';
  if (ex.failure === 'too_large') return 'too_large';
  if (ex.failure === 'refused') return 'refused';
  if (ex.status === null) return 'network_error';
  if (ex.status >= 200 && ex.status < 300) return 'ok';
  if (ex.status === 304) return 'not_modified';
  if (ex.status === 404 || ex.status === 410) return 'gone';
  return 'http_error';
}

function retryableExchange(ex: Exchange): boolean {
  if (ex.failure === 'timeout' || ex.failure === 'network') return true;
  if (ex.failure) return false;
  return ex.status !== null && isRetryableStatus(ex.status);
}

const header = (h: Record<string, string | string[]>, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

export class Fetcher {
  readonly policy: UrlPolicy;
  readonly robots: RobotsCache;
  readonly cookies: CookieJar;
  private readonly browser?: BrowserHook;
  private readonly agent: Agent;
  private readonly global: PQueue;
  private readonly limiters = new Map<string, HostLimiter>();
  private readonly o: {
    userAgent: string; timeoutMs: number; maxBodyBytes: number; maxRedirects: number;
    maxAttempts: number; maxRetryAfterMs: number; backoff: BackoffOptions;
    hostDefaults: Required<HostSettings>; hosts: Record<string, HostSettings>;
  };

  constructor(opts: FetcherOptions) {
    this.policy = new UrlPolicy(opts);
    this.cookies = opts.cookies ?? new CookieJar();
    this.browser = opts.browser;
    this.o = {
      userAgent: opts.userAgent ?? DEFAULT_USER_AGENT,
      timeoutMs: opts.timeoutMs ?? 30_000,
      maxBodyBytes: opts.maxBodyBytes ?? 10 * 1024 * 1024,
      maxRedirects: opts.maxRedirects ?? 5,
      maxAttempts: Math.max(1, opts.retry?.maxAttempts ?? 3),
      maxRetryAfterMs: opts.retry?.maxRetryAfterMs ?? 60_000,
      backoff: { baseMs: opts.retry?.baseMs ?? 1000, maxMs: opts.retry?.maxMs ?? 30_000, random: opts.retry?.random },
      hostDefaults: { ...DEFAULT_HOST_SETTINGS, ...opts.hostDefaults },
      hosts: Object.fromEntries(Object.entries(opts.hosts ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    };
    this.agent = new Agent({
      keepAliveTimeout: opts.keepAliveTimeoutMs ?? 30_000,
      keepAliveMaxTimeout: Math.max(opts.keepAliveTimeoutMs ?? 30_000, 60_000),
      connect: { lookup: this.policy.lookup, timeout: Math.min(this.o.timeoutMs, 15_000) },
    });
    this.global = new PQueue({ concurrency: Math.max(1, opts.globalConcurrency ?? 16) });
    this.robots = new RobotsCache((u) => this.loadRobots(u), opts.robots);
  }

  /** The limiter of a host ("host:port" as in URL.host). */
  limiter(host: string): HostLimiter {
    const key = host.toLowerCase();
    let l = this.limiters.get(key);
    if (!l) {
      const hostname = bareHost(key.replace(/:\d+$/, ''));
      const settings = { ...this.o.hostDefaults, ...(this.o.hosts[hostname] ?? {}), ...(this.o.hosts[key] ?? {}) };
      l = new HostLimiter(settings);
      this.limiters.set(key, l);
    }
    return l;
  }

  /** Requests in flight over all hosts. */
  get active(): number {
    return this.global.pending;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  async fetch(url: string, opts: FetchOptions = {}): Promise<FetchResult> {
    const requestedUrl = url;
    const exchanges: Exchange[] = [];
    const redirects: RedirectHop[] = [];
    // URLs requested with the cookies they were sent: a loop is a (canonical URL, cookies) seen twice. Canonical
    // forms are worked out only when a redirect asks (most fetches have none)
    const visits: { url: string; cookies: string }[] = [];
    const seenBefore = (u: string): boolean => {
      const key = canonicalUrl(u);
      const cookies = this.cookies.get(u);
      return visits.some((v) => v.cookies === cookies && canonicalUrl(v.url) === key);
    };
    let current = url;

    const refused = (reason: RefusalReason, message: string, attempts = 0): FetchResult => ({
      url: current, requestedAt: new Date().toISOString(), status: null, headers: {}, body: null, elapsedMs: 0,
      error: `refused: ${message}`, requestedUrl, finalUrl: current, redirects, exchanges, kind: 'refused',
      retryable: false, refusal: reason, attempts,
    });

    for (;;) {
      let target: URL;
      try {
        target = this.policy.check(current);
      } catch (e) {
        if (e instanceof RefusedError) return refused(e.reason, e.message);
        throw e;
      }
      const verdict = await this.robots.check(target);
      if (!verdict.allowed) return refused('robots', `robots.txt of ${target.origin} disallows ${target.href}`);
      const limiter = this.limiter(target.host);
      if (verdict.crawlDelayMs !== undefined) limiter.extraDelayMs = verdict.crawlDelayMs;
      // a URL may be asked again with new cookies (a 302 to itself that sets one): a loop only without
      visits.push({ url: target.href, cookies: this.cookies.get(target.href) });

      const headers = this.requestHeaders(target.href, opts);
      let ex!: Exchange;
      let attempts = 0;
      let retryAfterMs: number | undefined;
      const viaBrowser = this.browser?.mode(target.host) === 'always';
      let solved = false;
      for (;;) {
        attempts++;
        const generation = this.browser?.generation(target.host) ?? 0;
        ex = await limiter.run(this.global, async () => {
          const x = viaBrowser ? await this.browser!.exchange(target.href) : await exchange(target.href, {
            dispatcher: this.agent, headers: this.withCookies(headers, target.href), timeoutMs: this.o.timeoutMs, maxBodyBytes: this.o.maxBodyBytes, signal: opts.signal,
            wantBody: (status, h) => !(REDIRECT.has(status) && header(h, 'location')),
          });
          this.cookies.setFromResponse(target.href, x.headers['set-cookie']);
          // the server said when it can take more: nothing goes to this host before then (set before the
          // slot is handed on, so no queued request slips through). Long waits are the frontier's business.
          const asked = x.status !== null && retryableExchange(x) ? parseRetryAfter(header(x.headers, 'retry-after')) : null;
          if (asked) limiter.pauseFor(Math.min(asked, this.o.maxRetryAfterMs));
          return x;
        }, opts.signal);
        opts.signal?.throwIfAborted();
        if (ex.failure === 'refused') return refused(ex.refusal ?? 'private_address', ex.error ?? 'refused by policy', attempts - 1);
        exchanges.push(ex);
        // a JS challenge: the browser wins the cookies once per host, then this request goes again, plainly
        if (!viaBrowser && !solved && this.browser?.challenged(target.host, ex)) {
          solved = true;
          if (await this.browser.solve(target.href, this.cookies, generation)) {
            attempts--;
            continue;
          }
        }
        if (!retryableExchange(ex)) break;
        const asked = ex.status !== null ? parseRetryAfter(header(ex.headers, 'retry-after')) : null;
        if (attempts >= this.o.maxAttempts || (asked !== null && asked > this.o.maxRetryAfterMs)) {
          if (asked !== null) retryAfterMs = asked; // for the frontier's next_attempt_at
          break;
        }
        await sleep(asked ?? backoffMs(attempts, this.o.backoff), opts.signal);
      }

      const location = ex.status !== null && REDIRECT.has(ex.status) ? header(ex.headers, 'location') : undefined;
      const base = { ...ex, requestedUrl, finalUrl: ex.url, redirects, exchanges, attempts, retryAfterMs };
      if (location === undefined) {
        const kind = kindOf(ex);
        return { ...base, kind, retryable: retryableExchange(ex) };
      }
      let next: URL;
      try {
        next = new URL(location, target);
      } catch {
        return { ...base, kind: 'http_error', retryable: false, error: `redirect to an unreadable Location: ${location}` };
      }
      next.hash = '';
      if (redirects.length >= this.o.maxRedirects) {
        return { ...base, kind: 'too_many_redirects', retryable: false, error: `too many redirects (more than ${this.o.maxRedirects})` };
      }
      redirects.push({ url: target.href, status: ex.status!, location: next.href });
      if (seenBefore(next.href)) {
        return { ...base, kind: 'redirect_loop', retryable: false, error: `redirect loop: ${redirects.map((r) => r.url).join(' → ')} → ${next.href}` };
      }
      current = next.href;
    }
  }

  private withCookies(headers: Record<string, string>, url: string): Record<string, string> {
    const cookie = this.cookies.get(url);
    return cookie && !headers.cookie ? { ...headers, cookie } : headers;
  }

  private requestHeaders(url: string, opts: FetchOptions): Record<string, string> {
    const h: Record<string, string> = {
      'user-agent': this.o.userAgent,
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      'accept-language': 'zh-CN,zh;q=0.9',
      'accept-encoding': 'gzip, deflate, br',
      ...opts.headers,
    };
    const v = opts.validators?.(url);
    if (v?.etag) h['if-none-match'] = v.etag;
    if (v?.lastModified) h['if-modified-since'] = v.lastModified;
    return h;
  }

  /** robots.txt through the same limiter and policy, following up to 5 redirects; null when no answer. */
  private async loadRobots(robotsUrl: string): Promise<RobotsLoad> {
    let current = robotsUrl;
    const { timeoutMs, maxBytes } = this.robots.opts;
    for (let hop = 0; hop <= 5; hop++) {
      let target: URL;
      try {
        target = this.policy.check(current);
      } catch {
        return null;
      }
      const ex = await this.limiter(target.host).run(this.global, () => exchange(target.href, {
        dispatcher: this.agent, timeoutMs: Math.min(timeoutMs, this.o.timeoutMs), maxBodyBytes: maxBytes,
        headers: { 'user-agent': this.o.userAgent, accept: 'text/plain,*/*;q=0.5', 'accept-encoding': 'gzip, deflate, br' },
        wantBody: (status, h) => !(REDIRECT.has(status) && header(h, 'location')),
      }));
      if (ex.status === null) return null;
      const location = REDIRECT.has(ex.status) ? header(ex.headers, 'location') : undefined;
      if (location === undefined) {
        // too large: RFC 9309 lets a crawler parse the first 500 KiB; nothing was kept here, so it allows
        if (ex.failure === 'too_large') return null;
        return { status: ex.status, text: ex.body ? ex.body.toString('utf8') : '' };
      }
      try {
        current = new URL(location, target).href;
      } catch {
        return null;
      }
    }
    return null;
  }
}
