/** The cookie jar: per host, expiry, Secure, deletion, hand-over from the browser path. */
import { describe, expect, it } from 'vitest';
import { CookieJar } from '../../crawlers/cookie-jar.ts';

describe('CookieJar', () => {
  it('sends what a host set back to that host only (ports are hosts of their own)', () => {
    const jar = new CookieJar();
    jar.setFromResponse('http://127.0.0.1:8001/list', ['a=1; Path=/; HttpOnly', 'b="two"; Domain=example.com']);
    expect(jar.get('http://127.0.0.1:8001/art/1.html')).toBe('a=1; b=two');
    expect(jar.get('http://127.0.0.1:8002/')).toBe('');
    jar.setFromResponse('http://127.0.0.1:8001/', 'a=3');
    expect(jar.get('http://127.0.0.1:8001/')).toBe('a=3; b=two');
  });

  it('honours Max-Age over Expires, deletes on Max-Age=0 or a past date, and forgets expired cookies', () => {
    let now = Date.parse('2026-04-01T00:00:00Z');
    const jar = new CookieJar(() => now);
    jar.setFromResponse('http://h.example/', [
      'short=1; Max-Age=60; Expires=Wed, 01 Apr 2099 00:00:00 GMT', 'long=2; Expires=Thu, 02 Apr 2026 00:00:00 GMT', 'x=1',
    ]);
    expect(jar.get('http://h.example/')).toBe('short=1; long=2; x=1');
    now += 61_000;
    expect(jar.get('http://h.example/')).toBe('long=2; x=1');
    jar.setFromResponse('http://h.example/', ['x=gone; Max-Age=0', 'long=; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
    expect(jar.get('http://h.example/')).toBe('');
  });

  it('keeps Secure cookies for https, ignores malformed lines, and takes cookies handed over by host', () => {
    const jar = new CookieJar();
    jar.setFromResponse('https://s.example/', ['sid=9; Secure', 'novalue', '=x', '']);
    expect(jar.get('https://s.example/a')).toBe('sid=9');
    expect(jar.get('http://s.example/a')).toBe('');
    jar.set('S.example', 'token', 'abc');
    expect(jar.get('http://s.example/')).toBe('token=abc');
  });
});

describe('the fetcher keeps cookies', () => {
  it('follows a 302 to the same URL that sets a cookie, then gets the page; a redirect to itself without a new cookie is still a loop', async () => {
    const { Fetcher } = await import('../../crawlers/fetcher.ts');
    const { startServer, text } = await import('./server.ts');
    const s = await startServer();
    const f = new Fetcher({ allowedHosts: ['127.0.0.1'], allowPrivate: ['127.0.0.1'], hostDefaults: { delayMs: 0 } });
    try {
      s.route('/gate', (q, res) => (/(?:^|; )pass=1(?:;|$)/.test(q.headers.cookie ?? '')
        ? text(res, 200, '<html><body>报告</body></html>')
        : text(res, 302, '', { location: '/gate', 'set-cookie': ['pass=1; Path=/; HttpOnly', 'sid=abc'] })));
      s.route('/loop', (_q, res) => text(res, 302, '', { location: '/loop', 'set-cookie': 'same=1' }));
      const r = await f.fetch(`${s.origin}/gate`);
      expect([r.kind, r.status, r.redirects.length]).toEqual(['ok', 200, 1]);
      expect(s.hits('/gate').map((h) => h.headers.cookie ?? null)).toEqual([null, 'pass=1; sid=abc']);
      // later requests to the host carry it too
      expect(f.cookies.get(`${s.origin}/other`)).toBe('pass=1; sid=abc');
      const loop = await f.fetch(`${s.origin}/loop`);
      expect(loop.kind).toBe('redirect_loop');
      expect(s.hits('/loop')).toHaveLength(2);
    } finally {
      await f.close();
      await s.close();
    }
  });
});
