/**
 * The browser path in a crawl run (crawlers/crawl.ts): the pool (the run's own, launched only when a site needs
 * it, or a shared one), the per-host modes from the registry, the JS-only list fallback, and closing up.
 */
import { DEFAULT_USER_AGENT, type FetchResult } from '../fetcher.ts';
import { entryHosts, type RegistryEntry } from '../registry.ts';
import { BrowserAssist, renderedExchange, type BrowserMode } from './assist.ts';
import { BrowserPool } from './pool.ts';

export interface RunBrowser {
  assist: BrowserAssist;
  pool: BrowserPool;
  /** list pages re-read through the browser */
  renders: number;
  summary(): { solves: number; failedSolves: number; renders: number };
  /** the run is over: close the run's own pool, or the shared pool's contexts of this run's sites */
  done(): Promise<void>;
}

const MODES = new Set<BrowserMode>(['always', 'challenge', 'never']);

/** The registry's `overrides.browser` per host (absent: automatic). */
export function browserModes(entries: RegistryEntry[]): Record<string, BrowserMode> {
  const out: Record<string, BrowserMode> = {};
  for (const e of entries) {
    const m = e.overrides.browser;
    if (typeof m === 'string' && MODES.has(m as BrowserMode)) for (const h of entryHosts(e)) out[h] = m as BrowserMode;
  }
  return out;
}

export function browserForRun(option: BrowserPool | false | undefined, entries: RegistryEntry[], userAgent?: string): RunBrowser | null {
  if (option === false) return null;
  const modes = browserModes(entries);
  if (entries.length && entries.every((e) => entryHosts(e).every((h) => modes[h] === 'never'))) return null;
  const own = option === undefined;
  const pool = option ?? new BrowserPool({ userAgent: userAgent ?? DEFAULT_USER_AGENT });
  const assist = new BrowserAssist(pool, modes);
  const rb: RunBrowser = {
    assist, pool, renders: 0,
    summary: () => ({ solves: assist.solves.filter((s) => s.ok).length, failedSolves: assist.solves.filter((s) => !s.ok).length, renders: rb.renders }),
    async done() {
      if (own) await pool.close();
      else await Promise.all(entries.flatMap((e) => entryHosts(e)).map((h) => pool.closeSite(h)));
    },
  };
  return rb;
}

/**
 * A list page the adapter found nothing on, but which has scripts: render it (hosts in mode "never" or
 * "always" excluded — the latter was rendered already). Null when rendering is not for this page or fails.
 */
export async function renderForList(rb: RunBrowser, result: FetchResult): Promise<FetchResult | null> {
  const host = new URL(result.finalUrl).host;
  if (rb.assist.mode(host) !== 'challenge' || result.kind !== 'ok' || !result.body) return null;
  if (!/<script\b/i.test(result.body.toString('latin1'))) return null;
  try {
    const r = await rb.pool.render(result.finalUrl, host);
    rb.renders++;
    if (r.status === null || r.status >= 400) return null;
    const ex = renderedExchange(r, new Date().toISOString());
    return { ...result, ...ex, finalUrl: r.url };
  } catch {
    return null;
  }
}
