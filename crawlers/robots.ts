/**
 * robots.txt, fetched once per origin (scheme + host + port) and obeyed for the user-agent token
 * "nianbao" (its own group if the file has one, else "*").
 *
 * A robots.txt that cannot be had — 4xx (404 above all), a timeout, a network or TLS error, too large,
 * a redirect loop — means everything is allowed, as the brief asks and as many government hosts need
 * (their robots.txt is often missing or broken). 5xx also allows by default (`onServerError`), but such
 * an answer is cached only briefly, so a file that comes back is obeyed. Crawl-delay is passed on to the
 * host's limiter (capped).
 */
import robotsParserModule from 'robots-parser';

// robots-parser's .d.ts says `export default` but the JS is `module.exports =` (see research/ecosystem.md)
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;
type Robot = ReturnType<typeof robotsParser>;

export const ROBOTS_AGENT = 'nianbao';

export interface RobotsOptions {
  /** false: never fetch or obey robots.txt (tests of other things only) */
  enabled?: boolean;
  /** user-agent token matched against the file's groups */
  agent?: string;
  /** how long a fetched robots.txt is trusted (default 24 h) */
  ttlMs?: number;
  /** how long a failed fetch (timeout, 5xx, network) is trusted as "allow all" (default 1 h) */
  errorTtlMs?: number;
  /** 5xx: 'allow' (default) or 'disallow' everything (RFC 9309's reading) until errorTtlMs passes */
  onServerError?: 'allow' | 'disallow';
  /** Crawl-delay above this is capped (default 30 s) */
  maxCrawlDelayMs?: number;
  /** per request (default 10 s) */
  timeoutMs?: number;
  /** bytes read at most (default 512 KiB, RFC 9309's minimum) */
  maxBytes?: number;
}

/** What a robots.txt fetch produced: the answer's status and text, or null when no answer came. */
export type RobotsLoad = { status: number; text: string } | null;

export interface RobotsVerdict {
  allowed: boolean;
  /** Crawl-delay for the agent, in ms, capped; undefined when the file says nothing */
  crawlDelayMs?: number;
  /** why: 'rules' (the file decided), 'missing' (4xx), 'unavailable' (5xx / error), 'disabled' */
  basis: 'rules' | 'missing' | 'unavailable' | 'disabled';
}

interface Entry {
  robot: Robot | null;
  basis: RobotsVerdict['basis'];
  disallowAll: boolean;
  expiresAt: number;
}

export class RobotsCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Entry>>();
  readonly opts: Required<RobotsOptions>;

  constructor(
    private readonly load: (robotsUrl: string) => Promise<RobotsLoad>,
    opts: RobotsOptions = {},
    private readonly clock: () => number = Date.now,
  ) {
    this.opts = {
      enabled: opts.enabled ?? true,
      agent: opts.agent ?? ROBOTS_AGENT,
      ttlMs: opts.ttlMs ?? 24 * 3600_000,
      errorTtlMs: opts.errorTtlMs ?? 3600_000,
      onServerError: opts.onServerError ?? 'allow',
      maxCrawlDelayMs: opts.maxCrawlDelayMs ?? 30_000,
      timeoutMs: opts.timeoutMs ?? 10_000,
      maxBytes: opts.maxBytes ?? 512 * 1024,
    };
  }

  /** How many robots.txt files are cached (tests, stats). */
  get size(): number {
    return this.entries.size;
  }

  async check(url: URL): Promise<RobotsVerdict> {
    if (!this.opts.enabled) return { allowed: true, basis: 'disabled' };
    const entry = await this.entryFor(url.origin);
    if (entry.disallowAll) return { allowed: false, basis: entry.basis };
    if (!entry.robot) return { allowed: true, basis: entry.basis };
    const allowed = entry.robot.isAllowed(url.href, this.opts.agent) !== false;
    const delay = entry.robot.getCrawlDelay(this.opts.agent);
    const crawlDelayMs = typeof delay === 'number' && delay > 0 ? Math.min(delay * 1000, this.opts.maxCrawlDelayMs) : undefined;
    return { allowed, crawlDelayMs, basis: 'rules' };
  }

  private entryFor(origin: string): Promise<Entry> {
    const e = this.entries.get(origin);
    if (e && e.expiresAt > this.clock()) return Promise.resolve(e);
    let p = this.pending.get(origin);
    if (!p) {
      p = this.fetchEntry(origin).finally(() => this.pending.delete(origin));
      this.pending.set(origin, p);
    }
    return p;
  }

  private async fetchEntry(origin: string): Promise<Entry> {
    const robotsUrl = `${origin}/robots.txt`;
    let loaded: RobotsLoad = null;
    try {
      loaded = await this.load(robotsUrl);
    } catch {
      loaded = null;
    }
    const now = this.clock();
    let entry: Entry;
    if (loaded && loaded.status >= 200 && loaded.status < 300) {
      entry = { robot: robotsParser(robotsUrl, loaded.text), basis: 'rules', disallowAll: false, expiresAt: now + this.opts.ttlMs };
    } else if (loaded && loaded.status >= 400 && loaded.status < 500) {
      entry = { robot: null, basis: 'missing', disallowAll: false, expiresAt: now + this.opts.ttlMs };
    } else {
      const disallowAll = loaded !== null && loaded.status >= 500 && this.opts.onServerError === 'disallow';
      entry = { robot: null, basis: 'unavailable', disallowAll, expiresAt: now + this.opts.errorTtlMs };
    }
    this.entries.set(origin, entry);
    return entry;
  }
}
