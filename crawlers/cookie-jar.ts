/**
 * A small cookie jar for the fetcher and the browser path: cookies kept per host ("host:port" as in URL.host),
 * host-only (a Domain attribute is not widened to other hosts), path ignored (a portal's anti-bot cookie is
 * site-wide), expiry honoured (Max-Age, Expires), Secure cookies sent over https only. A cookie set under a
 * bare host name (no port) applies on every port of that host; "host:port" ones win over it.
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
    // asked before every request: most crawls never get a cookie
    if (this.hosts.size === 0) return '';
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return '';
    }
    const now = this.clock();
    const live = new Map<string, string>();
    for (const key of new Set([u.hostname.toLowerCase(), u.host.toLowerCase()])) {
      const jar = this.hosts.get(key);
      if (!jar) continue;
      for (const [name, c] of jar) {
        if (c.expires <= now) jar.delete(name);
        else if (!c.secure || u.protocol === 'https:') live.set(name, c.value);
      }
    }
    return [...live].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Take the Set-Cookie headers of a response from `url`. Malformed ones are ignored. */
  setFromResponse(url: string, setCookie: string | readonly string[] | undefined | null): void {
    if (!setCookie) return;
    let host: string;
    try {
      host = new URL(url).host.toLowerCase();
    } catch {
      return;
    }
    for (const line of typeof setCookie === 'string' ? [setCookie] : setCookie) this.parse(host, line);
  }

  /** Forget one cookie of a host. */
  delete(host: string, name: string): void {
    this.hosts.get(host.toLowerCase())?.delete(name);
  }

  /** Set one cookie for a host ("host:port", or a bare name for every port), as a session cookie. */
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
