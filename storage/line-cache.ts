/**
 * The normalised lines of versions this connection wrote lately, so a text diff against the previous
 * version does not read and re-normalise its body (≈0.2 ms a diff). An entry is used only when its lines
 * hash to the version's stored content hash: then they ARE that version's lines (contentHash is the sha256
 * of the lines joined), whatever happened since — a rolled-back transaction that reused the id, a re-derive.
 */
import { normaliseContent } from './normalise.ts';
import { stmt } from './sql.ts';
import type { Archive } from './types.ts';

/** Versions remembered per connection: a crawl re-fetches a changed page within a run (a few MB of lines). */
export const LINE_CACHE_VERSIONS = 2048;

interface Entry {
  contentHash: string;
  lines: string[];
}
const caches = new WeakMap<Archive, Map<number, Entry>>();

export function rememberLines(db: Archive, versionId: number, contentHash: string, lines: string[]): void {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new Map()));
  c.delete(versionId);
  c.set(versionId, { contentHash, lines });
  // oldest first in insertion order
  if (c.size > LINE_CACHE_VERSIONS) c.delete(c.keys().next().value!);
}

/** A report version's normalised lines: remembered when they still match its content hash, else from its row. */
export function versionLines(db: Archive, versionId: number, contentHash: string): string[] {
  const hit = caches.get(db)?.get(versionId);
  if (hit && hit.contentHash === contentHash) return hit.lines;
  const row = stmt(db, 'SELECT title, body FROM reports WHERE version_id = ?').get(versionId) as { title: string | null; body: string };
  return normaliseContent(row.title, row.body);
}
