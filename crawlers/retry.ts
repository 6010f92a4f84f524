/**
 * When to try a request again and how long to wait: exponential backoff with jitter, Retry-After
 * honoured (seconds or an HTTP date), bounded attempts. Used for the fetcher's short in-process retries
 * and for the frontier's long ones (next_attempt_at).
 */

export interface BackoffOptions {
  /** wait after the first failure (before the 2nd attempt); doubles with every further failure */
  baseMs: number;
  /** no single wait is longer */
  maxMs: number;
  /** [0, 1) — injectable so tests are deterministic */
  random?: () => number;
}

/**
 * Wait after the `failures`-th failure (1-based): base·2^(failures−1), capped, with "equal jitter" —
 * uniformly in [d/2, d] — so waits never collapse to zero and retries from many items spread out.
 */
export function backoffMs(failures: number, opts: BackoffOptions): number {
  const d = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, failures - 1));
  const r = (opts.random ?? Math.random)();
  return Math.round(d / 2 + (d / 2) * r);
}

/**
 * Retry-After as milliseconds from `now`: "120" → 120000; an HTTP date → the time until it (0 if past).
 * null when absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined | null, now: number = Date.now()): number | null {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return null;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (/^\d+\.\d+$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return null;
  return Math.max(0, t - now);
}

/**
 * Statuses worth asking again: request timeout, too many requests, and server errors — except those that
 * say "this will not work" (501 Not Implemented, 505) or are a JS cookie challenge a plain client cannot
 * answer (521 加速乐; the browser path's job).
 */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 425 || status === 429) return true;
  if (status >= 500 && status <= 599) return status !== 501 && status !== 505 && status !== 521;
  return false;
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), Math.max(0, ms));
    const onAbort = () => (clearTimeout(t), reject(signal!.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
