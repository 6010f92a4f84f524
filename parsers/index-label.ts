/**
 * The labels only a 信息索引 block has, as a test on decoded text and as a test on undecoded bytes (their
 * one-byte view), so that a stretch of page is decoded only when it may hold one.
 */
import iconv from 'iconv-lite';

/** The labels, character by character; `:` marks a label that needs its colon (文号：, 标题：). */
const LABELS = ['索引号', '发文机关', '发布机构', '成文日期', '生成日期', '发文字号', '文号:', '标题:', '发布日期'];

function labelPattern(char: (c: string) => string, space: string, colon: string): RegExp {
  return new RegExp(LABELS.map((l) => [...l].map((c) => (c === ':' ? colon : char(c))).join(space)).join('|'));
}

/** On decoded text: 索\s*引\s*号 | … | 文\s*号\s*[:：] | … */
export const INDEX_LABEL = labelPattern((c) => c, String.raw`\s*`, '[:：]');

/** JS whitespace (\s) outside ASCII: what \s matches in decoded text beyond the bytes \s matches as such. */
const WIDE_SPACES = ['\u00a0', '\u1680', ...Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i)), '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];

const escape = (s: string) => [...s].map((c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');

const byCharset = new Map<string, RegExp | null>();

/**
 * INDEX_LABEL for the one-byte view of bytes in `charset` (utf-8, gb18030), or null when there is none.
 * It matches wherever the decoded text would (each decoded character is its own byte sequence), and may
 * match more: a hit means "decode and test", a miss means the decoded text has no label.
 */
export function encodedIndexLabel(charset: string): RegExp | null {
  if (byCharset.has(charset)) return byCharset.get(charset)!;
  let re: RegExp | null = null;
  if (charset === 'utf-8' || charset === 'gb18030') {
    const enc = (c: string) => escape((charset === 'utf-8' ? Buffer.from(c, 'utf8') : iconv.encode(c, charset)).toString('latin1'));
    const space = `(?:\\s|${WIDE_SPACES.map(enc).join('|')})*`;
    re = labelPattern(enc, space, `(?::|${enc('：')})`);
  }
  byCharset.set(charset, re);
  return re;
}
