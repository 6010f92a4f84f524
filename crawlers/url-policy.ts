/**
 * Where the fetcher may go: http(s) only, only hosts the portal registry allows, and never a private,
 * loopback or link-local address unless the registry names it (the replica portals allow 127.0.0.1).
 *
 * An IP-literal host is checked before the request; a host name is checked at connect time, by the
 * DNS lookup the connection itself uses (guardedLookup), so what is checked is what is connected to —
 * a name that resolves to 10.x or 127.x (or is re-pointed there between requests) is refused.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

export type RefusalReason = 'scheme' | 'host' | 'private_address' | 'robots';

/** A request the fetcher will not make. Never retried. */
export class RefusedError extends Error {
  override name = 'RefusedError';
  readonly code = 'ERR_NIANBAO_REFUSED';
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
  }
}

export interface HostRules {
  /**
   * Hosts the registry allows: exact host names ("www.pingtan.gov.cn", "127.0.0.1"), or a domain with all
   * its subdomains written ".fujian.gov.cn" / "*.fujian.gov.cn"; or a predicate on the (lower-case) host name.
   */
  allowedHosts: readonly string[] | ((hostname: string) => boolean);
  /**
   * Hosts the registry allows to be private/loopback/link-local, as written in URLs: an address
   * ("127.0.0.1" for the replica portals) or a name ("intranet.example"). Matched on the URL's host, not on
   * what a name resolves to: allowing 127.0.0.1 does not let "localhost" — or any name someone points at
   * 127.0.0.1 — through. Empty by default.
   */
  allowPrivate?: readonly string[];
}

const SPECIAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) SPECIAL.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001:db8::', 32],
  ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) SPECIAL.addSubnet(net, bits, 'ipv6');

/** Host name without IPv6 brackets, lower case. */
export function bareHost(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/** A host name or address as URL.hostname writes it (IDN → punycode, IPv6 compressed, brackets dropped). */
export function normaliseHostEntry(entry: string): string {
  const x = bareHost(entry.trim());
  try {
    return bareHost(new URL(`http://${isIP(x) === 6 ? `[${x}]` : x}/`).hostname);
  } catch {
    return x;
  }
}

// a crawl asks about the same few addresses for every request: a BlockList check builds a SocketAddress each time
const privateMemo = new Map<string, boolean>();

/** Loopback, private (RFC 1918, ULA), link-local, CGNAT, multicast, documentation or reserved (IPv4-mapped included). */
export function isPrivateAddress(address: string): boolean {
  let known = privateMemo.get(address);
  if (known === undefined) {
    known = checkPrivate(address);
    if (privateMemo.size >= 4096) privateMemo.clear();
    privateMemo.set(address, known);
  }
  return known;
}

function checkPrivate(address: string): boolean {
  const a = bareHost(address);
  const family = isIP(a);
  if (family === 4) return SPECIAL.check(a, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
    if (mapped) return SPECIAL.check(mapped[1], 'ipv4');
    return SPECIAL.check(a, 'ipv6');
  }
  return false;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

export class UrlPolicy {
  private readonly hostMatch: (hostname: string) => boolean;
  private readonly privateOk: Set<string>;
  /** host name as asked → allowed private (normaliseHostEntry parses a URL) */
  private readonly privateOkMemo = new Map<string, boolean>();

  constructor(rules: HostRules) {
    const allowed = rules.allowedHosts;
    if (typeof allowed === 'function') {
      this.hostMatch = allowed;
    } else {
      const exact = new Set<string>();
      const suffixes: string[] = [];
      for (const h of allowed) {
        const x = bareHost(h.trim());
        if (x.startsWith('*.')) suffixes.push('.' + normaliseHostEntry(x.slice(2)));
        else if (x.startsWith('.')) suffixes.push('.' + normaliseHostEntry(x.slice(1)));
        else exact.add(normaliseHostEntry(x));
      }
      this.hostMatch = (h) => exact.has(h) || suffixes.some((s) => h.endsWith(s) || h === s.slice(1));
    }
    this.privateOk = new Set((rules.allowPrivate ?? []).map(normaliseHostEntry));
  }

  /** May a connection to `address` (the URL host itself, or resolved from it) be made? */
  addressAllowed(hostname: string, address: string): boolean {
    if (!isPrivateAddress(address)) return true;
    let ok = this.privateOkMemo.get(hostname);
    if (ok === undefined) {
      ok = this.privateOk.has(normaliseHostEntry(hostname));
      if (this.privateOkMemo.size >= 4096) this.privateOkMemo.clear();
      this.privateOkMemo.set(hostname, ok);
    }
    return ok;
  }

  /** Everything that can be decided from the URL alone. Throws RefusedError. */
  check(url: string | URL): URL {
    let u: URL;
    try {
      u = typeof url === 'string' ? new URL(url) : url;
    } catch {
      throw new RefusedError('scheme', `not a URL: ${String(url)}`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new RefusedError('scheme', `only http(s) is fetched, not ${u.protocol} (${u.href})`);
    }
    const host = bareHost(u.hostname);
    if (!this.hostMatch(host)) throw new RefusedError('host', `host ${host} is not in the registry (${u.href})`);
    if (isIP(host) && !this.addressAllowed(host, host)) {
      throw new RefusedError('private_address', `${host} is a private or loopback address the registry does not allow (${u.href})`);
    }
    return u;
  }

  /**
   * A drop-in for dns.lookup used by every connection the fetcher opens: it fails the connection when the
   * name resolves to an address the policy refuses (any of them, when the name has several).
   */
  readonly lookup = (hostname: string, options: LookupOneOptions | LookupAllOptions | number, callback: LookupCallback): void => {
    const opts = typeof options === 'number' ? { family: options } : options;
    dnsLookup(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return callback(err, '', undefined);
      const bad = addresses.find((a) => !this.addressAllowed(hostname, a.address));
      if (bad) {
        return callback(new RefusedError('private_address', `${hostname} resolves to ${bad.address}, a private or loopback address the registry does not allow`) as unknown as NodeJS.ErrnoException, '', undefined);
      }
      if ((opts as LookupAllOptions).all) return callback(null, addresses);
      if (addresses.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', undefined);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** The RefusedError somewhere in an error's cause chain (undici wraps connection errors). */
export function findRefusal(err: unknown): RefusedError | null {
  for (let e = err, i = 0; e && i < 8; i++) {
    if (e instanceof RefusedError) return e;
    if (typeof e === 'object' && (e as { code?: string }).code === 'ERR_NIANBAO_REFUSED') return e as RefusedError;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}
