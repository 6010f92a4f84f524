/**
 * HostLimiter + GlobalGate on their own: the politeness rules (per-host concurrency, spacing between starts,
 * rest after an answer per slot, Retry-After pauses, global concurrency) read from when each job really ran,
 * and aborts that take a waiting request out without running it.
 */
import { describe, expect, it } from 'vitest';
import { GlobalGate } from '../../crawlers/global-gate.ts';
import { HostLimiter } from '../../crawlers/host-limiter.ts';

// timers may fire a hair early against performance.now()
const EPS = 2;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Span {
  host: string;
  i: number;
  start: number;
  end: number;
}

/** Run `n` jobs of `ms` each on a limiter, recording when each began and ended, and the most in flight at once. */
function jobs(limiter: HostLimiter, gate: GlobalGate, host: string, n: number, ms: number, spans: Span[], live: { now: number; max: number }) {
  return Array.from({ length: n }, (_, i) => limiter.run(gate, async () => {
    const span: Span = { host, i, start: performance.now(), end: 0 };
    live.max = Math.max(live.max, ++live.now);
    await sleep(ms);
    live.now--;
    span.end = performance.now();
    spans.push(span);
    return i;
  }));
}

describe('HostLimiter', () => {
  it('starts in arrival order, never more than its concurrency at once, starts spaced by the delay', async () => {
    const gate = new GlobalGate(16);
    const l = new HostLimiter({ concurrency: 2, delayMs: 25 });
    const spans: Span[] = [];
    const live = { now: 0, max: 0 };
    expect(await Promise.all(jobs(l, gate, 'a', 6, 30, spans, live))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(live.max).toBe(2);
    const byStart = [...spans].sort((x, y) => x.start - y.start);
    expect(byStart.map((s) => s.i)).toEqual([0, 1, 2, 3, 4, 5]);
    for (let k = 1; k < byStart.length; k++) expect(byStart[k].start - byStart[k - 1].start).toBeGreaterThanOrEqual(25 - EPS);
    expect(l.active).toBe(0);
    expect(gate.active).toBe(0);
  });

  it('with concurrency 1, rests the delay after every answer', async () => {
    const gate = new GlobalGate(16);
    const l = new HostLimiter({ concurrency: 1, delayMs: 30 });
    const spans: Span[] = [];
    const live = { now: 0, max: 0 };
    await Promise.all(jobs(l, gate, 'a', 4, 10, spans, live));
    expect(live.max).toBe(1);
    for (let k = 1; k < spans.length; k++) expect(spans[k].start - spans[k - 1].end).toBeGreaterThanOrEqual(30 - EPS);
  });

  it('holds every start back for a Retry-After pause, even with no delay', async () => {
    const gate = new GlobalGate(16);
    const l = new HostLimiter({ concurrency: 4, delayMs: 0 });
    const spans: Span[] = [];
    const live = { now: 0, max: 0 };
    l.pauseFor(80);
    expect(l.pausedForMs).toBeGreaterThan(0);
    const t0 = performance.now();
    await Promise.all(jobs(l, gate, 'a', 3, 5, spans, live));
    for (const s of spans) expect(s.start - t0).toBeGreaterThanOrEqual(80 - EPS);
    expect(l.pausedForMs).toBe(0);
  });

  it('passes a failing job\'s error on and frees its slot', async () => {
    const gate = new GlobalGate(1);
    const l = new HostLimiter({ concurrency: 1, delayMs: 0 });
    const bad = l.run(gate, async () => {
      throw new Error('boom');
    });
    const worse = l.run(gate, () => {
      throw new Error('thrown at once');
    });
    const good = l.run(gate, async () => 'ok');
    await expect(bad).rejects.toThrow('boom');
    await expect(worse).rejects.toThrow('thrown at once');
    await expect(good).resolves.toBe('ok');
    expect(gate.active).toBe(0);
  });

  it('an abort takes a waiting request out unrun; an aborted signal is refused at once', async () => {
    const gate = new GlobalGate(16);
    const l = new HostLimiter({ concurrency: 1, delayMs: 40 });
    const ran: string[] = [];
    const ac = new AbortController();
    const first = l.run(gate, async () => void ran.push('first'));
    const second = l.run(gate, async () => void ran.push('second'), ac.signal);
    const third = l.run(gate, async () => void ran.push('third'));
    expect(l.waiting).toBe(2);
    ac.abort(new Error('stop'));
    await expect(second).rejects.toThrow('stop');
    await Promise.all([first, third]);
    expect(ran).toEqual(['first', 'third']);
    await expect(l.run(gate, async () => 'never', ac.signal)).rejects.toThrow('stop');
    expect(l.waiting).toBe(0);
  });
});

describe('GlobalGate', () => {
  it('keeps global concurrency over hosts, and a host that waited for a place still keeps its spacing', async () => {
    const gate = new GlobalGate(2);
    const spans: Span[] = [];
    const live = { now: 0, max: 0 };
    const a = new HostLimiter({ concurrency: 2, delayMs: 20 });
    const b = new HostLimiter({ concurrency: 2, delayMs: 20 });
    const c = new HostLimiter({ concurrency: 2, delayMs: 0 });
    await Promise.all([...jobs(a, gate, 'a', 4, 15, spans, live), ...jobs(b, gate, 'b', 4, 15, spans, live), ...jobs(c, gate, 'c', 4, 15, spans, live)]);
    expect(spans).toHaveLength(12);
    expect(live.max).toBe(2);
    for (const host of ['a', 'b']) {
      const starts = spans.filter((s) => s.host === host).map((s) => s.start).sort((x, y) => x - y);
      for (let k = 1; k < starts.length; k++) expect(starts[k] - starts[k - 1]).toBeGreaterThanOrEqual(20 - EPS);
    }
    expect(gate.active).toBe(0);
  });

  it('hands places over first come first served', () => {
    const gate = new GlobalGate(1);
    const order: string[] = [];
    expect(gate.enter(() => order.push('never'))).toBe(true);
    expect(gate.enter(() => order.push('x'))).toBe(false);
    expect(gate.enter(() => order.push('y'))).toBe(false);
    gate.leave();
    expect(order).toEqual(['x']);
    expect(gate.active).toBe(1);
    gate.leave();
    gate.leave();
    expect(order).toEqual(['x', 'y']);
    expect(gate.active).toBe(0);
  });
});
