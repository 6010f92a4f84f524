/**
 * Reports unlinked from their lists while their pages still answer (real portals often unlink and keep pages).
 * A 404/410 makes a document 'removed' (storage); this is the other way a report leaves a site:
 *
 *   - every report link a list page names is recorded with the list page's commit (list_seen: URL → the
 *     last run whose lists named it), so a killed and resumed run loses none of them;
 *   - after a nightly crawl whose lists of a site were ALL fetched (every list page answered 2xx, the list
 *     budget not used up), a live report of that site that no list named in this run becomes delisted:
 *     documents.delisted_since is set and a 'delisted' change event recorded. It is not 'removed' — it
 *     still answered this night's conditional re-check;
 *   - a delisted report is still re-checked every night (conditional GET: a 304 costs nothing) for
 *     REVISIT_DELISTED_DAYS, so a later 404 still makes it 'removed' and an edit is still noticed;
 *   - a delisted report named by a list again is relisted ('relisted' event, delisted_since cleared).
 *
 * A run that could not read a site's lists completely decides nothing for that site; nor does one whose
 * lists lost more than half of the site's listed reports at once (a layout change or a 200 anti-bot page
 * reads as an empty list: that is not news about the reports) — relisting still happens then.
 */
import { canonicalUrl } from '../storage/normalise.ts';
import { recordChange } from '../storage/changes.ts';
import { isoTime, stmt } from '../storage/sql.ts';
import type { Archive, ChangeEvent } from '../storage/types.ts';

/** Delisted reports are re-checked this long after they left their lists, then left alone. */
export const REVISIT_DELISTED_DAYS = 180;

/** The report URLs a list page named in this run (inside the list page's commit). */
export function recordListed(db: Archive, site: string, runId: number, urls: readonly string[], at: Date | number | string): void {
  const when = isoTime(at);
  const up = stmt(db, `INSERT INTO list_seen (url, site, run_id, at) VALUES (?, ?, ?, ?)
    ON CONFLICT (url) DO UPDATE SET site = excluded.site, run_id = excluded.run_id, at = excluded.at`);
  for (const u of urls) up.run(canonicalUrl(u), site, runId, when);
}

/** A listed URL redirected: the page it landed on (the document) was listed too. */
export function carryListed(db: Archive, fromUrl: string, toUrl: string, runId: number): void {
  stmt(db, `INSERT INTO list_seen (url, site, run_id, at) SELECT ?, site, run_id, at FROM list_seen WHERE url = ? AND run_id = ?
    ON CONFLICT (url) DO UPDATE SET site = excluded.site, run_id = excluded.run_id, at = excluded.at`)
    .run(canonicalUrl(toUrl), canonicalUrl(fromUrl), runId);
}

/** Did this run fetch every list page of the site, each with a 2xx, within the list budget? */
export function listsComplete(db: Archive, runId: number, site: string, maxListPages: number): boolean {
  const r = stmt(db, `SELECT count(*) AS n, coalesce(sum(f.status = 'done' AND x.status BETWEEN 200 AND 299), 0) AS ok
    FROM frontier f LEFT JOIN fetches x ON x.id = f.fetch_id WHERE f.run_id = ? AND f.site = ? AND f.kind = 'list'`)
    .get(runId, site) as { n: number; ok: number };
  const named = stmt(db, 'SELECT 1 FROM list_seen WHERE site = ? AND run_id = ? LIMIT 1').get(site, runId) !== undefined;
  return r.n > 0 && r.ok === r.n && r.n < maxListPages && named;
}

export interface ListingSettled {
  delisted: ChangeEvent[];
  relisted: ChangeEvent[];
}

/** After a complete list run of a site: delist the live reports no list named, relist the ones named again. */
export function settleListing(db: Archive, runId: number, site: string, at: Date | number | string = Date.now()): ListingSettled {
  const when = isoTime(at);
  return db.transaction((): ListingSettled => {
    // documents ever read as a report (only those get events, as everywhere in the archive)
    const gone = stmt(db, `SELECT d.id, d.current_version_id AS v FROM documents d
      WHERE d.site = ? AND d.status = 'live' AND d.delisted_since IS NULL
        AND EXISTS (SELECT 1 FROM versions v WHERE v.document_id = d.id AND v.parse_status = 'report')
        AND NOT EXISTS (SELECT 1 FROM list_seen s WHERE s.url = d.url AND s.run_id = ?)
        -- a page's report file (attachments.ts) is never on a list: its page's listing speaks for it
        AND NOT EXISTS (SELECT 1 FROM page_attachments pa WHERE pa.attachment_url = d.url)`).all(site, runId) as { id: number; v: number | null }[];
    const back = stmt(db, `SELECT d.id, d.current_version_id AS v, d.delisted_since AS since FROM documents d
      JOIN list_seen s ON s.url = d.url AND s.run_id = ?
      WHERE d.site = ? AND d.delisted_since IS NOT NULL`).all(runId, site) as { id: number; v: number | null; since: string }[];
    const out: ListingSettled = { delisted: [], relisted: [] };
    const listed = (stmt(db, `SELECT count(*) AS n FROM documents d WHERE d.site = ? AND d.status = 'live' AND d.delisted_since IS NULL
        AND EXISTS (SELECT 1 FROM versions v WHERE v.document_id = d.id AND v.parse_status = 'report')`).get(site) as { n: number }).n;
    const suspect = gone.length > Math.max(2, listed / 2);
    for (const d of suspect ? [] : gone) {
      stmt(db, 'UPDATE documents SET delisted_since = ? WHERE id = ?').run(when, d.id);
      out.delisted.push(recordChange(db, { documentId: d.id, kind: 'delisted', at: when, fetchId: null, oldVersionId: d.v, newVersionId: d.v, detail: { run: runId } }));
    }
    for (const d of back) {
      stmt(db, 'UPDATE documents SET delisted_since = NULL WHERE id = ?').run(d.id);
      out.relisted.push(recordChange(db, { documentId: d.id, kind: 'relisted', at: when, fetchId: null, oldVersionId: d.v, newVersionId: d.v, detail: { run: runId, delisted_since: d.since } }));
    }
    if (out.delisted.length || out.relisted.length) {
      stmt(db, `UPDATE crawl_runs SET counts = json_set(counts,
          '$.delisted', coalesce(json_extract(counts, '$.delisted'), 0) + ?,
          '$.relisted', coalesce(json_extract(counts, '$.relisted'), 0) + ?) WHERE id = ?`).run(out.delisted.length, out.relisted.length, runId);
    }
    return out;
  }).immediate();
}
