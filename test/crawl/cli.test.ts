/**
 * The commands as a user runs them (child processes): `nianbao crawl` and `nianbao backfill`, and (d) a backfill
 * killed with SIGKILL at random moments, resumed, ending with the same documents as an uninterrupted run and
 * nothing fetched twice into the archive.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../storage/index.ts';
import { ROOT } from '../helpers/fixtures.ts';
import { runCli } from '../helpers/cli.ts';
import { latestReports, world, type World } from './helpers.ts';

let w: World;

beforeAll(async () => {
  w = await world({ only: ['hanweb', 'trs-wcm'] });
});
afterAll(async () => {
  await w?.close();
});

const docsOf = (path: string) => {
  const db = openArchive(path, { readonly: true });
  try {
    return {
      docs: (db.prepare('SELECT url FROM documents ORDER BY url').all() as { url: string }[]).map((r) => r.url),
      reports: latestReports(db).map((r) => `${r.url} ${r.year}`),
      twice: db.prepare('SELECT url, count(*) AS n FROM fetches GROUP BY url HAVING n > 1').all(),
      runs: db.prepare('SELECT id, mode, status FROM crawl_runs').all() as { id: number; mode: string; status: string }[],
    };
  } finally {
    db.close();
  }
};

describe('nianbao crawl / backfill', () => {
  it('crawl --site prints a summary and stores the run', async () => {
    const db = join(w.dir, 'cli-crawl.db');
    const r = await runCli(['crawl', '--registry', w.registryDir, '--site', 'replica-trs-wcm', '--db', db, '--delay', '0', '--json']);
    expect(r.stderr).toMatch(/"msg":"finish"/); // pino JSON lines when stderr is not a terminal
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.status).toBe('finished');
    expect(s.counts.new).toBe(w.replica.sites['trs-wcm'].reports().length);
    const got = docsOf(db);
    expect(got.runs).toEqual([{ id: 1, mode: 'crawl', status: 'finished' }]);
    expect(got.reports.every((x) => x.includes(`:${w.replica.sites['trs-wcm'].port}/`))).toBe(true);
  });

  it('backfill --years keeps only those years', async () => {
    const db = join(w.dir, 'cli-years.db');
    const r = await runCli(['backfill', '--province', '江苏省', '--years', '2022-2023', '--registry', w.registryDir, '--db', db, '--delay', '0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/run 1 \(backfill\) finished/);
    const want = w.replica.sites.hanweb.reports().filter((d) => d.year! >= 2022 && d.year! <= 2023);
    expect(want.length).toBeGreaterThan(0);
    const got = docsOf(db).reports;
    expect(got.length).toBe(want.length);
    expect(got.every((x) => / 202[23]$/.test(x))).toBe(true);
  });

  it('a backfill killed with SIGKILL at random moments, resumed, ends like an uninterrupted one', async () => {
    const clean = join(w.dir, 'clean.db');
    // a small per-host delay so the kills land mid-run (the whole column takes ~1 s)
    const args = (db: string) => ['scripts/cli.ts', 'backfill', '--province', '江苏省', '--registry', w.registryDir, '--db', db, '--delay', '10'];
    expect((await runCli(args(clean).slice(1))).code).toBe(0);

    const killed = join(w.dir, 'killed.db');
    let kills = 0;
    let finished = false;
    for (let round = 0; round < 8 && !finished; round++) {
      const after = 1 + Math.floor(Math.random() * 25);
      const code = await new Promise<number | null>((resolve) => {
        // node itself, not the tsx wrapper (which would leave its node child running after a SIGKILL)
        const child = spawn(process.execPath, ['--import', 'tsx', ...args(killed)], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
        let fetched = 0;
        let buf = '';
        child.stderr.on('data', (c: Buffer) => {
          buf += c.toString('utf8');
          let i;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            if (line.includes('"msg":"fetched"') && ++fetched >= after && child.exitCode === null) {
              child.kill('SIGKILL');
            }
          }
        });
        child.on('exit', (c, sig) => resolve(sig === 'SIGKILL' ? -9 : c));
      });
      if (code === -9) {
        kills++;
        // the kill can land after the run finished (the "fetched" lines reach us late, the process was exiting):
        // the same command again would start a NEW backfill, so the run is over
        if (docsOf(killed).runs.at(-1)?.status === 'finished') finished = true;
      } else {
        expect(code).toBe(0);
        finished = true;
      }
    }
    expect(kills).toBeGreaterThan(0);
    // whatever is left: one more, uninterrupted
    if (!finished) expect((await runCli(args(killed).slice(1))).code).toBe(0);

    const a = docsOf(clean);
    const b = docsOf(killed);
    expect(b.docs).toEqual(a.docs);
    expect(b.reports).toEqual(a.reports);
    expect(a.twice).toEqual([]);
    expect(b.twice).toEqual([]); // nothing fetched twice into the archive
    // every restart resumed the one killed run
    expect(b.runs).toEqual([{ id: 1, mode: 'backfill', status: 'finished' }]);
  }, 120_000);
});
