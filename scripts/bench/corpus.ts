/** The real pages the benchmarks run on (../shared, read-only). */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_DIR = resolve(ROOT, '..', 'shared');
export const PINGTAN_DIR = join(SHARED_DIR, 'fixtures', 'portals', 'pingtan');
export const SEEDS_DIR = join(SHARED_DIR, 'seeds');

export function pingtanPages(): Array<{ path: string; url: string; docid: string }> {
  return JSON.parse(readFileSync(join(PINGTAN_DIR, 'manifest.json'), 'utf8')).entries;
}

export function seedTexts(): string[] {
  return readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt')).sort();
}
