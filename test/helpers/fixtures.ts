/** Paths to the shared real pages, and the hand-checked expected values in canonical keys. */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '..', '..');
export const SHARED = resolve(ROOT, '..', 'shared');
export const SEEDS = join(SHARED, 'seeds');
export const PINGTAN = join(SHARED, 'fixtures', 'portals', 'pingtan');
export const OWN_FIXTURES = join(ROOT, 'test', 'fixtures');

export const REVIEW_KEYS = [
  'review_upheld', 'review_corrected', 'review_other', 'review_pending', 'review_total',
  'suit_direct_upheld', 'suit_direct_corrected', 'suit_direct_other', 'suit_direct_pending', 'suit_direct_total',
  'suit_after_review_upheld', 'suit_after_review_corrected', 'suit_after_review_other', 'suit_after_review_pending', 'suit_after_review_total',
];
export const APPLICATION_COLUMNS = ['natural_person', 'commercial', 'research', 'social', 'legal', 'other', 'total'];

export interface PingtanEntry {
  docid: string;
  path: string;
  url: string;
  title: string;
  published: string;
}

export function pingtanEntries(): PingtanEntry[] {
  const manifest = JSON.parse(readFileSync(join(PINGTAN, 'manifest.json'), 'utf8'));
  return manifest.entries;
}

/** expected.json beside the page (shared) or ours under test/fixtures/pingtan-expected. */
export function pingtanExpected(e: PingtanEntry): Record<string, any> {
  const shared = join(PINGTAN, dirname(e.path), 'expected.json');
  const own = join(OWN_FIXTURES, 'pingtan-expected', `${e.docid}.json`);
  return JSON.parse(readFileSync(existsSync(shared) ? shared : own, 'utf8'));
}

export function seedFiles(): string[] {
  return readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).sort();
}

export function seedExpected(file: string): Record<string, any> {
  return JSON.parse(readFileSync(join(SEEDS, 'expected', file.replace(/\.txt$/, '.json')), 'utf8'));
}

/** Expected numbers may be typed as strings to keep their decimals ("9116.36"). */
export function num(v: unknown): unknown {
  return typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
}

/** {row: {col: v}} → {"row.col": v} */
export function flattenApplications(apps: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [row, cols] of Object.entries(apps)) for (const [col, v] of Object.entries(cols)) out[`${row}.${col}`] = num(v);
  return out;
}

export function reviewObject(list: unknown[]): Record<string, unknown> {
  return Object.fromEntries(REVIEW_KEYS.map((k, i) => [k, num(list[i])]));
}
