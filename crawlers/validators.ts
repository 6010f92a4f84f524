/**
 * Conditional GET on re-crawls: the ETag and Last-Modified the archive last received for a URL's
 * document, so the fetcher can send If-None-Match / If-Modified-Since and a 304 costs no body.
 *
 * Only answers that gave the archive its content count (200 with a body, or 304 confirming it): the
 * archive holds the content those validators stand for.
 */
import { canonicalUrl } from '../storage/normalise.ts';
import { stmt } from '../storage/sql.ts';
import type { Archive } from '../storage/types.ts';
import type { Validators } from './fetcher.ts';

const first = (v: unknown): string | null => {
  if (typeof v === 'string') return v.trim() || null;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0].trim() || null;
  return null;
};

export function archiveValidators(db: Archive, url: string): Validators | null {
  const rows = stmt(db, `SELECT f.headers, f.outcome FROM fetches f JOIN documents d ON d.id = f.document_id
    WHERE d.url = ? AND f.outcome IN ('new_version', 'same_version', 'not_modified')
    ORDER BY f.id DESC LIMIT 20`).all(canonicalUrl(url)) as { headers: string; outcome: string }[];
  let etag: string | null = null;
  let lastModified: string | null = null;
  // newest first: 304s may restate the validators; the newest answer with a body is where they stop
  // (an older body's ETag could match content the archive no longer has as current)
  for (const r of rows) {
    const h = JSON.parse(r.headers) as Record<string, unknown>;
    etag ??= first(h.etag);
    lastModified ??= first(h['last-modified']);
    if (r.outcome !== 'not_modified') break;
  }
  return etag || lastModified ? { etag, lastModified } : null;
}
