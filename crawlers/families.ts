/**
 * CMS families a registry entry may name: those with an adapter (crawlers/adapters/index.ts) and those the
 * research documents but that have no adapter yet. Entries of a planned family load and list fine; the crawl
 * skips them with a reason instead of guessing with another family's adapter.
 */
import { ADAPTERS } from './adapters/index.ts';
import type { RegistryEntry } from './registry-schema.ts';

/** research/cms-families.md §0: Guangdong gkmlpt, Zhejiang's Hanweb JPaaS, 开普 UCAP, other JSON list APIs */
export const PLANNED_FAMILIES = ['gkmlpt', 'hanweb-jpaas', 'kaipu', 'json-api'] as const;

export const hasAdapter = (family: string): boolean => Object.hasOwn(ADAPTERS, family);

export const isFamilyKnown = (family: string): boolean =>
  hasAdapter(family) || (PLANNED_FAMILIES as readonly string[]).includes(family);

/** Why a crawl cannot cover this entry (null: it can). */
export function whyNotCrawlable(e: Pick<RegistryEntry, 'family' | 'entryUrls'>): string | null {
  if (!hasAdapter(e.family)) return `no adapter for family ${e.family}`;
  if (!e.entryUrls.length) return 'no entry URL';
  return null;
}
