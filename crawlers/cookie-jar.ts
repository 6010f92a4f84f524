/**
 * A small cookie jar for the fetcher and the browser path: cookies kept per host ("host:port" as in URL.host),
 * host-only (a Domain attribute is not widened to other hosts), path ignored (a portal's anti-bot cookie is
 * site-wide), expiry honoured (Max-Age, Expires), Secure cookies sent over https only.
 *
 *   jar.setFromResponse(url, res.headers['set-cookie']);   // after every response, redirect hops included
 *   headers.cookie = jar.get(url);                         // '' when there is nothing to send
 *   jar.set('127.0.0.1:8080', 'token', 'abc');             // handed over by the browser path
 */
interface Cookie {
  value: string;
  /** ms since the epoch; Infinity for a session cookie */
  expires: number;
  secure: boolean;
}

export class CookieJar {
  private readonly hosts = new Map<string, Map<string, Cookie>>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** The Cookie header value for a request to `url` ('' when none). */
  get(url: string): string {
    const u = new URL(url);
    const jar = this.hosts.get(u.host.toLowerCase());
    if (!jar) return '';
    const now = this.clock();
    const out: string[] = [];
    for (const [name, c] of jar) {
      if (c.expires <= now) jar.delete(name);
      else if (!c.secure || u.protocol === 'https:') out.push(`${name}=${c.value}`);
    }
    return out.join('; ');
  }

  /** Take the Set-Cookie headers of a response from `url`. Malformed ones are ignored. */
  setFromResponse(url: string, setCookie: string | readonly string[] | undefined | null): void {
    if (!setCookie) return;
    const host = new URL(url).host.toLowerCase();
    for (const line of typeof setCookie === 'string' ? [setCookie] : setCookie) this.parse(host, line);
  }

  /** Set one cookie for a host (a session cookie). */
  set(host: string, name: string, value: string): void {
    this.put(host.toLowerCase(), name, { value, expires: Infinity, secure: false });
  }

  private parse(host: string, line: string): void {
    const [pair, ...attrs] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (!name) return;
    let expires = Infinity;
    let maxAge: number | null = null;
    let secure = false;
    for (const a of attrs) {
      const i = a.indexOf('=');
      const key = (i < 0 ? a : a.slice(0, i)).trim().toLowerCase();
      const val = i < 0 ? '' : a.slice(i + 1).trim();
      if (key === 'max-age' && /^-?\d+$/.test(val)) maxAge = Number(val);
      else if (key === 'expires') {
        const t = Date.parse(val);
        if (!Number.isNaN(t)) expires = t;
      } else if (key === 'secure') secure = true;
    }
    // Max-Age wins over Expires (RFC 6265 5.3)
    if (maxAge !== null) expires = maxAge <= 0 ? -Infinity : this.clock() + maxAge * 1000;
    this.put(host, name, { value, expires, secure });
  }

  private put(host: string, name: string, c: Cookie): void {
    let jar = this.hosts.get(host);
    if (!jar) this.hosts.set(host, (jar = new Map()));
    if (c.expires <= this.clock()) jar.delete(name);
    else jar.set(name, c);
  }
}
