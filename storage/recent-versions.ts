/**
 * The normalised lines and cells of versions this connection wrote lately, so the change events of the
 * next version do not read the previous one back and re-normalise it (≈0.2 ms a text diff, ≈0.1 ms a cell
 * diff). Each part is used only when it matches the version's stored hash: lines that hash to its content
 * hash ARE its lines (contentHash is the sha256 of the lines joined), cells of its values hash are its
 * values — whatever happened since (a rolled-back transaction that reused the id, a re-derive).
 */
import type { Derivation } from './derive.ts';
import { normaliseContent, type Cell } from './normalise.ts';
import { loadCells } from './reports.ts';
import { stmt } from './sql.ts';
import type { Archive } from './types.ts';

/** Versions remembered per connection: the edits of a burst (bench, backfill retries); each holds ≈70 KB of lines and cells, so few. */
export const RECENT_VERSIONS = 128;

type Remembered = Pick<Derivation, 'contentHash' | 'lines' | 'valuesHash' | 'cells'>;
const caches = new WeakMap<Archive, Map<number, Remembered>>();

export function rememberVersion(db: Archive, versionId: number, d: Remembered): void {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new Map()));
  c.delete(versionId);
  // cells only when they read back the same (a NaN or undefined value is stored as NULL)
  const storable = d.cells.every((x) => x.value === null || typeof x.value === 'string' || (typeof x.value === 'number' && !Number.isNaN(x.value)));
  c.set(versionId, { contentHash: d.contentHash, lines: d.lines, valuesHash: storable ? d.valuesHash : null, cells: storable ? d.cells : [] });
  // oldest first in insertion order
  if (c.size > RECENT_VERSIONS) c.delete(c.keys().next().value!);
}

/** A report version's normalised lines: remembered when they match its content hash, else from its row. */
export function versionLines(db: Archive, versionId: number, contentHash: string): string[] {
  const hit = caches.get(db)?.get(versionId);
  if (hit && hit.contentHash === contentHash) return hit.lines;
  const row = stmt(db, 'SELECT title, body FROM reports WHERE version_id = ?').get(versionId) as { title: string | null; body: string };
  return normaliseContent(row.title, row.body);
}

/** A report version's cells: remembered when they match its values hash, else from its rows. */
export function versionCells(db: Archive, versionId: number, valuesHash: string | null): Cell[] {
  const hit = caches.get(db)?.get(versionId);
  if (hit && valuesHash !== null && hit.valuesHash === valuesHash) return hit.cells;
  return loadCells(db, versionId);
}
