/**
 * Is this response an anti-bot JS challenge rather than the page (research/cms-families.md §6)? Only a
 * browser running its script gets past one; the fetcher then hands the cookies it won back to plain requests.
 *
 *   riversafe   瑞数: 412 (some versions 202, or 200 with an almost empty body) carrying $_ts / r='m' scripts
 *   jiasule     加速乐 / Cloudflare-style: 521 with a document.cookie script (or the go({…}) second round)
 *   js-cookie   any other small page whose script sets document.cookie and reloads (EdgeOne __tst_status,
 *               Aliyun acw_sc__v2, …)
 */
export type ChallengeKind = 'riversafe' | 'jiasule' | 'js-cookie';

/** Challenge pages are small; a real page that happens to set a cookie is not mistaken for one. */
const MAX_CHALLENGE_BYTES = 64 * 1024;
const SETS_COOKIE = /document\.cookie\s*=/;
/** implied by each test below but the 412/521 ones: riversafe's $_ts or <script r=m>, a document.cookie write */
const MARKERS = /\$_ts|<script\b[^>]*\br=['"]?m|document\.cookie/i;
const RELOADS = /location\s*(?:\.\s*(?:reload|replace|assign)\s*\(|\.\s*href\s*=|=)/;

export function detectChallenge(status: number | null, body: Buffer | string | null | undefined): ChallengeKind | null {
  if (status === null) return null;
  if (body == null || body.length === 0) return status === 412 || status === 521 ? (status === 412 ? 'riversafe' : 'jiasule') : null;
  if (body.length > MAX_CHALLENGE_BYTES) return null;
  const text = typeof body === 'string' ? body : body.toString('latin1');
  // every page is asked: one scan for what any challenge below needs rules out an ordinary page at once
  if (status !== 412 && status !== 521 && !MARKERS.test(text)) return null;
  const riversafe = /\$_ts\s*=\s*window\[/.test(text) || /<script\b[^>]*\br=['"]?m['"]?/i.test(text);
  if (riversafe && (status === 412 || status === 202 || (status === 200 && visibleTextLength(text) < 200))) return 'riversafe';
  if (status === 521 && (SETS_COOKIE.test(text) || /\bgo\(\s*\{/.test(text))) return 'jiasule';
  if (status === 412 || status === 521) return status === 412 ? 'riversafe' : 'jiasule';
  if (SETS_COOKIE.test(text) && RELOADS.test(text) && visibleTextLength(text) < 200) return 'js-cookie';
  return null;
}

/** Characters of text outside tags and scripts (a challenge page shows next to nothing). */
function visibleTextLength(html: string): number {
  return html.replace(/<script\b[\s\S]*?<\/script>/gi, '').replace(/<style\b[\s\S]*?<\/style>/gi, '').replace(/<[^>]*>/g, '').replace(/\s+/g, '').length;
}
