/**
 * WorkWorkers: the worker threads that do a fetch's CPU work (workFetch: compress, parse) for IngestPool
 * (pool.ts) and the crawler's CommitBatcher — one place for spawning them, least-loaded dispatch, ref/unref
 * and crash handling.
 *
 *   const workers = new WorkWorkers(1);      // 0: every job runs on this thread
 *   const work = await workers.run(plan);    // FetchWork, wherever it was done
 *   await workers.close();
 *
 * A worker that dies (crash, exit) takes nothing with it: the jobs it had in hand are done on this thread.
 * An idle worker does not keep the process alive; one with jobs does. Workers may be started later than the
 * constructor (start()): a small crawl never pays for starting them.
 */
import { Worker } from 'node:worker_threads';
import { DEFAULT_DERIVER, type Deriver } from './derive.ts';
import { workFetch, type FetchPlan, type FetchWork } from './ingest.ts';
import type { WorkRequest, WorkResponse } from './pool-worker.ts';

/** the worker entry (pool-worker.ts through tsx) */
export const WORK_WORKER_URL = new URL('./pool-worker.mjs', import.meta.url);

interface Job {
  plan: FetchPlan;
  resolve: (w: FetchWork) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
  dead: boolean;
}

/** The work of a plan that needs none (nothing to compress or parse: stored already, or kept as is). */
export const NO_WORK: FetchWork = { codec: null, data: null, derivation: null };

/** Whether a plan has CPU work to do (else its work is NO_WORK, ready at once). */
export function needsWork(plan: FetchPlan): boolean {
  return plan.compress || plan.parse;
}

/** Work on this thread: a job's error is its promise's, never a throw out of run(). */
function workHere(plan: FetchPlan, deriver?: Deriver): Promise<FetchWork> {
  try {
    return Promise.resolve(workFetch(plan, deriver));
  } catch (e) {
    return Promise.reject(e);
  }
}

export class WorkWorkers {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closed = false;

  /**
   * @param count worker threads started now (more with start())
   * @param deriver jobs run on this thread use it; workers always run the default parser, so a custom deriver
   *   means no workers at all
   * @param entry the worker script (tests give one that dies)
   */
  constructor(count = 0, private readonly deriver: Deriver = DEFAULT_DERIVER, private readonly entry: URL = WORK_WORKER_URL) {
    this.start(count);
  }

  /** Workers alive. */
  get size(): number {
    let n = 0;
    for (const s of this.slots) if (!s.dead) n++;
    return n;
  }

  /** Workers ever started (alive or dead). */
  get started(): number {
    return this.slots.length;
  }

  /** Start `count` more workers (none with a custom deriver, or once closed). */
  start(count: number): void {
    if (this.closed || this.deriver !== DEFAULT_DERIVER) return;
    for (let i = 0; i < count; i++) this.slots.push(this.spawn());
  }

  /** The CPU work of a planned fetch: on the least-loaded worker, or here when none is alive. */
  run(plan: FetchPlan): Promise<FetchWork> {
    let slot: Slot | null = null;
    for (const s of this.slots) if (!s.dead && (slot === null || s.jobs.size < slot.jobs.size)) slot = s;
    if (!slot) return workHere(plan, this.deriver);
    const id = this.nextId++;
    if (!slot.jobs.size) slot.worker.ref();
    const req: WorkRequest = { id, url: plan.input.url, headers: plan.headers, body: plan.body!, compress: plan.compress, parse: plan.parse };
    const target = slot;
    return new Promise<FetchWork>((resolve, reject) => {
      target.jobs.set(id, { plan, resolve, reject });
      target.worker.postMessage(req);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(this.entry);
    const slot: Slot = { worker, jobs: new Map(), dead: false };
    // an idle worker does not keep the process alive
    worker.unref();
    worker.on('message', (m: WorkResponse) => {
      const job = slot.jobs.get(m.id);
      if (!job) return;
      slot.jobs.delete(m.id);
      if (!slot.jobs.size) worker.unref();
      job.resolve({ codec: m.codec, data: m.data ? Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength) : null, derivation: m.derivation });
    });
    const fail = () => {
      if (slot.dead) return;
      slot.dead = true;
      // what it had in hand is done here instead
      const jobs = [...slot.jobs.values()];
      slot.jobs.clear();
      for (const job of jobs) workHere(job.plan).then(job.resolve, job.reject);
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    return slot;
  }
}
