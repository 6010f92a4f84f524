/**
 * Politeness per host: at most `concurrency` requests in flight, and `delayMs` kept
 *   - between the starts of any two requests to the host, and
 *   - for each concurrency slot, between the end of one request and the start of the next
 * (so with the default concurrency 1 the host always rests delayMs between a response and the next
 * request). A 429/503 with Retry-After pauses the whole host. Starts on one host are serialised, and
 * a start is recorded when the request really begins — after any wait for the global queue — so a slow
 * global queue can never squeeze two requests to one host closer together.
 */
import type PQueue from 'p-queue';
import { sleep } from './retry.ts';

export interface HostSettings {
  /** requests in flight to this host at once (default 1) */
  concurrency?: number;
  /** minimum milliseconds between requests to this host (default 1000) */
  delayMs?: number;
}

export const DEFAULT_HOST_SETTINGS: Required<HostSettings> = { concurrency: 1, delayMs: 1000 };

export class HostLimiter {
  readonly concurrency: number;
  readonly delayMs: number;
  /** a larger delay asked for by the host itself (robots.txt Crawl-delay) */
  extraDelayMs = 0;
  private readonly readyAt: number[];
  private lastStart = -Infinity;
  private pausedUntil = -Infinity;
  private startChain: Promise<void> = Promise.resolve();
  private wake: (() => void) | null = null;
  private inFlight = 0;

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

  /** Milliseconds until the host may be asked again after a Retry-After (0: not paused). */
  get pausedForMs(): number {
    return Math.max(0, this.pausedUntil - this.clock());
  }

  /** No request to this host starts before `ms` from now (Retry-After). Only ever extends a pause. */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock() + ms);
  }

  /** Run `fn` as one request to this host, inside the global queue. */
  async run<T>(global: PQueue, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const previous = this.startChain;
    let releaseStart!: () => void;
    this.startChain = new Promise<void>((r) => (releaseStart = r));
    let slot = -1;
    let started = false;
    try {
      await previous;
      slot = await this.takeSlot(signal);
      return await global.add(async () => {
        this.lastStart = this.clock();
        started = true;
        this.inFlight++;
        releaseStart();
        try {
          return await fn();
        } finally {
          this.inFlight--;
          this.readyAt[slot] = this.clock() + this.delay;
          this.wake?.();
        }
      }, { signal });
    } finally {
      if (!started) {
        releaseStart();
        if (slot >= 0) {
          this.readyAt[slot] = -Infinity;
          this.wake?.();
        }
      }
    }
  }

  /** Wait (holding the start turn) until a slot is free and every spacing rule allows a start now. */
  private async takeSlot(signal?: AbortSignal): Promise<number> {
    for (;;) {
      signal?.throwIfAborted();
      let best = 0;
      for (let i = 1; i < this.readyAt.length; i++) if (this.readyAt[i] < this.readyAt[best]) best = i;
      if (this.readyAt[best] === Infinity) {
        await new Promise<void>((resolve, reject) => {
          const onAbort = () => ((this.wake = null), reject(signal!.reason));
          signal?.addEventListener('abort', onAbort, { once: true });
          this.wake = () => ((this.wake = null), signal?.removeEventListener('abort', onAbort), resolve());
        });
        continue;
      }
      const at = Math.max(this.readyAt[best], this.lastStart + this.delay, this.pausedUntil);
      const now = this.clock();
      if (at > now) {
        await sleep(Math.ceil(at - now), signal);
        continue;
      }
      this.readyAt[best] = Infinity;
      return best;
    }
  }
}
