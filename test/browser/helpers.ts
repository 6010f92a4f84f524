/**
 * Browser tests: Chromium must be there. Off CI a machine without /usr/bin/chromium skips them with a message;
 * in CI (CI=true) they run and fail, so a missing install step cannot pass unnoticed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { BrowserPool } from '../../crawlers/browser/index.ts';
import type { CrawlSummary } from '../../crawlers/crawl.ts';
import { DEFAULT_USER_AGENT } from '../../crawlers/fetcher.ts';
import type { ReplicaOptions } from '../../scripts/replica/index.ts';
import { world, type World } from '../crawl/helpers.ts';
import { OWN_FIXTURES, PINGTAN, pingtanEntries } from '../helpers/fixtures.ts';

export const HAVE_CHROMIUM = BrowserPool.available();
export const IN_CI = process.env.CI === 'true';
/** skip only off CI, and only without Chromium */
export const SKIP_BROWSER = !HAVE_CHROMIUM && !IN_CI;
if (SKIP_BROWSER) {
  console.warn('test/browser: SKIPPED — no Chromium at /usr/bin/chromium (apt-get install -y chromium fonts-wqy-zenhei). In CI this fails instead.');
}

/** One browser per test file, with the fetcher's User-Agent (the challenge cookies are then the fetcher's). */
export function testPool(): BrowserPool {
  return new BrowserPool({ userAgent: DEFAULT_USER_AGENT, timeoutMs: 15_000 });
}

export interface BrowserCrawl { w: World; pool: BrowserPool; s: CrawlSummary }

/**
 * For the describe block it is called in: a replica world with these sites crawled once with a test browser at
 * hand, everything closed after the block. The fields are set once the block's beforeAll has run.
 */
export function crawledWithBrowser(opts: ReplicaOptions): BrowserCrawl {
  const run = {} as BrowserCrawl;
  beforeAll(async () => {
    run.w = await world(opts);
    run.pool = testPool();
    run.s = await run.w.crawl({ browser: run.pool });
  }, 120_000);
  afterAll(async () => {
    await run.pool?.close();
    await run.w?.close();
  });
  return run;
}

/**
 * The hand-checked values of a replica report's source page (`pingtan:DOCID`): table 三 cells as
 * 'row.col' → number, from the expected.json beside the real page or test/fixtures/pingtan-expected.
 * Null for sources without typed values (seed texts, pre-2019 pages).
 */
export function expectedCells(source: string): Map<string, number> | null {
  const m = /^pingtan:(\d+)$/.exec(source);
  if (!m) return null;
  const e = pingtanEntries().find((x) => x.docid === m[1]);
  if (!e) return null;
  const shared = join(PINGTAN, dirname(e.path), 'expected.json');
  const own = join(OWN_FIXTURES, 'pingtan-expected', `${e.docid}.json`);
  const file = existsSync(shared) ? shared : own;
  if (!existsSync(file)) return null;
  const apps = (JSON.parse(readFileSync(file, 'utf8')) as { applications?: Record<string, Record<string, number | null>> }).applications ?? {};
  const out = new Map<string, number>();
  for (const [row, cols] of Object.entries(apps)) {
    if (!cols || typeof cols !== 'object') continue;
    for (const [col, v] of Object.entries(cols)) if (typeof v === 'number') out.set(`${row}.${col}`, v);
  }
  return out.size ? out : null;
}
