/**
 * `nianbao registry`: the registry's entries as a table (or JSON) — what a crawl would cover, and why an entry
 * would be left out (unverified, no adapter for its family, no entry URL). Reads data only; fetches nothing.
 */
import type { Command } from 'commander';
import { whyNotCrawlable } from '../../crawlers/families.ts';
import { DEFAULT_REGISTRY_DIR, loadRegistry, selectEntries, type RegistryEntry } from '../../crawlers/registry.ts';

interface RegistryCliOptions {
  registry?: string;
  province?: string;
  family?: string;
  json?: boolean;
}

/** 'yes', or why `nianbao crawl` would leave the entry out. */
export function crawlStatus(e: RegistryEntry): string {
  return whyNotCrawlable(e) ?? (e.verified === false ? 'unverified (--include-unverified)' : 'yes');
}

/** Display width: CJK characters take two columns. */
const width = (s: string): number => [...s].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

export function formatRegistry(entries: RegistryEntry[]): string {
  const head = ['id', 'unit', 'province', 'level', 'family', 'verified', 'crawl', 'entry URL'];
  const rows = entries.map((e) => [
    e.id, e.name, e.province, e.level, e.family, e.verified === false ? 'no' : 'yes', crawlStatus(e),
    e.entryUrls.length ? e.entryUrls[0] + (e.entryUrls.length > 1 ? ` (+${e.entryUrls.length - 1})` : '') : '(no URL)',
  ]);
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]))));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : pad(c, widths[i]))).join('  ');
  const crawlable = entries.filter((e) => crawlStatus(e) === 'yes').length;
  const unverified = entries.filter((e) => e.verified === false).length;
  const noUrl = entries.filter((e) => !e.entryUrls.length).length;
  return [line(head), ...rows.map(line),
    `${entries.length} entries: ${crawlable} crawled by default, ${unverified} unverified, ${noUrl} without an entry URL`].join('\n');
}

export function registerRegistryCommand(program: Command): void {
  program
    .command('registry')
    .description('list the portal registry (id, unit, province, level, family, verified, entry URL): what a crawl would cover')
    .option('--registry <dir>', `registry directory of *.json files, or one file (default ${DEFAULT_REGISTRY_DIR})`)
    .option('--province <p>', 'only this province (福建省, 福建 or fujian)')
    .option('--family <f>', 'only this CMS family (e.g. hanweb-jcms, gkmlpt)')
    .option('--json', 'print the entries as JSON, each with "crawl": "yes" or why not')
    .action((opts: RegistryCliOptions) => {
      try {
        const entries = selectEntries(loadRegistry(opts.registry ?? DEFAULT_REGISTRY_DIR), { province: opts.province, family: opts.family });
        process.stdout.write(opts.json
          ? `${JSON.stringify(entries.map((e) => ({ ...e, crawl: crawlStatus(e) })), null, 2)}\n`
          : `${formatRegistry(entries)}\n`);
      } catch (err) {
        process.stderr.write(`nianbao: ${(err as Error).message}\n`);
        process.exitCode = 1;
      }
    });
}
