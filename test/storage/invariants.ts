/** What every committed state of an archive satisfies, for the tests of batched and pooled ingest. */
import { expect } from 'vitest';
import { getBlob, loadCells } from '../../storage/index.ts';
import type { Archive } from '../../storage/index.ts';
import { contentHashes, normaliseContent, valuesHash } from '../../storage/normalise.ts';
import { searchKey } from '../../storage/ngrams.ts';

/** Rows of the tables a fetch writes, in id order (blob bytes as their length). */
export function dump(db: Archive): Record<string, unknown[]> {
  const all = (sql: string) => db.prepare(sql).all();
  return {
    documents: all('SELECT * FROM documents ORDER BY id'),
    fetches: all('SELECT * FROM fetches ORDER BY id'),
    versions: all('SELECT * FROM versions ORDER BY id'),
    reports: all('SELECT * FROM reports ORDER BY version_id'),
    cells: all('SELECT * FROM report_cells ORDER BY version_id, tbl, key'),
    changes: all('SELECT * FROM changes ORDER BY id'),
    blobs: all('SELECT sha256, size, codec, length(data) AS n FROM blobs ORDER BY sha256'),
    latest: all('SELECT * FROM report_latest ORDER BY document_id'),
    fts: all('SELECT rowid FROM reports_fts ORDER BY rowid'),
    chars: all('SELECT rowid FROM reports_chars ORDER BY rowid'),
  };
}

/** Every invariant of a committed archive: whole fetches, versions, reports, cells, latest, search index. */
export function verifyArchive(db: Archive, committed: number[] = []): { fetches: number; versions: number } {
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(db.pragma('foreign_key_check')).toEqual([]);
  db.exec("INSERT INTO reports_fts (reports_fts) VALUES ('integrity-check')");
  db.exec("INSERT INTO reports_chars (reports_chars) VALUES ('integrity-check')");

  const ids = new Set((db.prepare('SELECT id FROM fetches').all() as { id: number }[]).map((r) => r.id));
  for (const id of committed) expect(ids.has(id), `committed fetch ${id} lost`).toBe(true);

  const fetches = db.prepare('SELECT * FROM fetches').all() as Record<string, any>[];
  for (const f of fetches) {
    if (f.blob_sha256) expect(getBlob(db, f.blob_sha256, { verify: true }), `fetch ${f.id} bytes`).not.toBeNull();
    // a 304 for a URL never seen with content concerns no document and no version
    if (['new_version', 'same_version', 'not_modified'].includes(f.outcome) && f.document_id !== null) {
      const v = db.prepare('SELECT document_id FROM versions WHERE id = ?').get(f.version_id) as { document_id: number } | undefined;
      expect(v?.document_id, `fetch ${f.id} version`).toBe(f.document_id);
    }
    if (f.document_id === null) expect(f.version_id, `fetch ${f.id} without a document`).toBeNull();
    if (f.outcome === 'new_version') {
      expect(db.prepare('SELECT 1 FROM versions WHERE first_fetch_id = ?').get(f.id), `fetch ${f.id} made its version`).toBeDefined();
    }
  }
  const versions = db.prepare('SELECT * FROM versions').all() as Record<string, any>[];
  for (const v of versions) {
    const r = db.prepare('SELECT title, body FROM reports WHERE version_id = ?').get(v.id) as { title: string | null; body: string } | undefined;
    expect(r !== undefined, `version ${v.id} report row`).toBe(v.parse_status === 'report');
    if (!r) continue;
    expect(valuesHash(loadCells(db, v.id)), `version ${v.id} cells`).toBe(v.values_hash);
    expect(contentHashes(normaliseContent(r.title, r.body)).contentHash, `version ${v.id} body`).toBe(v.content_hash);
  }
  // cells belong to a report and have a numbered key (report_values has no foreign keys to check this)
  expect(db.prepare(`SELECT count(*) AS n FROM report_values c WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.version_id = c.version_id)
    OR NOT EXISTS (SELECT 1 FROM cell_keys k WHERE k.id = c.key_id)`).get()).toEqual({ n: 0 });
  // report_latest is the newest report version of each document (the v3 definition of latest_report_versions)
  expect(db.prepare('SELECT document_id, version_id FROM report_latest ORDER BY document_id').all()).toEqual(
    db.prepare(`SELECT v.document_id, MAX(v.id) AS version_id FROM versions v JOIN reports r ON r.version_id = v.id
      GROUP BY v.document_id ORDER BY v.document_id`).all(),
  );
  // every report is in both search indexes under its key, and nothing else is; nothing is left queued
  const keys = (db.prepare('SELECT version_id, year FROM reports').all() as { version_id: number; year: number | null }[])
    .map((r) => searchKey(r.year, r.version_id)).sort((a, b) => a - b);
  expect((db.prepare('SELECT rowid FROM reports_fts ORDER BY rowid').all() as { rowid: number }[]).map((r) => r.rowid)).toEqual(keys);
  expect((db.prepare('SELECT rowid FROM reports_chars ORDER BY rowid').all() as { rowid: number }[]).map((r) => r.rowid)).toEqual(keys);
  expect(db.prepare('SELECT count(*) AS n FROM search_queue').get()).toEqual({ n: 0 });

  const docs = db.prepare(`SELECT d.id, d.current_version_id, v.document_id AS owner,
      (SELECT count(*) FROM changes c WHERE c.document_id = d.id AND c.kind = 'new') AS news,
      EXISTS (SELECT 1 FROM versions x JOIN reports r ON r.version_id = x.id WHERE x.document_id = d.id) AS has_report
    FROM documents d LEFT JOIN versions v ON v.id = d.current_version_id`).all() as Record<string, number>[];
  for (const d of docs) {
    expect(d.owner, `document ${d.id} current version`).toBe(d.id);
    expect(d.news, `document ${d.id} 'new' events`).toBe(d.has_report ? 1 : 0);
  }
  return { fetches: fetches.length, versions: versions.length };
}
