/**
 * CommitBatcher: the crawl's writer. Completed fetches are committed many to a transaction, with their CPU
 * work (compressing, parsing) done on worker threads, and the crash safety of commitFetch kept whole:
 *
 *   - each fetch commits with its frontier transition (done / retry / failed / skipped) and the links it
 *     found, in its own savepoint inside the batch's transaction — all of it or none of it;
 *   - a fetch's promise resolves only after the transaction holding it has committed; until then its
 *     frontier row stays in_flight, so a SIGKILL leaves it to recoverInFlight: fetched again, stored once;
 *   - a stale lease rejects that fetch only; anything else failing rolls the batch back, and it is committed
 *     again fetch by fetch, each in its own savepoint, so only the fetch at fault is rejected; a transaction
 *     that cannot commit at all rejects every fetch in it (nothing of them stored).
 *
 * The fetches of a batch are stored by one storage commitFetches call (its search index is written once per
 * call), then each item is settled.
 *
 * A fetch is planned on this thread when submitted (planFetch: hash, "stored already?"); its work goes to a
 * worker; a batch commits once `maxBatch` fetches are ready, or `maxDelayMs` after the first one was, or at
 * flush(). Workers start only once `poolAfter` fetches have needed work: a small crawl parses on this thread
 * and never pays for starting them.
 */
import { availableParallelism } from 'node:os';
import { commitFetches, planFetch, type FetchPlan, type FetchWork, type IngestOptions, type PreparedFetch } from '../storage/ingest.ts';
import { documentKind } from '../parsers/documents/detect.ts';
import type { Archive } from '../storage/types.ts';
import { checkLease, commitPrepared, fetchInputs, settleFetch, type CommitOptions, type CommitResult } from './commit.ts';
import type { FetchResult } from './fetcher.ts';
import type { FrontierItem } from './frontier.ts';
import { NO_WORK, needsWork, WorkWorkers } from '../storage/work-workers.ts';
import { BatchCommitQueue, type Outcome } from '../storage/batch-commit-queue.ts';
import { CpuLedger } from './thread-cpu.ts';

export interface CommitBatcherOptions {
  /** fetches committed in one transaction at most (default 64) */
  maxBatch?: number;
  /** a ready fetch waits at most this long for others to join its batch (default 50 ms) */
  maxDelayMs?: number;
  /** worker threads (default: cores − 1, at least 1; 0 = all work on this thread) */
  workers?: number;
  /** start the workers once this many fetches needed work (default 32) */
  poolAfter?: number;
  /** storage options (a custom deriver keeps the work on this thread) */
  ingest?: IngestOptions;
  /** sum this thread's CPU by step in `cpu` (the crawl benchmark's breakdown; costs a syscall per step) */
  measure?: boolean;
}

interface Pending {
  item: FrontierItem;
  result: FetchResult;
  opts: CommitOptions;
  plans: FetchPlan[];
  work: (FetchWork | null)[];
}

/** A fetched PDF/DOCX to be parsed (what parsers/fetched.ts sends to the document readers). */
function isReportFile(p: FetchPlan): boolean {
  if (!p.parse || !p.body) return false;
  const ct = p.headers['content-type'];
  return documentKind(p.body, Array.isArray(ct) ? ct[0] : ct ?? null, p.input.url) !== null;
}

export class CommitBatcher {
  /** transactions committed, fetches in them */
  readonly stats = { transactions: 0, fetches: 0 };
  /** this thread's CPU (ms) by step, with `measure`: plan (hash, lookups), work (parsing here, no worker yet),
   *  dispatch (to a worker), transaction (all of it), store (storage's commitFetches inside it), settle (the
   *  frontier side inside it); the crawl adds lease */
  readonly cpu: CpuLedger;
  private readonly wantWorkers: number;
  private readonly poolAfter: number;
  private readonly pool: WorkWorkers;
  /** any ready fetches commit, not only the queue's head: a crawl's fetches need no order, a slow parse holds back only its own */
  private readonly queue: BatchCommitQueue<Pending, CommitResult>;
  private workSeen = 0;

  constructor(private readonly db: Archive, private readonly opts: CommitBatcherOptions = {}) {
    const custom = opts.ingest?.deriver !== undefined;
    this.wantWorkers = custom ? 0 : Math.max(0, opts.workers ?? Math.max(1, availableParallelism() - 1));
    this.poolAfter = Math.max(0, opts.poolAfter ?? 32);
    this.pool = new WorkWorkers(0, opts.ingest?.deriver);
    this.cpu = new CpuLedger(opts.measure === true);
    this.queue = new BatchCommitQueue({
      maxBatch: Math.max(1, opts.maxBatch ?? 64),
      maxDelayMs: Math.max(0, opts.maxDelayMs ?? 50),
      inOrder: false,
      commit: (batch) => this.commit(batch),
    });
  }

  /** Fetches submitted and not yet committed (or rejected). */
  get pending(): number {
    return this.queue.pending;
  }

  /** Worker threads running. */
  get workers(): number {
    return this.pool.size;
  }

  /**
   * The caller knows about `n` fetches are coming (a crawl's queue at its start): more than `poolAfter`, and the
   * workers start now rather than after `poolAfter` fetches were parsed on this thread.
   */
  expect(n: number): void {
    if (this.wantWorkers > 0 && this.pool.started === 0 && n > this.poolAfter) this.pool.start(this.wantWorkers);
  }

  /** Commit a fetch (see commitFetch). Resolves once the transaction holding it has committed. */
  submit(item: FrontierItem, result: FetchResult, opts: CommitOptions = {}): Promise<CommitResult> {
    if (this.queue.closed) return Promise.reject(new Error('CommitBatcher is closed'));
    let plans: FetchPlan[];
    try {
      plans = this.cpu.time('plan', () => fetchInputs(item, result, opts.unit).map((input) => planFetch(this.db, input, opts.ingest ?? this.opts.ingest)), 8);
    } catch (e) {
      return Promise.reject(e);
    }
    const entry: Pending = { item, result, opts, plans, work: plans.map((p) => (needsWork(p) ? null : NO_WORK)) };
    return this.queue.add(entry, () => {
      const working: Promise<void>[] = [];
      plans.forEach((plan, i) => {
        if (!entry.work[i]) working.push(this.dispatch(plan).then((work) => void (entry.work[i] = work)));
      });
      return working.length === 0 ? null : working.length === 1 ? working[0] : Promise.all(working);
    });
  }

  /** Resolves when everything submitted so far is committed or rejected. */
  flush(): Promise<void> {
    return this.queue.flush();
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.pool.close();
  }

  /** A plan's CPU work: on a worker, or here (at once) while none runs. */
  private dispatch(plan: FetchPlan): Promise<FetchWork> {
    this.workSeen++;
    // a report file (PDF/DOCX) takes seconds to read: on this thread it would stall every fetch and timer, so
    // the first one starts the workers at once
    if (this.wantWorkers > 0 && this.pool.started === 0 && (this.workSeen > this.poolAfter || isReportFile(plan))) {
      this.pool.start(this.wantWorkers);
    }
    return this.cpu.time(this.pool.size ? 'dispatch' : 'work', () => this.pool.run(plan), 8);
  }

  /** One transaction for the batch. A throw (the transaction cannot commit at all) rejects every fetch of it. */
  private commit(batch: Pending[]): Outcome<CommitResult>[] {
    let outcomes: Outcome<CommitResult>[];
    try {
      outcomes = this.cpu.time('transaction', () => this.commitTogether(batch));
    } catch {
      // something in the batch failed: commit fetch by fetch, each in its own savepoint, so only the one at
      // fault is rejected
      outcomes = this.commitApart(batch);
    }
    this.stats.transactions++;
    this.stats.fetches += batch.length;
    return outcomes;
  }

  private prepared(e: Pending): PreparedFetch[] {
    return e.plans.map((p, i) => ({ ...p, ...e.work[i]! }));
  }

  /**
   * The fast path: every fetch of the batch stored by ONE commitFetches call (storage indexes the batch's
   * reports for search together, one index segment per batch), then each item settled. Throws (and the
   * transaction rolls back) if anything but a stale lease fails.
   */
  private commitTogether(batch: Pending[]): Outcome<CommitResult>[] {
    return this.db.transaction((): Outcome<CommitResult>[] => {
      const outcomes: Outcome<CommitResult>[] = batch.map(() => ({ ok: false, error: null }));
      const live: number[] = [];
      batch.forEach((e, i) => {
        try {
          checkLease(this.db, e.item);
          live.push(i);
        } catch (error) {
          outcomes[i] = { ok: false, error };
        }
      });
      const all = live.flatMap((i) => this.prepared(batch[i]));
      const ingested = all.length ? this.cpu.time('store', () => commitFetches(this.db, all, this.opts.ingest)) : [];
      let at = 0;
      this.cpu.time('settle', () => {
        for (const i of live) {
          const e = batch[i];
          const mine = ingested.slice(at, at + e.plans.length);
          at += e.plans.length;
          outcomes[i] = { ok: true, value: settleFetch(this.db, e.item, e.result, mine, { ingest: this.opts.ingest, ...e.opts }) };
        }
      });
      return outcomes;
    }).immediate();
  }

  private commitApart(batch: Pending[]): Outcome<CommitResult>[] {
    return this.db.transaction((): Outcome<CommitResult>[] => batch.map((e): Outcome<CommitResult> => {
      try {
        // a savepoint: a fetch that fails takes back only its own writes
        return { ok: true, value: this.db.transaction(() => commitPrepared(this.db, e.item, e.result, this.prepared(e), { ingest: this.opts.ingest, ...e.opts }))() };
      } catch (error) {
        return { ok: false, error };
      }
    })).immediate();
  }
}
