/**
 * The archive writer alone: CPU per report version of the write transactions (commitFetches), measured on
 * one thread with nothing else running in the process, so the figure holds on a machine shared with other
 * jobs (process.cpuUsage counts only this process's CPU). The same deterministic stream as the archive
 * benchmark; each batch is planned and worked (parse, compress) first, unmeasured, then committed, measured.
 *
 *   npx tsx scripts/bench/writer-bench.ts [versions=3000] [batch=256]
 *
 * WRITER_BENCH_CACHE=dir keeps the worker-side work (keyed by body and the source of the modules that make
 * it) between runs, so repeated runs measure the writer in seconds.
 *
 * Prints: commit CPU per version, plan CPU per version, worker-side work CPU per version (derive +
 * compress, for reference), bytes per version.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitFetches, openArchive, planFetch, workFetch } from '../../storage/index.ts';
import type { FetchInput, FetchWork, PreparedFetch } from '../../storage/index.ts';
import { Corpus } from './archive-corpus.ts';

const versionsWanted = Number(process.argv[2] ?? 3000);
const batch = Number(process.argv[3] ?? 256);
const cpuMs = (from: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(from);
  return (c.user + c.system) / 1000;
};

// the worker-side work of earlier runs, valid while the modules that make it are unchanged
const cacheDir = process.env.WRITER_BENCH_CACHE;
const codeHash = createHash('sha256');
for (const m of ['derive', 'ngrams', 'normalise', 'blobs', 'reports']) codeHash.update(readFileSync(new URL(`../../storage/${m}.ts`, import.meta.url)));
const cacheFile = cacheDir ? join(cacheDir, `work-${codeHash.digest('hex').slice(0, 16)}-${versionsWanted}-${batch}.v8`) : null;
const cache: FetchWork[] = cacheFile && existsSync(cacheFile) ? (deserialize(readFileSync(cacheFile)) as FetchWork[]) : [];
const cached = cache.length > 0;


const rounds = Math.max(1, Number(process.env.WRITER_BENCH_ROUNDS ?? 3));
const per = (ms: number, versions: number) => (ms / versions).toFixed(3);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

interface Round {
  versions: number;
  fetches: number;
  /** per batch, CPU ms */
  plan: number[];
  commit: number[];
  wallMs: number;
  workMs: number;
  bytes: number;
  parts: { name: string; bytes: number }[];
}

/** One pass over the stream into a fresh archive. */
function round(): Round {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-writer-bench-'));
  const db = openArchive(join(dir, 'archive.db'));
  // WRITER_BENCH_SQL: statements run once on the new archive (to try settings, e.g. FTS5 automerge)
  if (process.env.WRITER_BENCH_SQL) db.exec(process.env.WRITER_BENCH_SQL);
  try {
    const corpus = new Corpus();
    const r: Round = { versions: 0, fetches: 0, plan: [], commit: [], wallMs: 0, workMs: 0, bytes: 0, parts: [] };
    while (r.versions < versionsWanted) {
      const inputs: FetchInput[] = [];
      for (let i = 0; i < batch; i++) inputs.push(corpus.next());
      let t = process.cpuUsage();
      const plans = inputs.map((f) => planFetch(db, f));
      r.plan.push(cpuMs(t));
      t = process.cpuUsage();
      const prepared: PreparedFetch[] = plans.map((p, i) => {
        const k = r.fetches + i;
        if (k >= cache.length) cache.push(workFetch(p));
        return { ...p, ...cache[k] };
      });
      r.workMs += cpuMs(t);
      t = process.cpuUsage();
      const w = performance.now();
      const results = commitFetches(db, prepared);
      r.wallMs += performance.now() - w;
      r.commit.push(cpuMs(t));
      r.fetches += inputs.length;
      r.versions += results.filter((x) => x.outcome === 'new_version').length;
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    r.bytes = (db.pragma('page_size', { simple: true }) as number) * (db.pragma('page_count', { simple: true }) as number);
    try {
      r.parts = db.prepare(`SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 12`).all() as { name: string; bytes: number }[];
    } catch {
      // no dbstat in this SQLite build
    }
    return r;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const all: Round[] = [];
for (let i = 0; i < rounds; i++) {
  all.push(round());
  if (i === 0 && cacheFile && !cached) {
    mkdirSync(cacheDir!, { recursive: true });
    writeFileSync(cacheFile, serialize(cache));
  }
}
const r0 = all[0];
// other processes only ever add CPU time (cache, hyperthreads): the least of each batch over the rounds
const minOf = (k: 'plan' | 'commit') => sum(r0[k].map((_, i) => Math.min(...all.map((r) => r[k][i]))));
console.log(`writer bench: ${r0.versions} versions from ${r0.fetches} fetches, ${batch} fetches a transaction, ${rounds} round(s)`);
console.log(`  commit (writer)  ${per(minOf('commit'), r0.versions)} ms CPU per version (least per batch over the rounds; rounds: ${all.map((r) => per(sum(r.commit), r0.versions)).join(', ')}; wall ${per(Math.min(...all.map((r) => r.wallMs)), r0.versions)} ms)`);
console.log(`  plan (writer)    ${per(minOf('plan'), r0.versions)} ms CPU per version`);
console.log(`  work (workers)   ${cached ? '(cached)' : `${per(r0.workMs, r0.versions)} ms CPU per version (derive + compress, here on one thread)`}`);
console.log(`  size             ${(r0.bytes / r0.versions / 1024).toFixed(1)} KB per version`);
console.log(`                   ${r0.parts.map((p) => `${p.name} ${(p.bytes / r0.versions / 1024).toFixed(2)}`).join(', ')}`);
