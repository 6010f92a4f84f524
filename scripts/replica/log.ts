/**
 * The request log: every request any replica site received, in arrival order, so tests can assert what a
 * crawler did ("unchanged reports answered 304", "no host saw more than its concurrency", "delays kept").
 */

/** Request headers that matter to a crawler's behaviour (lower-case names; absent when not sent). */
export interface LoggedHeaders {
  'if-none-match'?: string;
  'if-modified-since'?: string;
  'user-agent'?: string;
  'accept-encoding'?: string;
  'content-type'?: string;
  referer?: string;
  cookie?: string;
  range?: string;
  'x-requested-with'?: string;
  /** 'navigate' on a browser's page loads (the browser path) */
  'sec-fetch-mode'?: string;
  'upgrade-insecure-requests'?: string;
}
export const LOGGED_HEADERS: Array<keyof LoggedHeaders> = [
  'if-none-match', 'if-modified-since', 'user-agent', 'accept-encoding', 'content-type', 'referer', 'cookie', 'range',
  'x-requested-with', 'sec-fetch-mode', 'upgrade-insecure-requests',
];

export interface LogEntry {
  /** 1, 2, 3… in arrival order */
  seq: number;
  /** site id ('pingtan', 'hanweb', 'trs-wcm', 'faults', 'bench-003', …) */
  site: string;
  /** host:port as the client addressed it (the politeness key) */
  host: string;
  method: string;
  /** pathname + search, as requested */
  path: string;
  headers: LoggedHeaders;
  /** POST body (first 2 KB) */
  body?: string;
  /** ms since the epoch, sub-ms precision: request received */
  start: number;
  /** response finished or connection closed; null while still open (a hang) */
  end: number | null;
  /** status sent; null when no response was sent (hang, or the client left first) */
  status: number | null;
  /** body bytes written (0 for 304/HEAD) */
  bytes: number;
  /** the connection closed before the response was complete (the client gave up, or a hang fault dropped it) */
  aborted: boolean;
  /** the fault applied, if any ('delay', 'status 429', 'hang', 'redirect', 'big', …) */
  fault?: string;
}

export interface SiteStats {
  requests: number;
  /** most requests in flight at the same moment */
  maxInFlight: number;
  /** shortest time between a request's start and the end of the request before it (sorted by start); null with < 2 */
  minGapMs: number | null;
  /** shortest time between two consecutive request starts; null with < 2 */
  minStartIntervalMs: number | null;
  bytes: number;
  status: Record<string, number>;
}

export const now = (): number => performance.timeOrigin + performance.now();

export class RequestLog {
  private list: LogEntry[] = [];
  private seq = 0;

  /** A log of entries received elsewhere (a replica in another process: child.ts), for its stats. */
  static from(entries: readonly LogEntry[]): RequestLog {
    const log = new RequestLog();
    log.list = [...entries];
    log.seq = entries.reduce((n, e) => Math.max(n, e.seq), 0);
    return log;
  }

  /** A copy of the entries, optionally filtered. */
  entries(filter?: { site?: string; pathPrefix?: string; method?: string; status?: number }): LogEntry[] {
    return this.list.filter((e) =>
      (!filter?.site || e.site === filter.site) &&
      (!filter?.pathPrefix || e.path.startsWith(filter.pathPrefix)) &&
      (!filter?.method || e.method === filter.method) &&
      (filter?.status === undefined || e.status === filter.status));
  }

  get size(): number {
    return this.list.length;
  }

  clear(): void {
    this.list = [];
  }

  /** Called by the server: a new entry, returned for later completion. */
  open(e: Omit<LogEntry, 'seq' | 'end' | 'status' | 'bytes' | 'aborted'>): LogEntry {
    const entry: LogEntry = { seq: ++this.seq, ...e, end: null, status: null, bytes: 0, aborted: false };
    this.list.push(entry);
    return entry;
  }

  /** Max number of overlapping [start, end] intervals for a site (open entries count until now). */
  maxInFlight(site: string): number {
    const events: Array<[number, number]> = [];
    const t = now();
    for (const e of this.list) {
      if (e.site !== site) continue;
      events.push([e.start, 1], [e.end ?? t, -1]);
    }
    // ends before starts at the same instant: back-to-back requests are not concurrent
    events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let cur = 0;
    let max = 0;
    for (const [, d] of events) {
      cur += d;
      if (cur > max) max = cur;
    }
    return max;
  }

  stats(site: string): SiteStats {
    const es = this.entries({ site }).sort((a, b) => a.start - b.start);
    let minGap: number | null = null;
    let minInterval: number | null = null;
    for (let i = 1; i < es.length; i++) {
      const prev = es[i - 1];
      const gap = es[i].start - (prev.end ?? Infinity);
      if (Number.isFinite(gap)) minGap = minGap === null ? gap : Math.min(minGap, gap);
      const iv = es[i].start - prev.start;
      minInterval = minInterval === null ? iv : Math.min(minInterval, iv);
    }
    const status: Record<string, number> = {};
    for (const e of es) status[String(e.status)] = (status[String(e.status)] ?? 0) + 1;
    return {
      requests: es.length,
      maxInFlight: this.maxInFlight(site),
      minGapMs: minGap,
      minStartIntervalMs: minInterval,
      bytes: es.reduce((n, e) => n + e.bytes, 0),
      status,
    };
  }
}
