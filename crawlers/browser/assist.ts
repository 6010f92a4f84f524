/**
 * The browser as the fetcher sees it (crawlers/fetcher.ts `browser` option): per host, a mode from the
 * registry (`overrides.browser`: "always" = every page through the browser, "never" = no browser at all,
 * "challenge"/absent = automatic: only when a response is a JS challenge, or a list page renders nothing
 * without JS), a challenge solved once per host with its cookies put in the fetcher's jar, and browser
 * exchanges shaped like plain ones so the archive stores them the same way.
 */
import type { CookieJar } from '../cookie-jar.ts';
import type { Exchange } from '../http-exchange.ts';
import { detectChallenge } from './detect.ts';
import { BrowserPool, type RenderResult, type SolveResult } from './pool.ts';

export type BrowserMode = 'always' | 'challenge' | 'never';

/** What the fetcher calls. */
export interface BrowserHook {
  mode(host: string): BrowserMode;
  /** one request through the browser: the rendered page as an Exchange */
  exchange(url: string): Promise<Exchange>;
  /** the answer is a challenge a browser can solve (and this host may use one) */
  challenged(host: string, ex: Exchange): boolean;
  /** how many solves the host has had (a request sent before the latest one just retries with the new cookies) */
  generation(host: string): number;
  /** Solve the host's challenge once (concurrent callers share it) and put the cookies in `jar`; false when it failed. */
  solve(url: string, jar: CookieJar, sentGeneration: number): Promise<boolean>;
}

export interface SolveRecord {
  host: string;
  url: string;
  ok: boolean;
  cookies: string[];
  elapsedMs: number;
  navigations: number;
  error?: string;
}

export class BrowserAssist implements BrowserHook {
  /** every solve, in order (the run summary and the tests read it) */
  readonly solves: SolveRecord[] = [];
  private readonly generations = new Map<string, number>();
  private readonly pending = new Map<string, Promise<boolean>>();

  constructor(readonly pool: BrowserPool, private readonly modes: Record<string, BrowserMode> = {}) {}

  mode(host: string): BrowserMode {
    return this.modes[host.toLowerCase()] ?? 'challenge';
  }

  challenged(host: string, ex: Exchange): boolean {
    return this.mode(host) !== 'never' && detectChallenge(ex.status, ex.body) !== null;
  }

  generation(host: string): number {
    return this.generations.get(host.toLowerCase()) ?? 0;
  }

  solve(url: string, jar: CookieJar, sentGeneration: number): Promise<boolean> {
    const host = new URL(url).host.toLowerCase();
    if (this.generation(host) > sentGeneration) return Promise.resolve(true); // solved since this request left
    const running = this.pending.get(host);
    if (running) return running;
    const p = (async () => {
      const t0 = performance.now();
      try {
        const r: SolveResult = await this.pool.solveChallenge(url, host);
        for (const c of r.cookies) jar.set(host, c.name, c.value);
        this.solves.push({ host, url, ok: true, cookies: r.cookies.map((c) => c.name), elapsedMs: r.elapsedMs, navigations: r.navigations });
        return true;
      } catch (err) {
        this.solves.push({ host, url, ok: false, cookies: [], elapsedMs: performance.now() - t0, navigations: 0, error: (err as Error).message });
        return false;
      } finally {
        this.generations.set(host, this.generation(host) + 1);
        this.pending.delete(host);
      }
    })();
    this.pending.set(host, p);
    return p;
  }

  async exchange(url: string): Promise<Exchange> {
    const requestedAt = new Date().toISOString();
    const t0 = performance.now();
    try {
      return renderedExchange(await this.pool.render(url), requestedAt);
    } catch (err) {
      const message = (err as Error).message;
      const timeout = /timeout/i.test(message);
      return { url, requestedAt, status: null, headers: {}, body: null, elapsedMs: performance.now() - t0, error: `browser: ${message.split('\n')[0]}`, failure: timeout ? 'timeout' : 'network' };
    }
  }
}

/** A rendered page as an Exchange: the DOM serialised as UTF-8 (so the charset header says so); a non-HTML answer as received. */
export function renderedExchange(r: RenderResult, requestedAt: string): Exchange {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) {
    if (k === 'content-length' || k === 'content-encoding' || k === 'transfer-encoding') continue;
    headers[k] = v;
  }
  if (r.raw) return { url: r.url, requestedAt, status: r.status, headers: { ...headers, 'x-nianbao-rendered': 'raw' }, body: r.raw, elapsedMs: r.elapsedMs, error: null };
  headers['content-type'] = 'text/html; charset=utf-8';
  headers['x-nianbao-rendered'] = 'browser';
  return { url: r.url, requestedAt, status: r.status, headers, body: Buffer.from(r.html, 'utf8'), elapsedMs: r.elapsedMs, error: null };
}
