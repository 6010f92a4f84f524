/**
 * BatchCommitQueue (storage/batch-commit-queue.ts), the queue under IngestPool and CommitBatcher: which ready
 * items go into which batch and when, and that every item's promise settles after its batch's commit with
 * its own outcome. Work is a promise the test settles by hand.
 */
import { describe, expect, it } from 'vitest';
import { BatchCommitQueue, type BatchCommitQueueOptions, type Outcome } from '../../storage/batch-commit-queue.ts';

/** A work promise settled by the test. */
function gate() {
  let open!: () => void;
  let fail!: (e: unknown) => void;
  const done = new Promise<void>((resolve, reject) => ((open = resolve), (fail = reject)));
  return { done, open, fail };
}

/** Let setImmediate callbacks (the queue's "commit now") run. */
const turn = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

/** A queue over strings whose commit records its batches and answers each item with `<item>!` (or fails `bad*`). */
function recording(opts: Omit<BatchCommitQueueOptions<string, string>, 'commit'>) {
  const batches: string[][] = [];
  const q = new BatchCommitQueue<string, string>({
    ...opts,
    commit: (batch) => {
      batches.push(batch);
      return batch.map((s): Outcome<string> => (s.startsWith('bad') ? { ok: false, error: new Error(`${s} failed`) } : { ok: true, value: `${s}!` }));
    },
  });
  return { q, batches };
}

describe('BatchCommitQueue', () => {
  it('in order: the ready head commits in full batches, a shorter one once nothing is being worked on', async () => {
    const { q, batches } = recording({ maxBatch: 2, inOrder: true });
    const g = ['a', 'b', 'c', 'd', 'e'].map(() => gate());
    const results = ['a', 'b', 'c', 'd', 'e'].map((s, i) => q.add(s, () => g[i].done));
    // b, c, d ready behind an unready head: nothing commits
    for (const i of [1, 2, 3]) g[i].open();
    await turn();
    expect(batches).toEqual([]);
    expect(q.pending).toBe(5);
    // the head is ready: two full batches; e is still worked on, so d waits for it
    g[0].open();
    await turn();
    expect(batches).toEqual([['a', 'b'], ['c', 'd']]);
    expect(q.pending).toBe(1);
    g[4].open();
    expect(await Promise.all(results)).toEqual(['a!', 'b!', 'c!', 'd!', 'e!']);
    expect(batches).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('any order, timed: ready items commit past an unready one, a partial batch after maxDelayMs', async () => {
    const { q, batches } = recording({ maxBatch: 3, inOrder: false, maxDelayMs: 40 });
    const slow = gate();
    const s = q.add('slow', () => slow.done);
    const x = q.add('x', () => null);
    const y = q.add('y', () => null);
    await turn();
    // two ready, a batch is three: they wait for the delay
    expect(batches).toEqual([]);
    expect(await Promise.all([x, y])).toEqual(['x!', 'y!']);
    expect(batches).toEqual([['x', 'y']]);
    // a full batch does not wait
    const more = ['p', 'q', 'r'].map((v) => q.add(v, () => null));
    await turn();
    expect(batches).toEqual([['x', 'y'], ['p', 'q', 'r']]);
    await Promise.all(more);
    slow.open();
    expect(await s).toBe('slow!');
  });

  it('a failed work rejects its item alone; a failed outcome its item alone; a throwing commit its whole batch', async () => {
    let throwing = false;
    const batches: string[][] = [];
    const q = new BatchCommitQueue<string, string>({
      maxBatch: 10,
      inOrder: true,
      commit: (batch) => {
        if (throwing) throw new Error('cannot commit');
        batches.push(batch);
        return batch.map((v): Outcome<string> => (v === 'bad' ? { ok: false, error: new Error('bad item') } : { ok: true, value: v }));
      },
    });
    const broken = gate();
    const settled = Promise.allSettled([
      q.add('a', () => null),
      q.add('lost', () => broken.done),
      q.add('bad', () => null),
      q.add('thrown', () => {
        throw new Error('work would not start');
      }),
      q.add('c', () => null),
    ]);
    broken.fail(new Error('worker died'));
    const [a, lost, bad, thrown, c] = await settled;
    expect([a, c]).toEqual([{ status: 'fulfilled', value: 'a' }, { status: 'fulfilled', value: 'c' }]);
    expect(lost).toMatchObject({ status: 'rejected', reason: { message: 'worker died' } });
    expect(bad).toMatchObject({ status: 'rejected', reason: { message: 'bad item' } });
    expect(thrown).toMatchObject({ status: 'rejected', reason: { message: 'work would not start' } });
    // the lost and thrown items never reached a commit
    expect(batches.flat()).toEqual(['a', 'bad', 'c']);

    throwing = true;
    const both = await Promise.allSettled([q.add('d', () => null), q.add('e', () => null)]);
    expect(both.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual(['cannot commit', 'cannot commit']);
    expect(q.pending).toBe(0);
  });

  it('flush commits a partial batch and waits for work still running; close drains, then refuses', async () => {
    const { q, batches } = recording({ maxBatch: 100, inOrder: false, maxDelayMs: 60_000 });
    const late = gate();
    const results = [q.add('a', () => null), q.add('late', () => late.done)];
    const flushed = q.flush();
    await turn();
    expect(batches).toEqual([['a']]);
    let done = false;
    void flushed.then(() => (done = true));
    await turn();
    expect(done).toBe(false);
    late.open();
    await flushed;
    expect(batches).toEqual([['a'], ['late']]);
    expect(await Promise.all(results)).toEqual(['a!', 'late!']);

    const last = q.add('z', () => null);
    await q.close();
    expect(await last).toBe('z!');
    expect(q.closed).toBe(true);
    await expect(q.add('after', () => null)).rejects.toThrow(/closed/);
  });
});
