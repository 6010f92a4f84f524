/**
 * A tiny HTTP server on 127.0.0.1 for the crawler tests, with its own log of every request: when it
 * arrived and when the server finished answering (performance.now(), the same clock the fetcher's
 * limiter uses when both run in one process). Timing assertions use the server's log, and only bounds
 * that causality guarantees (the next request cannot reach the server before the previous answer left it).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LogEntry {
  server: string;
  path: string;
  headers: IncomingMessage['headers'];
  arrived: number;
  /** when the answer was fully handed to the socket (null: never) */
  finished: number | null;
  status?: number;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, ctx: { count: number; entry: LogEntry }) => void | Promise<void>;

export interface TestServer {
  /** "http://127.0.0.1:port" */
  origin: string;
  /** "127.0.0.1:port" */
  host: string;
  port: number;
  log: LogEntry[];
  /** TCP connections accepted so far (keep-alive reuses them) */
  connections(): number;
  /** handler for a path (exact path, query excluded); later calls replace earlier ones */
  route(path: string, handler: Handler): void;
  /** requests seen for a path so far */
  hits(path: string): LogEntry[];
  close(): Promise<void>;
}

export const text = (res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string | number | string[]> = {}) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
};

export const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A rendezvous for handlers: each call waits until `n` requests are waiting together (or `timeoutMs`
 * passes), so a test sees the concurrency a client really allows instead of depending on timing luck.
 */
export function gathering(n: number, timeoutMs: number): () => Promise<void> {
  let waiting: (() => void)[] = [];
  return () => new Promise<void>((resolve) => {
    const go = () => ((waiting = waiting.filter((w) => w !== go)), resolve());
    waiting.push(go);
    if (waiting.length >= n) [...waiting].forEach((w) => w());
    else setTimeout(go, timeoutMs);
  });
}

export async function startServer(name = 'srv', sharedLog?: LogEntry[]): Promise<TestServer> {
  const routes = new Map<string, Handler>();
  const counts = new Map<string, number>();
  const log: LogEntry[] = sharedLog ?? [];
  const own: LogEntry[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const entry: LogEntry = { server: name, path: req.url ?? '/', headers: req.headers, arrived: performance.now(), finished: null };
    log.push(entry);
    if (log !== own) own.push(entry);
    res.on('finish', () => ((entry.finished = performance.now()), (entry.status = res.statusCode)));
    const count = (counts.get(path) ?? 0) + 1;
    counts.set(path, count);
    const h = routes.get(path);
    if (!h) return text(res, 404, 'not here');
    Promise.resolve(h(req, res, { count, entry })).catch((e) => {
      if (!res.headersSent) text(res, 500, String(e));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const mine = log === own ? log : own;
  return {
    origin: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    port,
    log: mine,
    connections: () => connections,
    route: (path, handler) => void routes.set(path, handler),
    hits: (path) => mine.filter((e) => e.path.split('?')[0] === path),
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

/** Most requests the server(s) were answering at once, from the log. */
export function maxOverlap(entries: LogEntry[]): number {
  const events: [number, number][] = [];
  for (const e of entries) {
    events.push([e.arrived, 1]);
    events.push([e.finished ?? Infinity, -1]);
  }
  // at equal times, an end before a start (a request that ended as another arrived did not overlap it)
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cur = 0;
  let max = 0;
  for (const [, d] of events) max = Math.max(max, (cur += d));
  return max;
}
