/**
 * BatchCommitQueue: the writer's queue under IngestPool (pool.ts) and the crawler's CommitBatcher — items
 * whose CPU work runs elsewhere (worker threads) wait here in arrival order, and are committed many to a
 * transaction once their work is done. What is committed and how is the owner's (`commit`); when, in which
 * batches and who is told is this module's.
 *
 *   const q = new BatchCommitQueue<Entry, Result>({ maxBatch: 64, inOrder: true, commit: (batch) => outcomes });
 *   const result = await q.add(entry, () => work);  // resolves once the transaction holding entry committed
 *   await q.close();                               // commits what is pending first
 *
 * - An item is ready when its work promise resolves (null: no work, ready at once). A work that fails takes
 *   the item out (its promise rejected, nothing of it committed); so does one that throws as it starts.
 * - `inOrder`: only the ready head of the queue is committed, so items commit in arrival order; otherwise any
 *   ready items, in arrival order among them.
 * - A full batch (`maxBatch` ready) commits at once. A shorter one commits on flush(), and otherwise: with
 *   `maxDelayMs`, that long after it became ready (others may still join it); without, once no item in the
 *   queue is still being worked on (the caller waits on them).
 * - Each item's promise settles only after `commit` returned, i.e. after its transaction committed; `commit`
 *   gives each item its own outcome, and a throw rejects every item of the batch.
 * - Waiters of flush() are resolved once the queue is empty; close() = flush, then no more items.
 */

export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface BatchCommitQueueOptions<T, R> {
  /** most items committed in one transaction */
  maxBatch: number;
  /** a partial batch waits at most this long for others (undefined: until nothing else is being worked on) */
  maxDelayMs?: number;
  /** commit only the ready head of the queue (results in arrival order) rather than any ready items */
  inOrder: boolean;
  /** commit the batch in one transaction; one outcome per item, in the batch's order (a throw fails them all) */
  commit: (batch: T[]) => Outcome<R>[];
}

interface Slot<T, R> {
  item: T;
  ready: boolean;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export class BatchCommitQueue<T, R> {
  private slots: Slot<T, R>[] = [];
  /** slots whose work is done (anywhere in the queue) */
  private readyCount = 0;
  /** the queue's first `readyHead` slots are known ready (only ready slots leave from the head, none turns unready) */
  private readyHead = 0;
  private waiters: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;
  private immediate = false;
  private closedNow = false;

  constructor(private readonly opts: BatchCommitQueueOptions<T, R>) {}

  /** Items added and not yet committed (or rejected). */
  get pending(): number {
    return this.slots.length;
  }

  /** close() was called: add() rejects. */
  get closed(): boolean {
    return this.closedNow;
  }

  /**
   * Queue an item and start its work (`work()`: resolves when the item is ready to commit; null: it is already).
   * Resolves with the item's outcome once committed; a work that throws or rejects rejects it.
   */
  add(item: T, work: () => Promise<unknown> | null): Promise<R> {
    if (this.closedNow) return Promise.reject(new Error('BatchCommitQueue is closed'));
    let done: Promise<unknown> | null;
    try {
      done = work();
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<R>((resolve, reject) => {
      const slot: Slot<T, R> = { item, ready: false, resolve, reject };
      this.slots.push(slot);
      if (done === null) this.markReady(slot);
      else done.then(() => this.markReady(slot), (error) => this.drop(slot, error));
    });
  }

  /** Resolves when everything added so far is committed or rejected. */
  flush(): Promise<void> {
    if (!this.slots.length) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.schedule();
    });
  }

  /** Commit what is pending; later add() calls reject. */
  async close(): Promise<void> {
    await this.flush();
    this.closedNow = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private markReady(slot: Slot<T, R>): void {
    slot.ready = true;
    this.readyCount++;
    this.schedule();
  }

  /** An item whose work failed: out of the queue, its promise rejected. */
  private drop(slot: Slot<T, R>, error: unknown): void {
    const at = this.slots.indexOf(slot);
    if (at < 0) return;
    this.slots.splice(at, 1);
    slot.reject(error);
    if (this.slots.length) this.schedule();
    else this.resolveWaiters();
  }

  /** The ready items that could commit now: the ready head (inOrder) or all of them. */
  private readyNow(): number {
    if (!this.opts.inOrder) return this.readyCount;
    while (this.readyHead < this.slots.length && this.slots[this.readyHead].ready) this.readyHead++;
    return this.readyHead;
  }

  /** Decide when to commit: now (a full batch, a flush, nothing else coming), after maxDelayMs, or not yet. */
  private schedule(): void {
    const ready = this.readyNow();
    if (ready === 0) return;
    const timed = this.opts.maxDelayMs !== undefined;
    if (ready >= this.opts.maxBatch || this.waiters.length || (!timed && ready === this.slots.length)) {
      if (this.immediate) return;
      this.immediate = true;
      setImmediate(() => {
        this.immediate = false;
        this.commitReady();
      });
    } else if (timed && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.commitReady();
      }, this.opts.maxDelayMs);
    }
  }

  /**
   * Commit the ready items in batches of maxBatch. A shorter batch goes too when its time has come (timed),
   * a flush waits, or nothing else in the queue is being worked on; otherwise it waits for more.
   */
  private commitReady(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    for (;;) {
      const ready = this.readyNow();
      if (ready === 0) break;
      const partialOk = this.opts.maxDelayMs !== undefined || this.waiters.length > 0 || ready === this.slots.length;
      if (ready < this.opts.maxBatch && !partialOk) break;
      this.commit(this.take(Math.min(ready, this.opts.maxBatch)));
    }
    if (!this.slots.length) this.resolveWaiters();
  }

  /** Take the first `n` ready slots out of the queue. */
  private take(n: number): Slot<T, R>[] {
    this.readyCount -= n;
    if (this.opts.inOrder) {
      this.readyHead -= n;
      return this.slots.splice(0, n);
    }
    const batch: Slot<T, R>[] = [];
    const rest: Slot<T, R>[] = [];
    for (const s of this.slots) (s.ready && batch.length < n ? batch : rest).push(s);
    this.slots = rest;
    return batch;
  }

  private commit(batch: Slot<T, R>[]): void {
    let outcomes: Outcome<R>[];
    try {
      outcomes = this.opts.commit(batch.map((s) => s.item));
    } catch (error) {
      for (const s of batch) s.reject(error);
      return;
    }
    batch.forEach((s, i) => {
      const o = outcomes[i];
      if (o.ok) s.resolve(o.value);
      else s.reject(o.error);
    });
  }

  private resolveWaiters(): void {
    if (!this.waiters.length) return;
    const waiting = this.waiters;
    this.waiters = [];
    for (const resolve of waiting) resolve();
  }
}
