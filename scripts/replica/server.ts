/**
 * startReplica(): every replica site on its own 127.0.0.1 port, the shared request log, the registry, the
 * "next night" switch, and an optional control endpoint (for `npm run replica` by hand).
 *
 *   const r = await startReplica({ seed: 1 });
 *   r.sites.hanweb.baseUrl            // http://127.0.0.1:40123
 *   r.registry                         // RegistryEntry[] for the crawler
 *   r.log.entries({ site: 'hanweb' })  // every request
 *   r.nextNight()                      // new reports, one edited, one deleted (per family site)
 *   await r.close();
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { benchSites, type BenchOptions } from './bench.ts';
import { hardSites, HARD_SITE_IDS, type HardSiteId, type HardSitesOptions } from './hard-sites.ts';
import { FaultsSite, type FaultsOptions } from './faults.ts';
import { nightDate } from './generated.ts';
import { HANWEB_PLACE, HanwebSite, type HanwebOptions } from './hanweb.ts';
import { serveSite, type RunningSite } from './http.ts';
import { RequestLog } from './log.ts';
import { registryJson } from './registry.ts';
import { TrsFujianSite, type TrsFujianOptions } from './trs-fujian.ts';
import { TRS_WCM_PLACE, TrsWcmSite, type TrsWcmOptions } from './trs-wcm.ts';
import type { DocInfo, Family, NightSummary, RegistryEntry, Site } from './types.ts';
import { VARIANT_SITE_IDS, variantSites, type VariantSiteId, type VariantSitesOptions } from './variants.ts';

export type MainSiteId = 'pingtan' | 'hanweb' | 'trs-wcm' | 'faults' | HardSiteId | VariantSiteId;

export interface ReplicaOptions {
  /** same seed → same sites (titles, dates, ids, which report is edited/deleted); default 1 */
  seed?: number | string;
  /** default 127.0.0.1 */
  host?: string;
  /** per-site options; false leaves a site out */
  sites?: {
    pingtan?: TrsFujianOptions | false;
    hanweb?: HanwebOptions | false;
    'trs-wcm'?: TrsWcmOptions | false;
    faults?: FaultsOptions | false;
  } & HardSitesOptions & VariantSitesOptions;
  /** start only these sites: of the four main sites, and of the hard portals (gkmlpt, jpaas, waf412, waf521,
   *  js-list, attachments), which start only when named here */
  only?: MainSiteId[];
  /** add benchmark hosts (`N reports on H hosts`) */
  bench?: BenchOptions;
  /** serve the control endpoint: true = any port, a number = that port (default: off) */
  control?: boolean | number;
}

export interface SiteHandle {
  id: string;
  family: Family;
  name: string;
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  /** 127.0.0.1:PORT (the politeness key) */
  host: string;
  port: number;
  /** the report column's list URL(s) */
  entryUrls: string[];
  url(path: string): string;
  /** every published document (live and deleted) */
  docs(): DocInfo[];
  /** live annual reports only */
  reports(): DocInfo[];
  /** the implementation (tests may reach into it) */
  site: Site;
}

export interface Replica {
  sites: Record<string, SiteHandle>;
  registry: RegistryEntry[];
  log: RequestLog;
  /** 1 until nextNight() is called */
  readonly night: number;
  nextNight(): NightSummary;
  /** http://127.0.0.1:PORT of the control endpoint, when started */
  controlUrl: string | null;
  close(): Promise<void>;
}

export async function startReplica(opts: ReplicaOptions = {}): Promise<Replica> {
  const seed = String(opts.seed ?? 1);
  const host = opts.host ?? '127.0.0.1';
  const want = (id: MainSiteId) => (!opts.only || opts.only.includes(id)) && opts.sites?.[id] !== false;
  const cfg = <T>(v: T | false | undefined): T => (v || {}) as T;
  const sites: Site[] = [];
  if (want('pingtan')) sites.push(new TrsFujianSite('pingtan', seed, cfg(opts.sites?.pingtan)));
  if (want('hanweb')) sites.push(new HanwebSite('hanweb', seed, HANWEB_PLACE, cfg(opts.sites?.hanweb)));
  if (want('trs-wcm')) sites.push(new TrsWcmSite('trs-wcm', seed, TRS_WCM_PLACE, cfg(opts.sites?.['trs-wcm'])));
  if (want('faults')) sites.push(new FaultsSite('faults', cfg(opts.sites?.faults)));
  sites.push(...hardSites(seed, HARD_SITE_IDS.filter((id) => opts.only?.includes(id) && opts.sites?.[id] !== false), opts.sites ?? {}));
  // second sites per family (variants.ts): only when named, like the hard portals
  sites.push(...variantSites(VARIANT_SITE_IDS.filter((id) => opts.only?.includes(id) && opts.sites?.[id] !== false), opts.sites ?? {}));
  if (opts.bench) sites.push(...benchSites(seed, opts.bench));

  const log = new RequestLog();
  const running: RunningSite[] = [];
  const aliases: RunningSite[] = [];
  try {
    for (const r of await Promise.all(sites.map((s) => serveSite(s, log, host)))) running.push(r);
    // host aliases: the same site on more ports (Site.hostAliases)
    for (const r of running.filter((x) => x.site.hostAliases)) {
      const extra = await Promise.all(Array.from({ length: r.site.hostAliases! }, () => serveSite(r.site, log, host, 0)));
      aliases.push(...extra);
      r.site.setAliases?.(extra.map((a) => a.baseUrl));
    }
  } catch (err) {
    await Promise.all([...running, ...aliases].map((r) => r.close()));
    throw err;
  }

  const handles: Record<string, SiteHandle> = {};
  for (const r of running) {
    const { site, baseUrl } = r;
    handles[site.id] = {
      id: site.id, family: site.family, name: site.name, baseUrl, host: `${r.host}:${r.port}`, port: r.port,
      entryUrls: site.entryPaths.map((p) => baseUrl + p),
      url: (path: string) => baseUrl + path,
      docs: () => site.docs(baseUrl),
      reports: () => site.docs(baseUrl).filter((d) => d.isReport && d.status === 'live'),
      site,
    };
  }
  const registry = running.map((r) => r.site.registryEntry(r.baseUrl));

  let night = 1;
  const nextNight = (): NightSummary => {
    night++;
    const changes = running.flatMap((r) =>
      r.site.nextNight(night, nightDate(night)).map((c) => ({ site: r.site.id, kind: c.kind, title: c.title, url: r.baseUrl + c.path })));
    return { night, at: `${nightDate(night)}T02:00:00+08:00`, changes };
  };

  let control: Server | null = null;
  let controlUrl: string | null = null;
  if (opts.control !== undefined && opts.control !== false) {
    control = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const json = (v: unknown, status = 200) => {
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(v, null, 2));
      };
      req.resume();
      if (url.pathname === '/next-night' && req.method === 'POST') return json(nextNight());
      if (url.pathname === '/log' && req.method === 'GET') return json(log.entries({ site: url.searchParams.get('site') ?? undefined }));
      if (url.pathname === '/log/clear' && req.method === 'POST') return json((log.clear(), { ok: true }));
      if (url.pathname === '/registry') {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
        return res.end(registryJson(registry));
      }
      if (url.pathname === '/sites') {
        return json(Object.values(handles).map((h) => ({ id: h.id, family: h.family, name: h.name, baseUrl: h.baseUrl, entryUrls: h.entryUrls, docs: h.docs().length })));
      }
      if (url.pathname === '/') {
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        return res.end('POST /next-night · GET /log[?site=] · POST /log/clear · GET /registry · GET /sites\n');
      }
      json({ error: 'not found' }, 404);
    });
    await new Promise<void>((resolve, reject) => {
      control!.once('error', reject);
      control!.listen(typeof opts.control === 'number' ? opts.control : 0, host, () => resolve());
    });
    controlUrl = `http://${host}:${(control.address() as AddressInfo).port}`;
  }

  let closing: Promise<void> | null = null;
  return {
    sites: handles,
    registry,
    log,
    get night() {
      return night;
    },
    nextNight,
    controlUrl,
    close: () =>
      (closing ??= Promise.all([
        ...[...running, ...aliases].map((r) => r.close()),
        control ? new Promise<void>((resolve) => {
          control!.close(() => resolve());
          control!.closeAllConnections();
        }) : Promise.resolve(),
      ]).then(() => undefined)),
  };
}
