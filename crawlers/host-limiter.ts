/**
 * Politeness per host: at most `concurrency` requests in flight, and `delayMs` kept
 *   - between the starts of any two requests to the host, and
 *   - for each concurrency slot, between the end of one request and the start of the next
 * (so with the default concurrency 1 the host always rests delayMs between a response and the next
 * request). A 429/503 with Retry-After pauses the whole host. Starts on one host are in arrival order, and
 * a start is recorded when the request really begins — after any wait for a place in the global gate — so a
 * slow gate can never squeeze two requests to one host closer together.
 *
 * Synchronous bookkeeping: each host keeps a FIFO of waiting requests and at most one timer; a request ending
 * (or a timer firing, or the gate handing over a place) starts whatever may start now. No promise per step:
 * the crawl thread pays one promise per request.
 */
import type { GlobalGate } from './global-gate.ts';

export interface HostSettings {
  /** requests in flight to this host at once (default 1) */
  concurrency?: number;
  /** minimum milliseconds between requests to this host (default 1000) */
  delayMs?: number;
}

export const DEFAULT_HOST_SETTINGS: Required<HostSettings> = { concurrency: 1, delayMs: 1000 };

interface Waiter {
  begin: (slot: number) => void;
  fail: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class HostLimiter {
  readonly concurrency: number;
  readonly delayMs: number;
  /** a larger delay asked for by the host itself (robots.txt Crawl-delay) */
  extraDelayMs = 0;
  /** per slot: when it may start again (Infinity: a request is in flight on it) */
  private readonly readyAt: number[];
  private lastStart = -Infinity;
  private pausedUntil = -Infinity;
  private inFlight = 0;
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** the gate was asked for a place for the head of the queue and will call onPlace */
  private askedGate: GlobalGate | null = null;

  constructor(
    settings: HostSettings = {},
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.concurrency = Math.max(1, Math.floor(settings.concurrency ?? DEFAULT_HOST_SETTINGS.concurrency));
    this.delayMs = Math.max(0, settings.delayMs ?? DEFAULT_HOST_SETTINGS.delayMs);
    this.readyAt = new Array(this.concurrency).fill(-Infinity);
  }

  get delay(): number {
    return Math.max(this.delayMs, this.extraDelayMs);
  }

  get active(): number {
    return this.inFlight;
  }

  /** Requests waiting for their turn on this host. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Milliseconds until the host may be asked again after a Retry-After (0: not paused). */
  get pausedForMs(): number {
    return Math.max(0, this.pausedUntil - this.clock());
  }

  /** No request to this host starts before `ms` from now (Retry-After). Only ever extends a pause. */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock() + ms);
  }

  /** Run `fn` as one request to this host, holding a place in the global gate while it runs. */
  run<T>(gate: GlobalGate, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const w: Waiter = {
        fail: reject,
        signal,
        begin: (slot) => {
          let p: Promise<T>;
          try {
            p = fn();
          } catch (e) {
            p = Promise.reject(e);
          }
          p.then(
            (v) => (this.end(gate, slot), resolve(v)),
            (e) => (this.end(gate, slot), reject(e)),
          );
        },
      };
      if (signal) {
        w.onAbort = () => this.abandon(gate, w);
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.queue.push(w);
      this.pump(gate);
    });
  }

  /** The slot free with the earliest ready time, or -1 when every slot has a request in flight. */
  private freeSlot(): number {
    let best = 0;
    for (let i = 1; i < this.readyAt.length; i++) if (this.readyAt[i] < this.readyAt[best]) best = i;
    return this.readyAt[best] === Infinity ? -1 : best;
  }

  /** Milliseconds until `slot` may start under every spacing rule (≤ 0: now). */
  private waitFor(slot: number): number {
    return Math.max(this.readyAt[slot], this.lastStart + this.delay, this.pausedUntil) - this.clock();
  }

  /** Start queued requests while the rules allow; otherwise arrange to be called again (timer, gate, an end). */
  private pump(gate: GlobalGate): void {
    while (this.queue.length && !this.timer && !this.askedGate) {
      const slot = this.freeSlot();
      if (slot < 0) return; // an ending request pumps again
      const wait = this.waitFor(slot);
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = null;
          this.pump(gate);
        }, Math.ceil(wait));
        return;
      }
      if (!gate.enter(this.onPlace)) {
        this.askedGate = gate;
        return;
      }
      this.begin(slot);
    }
  }

  /** The gate handed this host a place: start the head if it still may, else give the place back. */
  private readonly onPlace = (): void => {
    const gate = this.askedGate!;
    this.askedGate = null;
    const slot = this.queue.length ? this.freeSlot() : -1;
    if (slot < 0 || this.waitFor(slot) > 0) gate.leave();
    else this.begin(slot);
    this.pump(gate);
  };

  /** The head of the queue starts on `slot`; its place in the gate is taken already. */
  private begin(slot: number): void {
    const w = this.queue.shift()!;
    if (w.onAbort) w.signal!.removeEventListener('abort', w.onAbort);
    this.readyAt[slot] = Infinity;
    this.lastStart = this.clock();
    this.inFlight++;
    w.begin(slot);
  }

  private end(gate: GlobalGate, slot: number): void {
    this.inFlight--;
    this.readyAt[slot] = this.clock() + this.delay;
    gate.leave();
    this.pump(gate);
  }

  /** A waiting request aborted: out of the queue, its promise rejected; nothing was sent. */
  private abandon(gate: GlobalGate, w: Waiter): void {
    const i = this.queue.indexOf(w);
    if (i < 0) return;
    this.queue.splice(i, 1);
    w.fail(w.signal!.reason);
    if (!this.queue.length && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.pump(gate);
  }
}
