/**
 * Anti-bot gates in front of a replica site (research/cms-families.md §6). A plain HTTP client gets the
 * challenge; a browser runs its script, which computes a cookie and reloads; a request carrying the right
 * cookies gets the page. The cookies are tied to the site (derived from its seed and id), so one browser visit
 * wins them for every later plain request to that site.
 *
 *   '412' (瑞数 Riversafe style)   412 + Set-Cookie {P}S=6…; the body: <meta id=… content="{seed}" r='m'>, a
 *        $_ts=window['$_ts'] script, <script src="/{dir}/{file}.js" r='m'>, and the trigger <script>_$gW();</script>
 *        after </html>. The external script computes {P}T from the meta seed, sets it, and reloads. S + T → 200.
 *   '521' (加速乐 Jiasule style), two rounds: 521 + Set-Cookie __jsluid_h and
 *        <script>document.cookie=…__jsl_clearance_s=…;location.href=location.pathname+location.search</script>;
 *        with that interim clearance, 521 again with a go({bts, chars, ct, ha, tn}) script that searches the two
 *        characters whose hash matches ct and sets the final __jsl_clearance_s; jsluid + final clearance → 200.
 *
 * The hash is a small FNV/djb2 pair (`wafHash`), the same here and in the pages' scripts.
 */
import type { DocInfo, PageReply, RegistryEntry, Reply, ReplicaRequest, Site } from './types.ts';
import { sha1 } from './util.ts';

export type ChallengeKind = '412' | '521';

/** The hash the challenge scripts compute (kept identical to WAF_HASH_JS). */
export function wafHash(s: string): string {
  let a = 0x811c9dc5 >>> 0;
  let b = 5381;
  for (let i = 0; i < s.length; i++) {
    a = Math.imul(a ^ s.charCodeAt(i), 16777619) >>> 0;
    b = (Math.imul(b, 33) ^ s.charCodeAt(i)) >>> 0;
  }
  return `${a.toString(16)}.${b.toString(36)}`;
}
const WAF_HASH_JS = `function(s){var a=0x811c9dc5>>>0,b=5381;for(var i=0;i<s.length;i++){a=Math.imul(a^s.charCodeAt(i),16777619)>>>0;b=(Math.imul(b,33)^s.charCodeAt(i))>>>0;}return a.toString(16)+'.'+b.toString(36);}`;

const CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HTML = 'text/html; charset=utf-8';

export function parseCookies(header: string | string[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (Array.isArray(header) ? header.join('; ') : header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

/** A site behind a challenge: every path of the inner site (robots.txt aside) needs the cookies. */
export class ChallengeSite implements Site {
  readonly family: Site['family'];
  readonly name: string;
  readonly robots: string | null;
  readonly entryPaths: string[];
  readonly options: Site['options'];
  /** what the gate hands out, all derived from the site's secret */
  readonly secret: ReturnType<typeof secrets>;

  constructor(readonly inner: Site, readonly kind: ChallengeKind, seed: string) {
    this.family = inner.family;
    this.name = inner.name;
    this.robots = inner.robots;
    this.entryPaths = inner.entryPaths;
    this.options = inner.options;
    this.secret = secrets(`${seed}/${inner.id}/${kind}`);
  }

  get id(): string {
    return this.inner.id;
  }

  /** The cookies a solved client sends (for tests: name → value). */
  solvedCookies(): Record<string, string> {
    const s = this.secret;
    return this.kind === '412' ? { [`${s.prefix}S`]: s.sValue, [`${s.prefix}T`]: wafHash(s.metaSeed) } : { __jsluid_h: s.jsluid, __jsl_clearance_s: s.final };
  }

  handle(req: ReplicaRequest): Reply | null | Promise<Reply | null> {
    if (this.kind === '412' && req.path === this.secret.scriptPath) return { body: this.script412(), type: 'application/javascript; charset=utf-8' };
    const cookies = parseCookies(req.headers.cookie);
    const gate = this.kind === '412' ? this.gate412(cookies) : this.gate521(cookies);
    return gate ?? this.inner.handle(req);
  }

  docs(baseUrl: string): DocInfo[] {
    return this.inner.docs(baseUrl);
  }

  nextNight(night: number, at: string) {
    return this.inner.nextNight(night, at);
  }

  registryEntry(baseUrl: string): RegistryEntry {
    // nothing in the registry says "challenge": the crawler finds out from the first response
    return this.inner.registryEntry(baseUrl);
  }

  // ---- 412

  private gate412(c: Map<string, string>): PageReply | null {
    const s = this.secret;
    if (c.get(`${s.prefix}S`) === s.sValue && c.get(`${s.prefix}T`) === wafHash(s.metaSeed)) return null;
    return {
      status: 412, type: HTML, etag: false, fault: 'challenge 412',
      headers: { 'Set-Cookie': `${s.prefix}S=${s.sValue}; Path=/; HttpOnly`, 'Cache-Control': 'no-store' },
      body: `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><meta http-equiv="Pragma" content="no-cache">
<meta id="${s.metaId}" content="${s.metaSeed}" r='m'>
<script type="text/javascript" r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=${parseInt(s.sValue.slice(1, 6), 16)};$_ts.cd="${s.tsCd}";</script>
<script type="text/javascript" charset="utf-8" src="${s.scriptPath}" r='m'></script>
</head><body></body></html><script type="text/javascript" r='m'>_$gW();</script>`,
    };
  }

  private script412(): string {
    const s = this.secret;
    return `(function(){var h=${WAF_HASH_JS};window._$gW=function(){var m=document.getElementById('${s.metaId}');if(!m)return;
document.cookie='${s.prefix}T='+h(m.getAttribute('content'))+'; path=/';location.reload();};})();`;
  }

  // ---- 521

  private gate521(c: Map<string, string>): PageReply | null {
    const s = this.secret;
    const clearance = c.get('__jsl_clearance_s');
    const known = c.get('__jsluid_h') === s.jsluid;
    if (known && clearance === s.final) return null;
    const page = (script: string, headers: Record<string, string> = {}): PageReply => ({
      status: 521, type: HTML, etag: false, fault: 'challenge 521',
      headers: { 'Cache-Control': 'no-store', ...headers },
      body: `<html><body><script>${script}</script></body></html>`,
    });
    if (known && clearance === s.interim) {
      const [bts0, bts1] = s.bts;
      const go = { bts: [bts0, bts1], chars: CHARS, ct: wafHash(bts0 + s.pair + bts1), ha: 'fnv', is: true, tn: '__jsl_clearance_s', vt: '3600', wt: '1500' };
      return page(`var _h=${WAF_HASH_JS};function go(o){for(var i=0;i<o.chars.length;i++)for(var j=0;j<o.chars.length;j++){var v=o.bts[0]+o.chars[i]+o.chars[j]+o.bts[1];
if(_h(v)===o.ct){document.cookie=o.tn+'='+v+';max-age='+o.vt+';path=/';location.href=location.pathname+location.search;return;}}}go(${JSON.stringify(go)})`);
    }
    // round 1: the interim clearance spelled as character codes, as the obfuscated original hides it
    const codes = [...`__jsl_clearance_s=${s.interim}`].map((ch) => ch.charCodeAt(0)).join(',');
    return page(`document.cookie=String.fromCharCode(${codes})+';max-age=3600;path=/';location.href=location.pathname+location.search`,
      { 'Set-Cookie': `__jsluid_h=${s.jsluid}; max-age=31536000; path=/; HttpOnly` });
  }
}

function secrets(key: string) {
  const h = sha1(key) + sha1(`${key}/2`);
  const pair = CHARS[parseInt(h.slice(60, 62), 16) % CHARS.length] + CHARS[parseInt(h.slice(62, 64), 16) % CHARS.length];
  const ts = `17750${parseInt(h.slice(64, 69), 16) % 100000}.${parseInt(h.slice(69, 72), 16) % 1000}`;
  const bts: [string, string] = [`${ts}|0|${h.slice(40, 50)}`, h.slice(50, 60)];
  return {
    prefix: `Nf${h.slice(0, 10)}`,
    sValue: `6${h.slice(10, 40)}`,
    metaId: `m${h.slice(12, 30)}`,
    metaSeed: h.slice(20, 60),
    tsCd: h.slice(4, 36),
    scriptPath: `/zg${h.slice(30, 38)}/f0K${h.slice(38, 44)}.5c0a.js`,
    jsluid: h.slice(0, 32),
    interim: `${ts}|0|${h.slice(72, 80)}`,
    bts,
    pair,
    final: bts[0] + pair + bts[1],
  };
}
