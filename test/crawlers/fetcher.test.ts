/**
 * The fetcher against tiny local servers: politeness (per-host concurrency and delay, global
 * concurrency), robots.txt, retries and Retry-After, timeouts, body limit, redirects and the address
 * policy, conditional GET. Timings are read from the servers' own logs, with bounds causality guarantees.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Fetcher, type FetcherOptions } from '../../crawlers/fetcher.ts';
import { backoffMs, parseRetryAfter } from '../../crawlers/retry.ts';
import { isPrivateAddress } from '../../crawlers/url-policy.ts';
import { delay, gathering, maxOverlap, startServer, text, type LogEntry, type TestServer } from './server.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

async function server(name?: string, shared?: LogEntry[]): Promise<TestServer> {
  const s = await startServer(name, shared);
  open.push(s);
  return s;
}

function fetcher(over: Partial<FetcherOptions> = {}): Fetcher {
  const f = new Fetcher({
    allowedHosts: ['127.0.0.1'], allowPrivate: ['127.0.0.1'],
    hostDefaults: { delayMs: 0 }, timeoutMs: 5000, retry: { baseMs: 20, random: () => 0 }, ...over,
  });
  open.push(f);
  return f;
}

/** Gaps between the end of one answer and the arrival of the next request, in arrival order. */
function restGaps(entries: LogEntry[]): number[] {
  const sorted = [...entries].sort((a, b) => a.arrived - b.arrived);
  return sorted.slice(1).map((e, i) => e.arrived - sorted[i].finished!);
}

// timers may fire a hair early against performance.now(); nothing else can make a gap shorter
const EPS = 3;

describe('politeness', () => {
  it('keeps per-host concurrency and the delay between requests to one host, hosts in parallel', async () => {
    const slow = await server('slow');
    const wide = await server('wide');
    slow.route('/p', (_q, res) => void delay(15).then(() => text(res, 200, 'ok')));
    // answer once a second request is in, so concurrency 2 is really used (or after 1 s)
    const pair = gathering(2, 1000);
    wide.route('/p', async (_q, res) => {
      await pair();
      text(res, 200, 'ok');
    });
    const f = fetcher({ hosts: { [slow.host]: { delayMs: 200 }, [wide.host]: { concurrency: 2, delayMs: 0 } } });
    const t0 = performance.now();
    const results = await Promise.all([
      ...[1, 2, 3, 4].map((i) => f.fetch(`${slow.origin}/p?i=${i}`)),
      ...[1, 2, 3, 4, 5, 6].map((i) => f.fetch(`${wide.origin}/p?i=${i}`)),
    ]);
    expect(results.map((r) => r.kind)).toEqual(Array(10).fill('ok'));

    // slow host: one at a time, and at least 200 ms of rest after every answer (robots.txt included)
    expect(slow.log).toHaveLength(5);
    expect(maxOverlap(slow.log)).toBe(1);
    for (const gap of restGaps(slow.log)) expect(gap).toBeGreaterThanOrEqual(200 - EPS);
    // over one kept-alive connection
    expect(slow.connections()).toBe(1);
    // wide host: two at once, never three
    expect(maxOverlap(wide.hits('/p'))).toBe(2);
    // the hosts did not wait for each other: the wide host was done before the slow one's 4 × 200 ms
    const lastWide = Math.max(...wide.log.map((e) => e.finished!));
    const lastSlow = Math.max(...slow.log.map((e) => e.finished!));
    expect(lastWide).toBeLessThan(lastSlow);
    expect(lastSlow - t0).toBeGreaterThanOrEqual(4 * 200 - EPS);
  });

  it('keeps global concurrency over all hosts', async () => {
    const shared: LogEntry[] = [];
    const servers = await Promise.all([1, 2, 3, 4].map((i) => server(`g${i}`, shared)));
    // each answer waits for a partner request to be in (or 300 ms): a third at once would be seen
    const pair = gathering(2, 300);
    for (const s of servers) {
      s.route('/p', async (_q, res) => {
        await pair();
        await delay(20);
        text(res, 200, 'ok');
      });
    }
    const f = fetcher({ globalConcurrency: 2, hostDefaults: { concurrency: 3, delayMs: 0 } });
    const rs = await Promise.all(servers.flatMap((s) => [1, 2, 3].map((i) => f.fetch(`${s.origin}/p?i=${i}`))));
    expect(rs.every((r) => r.kind === 'ok')).toBe(true);
    const pages = shared.filter((e) => e.path.startsWith('/p'));
    expect(pages).toHaveLength(12);
    expect(maxOverlap(shared)).toBe(2);
  });
});

describe('robots.txt', () => {
  it('is fetched once per host, even under concurrent fetches, and obeyed for "nianbao"', async () => {
    const s = await server();
    s.route('/robots.txt', (_q, res) => void delay(50).then(() => text(res, 200,
      'User-agent: *\nDisallow: /\n\nUser-agent: nianbao\nDisallow: /private\nAllow: /private/ok\n', { 'content-type': 'text/plain' })));
    for (const p of ['/a', '/private/x', '/private/ok', '/b']) s.route(p, (_q, res) => text(res, 200, p));
    const f = fetcher({ hostDefaults: { concurrency: 4, delayMs: 0 } });
    const rs = await Promise.all(['/a', '/private/x', '/private/ok', '/b', '/a?again'].map((p) => f.fetch(s.origin + p)));
    expect(rs.map((r) => r.kind)).toEqual(['ok', 'refused', 'ok', 'ok', 'ok']);
    expect(rs[1].refusal).toBe('robots');
    expect(rs[1].exchanges).toEqual([]);
    expect(s.hits('/robots.txt')).toHaveLength(1);
    expect(s.hits('/private/x')).toHaveLength(0);
    // robots.txt went first: no page before it
    expect(s.log[0].path).toBe('/robots.txt');
  });

  it('a missing (404) or hanging robots.txt means allowed', async () => {
    const missing = await server();
    missing.route('/a', (_q, res) => text(res, 200, 'a'));
    const hanging = await server();
    hanging.route('/robots.txt', () => undefined); // never answers
    hanging.route('/a', (_q, res) => text(res, 200, 'a'));
    const f = fetcher({ robots: { timeoutMs: 150 } });
    const [a, b] = await Promise.all([f.fetch(`${missing.origin}/a`), f.fetch(`${hanging.origin}/a`)]);
    expect([a.kind, b.kind]).toEqual(['ok', 'ok']);
    expect(missing.hits('/robots.txt')[0].status).toBe(404);
    expect(hanging.hits('/robots.txt')).toHaveLength(1);
  });
});

describe('retries', () => {
  it('retries a burst of 500s with exponential backoff, then succeeds', async () => {
    const s = await server();
    s.route('/flaky', (_q, res, { count }) => text(res, count <= 2 ? 500 : 200, `try ${count}`));
    const f = fetcher({ retry: { baseMs: 120, maxAttempts: 4, random: () => 0 } });
    const r = await f.fetch(`${s.origin}/flaky`);
    expect(r.kind).toBe('ok');
    expect(r.attempts).toBe(3);
    expect(r.exchanges.map((e) => e.status)).toEqual([500, 500, 200]);
    expect(r.body!.toString()).toBe('try 3');
    // equal jitter with random 0: 60 ms after the first failure, 120 after the second
    const gaps = restGaps(s.hits('/flaky'));
    expect(gaps[0]).toBeGreaterThanOrEqual(60 - EPS);
    expect(gaps[1]).toBeGreaterThanOrEqual(120 - EPS);
  });

  it('gives up after maxAttempts and says the failure is worth retrying later', async () => {
    const s = await server();
    s.route('/down', (_q, res) => text(res, 503, 'down'));
    s.route('/forbidden', (_q, res) => text(res, 403, 'no'));
    const f = fetcher({ retry: { baseMs: 10, maxAttempts: 3 } });
    const down = await f.fetch(`${s.origin}/down`);
    expect([down.kind, down.status, down.retryable, down.exchanges.length]).toEqual(['http_error', 503, true, 3]);
    const forbidden = await f.fetch(`${s.origin}/forbidden`);
    expect([forbidden.kind, forbidden.retryable, forbidden.exchanges.length]).toEqual(['http_error', false, 1]);
  });

  it('retries a network error (nothing listening), then reports it', async () => {
    const s = await server();
    const origin = s.origin;
    await s.close(); // the port is free now: connections are refused
    const f = fetcher({ retry: { baseMs: 30, maxAttempts: 3, random: () => 0 }, robots: { enabled: false } });
    const t0 = performance.now();
    const r = await f.fetch(`${origin}/x`);
    expect([r.kind, r.status, r.retryable, r.exchanges.length]).toEqual(['network_error', null, true, 3]);
    expect(r.error).toMatch(/ECONNREFUSED/);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(15 + 30 - EPS); // waited between attempts
  });

  it('honours 429 Retry-After (seconds), pausing the whole host', async () => {
    const s = await server();
    s.route('/limited', (_q, res, { count }) => text(res, count === 1 ? 429 : 200, 'x', count === 1 ? { 'retry-after': '1' } : {}));
    s.route('/other', (_q, res) => text(res, 200, 'other'));
    s.route('/warm', (_q, res) => text(res, 200, 'warm'));
    const f = fetcher();
    await f.fetch(`${s.origin}/warm`); // robots.txt read first, so the 429 answers the next request
    const [limited, other] = await Promise.all([f.fetch(`${s.origin}/limited`), delay(5).then(() => f.fetch(`${s.origin}/other`))]);
    expect(limited.kind).toBe('ok');
    expect(limited.exchanges.map((e) => e.status)).toEqual([429, 200]);
    expect(other.kind).toBe('ok');
    const first = s.hits('/limited')[0];
    for (const e of [s.hits('/limited')[1], s.hits('/other')[0]]) {
      expect(e.arrived - first.finished!).toBeGreaterThanOrEqual(1000 - EPS);
    }
  });

  it('hands a long Retry-After back to the caller instead of waiting', async () => {
    const s = await server();
    s.route('/later', (_q, res) => text(res, 429, 'x', { 'retry-after': '3600' }));
    const f = fetcher();
    const t0 = performance.now();
    const r = await f.fetch(`${s.origin}/later`);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect([r.kind, r.status, r.retryable, r.retryAfterMs, r.exchanges.length]).toEqual(['http_error', 429, true, 3_600_000, 1]);
  });

  it('reads Retry-After as seconds or an HTTP date; backoff doubles with jitter within [d/2, d]', () => {
    const now = Date.parse('2025-03-01T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(['5'], now)).toBe(5000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
    const o = { baseMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, { ...o, random: () => 0 }))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, { ...o, random: () => 0.999999 }))).toEqual([100, 200, 400, 800, 1000]);
  });
});

describe('limits', () => {
  it('times out a request that never answers, and one whose body drips', async () => {
    const s = await server();
    s.route('/never', () => undefined);
    s.route('/drip', (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const t = setInterval(() => res.write('x'), 40);
      res.on('close', () => clearInterval(t));
    });
    const f = fetcher({ timeoutMs: 250, retry: { baseMs: 10, maxAttempts: 2 } });
    const t0 = performance.now();
    const [never, drip] = await Promise.all([f.fetch(`${s.origin}/never`), f.fetch(`${s.origin}/drip`)]);
    expect(performance.now() - t0).toBeLessThan(4000);
    expect([never.kind, never.status, never.retryable, never.exchanges.length]).toEqual(['timeout', null, true, 2]);
    expect(never.error).toMatch(/timeout after 250 ms waiting for the response/);
    expect([drip.kind, drip.body]).toEqual(['timeout', null]);
    expect(drip.error).toMatch(/reading the body/);
  });

  it('abandons a body over the size limit, declared or streamed, keeping nothing', async () => {
    const s = await server();
    const big = Buffer.alloc(300_000, 'a');
    s.route('/declared', (_q, res) => text(res, 200, big));
    s.route('/streamed', (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }); // chunked, no length
      let sent = 0;
      const t = setInterval(() => {
        if (res.destroyed || sent > 5_000_000) return (clearInterval(t), res.end());
        res.write(Buffer.alloc(16_384, 'b'));
        sent += 16_384;
      }, 1);
      res.on('close', () => clearInterval(t));
    });
    s.route('/bomb', (_q, res) => text(res, 200, gzipSync(Buffer.alloc(2_000_000, 'c')), { 'content-encoding': 'gzip' }));
    s.route('/small-gzip', (_q, res) => text(res, 200, gzipSync(Buffer.from('<p>压缩</p>')), { 'content-encoding': 'gzip' }));
    const f = fetcher({ maxBodyBytes: 100_000 });
    for (const p of ['/declared', '/streamed', '/bomb']) {
      const r = await f.fetch(s.origin + p);
      expect([p, r.kind, r.status, r.body, r.retryable]).toEqual([p, 'too_large', 200, null, false]);
      expect(r.error).toMatch(/too large/);
    }
    const small = await f.fetch(`${s.origin}/small-gzip`);
    expect(small.body!.toString('utf8')).toBe('<p>压缩</p>');
    // the connection dropped mid-body did not poison the next request
    expect((await f.fetch(`${s.origin}/small-gzip?again`)).kind).toBe('ok');
  });
});

describe('redirects and the address policy', () => {
  it('follows a redirect chain and reports every hop', async () => {
    const s = await server();
    s.route('/r1', (_q, res) => text(res, 301, '', { location: '/r2' }));
    s.route('/r2', (_q, res) => text(res, 302, '', { location: `${s.origin}/r3?x=1#frag` }));
    s.route('/r3', (_q, res) => text(res, 307, '', { location: 'final' }));
    s.route('/final', (_q, res) => text(res, 200, 'here'));
    const r = await fetcher().fetch(`${s.origin}/r1`);
    expect(r.kind).toBe('ok');
    expect(r.requestedUrl).toBe(`${s.origin}/r1`);
    expect(r.finalUrl).toBe(`${s.origin}/final`);
    expect(r.url).toBe(r.finalUrl);
    expect(r.redirects.map((h) => [h.url.replace(s.origin, ''), h.status, h.location.replace(s.origin, '')]))
      .toEqual([['/r1', 301, '/r2'], ['/r2', 302, '/r3?x=1'], ['/r3?x=1', 307, '/final']]);
    expect(r.exchanges.map((e) => e.status)).toEqual([301, 302, 307, 200]);
  });

  it('stops a redirect loop and a chain longer than maxRedirects', async () => {
    const s = await server();
    s.route('/a', (_q, res) => text(res, 302, '', { location: '/b' }));
    s.route('/b', (_q, res) => text(res, 302, '', { location: '/a' }));
    s.route('/n', (_q, res, { count }) => text(res, 302, '', { location: `/n?${count}` }));
    const f = fetcher({ maxRedirects: 3 });
    const loop = await f.fetch(`${s.origin}/a`);
    expect([loop.kind, loop.retryable, loop.exchanges.length]).toEqual(['redirect_loop', false, 2]);
    expect(loop.error).toMatch(/redirect loop/);
    const long = await f.fetch(`${s.origin}/n`);
    expect([long.kind, long.exchanges.length]).toEqual(['too_many_redirects', 4]);
    expect(s.hits('/n')).toHaveLength(4);
  });

  it('refuses a redirect to a private address, to a host outside the registry, or to another scheme', async () => {
    const s = await server();
    const port = s.port;
    s.route('/to-private', (_q, res) => text(res, 302, '', { location: 'http://10.1.2.3/internal' }));
    s.route('/to-localhost', (_q, res) => text(res, 302, '', { location: `http://localhost:${port}/secret` }));
    s.route('/to-mapped', (_q, res) => text(res, 302, '', { location: `http://[::ffff:127.0.0.2]:${port}/secret` }));
    s.route('/to-outside', (_q, res) => text(res, 302, '', { location: 'http://example.org/' }));
    s.route('/to-ftp', (_q, res) => text(res, 302, '', { location: 'ftp://127.0.0.1/file' }));
    s.route('/secret', (_q, res) => text(res, 200, 'secret'));
    // the registry allows these hosts, but only 127.0.0.1 as a private address
    const f = fetcher({ allowedHosts: ['127.0.0.1', '10.1.2.3', 'localhost', '::ffff:127.0.0.2'], allowPrivate: ['127.0.0.1'] });
    const expected: Record<string, string> = {
      '/to-private': 'private_address', '/to-localhost': 'private_address', '/to-mapped': 'private_address',
      '/to-outside': 'host', '/to-ftp': 'scheme',
    };
    for (const [p, reason] of Object.entries(expected)) {
      const r = await f.fetch(s.origin + p);
      expect([p, r.kind, r.refusal, r.retryable]).toEqual([p, 'refused', reason, false]);
      expect(r.exchanges.map((e) => e.status)).toEqual([302]); // the hop that was made, nothing after it
    }
    expect(s.hits('/secret')).toHaveLength(0);
    // allowing a private host is per host as written in the URL: the registry names "localhost" here
    const named = fetcher({ allowedHosts: ['127.0.0.1', 'localhost'], allowPrivate: ['127.0.0.1', 'localhost'] });
    const ok = await named.fetch(`${s.origin}/to-localhost`);
    expect([ok.kind, ok.finalUrl, ok.body?.toString()]).toEqual(['ok', `http://localhost:${port}/secret`, 'secret']);
    // a first request outside the registry is not made at all
    const outside = await f.fetch('http://example.org/');
    expect([outside.kind, outside.refusal, outside.exchanges.length]).toEqual(['refused', 'host', 0]);
  });

  it('knows private addresses', () => {
    for (const a of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1', '[::1]']) {
      expect([a, isPrivateAddress(a)]).toEqual([a, true]);
    }
    for (const a of ['8.8.8.8', '223.5.5.5', '2400:3200::1', 'www.gov.cn']) expect([a, isPrivateAddress(a)]).toEqual([a, false]);
  });
});

describe('conditional GET', () => {
  it('sends the validators it is given and reports a 304 as not modified', async () => {
    const s = await server();
    s.route('/doc', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') return void (res.writeHead(304, { etag: '"v1"' }), res.end());
      text(res, 200, 'body', { etag: '"v1"', 'last-modified': 'Mon, 03 Mar 2025 10:00:00 GMT' });
    });
    const f = fetcher();
    const first = await f.fetch(`${s.origin}/doc`, { validators: () => null });
    expect([first.kind, first.status, first.headers.etag]).toEqual(['ok', 200, '"v1"']);
    const again = await f.fetch(`${s.origin}/doc`, { validators: () => ({ etag: '"v1"', lastModified: 'Mon, 03 Mar 2025 10:00:00 GMT' }) });
    expect([again.kind, again.status, again.body]).toEqual(['not_modified', 304, null]);
    const h = s.hits('/doc')[1].headers;
    expect([h['if-none-match'], h['if-modified-since']]).toEqual(['"v1"', 'Mon, 03 Mar 2025 10:00:00 GMT']);
    expect(h['user-agent']).toMatch(/nianbao/);
  });
});
