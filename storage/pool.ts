/**
 * IngestPool: ingest on every core. Parsing and compressing (pure CPU, most of an ingest's cost) run on
 * worker threads; this thread plans each fetch (planFetch: hash, "already stored? already the current
 * version?"), and commits finished fetches in submission order, many in one transaction (commitFetches).
 *
 *   const pool = new IngestPool(db);
 *   const result = await pool.ingest(fetch);   // resolves once the fetch is committed
 *   await pool.close();
 *
 * Same guarantees as ingestFetch: each fetch is stored whole or not at all, and a fetch whose promise has
 * resolved survives a crash (it was committed). Results are exactly those of ingesting the fetches one by
 * one in submission order; a batch that fails to commit is retried fetch by fetch, so one bad fetch
 * rejects only its own promise. Only the default parser runs on workers; with a custom deriver
 * (IngestOptions.deriver) the work is done on this thread.
 */
import { availableParallelism } from 'node:os';
import { DEFAULT_DERIVER } from './derive.ts';
import { commitFetches, planFetch, type FetchPlan, type FetchWork, type IngestOptions, type PreparedFetch } from './ingest.ts';
import type { Archive, FetchInput, IngestResult } from './types.ts';
import { WorkWorkers } from './work-workers.ts';

export interface IngestPoolOptions extends IngestOptions {
  /**
   * worker threads (default: one fewer than the cores, at least one — this thread writes; measured on 2
   * cores, a second worker only added CPU overhead)
   */
  workers?: number;
  /** most fetches committed in one transaction (default 256: larger transactions cost less a fetch — commit CPU 2.6 ms a version at 128, 2.1 at 1,024, one measurement on a busy machine) */
  batchSize?: number;
}

interface Entry {
  plan: FetchPlan;
  work: FetchWork | null;
  resolve: (r: IngestResult) => void;
  reject: (e: unknown) => void;
}


/** What this thread spent writing (the part of ingest that does not spread over cores). */
export interface IngestPoolStats {
  fetches: number;
  transactions: number;
  /** planFetch: hashing, "stored already?" lookups */
  planSeconds: number;
  /** commitFetches: the transactions */
  commitSeconds: number;
}

const seconds = () => Number(process.hrtime.bigint()) / 1e9;

export class IngestPool {
  readonly stats: IngestPoolStats = { fetches: 0, transactions: 0, planSeconds: 0, commitSeconds: 0 };
  private readonly queue: Entry[] = [];
  private readonly pool: WorkWorkers;
  private readonly batchSize: number;
  private scheduled = false;
  private closed = false;
  private idle: Array<() => void> = [];

  constructor(
    private readonly db: Archive,
    private readonly opts: IngestPoolOptions = {},
  ) {
    this.batchSize = Math.max(1, opts.batchSize ?? 256);
    const deriver = opts.deriver ?? DEFAULT_DERIVER;
    const n = deriver === DEFAULT_DERIVER && (opts.workers ?? 1) > 0 ? Math.max(1, opts.workers ?? availableParallelism() - 1) : 0;
    this.pool = new WorkWorkers(n, deriver);
  }

  /** Worker threads parsing (0: the work is done on this thread). */
  get workers(): number {
    return this.pool.size;
  }

  /** Fetches submitted and not yet committed. */
  get pending(): number {
    return this.queue.length;
  }

  /** Store a fetch (see ingestFetch). Resolves with its result once it is committed. */
  ingest(input: FetchInput): Promise<IngestResult> {
    if (this.closed) return Promise.reject(new Error('IngestPool is closed'));
    let plan: FetchPlan;
    const t = seconds();
    try {
      plan = planFetch(this.db, input, this.opts);
    } catch (e) {
      return Promise.reject(e);
    } finally {
      this.stats.planSeconds += seconds() - t;
    }
    return new Promise<IngestResult>((resolve, reject) => {
      const entry: Entry = { plan, work: null, resolve, reject };
      this.queue.push(entry);
      if (!plan.compress && !plan.parse) entry.work = { codec: null, data: null, derivation: null };
      else this.dispatch(entry);
      this.schedule();
    });
  }

  /** Resolves when everything submitted so far is committed (or rejected). */
  flush(): Promise<void> {
    if (!this.queue.length) return Promise.resolve();
    return new Promise((resolve) => {
      this.idle.push(resolve);
      this.schedule();
    });
  }

  /** Commit what is pending, then stop the workers. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    await this.pool.close();
  }

  private dispatch(entry: Entry): void {
    this.pool.run(entry.plan).then(
      (work) => {
        entry.work = work;
        this.schedule();
      },
      (error) => {
        // its work failed: out of the queue, its promise rejected (nothing of it stored)
        const at = this.queue.indexOf(entry);
        if (at >= 0) this.queue.splice(at, 1);
        entry.reject(error);
        this.schedule();
      },
    );
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.commitReady();
    });
  }

  /**
   * Commit the finished prefix of the queue: in batches of batchSize, and a shorter batch only when nothing
   * submitted is still being worked on (the caller is waiting for it) or a flush asked for it.
   */
  private commitReady(): void {
    for (;;) {
      let ready = 0;
      while (ready < this.queue.length && this.queue[ready].work !== null) ready++;
      if (ready === 0) break;
      const allReady = ready === this.queue.length;
      if (ready < this.batchSize && !allReady && !this.idle.length) break;
      const batch = this.queue.splice(0, Math.min(ready, this.batchSize));
      this.commit(batch);
    }
    if (!this.queue.length && this.idle.length) {
      const waiting = this.idle;
      this.idle = [];
      for (const resolve of waiting) resolve();
    }
  }

  private commit(batch: Entry[]): void {
    const prepared: PreparedFetch[] = batch.map((e) => ({ ...e.plan, ...e.work! }));
    let results: IngestResult[];
    const t = seconds();
    this.stats.fetches += batch.length;
    this.stats.transactions++;
    try {
      results = commitFetches(this.db, prepared, this.opts);
    } catch {
      // the batch rolled back: commit one by one, so only a fetch that fails on its own is rejected
      batch.forEach((e, i) => {
        try {
          e.resolve(commitFetches(this.db, [prepared[i]], this.opts)[0]);
        } catch (err) {
          e.reject(err);
        }
      });
      return;
    } finally {
      this.stats.commitSeconds += seconds() - t;
    }
    batch.forEach((e, i) => e.resolve(results[i]));
  }
}
