/**
 * Serves one replica Site on its own 127.0.0.1 port (so host:port is a distinct host for politeness):
 * request log, fault rules, per-site delay, robots.txt, conditional GET (ETag / Last-Modified → 304),
 * HEAD, streaming and hanging replies.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { LOGGED_HEADERS, now, type LogEntry, type LoggedHeaders, type RequestLog } from './log.ts';
import type { FaultRule, PageReply, Reply, ReplicaRequest, Site } from './types.ts';
import { httpDate, sha1 } from './util.ts';

export interface RunningSite {
  site: Site;
  port: number;
  host: string;
  baseUrl: string;
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;

export function notFound(): PageReply {
  return {
    status: 404,
    type: 'text/html; charset=utf-8',
    body: '<!DOCTYPE html><html><head><meta charset="utf-8"><title>404</title></head><body><h1>404</h1><p>页面不存在或已被删除。</p></body></html>',
    etag: false,
  };
}

function statusPage(status: number): string {
  return `<!DOCTYPE html><html><head><title>${status}</title></head><body><h1>${status}</h1></body></html>`;
}

/** Strong-or-weak comparison of an If-None-Match list against our ETag. */
function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => strip(t) === strip(etag));
}

function notModified(req: IncomingMessage, etag: string | undefined, lastModified: Date | undefined): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) return etag !== undefined && etagMatches(inm, etag);
  const ims = req.headers['if-modified-since'];
  if (ims !== undefined && lastModified) {
    const t = Date.parse(ims);
    return Number.isFinite(t) && Math.floor(lastModified.getTime() / 1000) * 1000 <= t;
  }
  return false;
}

/** `port`: the site's own (options.port, else any); a host alias of the site passes 0 (any free port). */
export async function serveSite(site: Site, log: RequestLog, host = '127.0.0.1', port = site.options.port ?? 0): Promise<RunningSite> {
  const timers = new Set<NodeJS.Timeout>();
  const faultCounts = new Map<string, number>();
  let closed = false;

  const sleep = (ms: number, res: ServerResponse) =>
    new Promise<void>((resolve) => {
      if (ms <= 0) return resolve();
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
      res.once('close', () => {
        clearTimeout(t);
        timers.delete(t);
        resolve();
      });
    });

  function ruleApplies(rule: FaultRule, idx: number, path: string, full: string): boolean {
    const hit = typeof rule.match === 'string' ? path.startsWith(rule.match) : rule.match.test(full);
    if (!hit) return false;
    if (rule.times === undefined) return true;
    const key = rule.per === 'rule' ? `${idx}` : `${idx} ${full}`;
    const n = faultCounts.get(key) ?? 0;
    if (n >= rule.times) return false;
    faultCounts.set(key, n + 1);
    return true;
  }

  function hang(res: ServerResponse, entry: LogEntry, ms?: number) {
    entry.fault = entry.fault ?? 'hang';
    if (ms === undefined) return; // held until close()
    const t = setTimeout(() => {
      timers.delete(t);
      res.socket?.destroy();
    }, ms);
    timers.add(t);
    res.once('close', () => {
      clearTimeout(t);
      timers.delete(t);
    });
  }

  async function write(req: IncomingMessage, res: ServerResponse, reply: Reply, entry: LogEntry): Promise<void> {
    if (reply.fault) entry.fault = reply.fault;
    if (reply.delayMs) await sleep(reply.delayMs, res);
    if (res.destroyed || closed) return;
    const head = req.method === 'HEAD';
    if (reply.kind === 'hang') return hang(res, entry, reply.ms);
    if (reply.kind === 'stream') {
      const headers: Record<string, string | number> = { 'Content-Type': reply.type, ...reply.headers };
      if (reply.length !== undefined) headers['Content-Length'] = reply.length;
      res.writeHead(reply.status ?? 200, headers);
      if (head) return void res.end();
      for (const chunk of reply.chunks()) {
        if (res.destroyed || closed) return;
        entry.bytes += chunk.length;
        if (!res.write(chunk)) {
          await new Promise<void>((resolve) => {
            const done = () => {
              res.off('drain', done);
              res.off('close', done);
              resolve();
            };
            res.on('drain', done);
            res.on('close', done);
          });
        }
      }
      if (!res.destroyed) res.end();
      return;
    }
    const status = reply.status ?? 200;
    const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
    const headers: Record<string, string | number> = {};
    let etag: string | undefined;
    if (status === 200) {
      etag = reply.etag === false ? undefined : reply.etag ?? `"${sha1(body).slice(0, 20)}"`;
      if (etag) headers['ETag'] = etag;
      if (reply.lastModified) headers['Last-Modified'] = httpDate(reply.lastModified);
      if ((req.method === 'GET' || head) && notModified(req, etag, reply.lastModified)) {
        res.writeHead(304, { ...headers, ...reply.headers });
        return void res.end();
      }
    }
    Object.assign(headers, { 'Content-Type': reply.type ?? 'text/html; charset=utf-8', 'Content-Length': body.length }, reply.headers);
    res.writeHead(status, headers);
    if (head) return void res.end();
    entry.bytes += body.length;
    res.end(body);
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse, baseUrl: string): Promise<void> {
    const start = now();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size <= MAX_BODY) chunks.push(c as Buffer);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', baseUrl);
    const headers: LoggedHeaders = {};
    for (const h of LOGGED_HEADERS) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    const entry = log.open({
      site: site.id,
      host: req.headers.host ?? new URL(baseUrl).host,
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      headers,
      ...(body ? { body: body.slice(0, 2048) } : {}),
      start,
    });
    res.once('close', () => {
      entry.end = now();
      entry.aborted = !res.writableFinished;
      entry.status = res.headersSent ? res.statusCode : null;
    });

    let path = url.pathname;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      /* keep it raw */
    }
    const full = url.pathname + url.search;
    const rules = site.options.faults ?? [];
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if (!ruleApplies(rule, i, url.pathname, full)) continue;
      if (rule.delayMs) {
        entry.fault = 'delay';
        await sleep(rule.delayMs, res);
      }
      if (rule.hang) return write(req, res, { kind: 'hang', ms: rule.hang === true ? undefined : rule.hang }, entry);
      if (rule.status) {
        const headers: Record<string, string> = {};
        if (rule.retryAfter !== undefined) headers['Retry-After'] = String(rule.retryAfter);
        return write(req, res, { status: rule.status, body: statusPage(rule.status), headers, etag: false, fault: `status ${rule.status}` }, entry);
      }
      break;
    }
    if (site.options.delayMs) await sleep(site.options.delayMs, res);
    if (res.destroyed || closed) return;

    if (path === '/robots.txt') {
      const reply: Reply = site.robots === null ? notFound() : { body: site.robots, type: 'text/plain; charset=utf-8' };
      return write(req, res, reply, entry);
    }
    const rq: ReplicaRequest = { method: req.method ?? 'GET', path, query: url.searchParams, body, headers: req.headers, baseUrl };
    let reply: Reply | null;
    try {
      reply = await site.handle(rq);
    } catch (err) {
      reply = { status: 500, body: `<html><body><pre>${String((err as Error)?.stack ?? err)}</pre></body></html>`, etag: false, fault: 'error' };
    }
    await write(req, res, reply ?? notFound(), entry);
  }

  const sockets = new Set<Socket>();
  const server: Server = createServer();
  let baseUrl = '';
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('request', (req, res) => {
    onRequest(req, res, baseUrl).catch((err) => {
      if (!res.headersSent) {
        res.writeHead(500);
        res.end(String(err));
      } else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  baseUrl = `http://${host}:${bound}`;

  return {
    site,
    port: bound,
    host,
    baseUrl,
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      }),
  };
}
