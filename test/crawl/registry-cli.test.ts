/**
 * `nianbao registry` lists what a crawl would cover; `nianbao crawl` leaves unverified entries out unless asked, and
 * the engine skips entries of a family without an adapter with that reason. The real registry is only read here:
 * every crawl in this file runs against the replica on 127.0.0.1 or stops before fetching.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasAdapter, PLANNED_FAMILIES } from '../../crawlers/families.ts';
import { DEFAULT_REGISTRY_DIR, loadRegistry, type RegistryEntry } from '../../crawlers/registry.ts';
import { runCli } from '../helpers/cli.ts';
import { ROOT } from '../helpers/fixtures.ts';
import { world } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'nianbao-registry-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const REAL = join(ROOT, DEFAULT_REGISTRY_DIR);

describe('nianbao registry', () => {
  it('--province fujian --json: the entries of fujian.json, each with why a plain crawl would leave it out', async () => {
    const r = await runCli(['registry', '--province', 'fujian', '--json']);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout) as Array<RegistryEntry & { crawl: string }>;
    const file = JSON.parse(readFileSync(join(REAL, 'fujian.json'), 'utf8')) as RegistryEntry[];
    expect(got.map((e) => e.id)).toEqual(file.map((e) => e.id));
    for (const e of got) {
      expect(e.crawl, e.id).toBe(!hasAdapter(e.family) ? `no adapter for family ${e.family}` : e.entryUrls.length ? 'unverified (--include-unverified)' : 'no entry URL');
    }
  });

  it('--family gkmlpt: a table row per gkmlpt entry and a count line', async () => {
    const r = await runCli(['registry', '--family', 'gkmlpt']);
    expect(r.code).toBe(0);
    const want = loadRegistry(REAL).filter((e) => e.family === 'gkmlpt');
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^id\s+unit\s+province\s+level\s+family\s+verified\s+crawl\s+entry URL$/);
    expect(lines.slice(1, -1).map((l) => l.split(/\s+/)[0])).toEqual(want.map((e) => e.id));
    const withUrl = want.filter((e) => e.entryUrls.length);
    for (const e of withUrl) expect(r.stdout).toContain(e.entryUrls[0]);
    expect(lines.at(-1)).toBe(`${want.length} entries: 0 crawled by default, ${want.length} unverified, ${want.length - withUrl.length} without an entry URL`);
  });

  it('a malformed registry: exit 1 and the file and entry on stderr', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify([{ id: 'x-bad', name: 'x', province: '福建省', level: 'city', family: 'nope', entryUrls: [] }]));
    const r = await runCli(['registry', '--registry', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}: entry #0 (x-bad): unknown family "nope"`);
  });
});

describe('nianbao crawl and unverified entries', () => {
  it('refuses a selection of only unverified entries before opening the archive or fetching', async () => {
    const file = join(dir, 'unverified.json');
    // a closed local port: even a broken guard would not reach a real host
    writeFileSync(file, JSON.stringify([{ id: 'x-lead', name: 'x', province: '福建省', city: null, county: null, level: 'city',
      family: 'generic', entryUrls: ['http://127.0.0.1:1/zfxxgknb/'], overrides: {}, verified: false }]));
    const db = join(dir, 'never.db');
    const r = await runCli(['crawl', '--registry', file, '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the 1 registry entries that match are unverified; .* --include-unverified/);
    expect(existsSync(db)).toBe(false);
  });
});

describe('the crawl and families without an adapter', () => {
  // a planned family still without an adapter (gkmlpt and hanweb-jpaas are getting theirs)
  const planned = [...PLANNED_FAMILIES].reverse().find((f) => !hasAdapter(f))!;
  it('crawls the entries it can and skips the others with the reason', async () => {
    expect(planned).toBeDefined();
    const w = await world({ only: ['trs-wcm'] });
    try {
      const replica = loadRegistry(w.registryDir);
      const host = replica[0].entryUrls[0];
      const other: RegistryEntry = { ...replica[0], id: 'x-planned', family: planned, entryUrls: [new URL('/common/search/x', host).href] };
      const lead: RegistryEntry = { ...replica[0], id: 'x-lead', entryUrls: [], verified: false };
      const skips: string[] = [];
      const s = await w.crawl({ entries: [...replica, other, lead], onEvent: (e) => e.event === 'skip' && skips.push(`${e.site}: ${e.error}`) });
      expect(s.status).toBe('finished');
      expect(s.counts.new).toBe(w.replica.sites['trs-wcm'].reports().length);
      expect(s.skipped).toMatchObject({ [`no adapter for family ${planned}`]: 1, 'no entry URL': 1 });
      expect(skips).toEqual([`x-planned: no adapter for family ${planned}`, 'x-lead: no entry URL']);
      const rows = w.db.prepare(`SELECT count(*) AS n FROM frontier WHERE site IN ('x-planned', 'x-lead')`).get() as { n: number };
      expect(rows.n).toBe(0);
    } finally {
      await w.close();
    }
  });
});
