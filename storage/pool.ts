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
import { NO_WORK, needsWork, WorkWorkers } from './work-workers.ts';
import { BatchCommitQueue, type Outcome } from './batch-commit-queue.ts';

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
  private readonly pool: WorkWorkers;
  /** in submission order: results are those of ingesting one by one */
  private readonly queue: BatchCommitQueue<Entry, IngestResult>;

  constructor(
    private readonly db: Archive,
    private readonly opts: IngestPoolOptions = {},
  ) {
    const deriver = opts.deriver ?? DEFAULT_DERIVER;
    const n = deriver === DEFAULT_DERIVER && (opts.workers ?? 1) > 0 ? Math.max(1, opts.workers ?? availableParallelism() - 1) : 0;
    this.pool = new WorkWorkers(n, deriver);
    this.queue = new BatchCommitQueue({ maxBatch: Math.max(1, opts.batchSize ?? 256), inOrder: true, commit: (batch) => this.commit(batch) });
  }

  /** Worker threads parsing (0: the work is done on this thread). */
  get workers(): number {
    return this.pool.size;
  }

  /** Fetches submitted and not yet committed. */
  get pending(): number {
    return this.queue.pending;
  }

  /** Store a fetch (see ingestFetch). Resolves with its result once it is committed. */
  ingest(input: FetchInput): Promise<IngestResult> {
    if (this.queue.closed) return Promise.reject(new Error('IngestPool is closed'));
    let plan: FetchPlan;
    const t = seconds();
    try {
      plan = planFetch(this.db, input, this.opts);
    } catch (e) {
      return Promise.reject(e);
    } finally {
      this.stats.planSeconds += seconds() - t;
    }
    const entry: Entry = { plan, work: needsWork(plan) ? null : NO_WORK };
    return this.queue.add(entry, () => (entry.work ? null : this.pool.run(plan).then((work) => void (entry.work = work))));
  }

  /** Resolves when everything submitted so far is committed (or rejected). */
  flush(): Promise<void> {
    return this.queue.flush();
  }

  /** Commit what is pending, then stop the workers. */
  async close(): Promise<void> {
    await this.queue.close();
    await this.pool.close();
  }

  /** One transaction for the batch; if it rolls back, fetch by fetch, so only a fetch that fails on its own is rejected. */
  private commit(batch: Entry[]): Outcome<IngestResult>[] {
    const prepared: PreparedFetch[] = batch.map((e) => ({ ...e.plan, ...e.work! }));
    const t = seconds();
    this.stats.fetches += batch.length;
    this.stats.transactions++;
    try {
      return commitFetches(this.db, prepared, this.opts).map((value) => ({ ok: true, value }));
    } catch {
      return prepared.map((p): Outcome<IngestResult> => {
        try {
          return { ok: true, value: commitFetches(this.db, [p], this.opts)[0] };
        } catch (error) {
          return { ok: false, error };
        }
      });
    } finally {
      this.stats.commitSeconds += seconds() - t;
    }
  }
}
