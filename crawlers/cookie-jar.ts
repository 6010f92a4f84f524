/**
 * A per-host cookie jar for the plain fetcher: cookies a server sets (Set-Cookie) and cookies a browser won
 * solving a challenge are sent back on later requests to the same host, so those stay plain HTTP.
 *
 * Deliberately small: name=value per host; Max-Age ≤ 0 or a past Expires deletes; Path, Domain and Secure
 * are not enforced (a crawler asks one site for its own pages). A host key is "host:port" as in URL.host, or a
 * bare host name, which then applies on every port of that host.
 */
export class CookieJar {
  private readonly hosts = new Map<string, Map<string, string>>();

  /** The Cookie header for a request to `url`, or undefined when there is nothing to send. */
  get(url: string): string | undefined {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return undefined;
    }
    const merged = new Map([...(this.hosts.get(u.hostname.toLowerCase()) ?? []), ...(this.hosts.get(u.host.toLowerCase()) ?? [])]);
    if (!merged.size) return undefined;
    return [...merged].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Take the Set-Cookie header(s) of a response to `url`. */
  setFromResponse(url: string, setCookieHeaders: string | string[] | undefined | null): void {
    if (!setCookieHeaders) return;
    let host: string;
    try {
      host = new URL(url).host;
    } catch {
      return;
    }
    for (const line of Array.isArray(setCookieHeaders) ? setCookieHeaders : [setCookieHeaders]) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (expired(attrs)) this.delete(host, name);
      else this.set(host, name, value);
    }
  }

  set(host: string, name: string, value: string): void {
    const key = host.toLowerCase();
    let m = this.hosts.get(key);
    if (!m) this.hosts.set(key, (m = new Map()));
    m.set(name, value);
  }

  delete(host: string, name: string): void {
    this.hosts.get(host.toLowerCase())?.delete(name);
  }
}

function expired(attrs: string[]): boolean {
  for (const a of attrs) {
    const eq = a.indexOf('=');
    const k = (eq < 0 ? a : a.slice(0, eq)).trim().toLowerCase();
    const v = eq < 0 ? '' : a.slice(eq + 1).trim();
    if (k === 'max-age' && /^-?\d+$/.test(v)) return Number(v) <= 0;
    if (k === 'expires') {
      const t = Date.parse(v);
      if (Number.isFinite(t) && t <= Date.now()) return true;
    }
  }
  return false;
}
