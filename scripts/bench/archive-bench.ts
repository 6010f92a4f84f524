/**
 * The archive at scale: build an archive of BENCH_VERSIONS (default 100,000) report versions from a varied
 * stream of real pages (archive-corpus.ts), then measure what issue 3 sets targets for — ingest rate, bytes
 * per report, search latency at 2, 3 and 6 characters, and a full applications_wide export.
 *
 * The archive is a temp file under os.tmpdir(), deleted afterwards.
 */
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportRows, ingestBatch, ingestFetch, IngestPool, openArchive, search } from '../../storage/index.ts';
import type { Archive, FetchInput, IngestResult, SearchOptions } from '../../storage/index.ts';
import { Corpus } from './archive-corpus.ts';

export interface ArchiveBenchOptions {
  versions: number;
  /** fetches generated (and ingested) at a time */
  batch?: number;
  /** fetch: ingestFetch one by one; batch: ingestBatch (one transaction per batch); pool: IngestPool (parse on workers) */
  mode?: 'fetch' | 'batch' | 'pool';
  /** pool: worker threads */
  workers?: number;
  log?: (line: string) => void;
}

const now = () => Number(process.hrtime.bigint()) / 1e9;

class Peak {
  rss = process.memoryUsage().rss;
  private calls = 0;
  /** every 64th call reads the RSS (reading it costs ~0.5 ms) */
  sample(force = false) {
    if (force || ++this.calls % 64 === 0) this.rss = Math.max(this.rss, process.memoryUsage().rss);
  }
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function benchArchive(opts: ArchiveBenchOptions): Promise<void> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const t0 = now();
  const peak = new Peak();
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-archive-bench-'));
  const path = join(dir, 'archive.db');
  const batch = opts.batch ?? 256;
  const mode = opts.mode ?? 'pool';
  let db: Archive | null = openArchive(path);
  try {
    const corpus = new Corpus();
    const pool = mode === 'pool' ? new IngestPool(db, { workers: opts.workers }) : null;
    const how = mode === 'pool' ? `IngestPool: ${pool!.workers} parse worker(s) + this thread writing, ${2 * batch} fetches in flight`
      : mode === 'batch' ? `ingestBatch, ${batch} fetches a transaction` : 'ingestFetch, one fetch a transaction';
    log(`archive (${opts.versions.toLocaleString('en')} versions from ${corpus.templates.length} real pages, varied; ${how}; ${path})`);

    // ---- ingest -------------------------------------------------------------------------------------------
    const outcomes: Record<string, number> = {};
    const events: Record<string, number> = {};
    let versions = 0;
    let fetches = 0;
    let bytesIn = 0;
    let genSeconds = 0;
    if (process.env.BENCH_KEEP) log(`  (keeping the archive: ${path})`);
    const cpu0 = process.cpuUsage();
    let lastLog = now();
    const account = (f: FetchInput, r: IngestResult) => {
      fetches++;
      bytesIn += f.body?.length ?? 0;
      outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
      if (r.outcome === 'new_version') versions++;
      for (const e of r.events) events[e.kind] = (events[e.kind] ?? 0) + 1;
    };
    const progress = () => {
      peak.sample();
      if (now() - lastLog > 30) {
        lastLog = now();
        log(`  … ${versions.toLocaleString('en')} versions, ${(versions / (now() - phase0)).toFixed(0)} versions/s so far`);
      }
    };
    const phase0 = now();
    if (pool) {
      // the crawler's shape: fetches keep coming while earlier ones are parsed and committed
      const window: Promise<void>[] = [];
      while (versions < opts.versions) {
        while (window.length < 2 * batch) {
          const g = now();
          const f = corpus.next();
          genSeconds += now() - g;
          window.push(pool.ingest(f).then((r) => account(f, r)));
        }
        await window.shift();
        progress();
      }
      await Promise.all(window);
      await pool.close();
    } else {
      while (versions < opts.versions) {
        const g = now();
        const inputs: FetchInput[] = [];
        for (let i = 0; i < batch; i++) inputs.push(corpus.next());
        genSeconds += now() - g;
        const results: IngestResult[] = mode === 'fetch' ? inputs.map((f) => ingestFetch(db!, f)) : ingestBatch(db!, inputs);
        results.forEach((r, i) => account(inputs[i], r));
        progress();
      }
    }
    const phaseSeconds = now() - phase0;
    const ingestSeconds = phaseSeconds - genSeconds;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const counts = db.prepare(`SELECT (SELECT count(*) FROM documents) AS documents, (SELECT count(*) FROM versions) AS versions,
      (SELECT count(*) FROM reports) AS reports, (SELECT count(*) FROM report_cells) AS cells, (SELECT count(*) FROM blobs) AS blobs,
      (SELECT count(*) FROM changes) AS changes`).get() as Record<string, number>;
    log(`  fetches          ${fetches.toLocaleString('en')} (${Object.entries(outcomes).map(([k, v]) => `${k} ${v}`).join(', ')})`);
    log(`  stored           ${counts.documents.toLocaleString('en')} documents, ${counts.versions.toLocaleString('en')} versions, ${counts.reports.toLocaleString('en')} reports, ${counts.cells.toLocaleString('en')} cells, ${counts.blobs.toLocaleString('en')} blobs`);
    log(`  change events    ${Object.entries(events).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    log(`  ingest rate      ${(versions / ingestSeconds).toFixed(0)} versions/s, ${(fetches / ingestSeconds).toFixed(0)} fetches/s, ${(bytesIn / 1e6 / ingestSeconds).toFixed(1)} MB/s of bodies (target ≥ 1,000 reports/s)`);
    log(`                   ${ingestSeconds.toFixed(1)} s = ${phaseSeconds.toFixed(1)} s wall − ${genSeconds.toFixed(1)} s the bench spent making the fetches on the same thread (${(versions / phaseSeconds).toFixed(0)} versions/s with it)`);
    log(`                   ${cpuSeconds.toFixed(1)} s CPU, all threads (making the fetches included): ${(cpuSeconds * 1000 / versions).toFixed(2)} ms per version`);
    if (pool) {
      const st = pool.stats;
      const writer = st.planSeconds + st.commitSeconds;
      log(`                   writer thread busy ${writer.toFixed(1)} s (planning ${st.planSeconds.toFixed(1)} s, ${st.transactions} transactions ${st.commitSeconds.toFixed(1)} s): ${(writer * 1000 / versions).toFixed(2)} ms a version, wall`);
      log(`                   time — with any number of parse workers this thread alone allows at most ~${(versions / writer).toFixed(0)} versions/s`);
    }

    // ---- size ---------------------------------------------------------------------------------------------
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pageCount = db.pragma('page_count', { simple: true }) as number;
    const fileBytes = pageSize * pageCount;
    log(`  size             ${(fileBytes / 1e6).toFixed(0)} MB (${(statSync(path).size / 1e6).toFixed(0)} MB file): ${(fileBytes / counts.reports / 1024).toFixed(1)} KB per report, ${(fileBytes / counts.versions / 1024).toFixed(1)} KB per version; bodies received ${(bytesIn / 1e6).toFixed(0)} MB`);
    try {
      const parts = db.prepare(`SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC`).all() as { name: string; bytes: number }[];
      const groups = new Map<string, number>();
      for (const p of parts) {
        const g = p.name.startsWith('reports_fts') ? 'reports_fts*' : p.name.startsWith('reports_chars') ? 'reports_chars*' : p.name;
        groups.set(g, (groups.get(g) ?? 0) + p.bytes);
      }
      const top = [...groups].sort((a, b) => b[1] - a[1]).slice(0, 10);
      log(`                   ${top.map(([n, b]) => `${n} ${(b / counts.versions / 1024).toFixed(1)}`).join(', ')} (KB per version)`);
    } catch {
      // no dbstat in this SQLite build
    }

    // ---- search -------------------------------------------------------------------------------------------
    const reps = Number(process.env.BENCH_SEARCH_REPS ?? 20);
    const filters: Array<[string, SearchOptions]> = [
      ['', {}], ['province=浙江省', { province: '浙江省' }], ['year=2023', { year: 2023 }], ['province=浙江省 year=2023', { province: '浙江省', year: 2023 }],
    ];
    log(`  search           median / p95 over ${reps} runs, ${50} hits a page (target < 50 ms)`);
    for (const q of ['民政', '民政局', '政府信息公开']) {
      for (const [label, f] of filters) {
        const times: number[] = [];
        let hits = 0;
        for (let i = 0; i <= reps; i++) {
          const s = now();
          hits = search(db, q, f).length;
          if (i > 0) times.push((now() - s) * 1000); // the first run warms the cache
        }
        log(`    ${`"${q}" (${[...q].length})`.padEnd(18)} ${label.padEnd(24)} ${quantile(times, 0.5).toFixed(1).padStart(7)} ms ${quantile(times, 0.95).toFixed(1).padStart(7)} ms   ${hits} hits`);
      }
      peak.sample();
    }

    // ---- export -------------------------------------------------------------------------------------------
    {
      const s = now();
      const out = join(dir, 'applications_wide.csv');
      const fd = openSync(out, 'w');
      let rows = 0;
      let cols: string[] | null = null;
      let buf: string[] = [];
      for (const row of exportRows(db, 'applications_wide')) {
        if (!cols) {
          cols = Object.keys(row);
          buf.push(cols.join(','));
        }
        buf.push(cols.map((c) => csvCell(row[c])).join(','));
        if (++rows % 5000 === 0) {
          writeSync(fd, buf.join('\n') + '\n');
          buf = [];
          peak.sample();
        }
      }
      writeSync(fd, buf.join('\n') + '\n');
      closeSync(fd);
      log(`  export           applications_wide → CSV: ${rows.toLocaleString('en')} rows, ${(statSync(out).size / 1e6).toFixed(1)} MB in ${(now() - s).toFixed(2)} s`);
    }
    peak.sample();
    db.close();
    db = null;
    const maxRss = Math.max(peak.rss, process.resourceUsage().maxRSS * 1024);
    log(`  peak RSS         ${(maxRss / 1024 / 1024).toFixed(0)} MB`);
    log(`  total            ${(now() - t0).toFixed(1)} s`);
  } finally {
    if (db) db.close();
    if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  }
}
