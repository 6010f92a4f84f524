/**
 * One HTTP GET and its answer, exactly as storage's FetchInput wants it: raw bytes (charset decoding is
 * the parser's job) and headers as received. No redirects are followed here (fetcher.ts does that, hop
 * by hop, checking each target).
 *
 * Limits: a deadline for the whole exchange (connect, headers, body), and a body size beyond which
 * reading stops at once and nothing is kept. A compressed body (Content-Encoding gzip/deflate/br) is
 * decompressed, bounded by the same size.
 */
import { EventEmitter } from 'node:events';
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { BodyTooLarge, httpGet, type GetProgress } from './http-get.ts';
import { findRefusal, type RefusalReason } from './url-policy.ts';

export type ExchangeFailure = 'timeout' | 'network' | 'too_large' | 'refused';

/** One request as made. Shaped for storage's FetchInput (url, requestedAt, status, headers, body, elapsedMs, error). */
export interface Exchange {
  url: string;
  /** ISO time the request started */
  requestedAt: string;
  /** null when no response arrived */
  status: number | null;
  headers: Record<string, string | string[]>;
  /** decoded bytes of the body; null when there was none or it was not kept (too large, error) */
  body: Buffer | null;
  elapsedMs: number;
  error: string | null;
  failure?: ExchangeFailure;
  /** set with failure 'refused': the connection was refused by policy before any byte was sent */
  refusal?: RefusalReason;
}

export interface ExchangeOptions {
  dispatcher: Dispatcher;
  headers: Record<string, string>;
  timeoutMs: number;
  maxBodyBytes: number;
  /** read the body (false for redirects: it is drained and dropped) */
  wantBody?: (status: number, headers: Record<string, string | string[]>) => boolean;
  signal?: AbortSignal;
}

class TooLarge extends Error {}

/**
 * A request's abort signal. undici takes an EventEmitter with `aborted`/`reason` as well as an AbortSignal, and
 * this costs a fraction of an AbortController (an EventTarget) made for every request.
 */
class Abort extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

function decode(encoding: string | undefined, raw: Buffer, max: number): Buffer {
  const codings = (encoding ?? '').toLowerCase().split(',').map((s) => s.trim()).filter((s) => s && s !== 'identity');
  let out = raw;
  for (const c of codings.reverse()) {
    const opts = { maxOutputLength: max };
    try {
      if (c === 'gzip' || c === 'x-gzip') out = gunzipSync(out, opts);
      else if (c === 'br') out = brotliDecompressSync(out, opts);
      else if (c === 'deflate') {
        try {
          out = inflateSync(out, opts);
        } catch (e) {
          if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw e;
          out = inflateRawSync(out, opts); // servers that send raw deflate
        }
      } else return raw; // an encoding we do not know: keep the bytes as sent
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) throw new TooLarge();
      throw new Error(`cannot decode Content-Encoding ${c}: ${(e as Error).message}`);
    }
  }
  return out;
}

const headerOf = (h: Record<string, string | string[] | undefined>, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: unknown };
  const parts = [e?.code, e?.message].filter(Boolean);
  const cause = e?.cause as { code?: string; message?: string } | undefined;
  if (cause && (cause.code || cause.message)) parts.push(`(${[cause.code, cause.message].filter(Boolean).join(' ')})`);
  return parts.join(' ') || String(err);
}

export async function exchange(url: string, opts: ExchangeOptions): Promise<Exchange> {
  const requestedAt = new Date().toISOString();
  const t0 = performance.now();
  const ac = new Abort();
  let timedOut = false;
  const timer = setTimeout(() => ((timedOut = true), ac.abort(new Error(`timeout after ${opts.timeoutMs} ms`))), opts.timeoutMs);
  const onOuterAbort = () => ac.abort(opts.signal!.reason);
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const done = (x: Omit<Exchange, 'url' | 'requestedAt' | 'elapsedMs'>): Exchange => ({
    url, requestedAt, elapsedMs: Math.round(performance.now() - t0), ...x,
  });

  const progress: GetProgress = { status: null, headers: {} };
  try {
    const raw = await httpGet(url, { dispatcher: opts.dispatcher, headers: opts.headers, maxBodyBytes: opts.maxBodyBytes, wantBody: opts.wantBody, signal: ac, progress });
    const { status, headers } = progress;
    if (raw === null) return done({ status, headers, body: null, error: null });
    const body = decode(headerOf(headers, 'content-encoding'), raw, opts.maxBodyBytes);
    return done({ status, headers, body: body.length > 0 ? body : null, error: null });
  } catch (err) {
    const { status, headers } = progress;
    if (err instanceof TooLarge || err instanceof BodyTooLarge) {
      return done({ status, headers, body: null, error: `too large: body over ${opts.maxBodyBytes} bytes (nothing kept)`, failure: 'too_large' });
    }
    if (timedOut) {
      // a partial answer (headers, half a body) is reported as no answer: nothing half-read is kept
      const phase = status === null ? 'waiting for the response' : 'reading the body';
      return done({ status: null, headers: {}, body: null, error: `timeout after ${opts.timeoutMs} ms ${phase}`, failure: 'timeout' });
    }
    const refusal = findRefusal(err);
    if (refusal) return done({ status: null, headers: {}, body: null, error: refusal.message, failure: 'refused', refusal: refusal.reason });
    return done({ status: null, headers: {}, body: null, error: `network: ${describe(err)}`, failure: 'network' });
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
}
