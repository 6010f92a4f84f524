/** Small SQL helpers shared by the storage modules. */
import type Database from 'better-sqlite3';
import type { Archive } from './types.ts';

const cache = new WeakMap<Archive, Map<string, Database.Statement>>();

/** A prepared statement, prepared once per connection (ingest runs the same few statements per fetch). */
export function stmt(db: Archive, sql: string): Database.Statement {
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql)));
  return s;
}

/** ISO-8601 UTC, the one time format in the archive (sorts as text). */
export function isoTime(t: string | Date | number): string {
  const d = t instanceof Date ? t : new Date(t);
  if (Number.isNaN(d.getTime())) throw new Error(`not a time: ${String(t)}`);
  return d.toISOString();
}

export function json(v: unknown): string {
  return JSON.stringify(v ?? null);
}

export function parseJson<T>(s: string | null | undefined, fallback: T): T {
  if (s === null || s === undefined) return fallback;
  return JSON.parse(s) as T;
}
