/** (c) The faults site (generic family): robots.txt obeyed, the calendar trap and the endless list end at their bounds. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { world, type World } from './helpers.ts';

let w: World;
/** requests the crawl chose to make: not robots.txt, not the hops the fetcher followed inside one redirect chain */
const chosen = (path: string) => path !== '/robots.txt' && !/^\/redirect\/(?:chain\/|final|loop-b)/.test(path);
let summary: Awaited<ReturnType<World['crawl']>>;
let elapsed = 0;

beforeAll(async () => {
  w = await world({
    only: ['faults'],
    sites: { faults: { slowMs: 20, timeoutMs: 50, tooManyTimes: 1, retryAfterS: 0, burst500Times: 1, bigBytes: 200_000 } },
  });
  const t = Date.now();
  summary = await w.crawl({ site: 'replica-faults' });
  elapsed = Date.now() - t;
});
afterAll(async () => {
  await w?.close();
});

describe('the faults site', () => {
  it('ends, within its bounds', () => {
    expect(['finished', 'interrupted']).toContain(summary.status);
    expect(summary.queued).toBe(0);
    expect(elapsed).toBeLessThan(30_000);
    // default bounds: 100 list pages per site per run, 6 hops (a page may be tried more than once)
    const lists = new Set(w.replica.log.entries({ site: 'faults' }).map((e) => e.path).filter(chosen));
    expect(lists.size).toBeLessThanOrEqual(100);
    const items = w.db.prepare(`SELECT count(*) AS n FROM frontier WHERE run_id = ? AND kind = 'list'`).get(summary.runId) as { n: number };
    expect(items.n).toBeLessThanOrEqual(100);
    expect(lists.size).toBeGreaterThan(50);
  });

  it('never requests what robots.txt disallows', () => {
    const log = w.replica.log.entries({ site: 'faults' });
    expect(log.some((e) => e.path === '/robots.txt')).toBe(true);
    expect(log.filter((e) => e.path.startsWith('/private/'))).toEqual([]);
    expect(summary.skipped['robots.txt']).toBeGreaterThanOrEqual(1);
  });

  it('the calendar trap ends at the bounds', () => {
    const cal = w.replica.log.entries({ site: 'faults', pathPrefix: '/calendar/' });
    expect(cal.length).toBeGreaterThan(1);
    expect(cal.length).toBeLessThanOrEqual(100);
    const dates = new Set(cal.map((e) => e.path));
    expect(dates.size).toBe(cal.length); // no page twice
  });

  it('the endless list ends at the depth bound, its notices never fetched', () => {
    const pages = w.replica.log.entries({ site: 'faults', pathPrefix: '/endless/' });
    const lists = pages.filter((e) => /index(_\d+)?\.html$/.test(e.path));
    expect(lists.length).toBeGreaterThan(1);
    expect(lists.length).toBeLessThanOrEqual(6);
    expect(pages.filter((e) => /\/t\d{8}_\d+\.html$/.test(e.path))).toEqual([]);
  });

  it('keeps tighter bounds from the registry (maxListPages, maxDepth)', async () => {
    w.replica.log.clear();
    const { loadRegistry } = await import('../../crawlers/registry.ts');
    const entries = loadRegistry(w.registryDir).map((e) => ({ ...e, overrides: { ...e.overrides, maxListPages: 15, maxDepth: 3 } }));
    const s = await w.crawl({ entries });
    expect(['finished', 'interrupted']).toContain(s.status);
    const paths = new Set(w.replica.log.entries({ site: 'faults' }).map((e) => e.path).filter(chosen));
    expect(paths.size).toBeLessThanOrEqual(15);
    expect(w.replica.log.entries({ site: 'faults', pathPrefix: '/endless/' }).length).toBeLessThanOrEqual(3);
  });

  it('reports failures with reasons in the run summary', () => {
    expect(summary.counts.failed).toBeGreaterThan(0);
    expect(Object.keys(summary.failures).join(' ')).toMatch(/redirect/);
    const run = w.db.prepare('SELECT counts FROM crawl_runs WHERE id = ?').get(summary.runId) as { counts: string };
    expect(JSON.parse(run.counts).failures).toEqual(summary.failures);
  });
});
