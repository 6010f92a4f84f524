/**
 * A crawl killed with SIGKILL at random moments, several times, then resumed until done (the processes
 * alternate between commitFetch and the CommitBatcher): every URL —
 * the seeded list pages and every detail page they name — ends done with exactly one stored fetch; no
 * item is committed twice; nothing is lost; the run's counts agree with the archive; SQLite is intact.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { enqueue } from '../../crawlers/frontier.ts';
import { getRun, startRun } from '../../crawlers/runs.ts';
import { openArchive } from '../../storage/index.ts';
import { page, tempArchive } from './archive.ts';
import { delay, startServer, text, type TestServer } from './server.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const WORKER = join(HERE, 'crawl-worker.ts');
const KILLS = 4;
const LISTS_PER_HOST = 3;
const DETAILS_PER_LIST = 20;

interface ChildRun {
  committed: { item: number; fetch: number }[];
  killed: boolean;
  recovered: number;
}

/**
 * Run a worker; with `kill`, SIGKILL it `jitterMs` after its `afterCommits`-th commit — a random moment
 * that is mid-crawl however fast or loaded the machine is (fetching, parsing or committing).
 */
function runWorker(dbPath: string, runId: number, mode: 'one' | 'batch', kill: { afterCommits: number; jitterMs: number } | null): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, dbPath, String(runId), mode], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const run: ChildRun = { committed: [], killed: false, recovered: 0 };
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const guard = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`worker stuck: ${stderr}`))), 25_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [word, a, b] = line.split(' ');
      if (word === 'ready') run.recovered = Number(a);
      else if (word === 'ok') {
        run.committed.push({ item: Number(a), fetch: Number(b) });
        if (kill && run.committed.length === kill.afterCommits) setTimeout(() => ((run.killed = true), child.kill('SIGKILL')), kill.jitterMs);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (signal === 'SIGKILL' && run.killed) resolve(run);
      else if (code === 0) resolve(run); // finished before the kill came
      else reject(new Error(`worker failed (code ${code}, signal ${signal}): ${stderr}`));
    });
  });
}

describe('SIGKILL during a crawl', () => {
  const t = tempArchive();
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
    t.cleanup();
  });

  it(`loses nothing and stores nothing twice over ${KILLS} kills at random moments`, async () => {
    for (let h = 0; h < 2; h++) {
      const s = await startServer(`host${h}`);
      servers.push(s);
      for (let l = 0; l < LISTS_PER_HOST; l++) {
        const links = Array.from({ length: DETAILS_PER_LIST }, (_, i) => `/art/${l}-${i}.html`);
        s.route(`/list/${l}.html`, (_q, res) => void delay(20).then(() => text(res, 200, page(`list ${h}-${l}`, links))));
        for (const link of links) s.route(link, (_q, res) => void delay(10 + Math.floor(Math.random() * 30)).then(() => text(res, 200, page(`art ${h}${link}`))));
      }
    }
    const total = servers.length * LISTS_PER_HOST * (1 + DETAILS_PER_LIST);

    const runId = startRun(t.db, 'backfill', { test: 'sigkill' });
    enqueue(t.db, servers.flatMap((s) => Array.from({ length: LISTS_PER_HOST }, (_, l) => ({ url: `${s.origin}/list/${l}.html`, kind: 'list' as const, runId }))));
    t.db.close();

    const runs: ChildRun[] = [];
    const rnd = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));
    // processes alternate between committing one fetch a transaction and batches parsed on a worker thread
    const modeOf = (k: number) => (k % 2 ? 'batch' : 'one');
    for (let k = 0; k < KILLS; k++) runs.push(await runWorker(t.path, runId, modeOf(k), { afterCommits: rnd(2, 20), jitterMs: rnd(0, 40) }));
    const beforeFinal = runs.reduce((n, r) => n + r.committed.length, 0);
    runs.push(await runWorker(t.path, runId, 'batch', null));
    const detail = JSON.stringify(runs.map((r) => [r.killed, r.recovered, r.committed.length]));

    // the kills really interrupted a crawl that was making progress
    expect(runs.slice(0, KILLS).every((r) => r.killed && r.committed.length >= 2), detail).toBe(true);
    expect(beforeFinal, detail).toBeLessThan(total);
    // and left leases behind that the next process had to recover
    expect(runs.slice(1).some((r) => r.recovered > 0), detail).toBe(true);

    // no frontier item was committed twice, by any process (a kill may fall between a commit and its
    // printed line — a whole batch of 8 lines in batch mode — so the lines are a lower bound; the archive
    // below is the full account)
    const committed = runs.flatMap((r) => r.committed);
    expect(new Set(committed.map((c) => c.item)).size, detail).toBe(committed.length);
    expect(committed.length, detail).toBeLessThanOrEqual(total);
    expect(committed.length, detail).toBeGreaterThanOrEqual(total - (KILLS / 2) * (1 + 8));

    const db = openArchive(t.path);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const rows = db.prepare(`SELECT f.id, f.url, f.status, f.fetch_id, x.url AS fetched_url, x.status AS http
        FROM frontier f LEFT JOIN fetches x ON x.id = f.fetch_id`).all() as Record<string, any>[];
      expect(rows).toHaveLength(total);
      for (const r of rows) {
        expect([r.url, r.status, r.http], detail).toEqual([r.url, 'done', 200]);
        expect(r.fetched_url).toBe(r.url);
      }
      // exactly one stored fetch per URL, even for URLs a killed process had already requested
      const perUrl = db.prepare('SELECT url, count(*) AS n FROM fetches GROUP BY url HAVING n <> 1').all();
      expect(perUrl).toEqual([]);
      expect(db.prepare('SELECT count(*) AS n FROM fetches').get()).toEqual({ n: total });
      expect(db.prepare('SELECT count(*) AS n FROM documents').get()).toEqual({ n: total });
      // every printed commit is in the archive as printed
      for (const c of committed) expect(rows.find((r) => r.id === c.item)?.fetch_id).toBe(c.fetch);
      // the run's counts were committed with the fetches they count
      const bytes = db.prepare('SELECT sum(b.size) AS n FROM fetches f JOIN blobs b ON b.sha256 = f.blob_sha256').get() as { n: number };
      expect(getRun(db, runId)!.counts).toMatchObject({ pages: total, bytes: bytes.n, failed: 0 });
    } finally {
      db.close();
    }
    // requests the killed processes made but never committed were made again (and stored once)
    const requested = servers.reduce((n, s) => n + s.log.filter((e) => e.path !== '/robots.txt').length, 0);
    expect(requested).toBeGreaterThanOrEqual(total);
  }, 120_000);
});
