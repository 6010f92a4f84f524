/**
 * Finding the 年报 column from a page that is not it (research/cms-families.md §7.1): links named like the
 * column (政府信息公开年报, 信息公开年报, 年度报告, …) or with its slug (zfxxgknb, xxgknb, ndbg, …); failing those,
 * links into the 信息公开 / 政务公开 section, where the column usually sits one click further
 * (home → 政府信息公开 → 年报). Shared by the generic and the TRS WCM adapters.
 */
import type { Anchor } from './types.ts';

const COLUMN_TEXT = /(?:政府)?信息公开(?:工作)?(?:年度)?(?:年报|报告)|年度报告|年报/;
export const COLUMN_SLUG = /zfxxgknb|xxgknb|gknb|ndbg|ndgzbg|zfxxgkndbg/i;
/** the disclosure section that holds the column: by its name, or its usual slugs */
const HUB_TEXT = /^(?:政府)?信息公开$|^政务公开$|^政府信息公开(?:目录|平台|专栏)$|^信息公开目录$/;
const HUB_SLUG = /\/(?:zfxxgk|xxgk|zwgk|gkml|zfxxgkzl)(?:\/|\/index\.s?html?)?$/i;

const dir = (href: string): string => href.replace(/(?:index\.s?html?)?$/, '');
/** `href` is `url` itself, written with or without its index file */
export const sameList = (href: string, url: string): boolean => dir(href) === dir(url);

/** Links that name the 年报 column (by text of a menu's length, or by slug). */
export function namedColumnLinks(links: Anchor[]): Anchor[] {
  return links.filter((a) => (COLUMN_TEXT.test(a.text) && a.text.length <= 20) || COLUMN_SLUG.test(new URL(a.href).pathname));
}

/** Links into the 信息公开 section (the step before the column). */
export function hubLinks(links: Anchor[]): Anchor[] {
  return links.filter((a) => HUB_TEXT.test(a.text.replace(/\s+/g, '')) || HUB_SLUG.test(new URL(a.href).pathname));
}

/**
 * Where to go from a page that is not the column, in order of preference: the column's own links, else the
 * 信息公开 section's, else nothing (the caller decides whether to explore every link).
 */
export function towardsColumn(links: Anchor[], url: string): string[] {
  const named = namedColumnLinks(links).filter((a) => !sameList(a.href, url));
  if (named.length) return named.map((a) => a.href);
  return hubLinks(links).filter((a) => !sameList(a.href, url)).map((a) => a.href);
}
