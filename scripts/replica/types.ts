/** Types shared by the replica portal server (scripts/replica). */
import type { IncomingHttpHeaders } from 'node:http';
import type { RegistryEntry as CrawlerRegistryEntry } from '../../crawlers/registry-schema.ts';

export type Family = 'trs-fujian' | 'hanweb-jcms' | 'trs-wcm' | 'gkmlpt' | 'hanweb-jpaas' | 'generic';

/** One request as a site handler sees it. */
export interface ReplicaRequest {
  method: string;
  /** decoded pathname, e.g. /zwgk/zfxxgk/zfxxgknb/index.htm */
  path: string;
  query: URLSearchParams;
  /** request body (POST), as text */
  body: string;
  headers: IncomingHttpHeaders;
  /** this site's base URL, e.g. http://127.0.0.1:40123 */
  baseUrl: string;
}

/** What every reply may add: a delay before it is written, and a fault name for the request log. */
export interface ReplyBase {
  delayMs?: number;
  fault?: string;
}

/** A complete response. Status 200 pages get ETag / Last-Modified and answer conditional requests with 304. */
export interface PageReply extends ReplyBase {
  kind?: 'page';
  status?: number;
  body: Buffer | string;
  /** full Content-Type header value; a string body is sent as UTF-8 */
  type?: string;
  lastModified?: Date;
  /** a precomputed strong ETag (quoted); default: hash of the body; false: none */
  etag?: string | false;
  headers?: Record<string, string>;
}

/** A response written in chunks (the oversized page). */
export interface StreamReply extends ReplyBase {
  kind: 'stream';
  status?: number;
  type: string;
  /** Content-Length; omit for chunked transfer */
  length?: number;
  chunks: () => Iterable<Buffer>;
  headers?: Record<string, string>;
}

/** No response at all: the socket is held open, then destroyed after `ms` (or at close() when absent). */
export interface HangReply extends ReplyBase {
  kind: 'hang';
  ms?: number;
}

export type Reply = PageReply | StreamReply | HangReply;

/**
 * A fault injected in front of a site's own pages (any site accepts `faults: FaultRule[]`).
 * Rules are tried in order; the first that matches and still has `times` left applies.
 */
export interface FaultRule {
  /** a path prefix (matched against pathname) or a RegExp (tested on pathname + search) */
  match: string | RegExp;
  /** wait this long before answering (then answer normally, unless status/hang is set too) */
  delayMs?: number;
  /** answer with this status instead of the page (429, 500, 503, …) */
  status?: number;
  /** Retry-After header sent with `status`: seconds, or an HTTP-date string */
  retryAfter?: number | string;
  /** never answer: true holds the socket until close(), a number destroys it after that many ms */
  hang?: boolean | number;
  /** apply to the first N matching requests only (counted per URL unless `per: 'rule'`); default: always */
  times?: number;
  per?: 'url' | 'rule';
}

/** Options every site accepts. */
export interface SiteOptions {
  /** fixed port (default: an ephemeral one) */
  port?: number;
  /** delay every response by this many ms */
  delayMs?: number;
  faults?: FaultRule[];
  /** robots.txt: 'allow' (User-agent: * / Disallow: empty), 'none' (404), or the literal file */
  robots?: 'allow' | 'none' | string;
}

/** What the tests and the crawler may know about one document on a replica site. */
export interface DocInfo {
  url: string;
  path: string;
  title: string;
  /** the publishing organ the title names */
  agency: string;
  /** report year, null for items that are not reports */
  year: number | null;
  isReport: boolean;
  /** where the content comes from: 'pingtan:97791', 'seed:001_9f09e102a19e83ee', 'notice', 'pingtan-page:80725' */
  source: string;
  published: string;
  /** unlisted: gone from every list of its site, its page still served (real portals unlink and keep pages) */
  status: 'live' | 'unlisted' | 'deleted' | 'pending';
  /** how many times the content was edited by nextNight() */
  edits: number;
}

export interface NightChange {
  site: string;
  kind: 'added' | 'edited' | 'deleted' | 'unlinked';
  url: string;
  title: string;
}

export interface NightSummary {
  night: number;
  /** the site clock for this night (Last-Modified of everything that changed) */
  at: string;
  changes: NightChange[];
}

/**
 * A registry entry for the crawler: data, not code (see DESIGN.md "Portal registry").
 *   id        stable id ('replica-pingtan', 'replica-hanweb', 'replica-trs-wcm', 'replica-faults', 'bench-007')
 *   name      the unit as the site names itself (SiteName)
 *   province / city / county   the unit's place (null where it does not apply)
 *   level     'national' | 'province' | 'city' | 'county' | 'department'
 *   family    the CMS family adapter to use
 *   entryUrls the report column's list URL(s), absolute, with the runtime port
 *   overrides family-specific knobs (JS list endpoint, Hanweb widget ids, encoding, …) and `hosts`
 *             (host:port values the crawler may fetch from for this entry)
 */
export interface RegistryEntry extends Pick<CrawlerRegistryEntry, 'id' | 'name' | 'province' | 'city' | 'county' | 'level' | 'entryUrls' | 'overrides'> {
  family: Family;
}

/** A site implementation, served by scripts/replica/http.ts on its own port. */
export interface Site {
  id: string;
  family: Family;
  name: string;
  /** robots.txt body, or null for 404 */
  robots: string | null;
  options: SiteOptions;
  handle(req: ReplicaRequest): Reply | null | Promise<Reply | null>;
  /** current documents (all states); baseUrl fills absolute URLs */
  docs(baseUrl: string): DocInfo[];
  /** apply night `night` (2, 3, …) at site time `at`; returns what changed (paths, not URLs) */
  nextNight(night: number, at: string): Array<Omit<NightChange, 'site' | 'url'> & { path: string }>;
  registryEntry(baseUrl: string): RegistryEntry;
  /** the report column's list URL path(s) */
  entryPaths: string[];
  /** extra ports serving this same site: its host aliases (www.X and X, a city-level host); server.ts hands their
   *  base URLs to setAliases before the registry is built */
  hostAliases?: number;
  setAliases?(baseUrls: string[]): void;
}
