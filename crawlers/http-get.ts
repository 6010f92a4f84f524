/**
 * One GET through an undici dispatcher with a handler of our own: the body's chunks are gathered straight
 * from the connection — no Readable stream, no async iterator, no promise per chunk (undici's request() has
 * all three; on the crawl thread they cost more than the rest of the request). What undici's request() would
 * give is kept: status, headers parsed the same way (util.parseHeaders: a repeated header becomes an array),
 * raw bytes as sent.
 */
import type { EventEmitter } from 'node:events';
import { util, type Dispatcher } from 'undici';

export class BodyTooLarge extends Error {}

/** Filled in as the answer arrives: what a failure after the headers still knows. */
export interface GetProgress {
  status: number | null;
  headers: Record<string, string | string[]>;
}

export interface GetOptions {
  dispatcher: Dispatcher;
  headers: Record<string, string>;
  /** bodies over this many bytes: abandoned, the promise rejects with BodyTooLarge */
  maxBodyBytes: number;
  /** read the body (false: it is dropped, up to 64 KiB, then the connection is given up) */
  wantBody?: (status: number, headers: Record<string, string | string[]>) => boolean;
  /** undici's abort-signal shape: `aborted`, `reason` and an 'abort' event */
  signal: EventEmitter & { aborted: boolean; reason: unknown };
  progress: GetProgress;
}

/** Bytes of a dropped body read before the connection is given up (a redirect's body is tiny). */
const DRAIN_LIMIT = 64 * 1024;

/** Resolves with the raw body (null when none or dropped); rejects with the network error, the abort reason, or BodyTooLarge. */
export function httpGet(url: string, o: GetOptions): Promise<Buffer | null> {
  const u = new URL(url);
  return new Promise<Buffer | null>((resolve, reject) => {
    let abort: ((reason: unknown) => void) | null = null;
    let settled = false;
    let keep = true;
    const chunks: Buffer[] = [];
    let n = 0;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      o.signal.off('abort', onAbort);
      reject(e);
    };
    const stop = (e: unknown) => {
      // abort() ends in onError, which rejects; reject here too in case it came before the connection
      abort?.(e);
      fail(e);
    };
    const onAbort = () => stop(o.signal.reason);
    if (o.signal.aborted) return reject(o.signal.reason);
    o.signal.once('abort', onAbort);

    const handler: Dispatcher.DispatchHandler = {
      onConnect(a: (reason?: Error) => void) {
        abort = a as (reason: unknown) => void;
        if (settled) a();
      },
      onHeaders(statusCode: number, rawHeaders: Buffer[]) {
        if (statusCode < 200) return true; // 1xx: the real answer follows
        const headers = util.parseHeaders(rawHeaders) as Record<string, string | string[]>;
        o.progress.status = statusCode;
        o.progress.headers = headers;
        keep = o.wantBody ? o.wantBody(statusCode, headers) : true;
        const declared = Number(Array.isArray(headers['content-length']) ? headers['content-length'][0] : headers['content-length']);
        if (keep && Number.isFinite(declared) && declared > o.maxBodyBytes) {
          stop(new BodyTooLarge());
          return false;
        }
        return true;
      },
      onData(chunk: Buffer) {
        n += chunk.length;
        if (!keep) {
          if (n > DRAIN_LIMIT) {
            // enough of a body nobody wants: the answer is what the headers said
            settled = true;
            o.signal.off('abort', onAbort);
            resolve(null);
            abort?.(new Error('dropped body'));
            return false;
          }
          return true;
        }
        if (n > o.maxBodyBytes) {
          stop(new BodyTooLarge());
          return false;
        }
        chunks.push(chunk);
        return true;
      },
      onComplete() {
        if (settled) return;
        settled = true;
        o.signal.off('abort', onAbort);
        // a copy: a chunk is a view into the connection's read buffer, which would be kept (and cloned to a worker) whole
        resolve(keep && n > 0 ? Buffer.concat(chunks, n) : null);
      },
      onError(err: Error) {
        fail(err);
      },
    } as Dispatcher.DispatchHandler;
    try {
      o.dispatcher.dispatch({ origin: u.origin, path: u.search ? `${u.pathname}${u.search}` : u.pathname, method: 'GET', headers: o.headers }, handler);
    } catch (e) {
      fail(e);
    }
  });
}
