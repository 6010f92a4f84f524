/**
 * WorkWorkers (storage/work-workers.ts), the worker threads of IngestPool and CommitBatcher: a job done on a
 * worker gives what it gives on this thread, and a worker that dies loses no job — what it had in hand is
 * done here, and later jobs too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_DERIVER } from '../../storage/derive.ts';
import { planFetch, workFetch } from '../../storage/ingest.ts';
import { WorkWorkers } from '../../storage/work-workers.ts';
import { allPages, fetchOf, tempArchive } from '../storage/helpers.ts';

const open: Array<{ close?: () => Promise<void>; cleanup?: () => void }> = [];
afterEach(async () => {
  for (const o of open.splice(0)) await (o.close?.() ?? o.cleanup?.());
});

function plans(n: number) {
  const a = tempArchive();
  open.push(a);
  return allPages().slice(0, n).map((p) => planFetch(a.db, fetchOf(p)));
}

describe('WorkWorkers', () => {
  it('a worker does the work this thread would', async () => {
    const ps = plans(3);
    const w = new WorkWorkers(1);
    open.push(w);
    expect(w.size).toBe(1);
    const done = await Promise.all(ps.map((p) => w.run(p)));
    const here = ps.map((p) => workFetch(p));
    expect(done.map((d) => d.derivation)).toEqual(here.map((h) => h.derivation));
    expect(done.map((d) => d.codec)).toEqual(here.map((h) => h.codec));
    done.forEach((d, i) => expect(Buffer.compare(d.data!, here[i].data!)).toBe(0));
    expect(done.every((d) => d.derivation !== null)).toBe(true);
  });

  it('a worker that dies: its jobs in hand and every later one are done on this thread', async () => {
    const ps = plans(3);
    const w = new WorkWorkers(1, undefined, new URL('./fixtures/dying-worker.mjs', import.meta.url));
    open.push(w);
    const inHand = ps.slice(0, 2).map((p) => w.run(p));
    const done = await Promise.all(inHand);
    expect(w.size).toBe(0);
    expect(w.started).toBe(1);
    const later = await w.run(ps[2]);
    expect([...done, later].map((d) => d.derivation)).toEqual(ps.map((p) => workFetch(p).derivation));
  });

  it('no workers (a custom deriver): everything here, with that deriver', async () => {
    const [p] = plans(1);
    const deriver = { ...DEFAULT_DERIVER, parserVersion: 'test-1' };
    const w = new WorkWorkers(2, deriver);
    open.push(w);
    expect(w.size).toBe(0);
    const work = await w.run(p);
    expect(work.derivation?.parserVersion).toBe('test-1');
    expect(work.derivation).toEqual(workFetch(p, deriver).derivation);
  });
});
