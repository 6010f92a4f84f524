/**
 * `nianbao crawl` (nightly) and `nianbao backfill` (everything, optionally some years): registry → adapters →
 * fetcher → archive (crawlers/crawl.ts). Progress goes to stderr — pino JSON lines when stderr is not a
 * terminal, one rewritten progress line when it is; the run summary goes to stdout (--json for JSON).
 * SIGINT/SIGTERM: fetches in flight are finished and committed, the run is left 'interrupted', and the next
 * `crawl`/`backfill` of the same sites resumes it.
 */
import type { Command } from 'commander';
import { pino } from 'pino';
import { formatSummary, runCrawl, type CrawlEvent, type CrawlSummary, type YearRange } from '../../crawlers/crawl.ts';
import { DEFAULT_REGISTRY_DIR, loadRegistry, selectEntries } from '../../crawlers/registry.ts';
import { DB_HELP, openForWriting } from './archive-io.ts';

interface CrawlCliOptions {
  registry?: string;
  province?: string;
  site?: string;
  db?: string;
  years?: string;
  delay?: string;
  concurrency?: string;
  json?: boolean;
  fresh?: boolean;
  includeUnverified?: boolean;
}

export function parseYearRange(text: string): YearRange {
  const m = /^(\d{4})(?:\s*-\s*(\d{4}))?$/.exec(text.trim());
  if (!m) throw new Error(`--years takes YYYY or YYYY-YYYY, not "${text}"`);
  const from = Number(m[1]);
  const to = Number(m[2] ?? m[1]);
  return from <= to ? { from, to } : { from: to, to: from };
}

function progress(): (e: CrawlEvent) => void {
  if (process.stderr.isTTY) {
    let n = 0;
    let failed = 0;
    return (e) => {
      if (e.event === 'fetched') {
        n++;
        if (e.result !== 'ok' && e.result !== 'not_modified' && e.result !== 'gone') failed++;
        process.stderr.write(`\r\x1b[Krun ${e.runId}: ${n} fetched, ${failed} not ok · ${e.kind} ${e.url ?? ''}`.slice(0, (process.stderr.columns || 120) - 1));
      } else if (e.event === 'finish') process.stderr.write('\r\x1b[K');
    };
  }
  const log = pino({ name: 'nianbao' }, pino.destination({ fd: 2, sync: true }));
  return (e) => {
    const { event, ...rest } = e;
    if (event === 'fetched' && e.result !== 'ok' && e.result !== 'not_modified') log.warn(rest, event);
    else log.info(rest, event);
  };
}

async function run(mode: 'crawl' | 'backfill', opts: CrawlCliOptions): Promise<number> {
  const matching = selectEntries(loadRegistry(opts.registry ?? DEFAULT_REGISTRY_DIR), { province: opts.province, site: opts.site });
  // entries copied from research ("verified": false) are never crawled by accident
  const entries = opts.includeUnverified ? matching : selectEntries(matching, { verifiedOnly: true });
  const what = `${opts.province ? ` --province ${opts.province}` : ''}${opts.site ? ` --site ${opts.site}` : ''}`;
  if (!matching.length) throw new Error(`no registry entries match${what}`);
  if (!entries.length) throw new Error(`the ${matching.length} registry entries that match${what} are unverified; check them and set "verified": true, or pass --include-unverified`);
  const years = opts.years ? parseYearRange(opts.years) : null;
  const delayMs = opts.delay !== undefined ? Number(opts.delay) : undefined;
  if (delayMs !== undefined && !(delayMs >= 0)) throw new Error(`--delay takes milliseconds, not "${opts.delay}"`);
  const db = openForWriting(opts);
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let summary: CrawlSummary;
  try {
    summary = await runCrawl({
      db, entries, mode, years, signal: ac.signal, fresh: opts.fresh,
      args: { province: opts.province ?? null, site: opts.site ?? null, registry: opts.registry ?? DEFAULT_REGISTRY_DIR },
      concurrency: opts.concurrency ? Number(opts.concurrency) : undefined,
      fetcher: delayMs !== undefined ? { hostDefaults: { delayMs } } : undefined,
      onEvent: progress(),
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    db.close();
  }
  process.stdout.write(opts.json ? `${JSON.stringify(summary)}\n` : `${formatSummary(summary)}\n`);
  return summary.status === 'finished' ? 0 : 2;
}

export function registerCrawlCommands(program: Command): void {
  const common = (c: Command) => c
    .option('--registry <dir>', `registry directory of *.json files, or one file (default ${DEFAULT_REGISTRY_DIR})`)
    .option('--db <file>', DB_HELP)
    .option('--delay <ms>', 'pause between requests to one host (default 1000; a registry delayMs wins)')
    .option('--concurrency <n>', 'requests in flight over all hosts (default 8)')
    .option('--fresh', 'start a new run even if an interrupted one could be resumed')
    .option('--include-unverified', 'also crawl entries marked "verified": false (copied from research, never checked)')
    .option('--json', 'print the run summary as JSON');

  common(program
    .command('crawl')
    .description('nightly crawl: re-list the registry\'s report columns, fetch new reports, re-check known ones (conditional GET)')
    .option('--province <p>', 'only this province\'s entries (e.g. 福建省)')
    .option('--site <id>', 'only this registry entry (id or host)'))
    .action(async (opts: CrawlCliOptions) => {
      process.exitCode = await run('crawl', opts).catch(fail);
    });

  common(program
    .command('backfill')
    .description('fetch every report a province\'s columns list (resumes a killed backfill)')
    .requiredOption('--province <p>', 'the province (e.g. 福建省)')
    .option('--years <range>', 'only reports for these years: 2023 or 2019-2025')
    .option('--site <id>', 'only this registry entry (id or host)'))
    .action(async (opts: CrawlCliOptions) => {
      process.exitCode = await run('backfill', opts).catch(fail);
    });
}

function fail(err: unknown): number {
  process.stderr.write(`nianbao: ${(err as Error).message}\n`);
  return 1;
}
