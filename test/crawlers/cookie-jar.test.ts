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
